//! Schemas that compose themselves: a component whose `allOf`, `anyOf` or
//! `oneOf` (at any mix and depth of composition) leads back to itself
//! through `$ref`s, without a property or an array item in between.
//!
//! typify expands compositions eagerly, so such a cycle recurses without
//! bound: a stack overflow, which no `catch_unwind` stops, in the build and
//! in `spec-drift`. Recursion through a property or an array item is fine
//! (typify boxes it) and is left alone; a schema that is only a `$ref` round
//! a cycle is [`super::collisions::break_alias_cycles`]'s.
//!
//! Every component on such a cycle, or composing one, is left out of the
//! document together with every component that refers to it at all, and
//! every operation that uses any of them is skipped with the cycle's JSON
//! pointer. Nothing else changes.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use openapi_doc::pointer;
use serde_json::Value;

use super::walk::{operations_mut, remove_operations};
use crate::report::{Note, SkippedOperation};

const PREFIX: &str = "#/components/schemas/";
const COMPOSITIONS: &[&str] = &["allOf", "anyOf", "oneOf", "not"];

/// Removes the schemas a composition cycle reaches and skips the operations
/// that use them (call after operation-level `$ref`s are inlined).
pub(super) fn skip_composition_cycles(
    doc: &mut Value,
    skipped: &mut Vec<SkippedOperation>,
    notes: &mut Vec<Note>,
) {
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return;
    };
    let composes: BTreeMap<&str, Vec<(String, String)>> = schemas
        .iter()
        .map(|(name, schema)| {
            let mut found = Vec::new();
            let at = pointer::join("/components/schemas", name);
            composition_refs(schema, &at, &mut found);
            (name.as_str(), found)
        })
        .collect();
    let cyclic = on_or_into_cycles(&composes);
    if cyclic.is_empty() {
        return;
    }
    let witness = cycle_witness(&composes, &cyclic);
    let tainted = users_of(schemas, &cyclic);
    for name in &cyclic {
        notes.push(Note {
            pointer: pointer::join("/components/schemas", name),
            message: format!(
                "composes itself through `$ref` ({witness}): left out, with every schema and operation that uses it"
            ),
        });
    }
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        schemas.retain(|name, _| !tainted.contains(name));
    }
    let mut removed = Vec::new();
    for (path, method, op) in operations_mut(doc) {
        let mut refs = BTreeSet::new();
        all_refs(&Value::Object(op.clone()), &mut refs);
        if let Some(used) = refs.iter().find(|name| tainted.contains(*name)) {
            let at = pointer::join(&pointer::join("/paths", &path), &method);
            skipped.push(SkippedOperation {
                operation: op
                    .get("operationId")
                    .and_then(Value::as_str)
                    .map_or_else(|| format!("{} {path}", method.to_uppercase()), str::to_string),
                pointer: at,
                reason: format!(
                    "it uses schema `{used}`, which reaches a composition cycle ({witness}); the generator would recurse without end"
                ),
            });
            removed.push((path, method));
        }
    }
    remove_operations(doc, removed);
}

/// The component names `schema` (at `at`) composes directly: its own
/// `$ref` and those of its composition branches, at any depth of
/// composition, with the pointer of each `$ref`.
fn composition_refs(schema: &Value, at: &str, found: &mut Vec<(String, String)>) {
    let Some(object) = schema.as_object() else {
        return;
    };
    if let Some(name) = object
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(component_name)
    {
        found.push((name, pointer::join(at, "$ref")));
    }
    for keyword in COMPOSITIONS {
        let here = pointer::join(at, keyword);
        match object.get(*keyword) {
            Some(Value::Array(branches)) => {
                for (index, branch) in branches.iter().enumerate() {
                    composition_refs(branch, &pointer::join(&here, &index.to_string()), found);
                }
            }
            Some(branch @ Value::Object(_)) => composition_refs(branch, &here, found),
            _ => {}
        }
    }
}

/// The component a local `$ref` names, when it names a whole component.
fn component_name(reference: &str) -> Option<String> {
    let name = reference.strip_prefix(PREFIX)?;
    (!name.contains('/')).then(|| pointer::unescape(name))
}

/// The components that lie on a composition cycle or compose one: what
/// remains once every component composing nothing left is peeled off.
fn on_or_into_cycles(composes: &BTreeMap<&str, Vec<(String, String)>>) -> BTreeSet<String> {
    let mut remaining: BTreeMap<&str, BTreeSet<&str>> = composes
        .iter()
        .map(|(name, refs)| {
            let targets = refs
                .iter()
                .map(|(target, _)| target.as_str())
                .filter(|target| composes.contains_key(target))
                .collect();
            (*name, targets)
        })
        .collect();
    let mut composed_by: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, targets) in &remaining {
        for target in targets {
            composed_by.entry(*target).or_default().push(*name);
        }
    }
    let mut done: VecDeque<&str> = remaining
        .iter()
        .filter(|(_, targets)| targets.is_empty())
        .map(|(name, _)| *name)
        .collect();
    while let Some(name) = done.pop_front() {
        remaining.remove(name);
        for user in composed_by.get(name).into_iter().flatten() {
            if let Some(targets) = remaining.get_mut(user)
                && targets.remove(name)
                && targets.is_empty()
            {
                done.push_back(user);
            }
        }
    }
    remaining
        .keys()
        .map(std::string::ToString::to_string)
        .collect()
}

/// One cycle among `cyclic`, as `pointer → B → C → B`.
fn cycle_witness(
    composes: &BTreeMap<&str, Vec<(String, String)>>,
    cyclic: &BTreeSet<String>,
) -> String {
    let Some(start) = cyclic.first() else {
        return String::new();
    };
    let mut path: Vec<(String, String)> = Vec::new();
    let mut current = start.clone();
    loop {
        if let Some(seen) = path.iter().position(|(name, _)| *name == current) {
            let cycle = &path[seen..];
            let names: Vec<&str> = cycle.iter().map(|(name, _)| name.as_str()).collect();
            return format!("{} → {} → {current}", cycle[0].1, names.join(" → "));
        }
        let Some((next, at)) = composes
            .get(current.as_str())
            .into_iter()
            .flatten()
            .find(|(target, _)| cyclic.contains(target))
        else {
            return start.clone();
        };
        path.push((current, at.clone()));
        current = next.clone();
    }
}

/// `cyclic` and every component that refers to one of them, however deep.
fn users_of(
    schemas: &serde_json::Map<String, Value>,
    cyclic: &BTreeSet<String>,
) -> BTreeSet<String> {
    let mut referred_by: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (name, schema) in schemas {
        let mut refs = BTreeSet::new();
        all_refs(schema, &mut refs);
        for target in refs {
            referred_by.entry(target).or_default().push(name);
        }
    }
    let mut tainted = cyclic.clone();
    let mut queue: VecDeque<String> = cyclic.iter().cloned().collect();
    while let Some(name) = queue.pop_front() {
        for user in referred_by.get(&name).into_iter().flatten() {
            if tainted.insert(user.to_string()) {
                queue.push_back(user.to_string());
            }
        }
    }
    tainted
}

/// Every component `value` refers to, at any depth.
fn all_refs(value: &Value, found: &mut BTreeSet<String>) {
    match value {
        Value::Object(object) => {
            for (key, inner) in object {
                match (key.as_str(), inner) {
                    ("$ref", Value::String(reference)) => {
                        found.extend(component_name(reference));
                    }
                    _ => all_refs(inner, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| all_refs(item, found)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(schemas: Value) -> Value {
        json!({
            "openapi": "3.1.0",
            "paths": {
                "/b": {"get": {"operationId": "getB", "responses": {"200": {"description": "b",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Holder"}}}}}}},
                "/d": {"get": {"operationId": "getD", "responses": {"200": {"description": "d",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/D"}}}}}}}
            },
            "components": {"schemas": schemas}
        })
    }

    fn run(mut document: Value) -> (Value, Vec<SkippedOperation>, Vec<Note>) {
        let (mut skipped, mut notes) = (Vec::new(), Vec::new());
        skip_composition_cycles(&mut document, &mut skipped, &mut notes);
        (document, skipped, notes)
    }

    #[test]
    fn a_cycle_through_any_mix_of_compositions_skips_what_uses_it() {
        let mixes = [
            ("allOf", "anyOf"),
            ("anyOf", "oneOf"),
            ("oneOf", "allOf"),
            ("allOf", "allOf"),
        ];
        for (first, second) in mixes {
            let (document, skipped, notes) = run(doc(json!({
                "Holder": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
                "B": {first: [{"$ref": "#/components/schemas/C"}, {"type": "object"}]},
                "C": {second: [{"oneOf": [{"$ref": "#/components/schemas/B"}]}]},
                "D": {"type": "string"}
            })));
            let kept: Vec<&String> = document["components"]["schemas"]
                .as_object()
                .unwrap()
                .keys()
                .collect();
            assert_eq!(kept, ["D"], "{first}/{second}");
            assert_eq!(skipped.len(), 1, "{first}/{second}");
            assert_eq!(skipped[0].operation, "getB");
            assert_eq!(skipped[0].pointer, "/paths/~1b/get");
            assert!(
                skipped[0]
                    .reason
                    .contains(&format!("/components/schemas/B/{first}/0/$ref → B → C → B")),
                "{}",
                skipped[0].reason
            );
            assert!(document["paths"].get("/b").is_none());
            assert!(document["paths"]["/d"]["get"].is_object());
            assert_eq!(notes.len(), 2);
        }
    }

    #[test]
    fn recursion_through_a_property_or_an_item_is_left_alone() {
        let schemas = json!({
            "Holder": {"type": "object", "properties": {
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Holder"}},
                "parent": {"allOf": [{"$ref": "#/components/schemas/Holder"}]}
            }},
            "D": {"allOf": [{"$ref": "#/components/schemas/Holder"}]}
        });
        let (document, skipped, notes) = run(doc(schemas.clone()));
        assert_eq!(document["components"]["schemas"], schemas);
        assert!(skipped.is_empty() && notes.is_empty());
    }

    #[test]
    fn a_schema_composing_a_cycle_it_is_not_on_goes_too() {
        let (document, skipped, _) = run(doc(json!({
            "Holder": {"type": "string"},
            "D": {"allOf": [{"$ref": "#/components/schemas/E"}]},
            "E": {"anyOf": [{"$ref": "#/components/schemas/F"}]},
            "F": {"not": {"$ref": "#/components/schemas/E"}}
        })));
        assert_eq!(
            document["components"]["schemas"]
                .as_object()
                .unwrap()
                .keys()
                .collect::<Vec<_>>(),
            ["Holder"]
        );
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].operation, "getD");
    }
}
