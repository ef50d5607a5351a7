//! The client's hand-written extension items (`src/extras`) that the build
//! leaves out when a `dwolla_spec` cfg is set: read from the extension
//! module's own source, so the list is the code's, not a second copy.
//!
//! When NEW defines an operation the extension hand-writes, the build sets
//! that cfg and the generated operation replaces the hand-written one: code
//! that names the hand-written items stops compiling (source-breaking),
//! while the ergonomic layer switches over by itself.

use syn::{Item, LitStr, UseTree, Visibility};

/// The extension module's source, as the client is built from it.
const EXTRAS_SOURCE: &str = include_str!("../../src/extras/mod.rs");

/// The public items of `extras` gated by `#[cfg(not(dwolla_spec = "<cfg>"))]`
/// in the extension module, by name, in source order. Empty when the source
/// cannot be read as Rust (it is the crate's own, so a build would fail
/// first).
pub fn leaving_with(cfg: &str) -> Vec<String> {
    let Ok(file) = syn::parse_file(EXTRAS_SOURCE) else {
        return Vec::new();
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_re_auth_cfg_leaves_out_the_hand_written_re_auth_items() {
        let leaving = leaving_with("re_auth_operation");
        for name in [
            "openapi_fragment",
            "ClientExchangesExt",
            "CreateReAuthExchangeSessionBody",
            "CreateReAuthExchangeSessionWithRedirect",
        ] {
            assert!(leaving.iter().any(|n| n == name), "{name} in {leaving:?}");
        }
        assert!(leaving_with("no_such_cfg").is_empty());
    }
}
