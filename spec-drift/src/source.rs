//! Source-level drift: what user code written against the client built from
//! OLD can no longer name or construct in the client built from NEW.
//!
//! Types are matched by name (a type gone whose exact definition reappears
//! under another name is a rename); a type reached from responses (user
//! code reads and `match`es it) and one reached from requests (user code
//! builds it) are judged differently where it matters: a variant added to
//! an enum breaks an exhaustive `match` on a response value, and a required
//! field added breaks the construction of a request value. Variants of
//! untagged enums (`oneOf`) are paired by content: a reorder of positional
//! `VariantN`s is no change, and a variant whose name alone changed is a
//! rename. Each type and operation gets one finding per rule, listing the
//! fields or variants it touches.

use std::collections::{BTreeMap, BTreeSet};

use dwolla_codegen::profile::is_token_operation;

use crate::generated::Side;
use crate::group::{Change, grouped};
use crate::pairing::Pair;
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
                stack.extend(variants.iter().filter_map(|v| v.payload.as_ref()));
            }
            TypeDef::Newtype { inner, .. } => stack.push(inner),
        }
    }
    seen
}

/// Which operations read and send each type, in both clients.
pub struct Usage {
    read: BTreeSet<String>,
    built: BTreeSet<String>,
    operations: BTreeMap<String, BTreeSet<String>>,
    token_operations: BTreeSet<String>,
}

impl Usage {
    /// The uses of the types of both clients.
    pub fn of(old: &Side, new: &Side) -> Self {
        let mut usage = Usage {
            read: BTreeSet::new(),
            built: BTreeSet::new(),
            operations: BTreeMap::new(),
            token_operations: BTreeSet::new(),
        };
        for side in [old, new] {
            for op in &side.generated.operations {
                if is_token_operation(op) {
                    usage.token_operations.insert(op.operation_id.clone());
                }
                let Some(builder) = side.surface.builders.get(&op.builder_name()) else {
                    continue;
                };
                let read = reachable(&side.surface, std::iter::once(&builder.success));
                let built = reachable(&side.surface, builder.arguments.values());
                for name in read.iter().chain(&built) {
                    usage
                        .operations
                        .entry(name.clone())
                        .or_default()
                        .insert(op.operation_id.clone());
                }
                usage.read.extend(read);
                usage.built.extend(built);
            }
        }
        usage
    }

    /// The operations that read or send the type `name` (its enum's, for
    /// the struct of a variant).
    pub fn operations_of(&self, name: &str) -> Vec<String> {
        self.operations
            .get(name)
            .into_iter()
            .flatten()
            .cloned()
            .collect()
    }
}

/// The source findings between the clients built from OLD and NEW:
/// operations as `pairs` pairs them.
pub fn diff(old: &Side, new: &Side, pairs: &[Pair<'_>], usage: &Usage) -> Vec<Finding> {
    let mut findings = types_diff(&old.surface, &new.surface, usage);
    for pair in pairs {
        let changes = operation(old, new, pair);
        findings.extend(grouped(pair.id(), changes).map(|f| f.about(pair.ids())));
    }
    findings
}

fn types_diff(old: &Surface, new: &Surface, usage: &Usage) -> Vec<Finding> {
    let own = |surface: &'_ Surface| -> BTreeSet<String> {
        surface
            .types
            .keys()
            .filter(|name| !Surface::is_variant_struct(name))
            .cloned()
            .collect()
    };
    let (before, after) = (own(old), own(new));
    let mut removed: Vec<&String> = before.difference(&after).collect();
    let mut added: Vec<&String> = after.difference(&before).collect();
    let mut findings = Vec::new();
    for (gone, name) in renames(old, &mut removed, new, &mut added, usage) {
        findings.extend(of_type(
            &gone,
            usage,
            vec![Change::new(
                Class::SourceBreaking,
                "type-renamed",
                format!("`{gone}` → `{name}`"),
                format!("the generated type `{gone}` is now `{name}`, with the same definition: code that names `{gone}` stops compiling"),
            )],
        ));
    }
    let mut by_operations: BTreeMap<Vec<String>, Vec<Change>> = BTreeMap::new();
    for gone in removed {
        by_operations
            .entry(usage.operations_of(gone))
            .or_default()
            .push(Change::new(
                Class::SourceBreaking,
                "type-removed",
                format!("`{gone}`"),
                format!("the generated type `{gone}` is gone: code that names it stops compiling"),
            ));
    }
    for name in added {
        by_operations
            .entry(usage.operations_of(name))
            .or_default()
            .push(Change::new(
                Class::Compatible,
                "type-added",
                format!("`{name}`"),
                format!("a new generated type `{name}`"),
            ));
    }
    for (operations, changes) in by_operations {
        let subject = operations
            .first()
            .cloned()
            .unwrap_or_else(|| "types".into());
        findings.extend(note_use(grouped(&subject, changes), &operations, usage));
    }
    for name in before.intersection(&after) {
        let changes = TypePair { old, new, usage }.changes(name);
        if !changes.is_empty() {
            findings.extend(of_type(name, usage, changes));
        }
    }
    findings
}

/// The findings of `changes` to the type `name`.
fn of_type(name: &str, usage: &Usage, changes: Vec<Change>) -> Vec<Finding> {
    let operations = usage.operations_of(name);
    note_use(
        grouped(&format!("types::{name}"), changes),
        &operations,
        usage,
    )
    .collect()
}

/// The findings about types `operations` use, saying so when none or only
/// the token operation uses them.
fn note_use<'a>(
    findings: impl Iterator<Item = Finding> + 'a,
    operations: &'a [String],
    usage: &'a Usage,
) -> impl Iterator<Item = Finding> + 'a {
    findings.map(move |mut finding| {
        if operations.is_empty() {
            finding.class = Class::NoEffect;
            finding
                .message
                .push_str(" (no operation reads or sends it)");
        } else if operations.iter().all(|id| usage.token_operations.contains(id)) {
            finding.message.push_str(
                " (only the generated token operation uses it; the client's own token fetch is hand-written)",
            );
        }
        finding.about(operations.iter().cloned())
    })
}

/// Types gone from OLD whose definition reappears under one new name among
/// NEW's additions, for the same operations (the types it names may be
/// renamed too: pairs are found until no more are): renames, taken out of
/// `removed` and `added`.
fn renames(
    old: &Surface,
    removed: &mut Vec<&String>,
    new: &Surface,
    added: &mut Vec<&String>,
    usage: &Usage,
) -> Vec<(String, String)> {
    let mut found: BTreeMap<String, String> = BTreeMap::new();
    loop {
        let alike = |gone: &str, name: &str| same_definition(old, gone, new, name, &found);
        let pair = removed.iter().enumerate().find_map(|(at, gone)| {
            let twins: Vec<usize> = (0..added.len())
                .filter(|&i| alike(gone, added[i]))
                .collect();
            let [index] = twins.as_slice() else {
                return None;
            };
            let name = added[*index];
            let shared = usage
                .operations_of(gone)
                .iter()
                .any(|id| usage.operations_of(name).contains(id));
            let unique = removed.iter().filter(|other| alike(other, name)).count() == 1;
            (shared && unique).then_some((at, *index))
        });
        let Some((at, index)) = pair else { break };
        let (gone, name) = (removed.remove(at), added.remove(index));
        found.insert(gone.clone(), name.clone());
    }
    found.into_iter().collect()
}

/// Whether `a` of `old` and `b` of `new` are defined alike, once the types
/// OLD's definition names are renamed as `renamed` says.
fn same_definition(
    old: &Surface,
    a: &str,
    new: &Surface,
    b: &str,
    renamed: &BTreeMap<String, String>,
) -> bool {
    match (old.types.get(a), new.types.get(b)) {
        (Some(x), Some(y)) if renamed.is_empty() => x == y,
        (Some(x), Some(y)) => &rename_in(x, renamed) == y,
        _ => false,
    }
}

/// `def` with the type names `renamed` maps replaced.
fn rename_in(def: &TypeDef, renamed: &BTreeMap<String, String>) -> TypeDef {
    fn ty(t: &Ty, renamed: &BTreeMap<String, String>) -> Ty {
        Ty {
            name: renamed
                .get(&t.name)
                .cloned()
                .unwrap_or_else(|| t.name.clone()),
            args: t.args.iter().map(|a| ty(a, renamed)).collect(),
        }
    }
    let mut def = def.clone();
    match &mut def {
        TypeDef::Struct { fields, .. } => {
            for field in fields.values_mut() {
                field.ty = ty(&field.ty, renamed);
            }
        }
        TypeDef::Enum { variants, .. } => {
            for variant in variants {
                variant.payload = variant.payload.as_ref().map(|p| ty(p, renamed));
            }
        }
        TypeDef::Newtype { inner, .. } => *inner = ty(inner, renamed),
    }
    def
}

struct TypePair<'a> {
    old: &'a Surface,
    new: &'a Surface,
    usage: &'a Usage,
}

impl TypePair<'_> {
    fn changes(&self, name: &str) -> Vec<Change> {
        let (Some(old), Some(new)) = (self.old.types.get(name), self.new.types.get(name)) else {
            return Vec::new();
        };
        let read = self.usage.read.contains(name);
        let built = self.usage.built.contains(name);
        match (old, new) {
            (TypeDef::Struct { fields: a, .. }, TypeDef::Struct { fields: b, .. }) => {
                fields(a, b, built, "")
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
            ) => string_enum(a, b, read),
            (
                TypeDef::Enum {
                    untagged: true,
                    variants: a,
                },
                TypeDef::Enum {
                    untagged: true,
                    variants: b,
                },
            ) => self.untagged_enum(a, b, read, built),
            (TypeDef::Newtype { inner: a, .. }, TypeDef::Newtype { inner: b, .. }) if a == b => {
                Vec::new()
            }
            _ if old == new => Vec::new(),
            _ => vec![Change::new(
                Class::SourceBreaking,
                "type-reshaped",
                String::new(),
                format!("was {}, is now {}", type_kind(old), type_kind(new)),
            )],
        }
    }

    /// What identifies a variant's payload across the two clients: the
    /// fields of the object it carries (inline or a named struct, whose name
    /// may be what changed), else its type.
    fn content(surface: &Surface, variant: &Variant) -> String {
        match &variant.payload {
            Some(ty) => match surface.types.get(&ty.name) {
                Some(TypeDef::Struct { fields, .. }) => format!("{fields:?}"),
                _ => ty.to_string(),
            },
            None => "()".into(),
        }
    }

    fn untagged_enum(
        &self,
        old: &[Variant],
        new: &[Variant],
        read: bool,
        built: bool,
    ) -> Vec<Change> {
        let old_keys: Vec<String> = old.iter().map(|v| Self::content(self.old, v)).collect();
        let new_keys: Vec<String> = new.iter().map(|v| Self::content(self.new, v)).collect();
        let mut left: Vec<usize> = (0..old.len()).collect();
        let mut right: Vec<usize> = (0..new.len()).collect();
        let mut take = |matches: &dyn Fn(usize, usize) -> bool| -> Vec<(usize, usize)> {
            let mut found = Vec::new();
            left.retain(|&i| match right.iter().position(|&j| matches(i, j)) {
                Some(at) => {
                    found.push((i, right.remove(at)));
                    false
                }
                None => true,
            });
            found
        };
        take(&|i, j| old[i].name == new[j].name && old_keys[i] == new_keys[j]);
        let renamed = take(&|i, j| old_keys[i] == new_keys[j]);
        let reshaped = take(&|i, j| old[i].name == new[j].name);
        let mut changes: Vec<Change> = renamed
            .into_iter()
            .filter(|&(i, j)| !(positional(&old[i].name) && positional(&new[j].name)))
            .map(|(i, j)| {
                Change::new(
                    Class::SourceBreaking,
                    "variant-renamed",
                    format!("`{}` → `{}`", old[i].name, new[j].name),
                    format!("variant `{}` is now `{}`", old[i].name, new[j].name),
                )
            })
            .collect();
        for (i, j) in reshaped {
            changes.extend(self.variant_reshaped(&old[i], &new[j], built));
        }
        changes.extend(left.iter().map(|&i| {
            Change::new(
                Class::SourceBreaking,
                "variant-removed",
                format!("`{}`", old[i].name),
                format!("variant `{}` ({}) is gone", old[i].name, payload(&old[i])),
            )
        }));
        changes.extend(right.iter().map(|&j| added_variant(&new[j].name, read)));
        changes
    }

    /// A variant kept by name whose payload changed: its fields compared
    /// when both carry named fields, else a changed payload type.
    fn variant_reshaped(&self, old: &Variant, new: &Variant, built: bool) -> Vec<Change> {
        let inline = |surface: &Surface, variant: &Variant| match variant
            .payload
            .as_ref()
            .and_then(|ty| surface.types.get(&ty.name))
        {
            Some(TypeDef::Struct { fields, .. }) if variant_struct(variant) => Some(fields.clone()),
            _ => None,
        };
        match (inline(self.old, old), inline(self.new, new)) {
            (Some(a), Some(b)) => fields(&a, &b, built, &format!("variant `{}`: ", old.name)),
            _ if old.payload == new.payload => Vec::new(),
            _ => vec![Change::new(
                Class::SourceBreaking,
                "variant-changed",
                format!("`{}`", old.name),
                format!(
                    "variant `{}` now carries {}, was {}",
                    old.name,
                    payload(new),
                    payload(old)
                ),
            )],
        }
    }
}

fn variant_struct(variant: &Variant) -> bool {
    variant
        .payload
        .as_ref()
        .is_some_and(|ty| Surface::is_variant_struct(&ty.name))
}

fn type_kind(def: &TypeDef) -> String {
    match def {
        TypeDef::Struct { .. } => "a struct".into(),
        TypeDef::Enum { untagged: true, .. } => "an untagged enum (oneOf)".into(),
        TypeDef::Enum { .. } => "a string enum".into(),
        TypeDef::Newtype { inner, .. } => format!("a newtype around `{inner}`"),
    }
}

/// The field changes of a struct (or of a variant's fields, `prefix`
/// naming it).
fn fields(
    old: &BTreeMap<String, Field>,
    new: &BTreeMap<String, Field>,
    built: bool,
    prefix: &str,
) -> Vec<Change> {
    let mut changes = Vec::new();
    for (name, before) in old {
        let item = format!("{prefix}`{name}`");
        let Some(after) = new.get(name) else {
            changes.push(Change::new(
                Class::SourceBreaking,
                "field-removed",
                item,
                format!("{prefix}field `{name}` (`{}`) is gone", before.ty),
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
        changes.push(Change::new(
            Class::SourceBreaking,
            rule,
            item,
            format!(
                "{prefix}field `{name}` is now `{}`, was `{}`",
                after.ty, before.ty
            ),
        ));
    }
    for (name, added) in new.iter().filter(|(name, _)| !old.contains_key(*name)) {
        let (class, rule) = if built && !added.may_be_absent() {
            (Class::SourceBreaking, "required-field-added")
        } else {
            (Class::Compatible, "field-added")
        };
        changes.push(Change::new(
            class,
            rule,
            format!("{prefix}`{name}`"),
            format!("{prefix}new field `{name}` (`{}`)", added.ty),
        ));
    }
    changes
}

/// A variant added to an enum the client reads breaks an exhaustive `match`
/// on it (progenitor's enums are not `#[non_exhaustive]`).
fn added_variant(name: &str, read: bool) -> Change {
    let (class, message) = if read {
        (
            Class::SourceBreaking,
            format!("new variant `{name}`: an exhaustive `match` on it stops compiling"),
        )
    } else {
        (Class::Compatible, format!("new variant `{name}`"))
    };
    Change::new(class, "variant-added", format!("`{name}`"), message)
}

fn string_enum(old: &[Variant], new: &[Variant], read: bool) -> Vec<Change> {
    let mut changes: Vec<Change> = old
        .iter()
        .filter(|v| !new.iter().any(|n| n.name == v.name))
        .map(|v| {
            Change::new(
                Class::SourceBreaking,
                "variant-removed",
                format!("`{}`", v.name),
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

fn payload(variant: &Variant) -> String {
    match &variant.payload {
        None => "no payload".into(),
        Some(ty) if Surface::is_variant_struct(&ty.name) => "named fields".into(),
        Some(ty) => format!("`{ty}`"),
    }
}

/// The source changes of one operation: its builder, gone, added or
/// renamed (a new operationId names a new method).
fn operation(old: &Side, new: &Side, pair: &Pair<'_>) -> Vec<Change> {
    let builder = |side: &Side, op: Option<&dwolla_codegen::OperationSummary>| {
        op.and_then(|op| side.surface.builders.get(&op.builder_name()).cloned())
    };
    let (before, after) = (builder(old, pair.old), builder(new, pair.new));
    let mut changes = Vec::new();
    if let (Some(a), Some(b)) = (pair.old, pair.new)
        && a.method_name != b.method_name
    {
        changes.push(Change::new(
            Class::SourceBreaking,
            "operation-renamed",
            String::new(),
            format!(
                "NEW names it `{}`: the generated method `{}()` is now `{}()`",
                b.operation_id, a.method_name, b.method_name
            ),
        ));
    }
    match (before, after) {
        (Some(before), Some(after)) => changes.extend(builders(&before, &after)),
        (Some(_), None) => changes.push(gone(new, pair)),
        (None, Some(_)) => changes.push(Change::new(
            Class::Compatible,
            "operation-added",
            String::new(),
            "a new generated method",
        )),
        (None, None) => {}
    }
    changes
}

/// OLD's operation has no generated method in NEW's client: not generated
/// from NEW (with the generator's reason), or not in NEW at all.
fn gone(new: &Side, pair: &Pair<'_>) -> Change {
    let skipped = pair.old.and_then(|op| new.skipped(&op.method, &op.path));
    match skipped {
        Some(skipped) => Change::new(
            Class::SourceBreaking,
            "operation-not-generated",
            String::new(),
            format!(
                "its generated method and builder are gone: the generator leaves it out of NEW ({})",
                skipped.reason
            ),
        ),
        None => Change::new(
            Class::SourceBreaking,
            "operation-removed",
            String::new(),
            "its generated method and builder are gone",
        ),
    }
}

fn builders(old: &OperationSurface, new: &OperationSurface) -> Vec<Change> {
    let mut changes = Vec::new();
    for (name, before) in &old.arguments {
        match new.arguments.get(name) {
            None => changes.push(Change::new(
                Class::SourceBreaking,
                "argument-removed",
                format!("`{name}`"),
                format!("builder method `{name}` is gone"),
            )),
            Some(after) if after != before => {
                let rule = if name == "body" {
                    "request-body-renamed"
                } else {
                    "argument-type-changed"
                };
                changes.push(Change::new(
                    Class::SourceBreaking,
                    rule,
                    format!("`{name}`"),
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
        changes.push(Change::new(
            Class::Compatible,
            "argument-added",
            format!("`{name}`"),
            format!("new builder method `{name}`"),
        ));
    }
    for (what, rule, before, after) in [
        (
            "success",
            "success-type-changed",
            &old.success,
            &new.success,
        ),
        ("error", "error-type-changed", &old.error, &new.error),
    ] {
        if before != after {
            changes.push(Change::new(
                Class::SourceBreaking,
                rule,
                String::new(),
                format!("`send` now returns `{after}` on {what}, was `{before}`"),
            ));
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surface(code: &str) -> Surface {
        Surface::parse(code).expect("parses")
    }

    fn usage_reading(name: &str) -> Usage {
        Usage {
            read: BTreeSet::from([name.to_string()]),
            built: BTreeSet::new(),
            operations: BTreeMap::new(),
            token_operations: BTreeSet::new(),
        }
    }

    fn rules(old: &str, new: &str, name: &str) -> Vec<(Class, &'static str, String)> {
        let (a, b) = (surface(old), surface(new));
        let usage = usage_reading(name);
        TypePair {
            old: &a,
            new: &b,
            usage: &usage,
        }
        .changes(name)
        .into_iter()
        .map(|c| (c.class, c.rule, c.item))
        .collect()
    }

    #[test]
    fn oneof_branches_are_paired_by_content_not_position() {
        let old = "pub mod types { #[serde(untagged)] pub enum E { Variant0(Square), Variant1(Circle) } }";
        let reordered = "pub mod types { #[serde(untagged)] pub enum E { Variant0(Circle), Variant1(Square) } }";
        assert_eq!(rules(old, reordered, "E"), []);
        let renamed =
            "pub mod types { #[serde(untagged)] pub enum E { Box(Square), Variant1(Circle) } }";
        assert_eq!(
            rules(old, renamed, "E"),
            [(
                Class::SourceBreaking,
                "variant-renamed",
                "`Variant0` → `Box`".to_string()
            )]
        );
    }

    #[test]
    fn inline_object_variants_are_compared_by_their_fields() {
        let old = "pub mod types { #[serde(untagged)] pub enum E { Variant0 { a: String }, Variant1 { b: String } } }";
        let reordered = "pub mod types { #[serde(untagged)] pub enum E { Variant0 { b: String }, Variant1 { a: String } } }";
        assert_eq!(rules(old, reordered, "E"), []);
        let changed = "pub mod types { #[serde(untagged)] pub enum E { Variant0 { a: String, c: String }, Variant1 { b: String } } }";
        assert_eq!(
            rules(old, changed, "E"),
            [(
                Class::Compatible,
                "field-added",
                "variant `Variant0`: `c`".to_string()
            )]
        );
    }
}
