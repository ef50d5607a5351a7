//! Spec defects (conformance's `defects` checks) that NEW introduces or
//! fixes, one finding per kind and place, each attributed to the
//! operations that reach its place (through any chain of `$ref`s), so that
//! the default scope keeps only the client's. Undefined security schemes are
//! [`crate::security`]'s and [`crate::token`]'s, which name what the client
//! does about them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use conformance::defects::{Defect, find};
use openapi_doc::pointer::local_ref_pointer;
use openapi_doc::spec::Spec;
use serde_json::Value;

use crate::generated::Side;
use crate::report::{Class, Finding};

const SECURITY_KIND: &str = "undefined-security-scheme";

/// Defects found in NEW and not in OLD, and the other way round.
pub fn diff(old: &Side, new: &Side) -> Vec<Finding> {
    let before: BTreeSet<Defect> = find(&old.spec).into_iter().collect();
    let after: BTreeSet<Defect> = find(&new.spec).into_iter().collect();
    let mut findings = grouped(
        after.difference(&before),
        "spec-defect-introduced",
        &Users::of(&new.spec),
    );
    findings.extend(grouped(
        before.difference(&after),
        "spec-defect-fixed",
        &Users::of(&old.spec),
    ));
    findings
}

/// One finding per `(kind, pointer)`: its first detail and how many more.
fn grouped<'a>(
    defects: impl Iterator<Item = &'a Defect>,
    rule: &'static str,
    users: &Users,
) -> Vec<Finding> {
    let mut by_place: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    for defect in defects.filter(|d| d.kind != SECURITY_KIND) {
        by_place
            .entry((&defect.kind, &defect.pointer))
            .or_default()
            .push(&defect.detail);
    }
    by_place
        .into_iter()
        .map(|((kind, pointer), details)| {
            let more = match details.len() {
                1 => String::new(),
                n => format!(" (and {} more of this kind here)", n - 1),
            };
            Finding::new(
                Class::Compatible,
                rule,
                pointer,
                format!("{kind}: {}{more}", details[0]),
            )
            .about(users.of_pointer(pointer))
        })
        .collect()
}

/// Which operations reach each place of a spec.
struct Users {
    /// Operation pointer (`/paths/~1x/get`) to operationId.
    operations: Vec<(String, String)>,
    /// Component (`/components/schemas/Thing`) to the operations reaching it.
    components: HashMap<String, BTreeSet<String>>,
}

impl Users {
    fn of(spec: &Spec) -> Self {
        let mut refs_of: HashMap<String, BTreeSet<String>> = HashMap::new();
        let mut operations = Vec::new();
        let mut components: HashMap<String, BTreeSet<String>> = HashMap::new();
        for op in spec.operations() {
            let Some(value) = spec.document.pointer(&op.pointer) else {
                continue;
            };
            let mut stack: Vec<String> = direct_refs(value).into_iter().collect();
            let mut seen = BTreeSet::new();
            while let Some(component) = stack.pop() {
                if !seen.insert(component.clone()) {
                    continue;
                }
                let inner = refs_of.entry(component.clone()).or_insert_with(|| {
                    spec.document
                        .pointer(&component)
                        .map(direct_refs)
                        .unwrap_or_default()
                });
                stack.extend(inner.iter().cloned());
            }
            for component in seen {
                components
                    .entry(component)
                    .or_default()
                    .insert(op.id.clone());
            }
            operations.push((op.pointer, op.id));
        }
        Self {
            operations,
            components,
        }
    }

    /// The operations whose definition holds `pointer`, or reach the
    /// component that holds it.
    fn of_pointer(&self, pointer: &str) -> Vec<String> {
        if let Some(component) = component_of(pointer) {
            return self
                .components
                .get(&component)
                .into_iter()
                .flatten()
                .cloned()
                .collect();
        }
        self.operations
            .iter()
            .filter(|(at, _)| {
                pointer == at
                    || pointer.starts_with(&format!("{at}/"))
                    || at.starts_with(&format!("{pointer}/"))
                    || path_item_of(at)
                        .is_some_and(|item| pointer.starts_with(&format!("{item}/parameters")))
            })
            .map(|(_, id)| id.clone())
            .collect()
    }
}

/// `/components/schemas/Thing/properties/x` is in `/components/schemas/Thing`.
fn component_of(pointer: &str) -> Option<String> {
    let rest = pointer.strip_prefix("/components/")?;
    let mut tokens = rest.splitn(3, '/');
    let (kind, name) = (tokens.next()?, tokens.next()?);
    Some(format!("/components/{kind}/{name}"))
}

/// `/paths/~1x/get` is in the path item `/paths/~1x`.
fn path_item_of(operation: &str) -> Option<&str> {
    operation.rsplit_once('/').map(|(item, _)| item)
}

/// The components `value` refers to directly.
fn direct_refs(value: &Value) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(object) => {
                for (key, inner) in object {
                    match (key.as_str(), inner) {
                        ("$ref", Value::String(reference)) => {
                            found.extend(local_ref_pointer(reference).and_then(component_of));
                        }
                        ("example" | "examples" | "x-codeSamples", _) => {}
                        _ => stack.push(inner),
                    }
                }
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_place_belongs_to_the_operations_that_reach_it() {
        let spec = Spec::from_document(
            json!({
                "openapi": "3.1.0",
                "paths": {
                    "/a": { "get": { "operationId": "getA", "responses": { "200": { "$ref": "#/components/responses/A" } } } },
                    "/b": { "get": { "operationId": "getB", "responses": { "200": { "description": "b" } } } }
                },
                "components": {
                    "responses": { "A": { "description": "a", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Outer" } } } } },
                    "schemas": {
                        "Outer": { "properties": { "inner": { "$ref": "#/components/schemas/Inner" } } },
                        "Inner": { "oneOf": [{ "type": "string" }, { "type": "string" }] },
                        "Unused": { "type": "string" }
                    }
                }
            }),
            "test",
        )
        .expect("a 3.1 document");
        let users = Users::of(&spec);
        assert_eq!(
            users.of_pointer("/components/schemas/Inner/oneOf"),
            ["getA"]
        );
        assert_eq!(users.of_pointer("/paths/~1b/get/responses/200"), ["getB"]);
        assert!(users.of_pointer("/components/schemas/Unused").is_empty());
    }
}
