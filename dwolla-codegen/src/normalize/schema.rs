//! Rules that rewrite one OpenAPI 3.1 schema (JSON Schema 2020-12) into the
//! OpenAPI 3.0 dialect that `openapiv3` parses and progenitor understands.
//!
//! Each rule is a function of one schema object; [`normalize_schema`] applies
//! them all, depth first. Rules that lose a constraint leave a [`Note`].

use openapi_doc::pointer;
use serde_json::{Map, Value, json};

use crate::report::Note;

/// Keywords that only annotate: dropping them changes no validation outcome.
const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$id",
    "$anchor",
    "$comment",
    "$dynamicAnchor",
    "contentMediaType",
    "contentEncoding",
    "contentSchema",
];

/// Validation keywords of JSON Schema 2020-12 that OpenAPI 3.0 lacks. The
/// generated types cannot enforce them; the conformance suite, which validates
/// against the untouched 3.1 spec, still does.
const UNSUPPORTED_CONSTRAINTS: &[&str] = &[
    "prefixItems",
    "contains",
    "minContains",
    "maxContains",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "unevaluatedProperties",
    "unevaluatedItems",
    "patternProperties",
    "propertyNames",
    "$dynamicRef",
];

/// Sibling keywords of a `$ref` that only describe it.
const REF_ANNOTATIONS: &[&str] = &[
    "description",
    "summary",
    "title",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "externalDocs",
];

/// Rewrites `schema` (found at `at`) and everything below it in place.
pub fn normalize_schema(schema: &mut Value, at: &str, notes: &mut Vec<Note>) {
    boolean_schema(schema);
    let Value::Object(object) = schema else {
        return;
    };
    ref_siblings(object);
    drop_keywords(object, at, notes);
    const_to_enum(object);
    examples_to_example(object);
    numeric_exclusive_bounds(object);
    type_array(object, at, notes);
    null_in_enum(object);
    null_branch(object);
    tuple_items(object, at, notes);
    for (child, child_at) in children(object, at) {
        normalize_schema(child, &child_at, notes);
    }
}

/// The subschemas of a schema object, with their pointers.
pub(super) fn children<'a>(
    object: &'a mut Map<String, Value>,
    at: &str,
) -> Vec<(&'a mut Value, String)> {
    let mut found = Vec::new();
    for (keyword, value) in object.iter_mut() {
        let base = pointer::join(at, keyword);
        match (keyword.as_str(), value) {
            ("properties", Value::Object(properties)) => {
                for (name, property) in properties.iter_mut() {
                    found.push((property, pointer::join(&base, name)));
                }
            }
            ("allOf" | "oneOf" | "anyOf", Value::Array(branches)) => {
                for (index, branch) in branches.iter_mut().enumerate() {
                    found.push((branch, pointer::join(&base, &index.to_string())));
                }
            }
            ("items" | "not", value) => found.push((value, base)),
            ("additionalProperties", value) if value.is_object() => found.push((value, base)),
            _ => {}
        }
    }
    found
}

/// `true` accepts everything and `false` nothing; OpenAPI 3.0 has neither.
pub(super) fn boolean_schema(schema: &mut Value) {
    match schema {
        Value::Bool(true) => *schema = json!({}),
        Value::Bool(false) => *schema = json!({ "not": {} }),
        _ => {}
    }
}

/// In 3.1 a `$ref` may have siblings; in 3.0 they are ignored. Descriptive
/// siblings are dropped; any other sibling keeps its meaning by wrapping the
/// reference in an `allOf`.
pub(super) fn ref_siblings(object: &mut Map<String, Value>) {
    if !object.contains_key("$ref") || object.len() == 1 {
        return;
    }
    object.retain(|key, _| key == "$ref" || !REF_ANNOTATIONS.contains(&key.as_str()));
    if object.len() > 1 {
        let reference = object.remove("$ref").unwrap_or(Value::Null);
        object.insert("allOf".into(), json!([{ "$ref": reference }]));
    }
}

/// Drops annotation keywords silently and unsupported constraints with a note.
pub(super) fn drop_keywords(object: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    object.retain(|key, _| !ANNOTATIONS.contains(&key.as_str()));
    for keyword in UNSUPPORTED_CONSTRAINTS {
        if object.remove(*keyword).is_some() {
            notes.push(Note {
                pointer: pointer::join(at, keyword),
                message: format!(
                    "`{keyword}` has no OpenAPI 3.0 form; the generated type does not enforce it"
                ),
            });
        }
    }
}

/// `const: v` is `enum: [v]`.
pub(super) fn const_to_enum(object: &mut Map<String, Value>) {
    if let Some(value) = object.remove("const") {
        object.insert("enum".into(), Value::Array(vec![value]));
    }
}

/// 3.1 schemas carry `examples` (an array); 3.0 a single `example`.
pub(super) fn examples_to_example(object: &mut Map<String, Value>) {
    if let Some(Value::Array(mut examples)) = object.remove("examples")
        && !object.contains_key("example")
        && !examples.is_empty()
    {
        object.insert("example".into(), examples.swap_remove(0));
    }
}

/// 3.1 `exclusiveMinimum: n` is 3.0 `minimum: n, exclusiveMinimum: true`
/// (likewise for the maximum). When both forms bound the value, the tighter
/// bound wins.
pub(super) fn numeric_exclusive_bounds(object: &mut Map<String, Value>) {
    for (exclusive, inclusive, tighter) in [
        ("exclusiveMinimum", "minimum", std::cmp::Ordering::Greater),
        ("exclusiveMaximum", "maximum", std::cmp::Ordering::Less),
    ] {
        let Some(bound) = object.get(exclusive).and_then(Value::as_f64) else {
            continue;
        };
        let exclusive_value = object.remove(exclusive).unwrap_or(Value::Null);
        let keep_inclusive = object
            .get(inclusive)
            .and_then(Value::as_f64)
            .is_some_and(|current| current.partial_cmp(&bound) == Some(tighter));
        if !keep_inclusive {
            object.insert(inclusive.into(), exclusive_value);
            object.insert(exclusive.into(), Value::Bool(true));
        }
    }
}

/// `type: [T, "null"]` is `type: T, nullable: true`. A list of several
/// non-null types has no 3.0 form: the type is dropped (any JSON value) and
/// noted.
pub(super) fn type_array(object: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let Some(Value::Array(types)) = object.get("type") else {
        return;
    };
    let nullable = types.iter().any(|t| t == "null");
    let others: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
    match others.as_slice() {
        [] => {
            object.remove("type");
        }
        [single] => {
            object.insert("type".into(), single.clone());
        }
        _ => {
            object.remove("type");
            notes.push(Note {
                pointer: pointer::join(at, "type"),
                message: format!(
                    "a value of several types ({}) becomes any JSON value",
                    others
                        .iter()
                        .map(|t| t.as_str().unwrap_or("?"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
    }
    if nullable {
        object.insert("nullable".into(), Value::Bool(true));
    }
}

/// `enum: [.., null]` is a nullable enum of the other values.
pub(super) fn null_in_enum(object: &mut Map<String, Value>) {
    let Some(Value::Array(values)) = object.get_mut("enum") else {
        return;
    };
    let before = values.len();
    values.retain(|v| !v.is_null());
    if values.len() != before {
        object.insert("nullable".into(), Value::Bool(true));
        if object
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(Vec::is_empty)
        {
            object.remove("enum");
        }
    }
}

/// A `oneOf`/`anyOf` branch that only admits `null` becomes `nullable: true`
/// on the parent; a single remaining branch becomes an `allOf`, which is how
/// 3.0 makes a reference nullable.
pub(super) fn null_branch(object: &mut Map<String, Value>) {
    for keyword in ["oneOf", "anyOf"] {
        let Some(Value::Array(branches)) = object.get_mut(keyword) else {
            continue;
        };
        let before = branches.len();
        branches.retain(|branch| !admits_only_null(branch));
        if branches.len() == before {
            continue;
        }
        object.insert("nullable".into(), Value::Bool(true));
        let remaining = match object.remove(keyword) {
            Some(Value::Array(remaining)) => remaining,
            _ => Vec::new(),
        };
        match remaining.len() {
            0 => {}
            1 => {
                object.insert("allOf".into(), Value::Array(remaining));
            }
            _ => {
                object.insert(keyword.into(), Value::Array(remaining));
            }
        }
    }
}

/// Whether a schema admits `null` and nothing else.
pub(super) fn admits_only_null(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(types)) => !types.is_empty() && types.iter().all(|t| t == "null"),
        _ => {
            schema.get("const") == Some(&Value::Null) || schema.get("enum") == Some(&json!([null]))
        }
    }
}

/// Draft-04 tuple `items: [..]` has no 3.0 form: items become any value.
pub(super) fn tuple_items(object: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    if object.get("items").is_some_and(Value::is_array) {
        object.insert("items".into(), json!({}));
        notes.push(Note {
            pointer: pointer::join(at, "items"),
            message: "tuple `items` has no OpenAPI 3.0 form; items become any JSON value".into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized(input: Value) -> (Value, Vec<Note>) {
        let mut schema = input;
        let mut notes = Vec::new();
        normalize_schema(&mut schema, "/s", &mut notes);
        (schema, notes)
    }

    #[test]
    fn boolean_schemas_become_objects() {
        assert_eq!(normalized(json!(true)).0, json!({}));
        assert_eq!(normalized(json!(false)).0, json!({ "not": {} }));
    }

    #[test]
    fn nullable_type_array_becomes_nullable() {
        let (out, notes) = normalized(json!({ "type": ["string", "null"], "format": "date-time" }));
        assert_eq!(
            out,
            json!({ "type": "string", "nullable": true, "format": "date-time" })
        );
        assert!(notes.is_empty());
    }

    #[test]
    fn single_type_array_becomes_a_string() {
        assert_eq!(
            normalized(json!({ "type": ["object"] })).0,
            json!({ "type": "object" })
        );
    }

    #[test]
    fn several_types_become_any_value_with_a_note() {
        let (out, notes) = normalized(json!({ "type": ["string", "integer"] }));
        assert_eq!(out, json!({}));
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].pointer, "/s/type");
        assert!(notes[0].message.contains("string, integer"));
    }

    #[test]
    fn const_becomes_a_one_value_enum() {
        assert_eq!(
            normalized(json!({ "type": "string", "const": "personal" })).0,
            json!({ "type": "string", "enum": ["personal"] })
        );
    }

    #[test]
    fn numeric_exclusive_minimum_becomes_boolean_form() {
        assert_eq!(
            normalized(json!({ "type": "number", "exclusiveMinimum": 0 })).0,
            json!({ "type": "number", "minimum": 0, "exclusiveMinimum": true })
        );
        assert_eq!(
            normalized(json!({ "type": "integer", "exclusiveMaximum": 10 })).0,
            json!({ "type": "integer", "maximum": 10, "exclusiveMaximum": true })
        );
    }

    #[test]
    fn tighter_inclusive_bound_is_kept() {
        assert_eq!(
            normalized(json!({ "type": "number", "minimum": 5, "exclusiveMinimum": 0 })).0,
            json!({ "type": "number", "minimum": 5 })
        );
        assert_eq!(
            normalized(json!({ "type": "number", "minimum": 0, "exclusiveMinimum": 5 })).0,
            json!({ "type": "number", "minimum": 5, "exclusiveMinimum": true })
        );
    }

    #[test]
    fn examples_array_becomes_example() {
        assert_eq!(
            normalized(json!({ "type": "string", "examples": ["a", "b"] })).0,
            json!({ "type": "string", "example": "a" })
        );
        assert_eq!(
            normalized(json!({ "example": "x", "examples": ["a"] })).0,
            json!({ "example": "x" })
        );
    }

    #[test]
    fn null_branch_of_one_of_becomes_nullable_all_of() {
        let (out, _) = normalized(json!({
            "oneOf": [{ "$ref": "#/components/schemas/A" }, { "type": "null" }]
        }));
        assert_eq!(
            out,
            json!({ "nullable": true, "allOf": [{ "$ref": "#/components/schemas/A" }] })
        );
    }

    #[test]
    fn null_branch_among_several_keeps_the_others() {
        let (out, _) = normalized(json!({
            "anyOf": [{ "type": "string" }, { "type": "integer" }, { "type": ["null"] }]
        }));
        assert_eq!(
            out,
            json!({ "nullable": true, "anyOf": [{ "type": "string" }, { "type": "integer" }] })
        );
    }

    #[test]
    fn nullable_object_branch_inside_one_of() {
        let (out, _) = normalized(json!({
            "oneOf": [{ "type": ["object", "null"], "title": "A" }, { "$ref": "#/B" }]
        }));
        assert_eq!(
            out,
            json!({ "oneOf": [{ "type": "object", "nullable": true, "title": "A" }, { "$ref": "#/B" }] })
        );
    }

    #[test]
    fn null_in_enum_becomes_nullable() {
        assert_eq!(
            normalized(json!({ "type": "string", "enum": ["a", null] })).0,
            json!({ "type": "string", "enum": ["a"], "nullable": true })
        );
    }

    #[test]
    fn descriptive_ref_siblings_are_dropped() {
        assert_eq!(
            normalized(json!({ "$ref": "#/A", "description": "d", "example": 1 })).0,
            json!({ "$ref": "#/A" })
        );
    }

    #[test]
    fn constraining_ref_siblings_wrap_the_ref_in_all_of() {
        assert_eq!(
            normalized(json!({ "$ref": "#/A", "nullable": true, "description": "d" })).0,
            json!({ "allOf": [{ "$ref": "#/A" }], "nullable": true })
        );
    }

    #[test]
    fn annotations_are_dropped_silently_constraints_with_a_note() {
        let (out, notes) = normalized(json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "propertyNames": { "pattern": "^[a-z]+$" },
            "contentMediaType": "text/plain"
        }));
        assert_eq!(out, json!({ "type": "object" }));
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].pointer, "/s/propertyNames");
    }

    #[test]
    fn tuple_items_become_any_value_with_a_note() {
        let (out, notes) = normalized(json!({ "type": "array", "items": [{ "type": "string" }] }));
        assert_eq!(out, json!({ "type": "array", "items": {} }));
        assert_eq!(notes[0].pointer, "/s/items");
    }

    #[test]
    fn rules_reach_every_subschema() {
        let (out, _) = normalized(json!({
            "type": "object",
            "properties": {
                "a": { "type": ["string", "null"] },
                "b": { "type": "array", "items": { "const": 1 } },
                "c": { "additionalProperties": { "exclusiveMinimum": 1 } },
                "d": { "allOf": [{ "examples": [3] }] },
                "e": { "not": true }
            }
        }));
        assert_eq!(
            out,
            json!({
                "type": "object",
                "properties": {
                    "a": { "type": "string", "nullable": true },
                    "b": { "type": "array", "items": { "enum": [1] } },
                    "c": { "additionalProperties": { "minimum": 1, "exclusiveMinimum": true } },
                    "d": { "allOf": [{ "example": 3 }] },
                    "e": { "not": {} }
                }
            })
        );
    }
}
