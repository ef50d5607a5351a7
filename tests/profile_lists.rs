//! The lists of the client's profile (`dwolla_codegen::profile`) that
//! `spec-drift` relies on are the ones the client is built from, read here
//! from the sources so the two cannot drift apart:
//! - `EXTRAS_LEFT_OUT`, the `extras` items each `dwolla_spec` cfg leaves
//!   out, is what `src/extras/mod.rs` gates;
//! - `CLIENT_OPERATIONS`, the operations `spec-drift` judges by default, are
//!   those of `openapi/dwolla.yml` and `openapi/extras-fragment.json`.

use std::collections::BTreeSet;
use std::path::Path;

use dwolla_codegen::profile::{CLIENT_OPERATIONS, EXTRAS_LEFT_OUT, SPEC_CFGS, extras_left_out};
use openapi_doc::spec::Spec;
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

#[test]
fn the_profiles_client_operations_are_the_slices_and_the_extensions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi");
    let slice = Spec::load(&root.join("dwolla.yml")).expect("the vendored slice");
    let fragment: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("extras-fragment.json")).expect("the fragment"),
    )
    .expect("JSON");
    let spec = slice.with_fragment(&fragment);
    let found: BTreeSet<(String, String, String)> = spec
        .operations()
        .into_iter()
        .map(|op| (op.id, op.method, op.path))
        .collect();
    let listed: BTreeSet<(String, String, String)> = CLIENT_OPERATIONS
        .iter()
        .map(|op| (op.operation_id.into(), op.method.into(), op.path.into()))
        .collect();
    assert_eq!(listed, found);
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
