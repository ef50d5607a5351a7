//! The hand-written public API of the crate, listed from its source and
//! compared with the committed snapshot (`tests/snapshots/`): removing or
//! changing a public item fails this test until the snapshot is reviewed
//! (`cargo insta review`), and under CI (`CI` set) a changed snapshot fails.
//!
//! The listing walks the module tree from `src/lib.rs` and lists every item
//! declared `pub` (with `unreachable_pub` on, each is reachable), every
//! `pub use` and `pub mod` by the module that declares it, the public
//! fields and variants of types, the signatures of public functions and
//! methods, the traits implemented, and the attributes that bind users
//! (`derive`, `non_exhaustive`, `cfg`). The generated layer
//! (`src/generated.rs`'s `include!`) is the spec's, and not listed.

use std::path::{Path, PathBuf};

use quote::ToTokens;
use syn::{Attribute, Fields, ImplItem, Item, TraitItem, Visibility};

#[test]
fn the_public_api_is_the_committed_one() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut listing = Vec::new();
    walk(&root.join("lib.rs"), &root, "crate", &mut listing);
    // An impl of a type the source declares private is not public.
    let private: Vec<String> = listing
        .iter()
        .filter_map(|line| line.strip_prefix(PRIVATE))
        .map(str::to_string)
        .collect();
    listing.retain(|line| {
        !line.starts_with(PRIVATE)
            && !private.iter().any(|name| {
                line.contains(&format!(" for {name}"))
                    || line.contains(&format!(" {name} :: "))
                    || line.contains(&format!(" {name}<"))
            })
    });
    listing.sort();
    insta::assert_snapshot!(listing.join("\n"));
}

/// Lists the public items of the module in `file` (named `path`), whose
/// child modules live in `dir`.
fn walk(file: &Path, dir: &Path, path: &str, listing: &mut Vec<String>) {
    let text = std::fs::read_to_string(file).unwrap();
    let parsed = syn::parse_file(&text).unwrap();
    for item in &parsed.items {
        if skipped(attrs(item)) {
            continue;
        }
        if let Item::Mod(module) = item {
            let child = format!("{path}::{}", module.ident);
            if is_pub(&module.vis) {
                listing.push(format!("{}mod {child}", kept(&module.attrs)));
            }
            if module.content.is_none() {
                let (child_file, child_dir) = module_file(dir, &module.ident.to_string());
                walk(&child_file, &child_dir, &child, listing);
            }
            continue;
        }
        listing.extend(describe(item).into_iter().map(|line| {
            if line.starts_with(PRIVATE) {
                line
            } else {
                format!("{path}: {line}")
            }
        }));
    }
}

/// Where `mod name;` declared in a module whose children live in `dir` is.
fn module_file(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    let flat = dir.join(format!("{name}.rs"));
    if flat.exists() {
        (flat, dir.join(name))
    } else {
        (dir.join(name).join("mod.rs"), dir.join(name))
    }
}

/// Marks a type the source declares without `pub`.
const PRIVATE: &str = "private type ";

/// The lines an item adds to the listing.
fn describe(item: &Item) -> Vec<String> {
    let attributes = kept(attrs(item));
    match item {
        Item::Struct(s) if !is_pub(&s.vis) => vec![format!("{PRIVATE}{}", s.ident)],
        Item::Enum(e) if !is_pub(&e.vis) => vec![format!("{PRIVATE}{}", e.ident)],
        Item::Use(used) if is_pub(&used.vis) => {
            vec![format!("{attributes}pub use {}", tokens(&used.tree))]
        }
        Item::Struct(s) if is_pub(&s.vis) => {
            let mut public = s.clone();
            public.attrs.clear();
            public.fields = public_fields(&s.fields);
            vec![format!("{attributes}{}", tokens(&public))]
        }
        Item::Enum(e) if is_pub(&e.vis) => {
            let mut public = e.clone();
            public.attrs.clear();
            for variant in &mut public.variants {
                variant.attrs.retain(is_kept);
                strip_field_docs(&mut variant.fields);
            }
            vec![format!("{attributes}{}", tokens(&public))]
        }
        Item::Fn(f) if is_pub(&f.vis) => vec![format!("{attributes}pub {}", tokens(&f.sig))],
        Item::Const(c) if is_pub(&c.vis) => {
            vec![format!(
                "{attributes}pub const {}: {}",
                c.ident,
                tokens(&c.ty)
            )]
        }
        Item::Static(s) if is_pub(&s.vis) => {
            vec![format!(
                "{attributes}pub static {}: {}",
                s.ident,
                tokens(&s.ty)
            )]
        }
        Item::Type(t) if is_pub(&t.vis) => {
            vec![format!(
                "{attributes}pub type {} = {}",
                t.ident,
                tokens(&t.ty)
            )]
        }
        Item::Trait(t) if is_pub(&t.vis) => trait_lines(t, &attributes),
        Item::Impl(imp) => impl_lines(imp, &attributes),
        _ => Vec::new(),
    }
}

/// A public trait: its header and each of its items' signatures.
fn trait_lines(t: &syn::ItemTrait, attributes: &str) -> Vec<String> {
    let supertraits = if t.supertraits.is_empty() {
        String::new()
    } else {
        format!(": {}", tokens(&t.supertraits))
    };
    let header = format!(
        "{attributes}pub trait {}{}{supertraits}",
        t.ident,
        tokens(&t.generics),
    );
    let items = t.items.iter().filter_map(|item| match item {
        TraitItem::Fn(f) => Some(format!("{header} :: {}", tokens(&f.sig))),
        TraitItem::Type(ty) => Some(format!("{header} :: type {}", ty.ident)),
        TraitItem::Const(c) => Some(format!("{header} :: const {}: {}", c.ident, tokens(&c.ty))),
        _ => None,
    });
    std::iter::once(header.clone()).chain(items).collect()
}

/// A trait implemented (`impl Trait for Type`), or the public methods and
/// constants of an inherent `impl`.
fn impl_lines(imp: &syn::ItemImpl, attributes: &str) -> Vec<String> {
    let self_ty = tokens(&imp.self_ty);
    let generics = tokens(&imp.generics);
    if let Some((_, trait_path, _)) = &imp.trait_ {
        return vec![format!(
            "{attributes}impl{generics} {} for {self_ty}",
            tokens(trait_path)
        )];
    }
    imp.items
        .iter()
        .filter_map(|item| match item {
            ImplItem::Fn(f) if is_pub(&f.vis) && !skipped(&f.attrs) => Some(format!(
                "{attributes}{}impl{generics} {self_ty} :: pub {}",
                kept(&f.attrs),
                tokens(&f.sig)
            )),
            ImplItem::Const(c) if is_pub(&c.vis) => Some(format!(
                "{attributes}impl{generics} {self_ty} :: pub const {}: {}",
                c.ident,
                tokens(&c.ty)
            )),
            _ => None,
        })
        .collect()
}

/// The public fields of a struct, without their docs.
fn public_fields(fields: &Fields) -> Fields {
    let mut public = fields.clone();
    match &mut public {
        Fields::Named(named) => {
            named.named = named
                .named
                .iter()
                .filter(|f| is_pub(&f.vis))
                .cloned()
                .collect();
        }
        Fields::Unnamed(unnamed) => {
            unnamed.unnamed = unnamed
                .unnamed
                .iter()
                .filter(|f| is_pub(&f.vis))
                .cloned()
                .collect();
        }
        Fields::Unit => {}
    }
    strip_field_docs(&mut public);
    public
}

fn strip_field_docs(fields: &mut Fields) {
    for field in fields.iter_mut() {
        field.attrs.retain(is_kept);
    }
}

fn attrs(item: &Item) -> &[Attribute] {
    match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

/// Items users never see: tests, fuzzing and doc-test entry points, hidden
/// items.
fn skipped(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| {
        let text = tokens(attr);
        (attr.path().is_ident("cfg")
            && ["test", "fuzzing", "doctest"]
                .iter()
                .any(|word| text.contains(word)))
            || (attr.path().is_ident("doc") && text.contains("hidden"))
    })
}

/// The attributes that bind users: `derive`, `non_exhaustive`, `cfg`.
fn is_kept(attr: &Attribute) -> bool {
    ["derive", "non_exhaustive", "cfg"]
        .iter()
        .any(|name| attr.path().is_ident(name))
}

fn kept(attrs: &[Attribute]) -> String {
    attrs
        .iter()
        .filter(|attr| is_kept(attr))
        .map(|attr| format!("{} ", tokens(attr)))
        .collect()
}

/// An item's tokens on one line, with the spacing of written Rust.
fn tokens(item: &impl ToTokens) -> String {
    let mut text = item.to_token_stream().to_string();
    for (spaced, tight) in [
        (" :: ", "::"),
        (":: ", "::"),
        (" ::", "::"),
        (" ,", ","),
        (" ;", ";"),
        ("< ", "<"),
        (" >", ">"),
        (" <", "<"),
        ("( ", "("),
        (" )", ")"),
        ("[ ", "["),
        (" ]", "]"),
        ("& ", "&"),
        ("# ", "#"),
        (" :", ":"),
        (" (", "("),
        (", }", " }"),
        (",)", ")"),
    ] {
        text = text.replace(spaced, tight);
    }
    text
}
