//! The list of `extras` items each `dwolla_spec` cfg leaves out, which
//! `spec-drift` names (`dwolla_codegen::profile::EXTRAS_LEFT_OUT`), is the
//! one `src/extras/mod.rs` gates: its source is read here, so the two cannot
//! drift apart.

use dwolla_codegen::profile::{EXTRAS_LEFT_OUT, SPEC_CFGS, extras_left_out};
use syn::{Item, LitStr, UseTree, Visibility};

/// The extension module's source, as the client is built from it.
const EXTRAS_SOURCE: &str = include_str!("../src/extras/mod.rs");

#[test]
fn the_profiles_list_of_gated_extras_items_is_the_sources() {
    assert_eq!(EXTRAS_LEFT_OUT.len(), SPEC_CFGS.len());
    for cfg in SPEC_CFGS {
        let gated = leaving_with(cfg);
        assert!(
            !gated.is_empty(),
            "{cfg} gates nothing in src/extras/mod.rs"
        );
        assert_eq!(extras_left_out(cfg), gated, "{cfg}");
    }
    assert!(leaving_with("no_such_cfg").is_empty());
    assert!(extras_left_out("no_such_cfg").is_empty());
}

/// The public items of `extras` gated by `#[cfg(not(dwolla_spec = "<cfg>"))]`
/// in the extension module, by name, in source order.
fn leaving_with(cfg: &str) -> Vec<String> {
    let file = syn::parse_file(EXTRAS_SOURCE).expect("src/extras/mod.rs is Rust");
    let mut names = Vec::new();
    for item in &file.items {
        let (attrs, public) = match item {
            Item::Use(item) => (&item.attrs, &item.vis),
            Item::Fn(item) => (&item.attrs, &item.vis),
            Item::Struct(item) => (&item.attrs, &item.vis),
            Item::Enum(item) => (&item.attrs, &item.vis),
            Item::Trait(item) => (&item.attrs, &item.vis),
            _ => continue,
        };
        if !matches!(public, Visibility::Public(_)) || !attrs.iter().any(|a| left_out_by(a, cfg)) {
            continue;
        }
        match item {
            Item::Use(item) => use_names(&item.tree, &mut names),
            Item::Fn(item) => names.push(item.sig.ident.to_string()),
            Item::Struct(item) => names.push(item.ident.to_string()),
            Item::Enum(item) => names.push(item.ident.to_string()),
            Item::Trait(item) => names.push(item.ident.to_string()),
            _ => {}
        }
    }
    names
}

/// Whether `attr` is `#[cfg(not(dwolla_spec = "<cfg>"))]`.
fn left_out_by(attr: &syn::Attribute, cfg: &str) -> bool {
    if !attr.path().is_ident("cfg") {
        return false;
    }
    let mut found = false;
    let _ = attr.parse_nested_meta(|not| {
        if not.path.is_ident("not") {
            not.parse_nested_meta(|inner| {
                if inner.path.is_ident("dwolla_spec") {
                    found |= inner.value()?.parse::<LitStr>()?.value() == cfg;
                }
                Ok(())
            })?;
        }
        Ok(())
    });
    found
}

/// The names a `use` tree brings in (the renamed name where renamed).
fn use_names(tree: &UseTree, names: &mut Vec<String>) {
    match tree {
        UseTree::Path(path) => use_names(&path.tree, names),
        UseTree::Name(name) => names.push(name.ident.to_string()),
        UseTree::Rename(rename) => names.push(rename.rename.to_string()),
        UseTree::Group(group) => group.items.iter().for_each(|t| use_names(t, names)),
        UseTree::Glob(_) => names.push("*".into()),
    }
}
