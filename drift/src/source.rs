//! Source-level drift: what user code written against the client built from
//! OLD can no longer name or construct in the client built from NEW.
//!
//! Types are matched by name; a type reached from responses (user code reads
//! and `match`es it) and one reached from requests (user code builds it) are
//! judged differently where it matters: a variant added to an enum breaks an
//! exhaustive `match` on a response value, and a required field added breaks
//! the construction of a request value. Untagged enums (`oneOf`) are paired
//! by content: a reorder of positional `VariantN`s is no change.

use std::collections::{BTreeMap, BTreeSet};

use crate::report::{Class, Finding};
use crate::surface::{Field, OperationSurface, Surface, Ty, TypeDef, Variant};

/// The generated types reachable from `roots` through fields and variants.
pub fn reachable<'a>(surface: &Surface, roots: impl Iterator<Item = &'a Ty>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&Ty> = roots.collect();
    while let Some(ty) = stack.pop() {
        stack.extend(&ty.args);
        let Some(def) = surface.types.get(&ty.name) else {
            continue;
        };
        if !seen.insert(ty.name.clone()) {
            continue;
        }
        match def {
            TypeDef::Struct { fields, .. } => stack.extend(fields.values().map(|f| &f.ty)),
            TypeDef::Enum { variants, .. } => {
                stack.extend(variants.iter().filter_map(|v| v.payload.as_ref()))
            }
            TypeDef::Newtype { inner } => stack.push(inner),
        }
    }
    seen
}

/// Where the types of both clients are used.
struct Uses {
    read: BTreeSet<String>,
    built: BTreeSet<String>,
}

impl Uses {
    fn of(old: &Surface, new: &Surface) -> Self {
        let mut read = BTreeSet::new();
        let mut built = BTreeSet::new();
        for surface in [old, new] {
            read.extend(reachable(
                surface,
                surface.builders.values().map(|b| &b.success),
            ));
            built.extend(reachable(
                surface,
                surface.builders.values().flat_map(|b| b.arguments.values()),
            ));
        }
        Self { read, built }
    }
}

/// The source findings between the surfaces of the clients built from OLD
/// and NEW, operations named by `operations` (builder name to operationId).
/// A type no operation of either uses (an error schema: errors decode into
/// `DwollaErrorBody`) changes nothing the client does: no effect.
pub fn diff(old: &Surface, new: &Surface, operations: &BTreeMap<String, String>) -> Vec<Finding> {
    let uses = Uses::of(old, new);
    let mut findings = types_diff(old, new, &uses);
    let builders: BTreeSet<&String> = old.builders.keys().chain(new.builders.keys()).collect();
    for builder in builders {
        let subject = operations.get(builder).cloned().unwrap_or(builder.clone());
        findings.extend(
            operation(old.builders.get(builder), new.builders.get(builder))
                .into_iter()
                .map(|(class, rule, message)| Finding::new(class, rule, &subject, message)),
        );
    }
    findings
}

fn types_diff(old: &Surface, new: &Surface, uses: &Uses) -> Vec<Finding> {
    let mut findings = Vec::new();
    let names: BTreeSet<&String> = old.types.keys().chain(new.types.keys()).collect();
    for name in names {
        let subject = format!("types::{name}");
        match (old.types.get(name), new.types.get(name)) {
            (Some(_), None) => findings.push(Finding::new(
                Class::SourceBreaking,
                "type-removed",
                subject,
                "the generated type is gone: code that names it stops compiling",
            )),
            (None, Some(_)) => findings.push(Finding::new(
                Class::Compatible,
                "type-added",
                subject,
                "a new generated type",
            )),
            (Some(before), Some(after)) => findings.extend(
                types(name, before, after, uses)
                    .into_iter()
                    .map(|(class, rule, message)| Finding::new(class, rule, &subject, message)),
            ),
            (None, None) => {}
        }
    }
    for finding in &mut findings {
        let name = finding.subject.trim_start_matches("types::");
        if !uses.read.contains(name) && !uses.built.contains(name) {
            finding.class = Class::NoEffect;
            finding
                .message
                .push_str(" (no operation reads or sends this type)");
        }
    }
    findings
}

type Change = (Class, &'static str, String);

fn types(name: &str, old: &TypeDef, new: &TypeDef, uses: &Uses) -> Vec<Change> {
    match (old, new) {
        (TypeDef::Struct { fields: a, .. }, TypeDef::Struct { fields: b, .. }) => {
            fields(a, b, uses.built.contains(name))
        }
        (
            TypeDef::Enum {
                untagged: false,
                variants: a,
            },
            TypeDef::Enum {
                untagged: false,
                variants: b,
            },
        ) => string_enum(a, b, uses.read.contains(name)),
        (
            TypeDef::Enum {
                untagged: true,
                variants: a,
            },
            TypeDef::Enum {
                untagged: true,
                variants: b,
            },
        ) => untagged_enum(a, b, uses.read.contains(name)),
        (TypeDef::Newtype { inner: a }, TypeDef::Newtype { inner: b }) if a == b => Vec::new(),
        _ if old == new => Vec::new(),
        _ => vec![(
            Class::SourceBreaking,
            "type-reshaped",
            format!("was {}, is now {}", shape(old), shape(new)),
        )],
    }
}

fn shape(def: &TypeDef) -> String {
    match def {
        TypeDef::Struct { .. } => "a struct".into(),
        TypeDef::Enum { untagged: true, .. } => "an untagged enum (oneOf)".into(),
        TypeDef::Enum { .. } => "a string enum".into(),
        TypeDef::Newtype { inner } => format!("a newtype around `{inner}`"),
    }
}

fn fields(
    old: &BTreeMap<String, Field>,
    new: &BTreeMap<String, Field>,
    built: bool,
) -> Vec<Change> {
    let mut changes = Vec::new();
    for (name, before) in old {
        let Some(after) = new.get(name) else {
            changes.push((
                Class::SourceBreaking,
                "field-removed",
                format!("field `{name}` (`{}`) is gone", before.ty),
            ));
            continue;
        };
        if before.ty == after.ty {
            continue;
        }
        let rule = match (before.ty.option_inner(), after.ty.option_inner()) {
            (Some(inner), None) if *inner == after.ty => "field-made-required",
            (None, Some(inner)) if *inner == before.ty => "field-made-optional",
            _ => "field-type-changed",
        };
        changes.push((
            Class::SourceBreaking,
            rule,
            format!("field `{name}` is now `{}`, was `{}`", after.ty, before.ty),
        ));
    }
    for (name, added) in new.iter().filter(|(name, _)| !old.contains_key(*name)) {
        let (class, rule) = if built && !added.may_be_absent() {
            (Class::SourceBreaking, "required-field-added")
        } else {
            (Class::Compatible, "field-added")
        };
        changes.push((class, rule, format!("new field `{name}` (`{}`)", added.ty)));
    }
    changes
}

/// A variant added to an enum the client reads breaks an exhaustive `match`
/// on it (progenitor's enums are not `#[non_exhaustive]`).
fn added_variant(name: &str, read: bool) -> Change {
    if read {
        (
            Class::SourceBreaking,
            "variant-added",
            format!("new variant `{name}`: an exhaustive `match` on it stops compiling"),
        )
    } else {
        (
            Class::Compatible,
            "variant-added",
            format!("new variant `{name}`"),
        )
    }
}

fn string_enum(old: &[Variant], new: &[Variant], read: bool) -> Vec<Change> {
    let mut changes: Vec<Change> = old
        .iter()
        .filter(|v| !new.iter().any(|n| n.name == v.name))
        .map(|v| {
            (
                Class::SourceBreaking,
                "variant-removed",
                format!("variant `{}` (`{}`) is gone", v.name, v.wire),
            )
        })
        .collect();
    changes.extend(
        new.iter()
            .filter(|v| !old.iter().any(|o| o.name == v.name))
            .map(|v| added_variant(&v.name, read)),
    );
    changes
}

/// `Variant0`, `Variant1`: names progenitor gives by position.
fn positional(name: &str) -> bool {
    name.strip_prefix("Variant")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn untagged_enum(old: &[Variant], new: &[Variant], read: bool) -> Vec<Change> {
    let mut unmatched_new: Vec<&Variant> = new.iter().collect();
    let mut unmatched_old = Vec::new();
    for before in old {
        match unmatched_new
            .iter()
            .position(|n| n.name == before.name && n.payload == before.payload)
        {
            Some(i) => {
                unmatched_new.remove(i);
            }
            None => unmatched_old.push(before),
        }
    }
    let mut changes = Vec::new();
    for before in unmatched_old {
        let same_payload = unmatched_new
            .iter()
            .position(|n| n.payload == before.payload);
        match same_payload {
            Some(i) if positional(&before.name) && positional(&unmatched_new[i].name) => {
                unmatched_new.remove(i);
            }
            _ => changes.push((
                Class::SourceBreaking,
                "variant-removed",
                format!(
                    "variant `{}` ({}) is gone or changed",
                    before.name,
                    payload(before)
                ),
            )),
        }
    }
    changes.extend(unmatched_new.iter().map(|v| added_variant(&v.name, read)));
    changes
}

fn payload(variant: &Variant) -> String {
    variant
        .payload
        .as_ref()
        .map_or_else(|| "no payload".into(), |p| format!("`{p}`"))
}

fn operation(old: Option<&OperationSurface>, new: Option<&OperationSurface>) -> Vec<Change> {
    let (old, new) = match (old, new) {
        (Some(old), Some(new)) => (old, new),
        (Some(_), None) => {
            return vec![(
                Class::SourceBreaking,
                "operation-removed",
                "its generated method and builder are gone".into(),
            )];
        }
        (None, Some(_)) => {
            return vec![(
                Class::Compatible,
                "operation-added",
                "a new generated method".into(),
            )];
        }
        (None, None) => return Vec::new(),
    };
    let mut changes = Vec::new();
    for (name, before) in &old.arguments {
        match new.arguments.get(name) {
            None => changes.push((
                Class::SourceBreaking,
                "argument-removed",
                format!("builder method `{name}` is gone"),
            )),
            Some(after) if after != before => {
                let rule = if name == "body" {
                    "request-body-renamed"
                } else {
                    "argument-type-changed"
                };
                changes.push((
                    Class::SourceBreaking,
                    rule,
                    format!("builder method `{name}` now takes `{after}`, was `{before}`"),
                ));
            }
            Some(_) => {}
        }
    }
    for name in new
        .arguments
        .keys()
        .filter(|n| !old.arguments.contains_key(*n))
    {
        changes.push((
            Class::Compatible,
            "argument-added",
            format!("new builder method `{name}`"),
        ));
    }
    for (what, before, after) in [
        ("success", &old.success, &new.success),
        ("error", &old.error, &new.error),
    ] {
        if before != after {
            changes.push((
                Class::SourceBreaking,
                if what == "success" {
                    "success-type-changed"
                } else {
                    "error-type-changed"
                },
                format!("`send` now returns `{after}` on {what}, was `{before}`"),
            ));
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variant(name: &str, payload: &str) -> Variant {
        Variant {
            name: name.into(),
            wire: name.into(),
            payload: Some(Ty {
                name: payload.into(),
                args: Vec::new(),
            }),
        }
    }

    #[test]
    fn oneof_branches_are_paired_by_content_not_position() {
        let old = [variant("Variant0", "Square"), variant("Variant1", "Circle")];
        let reordered = [variant("Variant0", "Circle"), variant("Variant1", "Square")];
        assert_eq!(untagged_enum(&old, &reordered, true), []);
        let renamed = [variant("Box", "Square"), variant("Variant1", "Circle")];
        let rules: Vec<_> = untagged_enum(&old, &renamed, true)
            .into_iter()
            .map(|(class, rule, _)| (class, rule))
            .collect();
        assert_eq!(
            rules,
            [
                (Class::SourceBreaking, "variant-removed"),
                (Class::SourceBreaking, "variant-added")
            ]
        );
    }
}
