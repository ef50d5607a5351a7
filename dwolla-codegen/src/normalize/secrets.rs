//! Secret properties become one named type.
//!
//! Generated types derive `Debug`, which would print an access token or a
//! payment session secret into any log. Properties the options name as
//! secret (by property name, wherever they occur) are replaced by a `$ref` to
//! one injected string schema, which the build replaces with a hand-written
//! type whose `Debug` redacts the value.
//!
//! A property is replaced when its schema admits strings and nothing else
//! (null aside), whatever the form: `type: string`, `type: [string, "null"]`,
//! `anyOf`/`oneOf` of string and null branches, an `allOf` with a string
//! branch, or a `$ref` to any of these. One that also admits null stays
//! nullable. A string `enum` or `const` is a closed set of values, not a
//! secret, and is left alone.

use std::collections::BTreeSet;

use openapi_doc::resolve::resolve;
use serde_json::{Map, Value, json};

use super::schema::{admits_only_null, children};

/// How many `$ref`s and subschemas deep the string test looks (a recursive
/// schema stops there, as not a string).
const MAX_DEPTH: usize = 16;

/// The injected schema every secret property refers to.
pub(super) fn secret_schema() -> Value {
    json!({
        "type": "string",
        "description": "A credential or session secret; never printed."
    })
}

/// Replaces, under `schema`, every property whose name is in `names` and
/// whose schema is a string (`$ref`s resolved in `document`) by a reference
/// to `target` (nullable when the property admits null). Returns how many
/// were replaced.
pub(super) fn mark_secrets(
    schema: &mut Value,
    names: &BTreeSet<String>,
    target: &str,
    document: &Value,
) -> usize {
    let Value::Object(object) = schema else {
        return 0;
    };
    let mut replaced = 0;
    if let Some(Value::Object(properties)) = object.get_mut("properties") {
        for (name, property) in properties.iter_mut() {
            if !names.contains(name) {
                continue;
            }
            match string_shape(document, property, 0) {
                Some(Nullable(false)) => *property = json!({ "$ref": target }),
                Some(Nullable(true)) => {
                    *property = json!({ "anyOf": [{ "$ref": target }, { "type": "null" }] });
                }
                None => continue,
            }
            replaced += 1;
        }
    }
    for (child, _) in children(object, "") {
        replaced += mark_secrets(child, names, target, document);
    }
    replaced
}

/// Whether a string schema also admits null.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Nullable(bool);

/// `Some` when `schema` admits strings and nothing else but perhaps null.
///
/// Each constraint on the type (its own `type`, its `anyOf`, its `oneOf`,
/// each `allOf` branch that has one) must allow strings only; null is
/// admitted when every one of them admits it.
fn string_shape(document: &Value, schema: &Value, depth: usize) -> Option<Nullable> {
    if depth > MAX_DEPTH {
        return None;
    }
    let object = resolve(document, schema).as_object()?;
    if object.contains_key("enum") || object.contains_key("const") {
        return None;
    }
    let mut parts = Vec::new();
    match own_type(object) {
        OwnType::Untyped => {}
        OwnType::Strings(own) => parts.push(own),
        OwnType::NotOnlyStrings => return None,
    }
    for keyword in ["anyOf", "oneOf"] {
        if let Some(branches) = object.get(keyword) {
            parts.push(alternatives(document, branches.as_array()?, depth)?);
        }
    }
    if let Some(branches) = object.get("allOf") {
        for branch in branches.as_array()? {
            match string_shape(document, branch, depth + 1) {
                Some(shape) => parts.push(shape),
                None if constrains_no_type(resolve(document, branch)) => {}
                None => return None,
            }
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(Nullable(parts.iter().all(|Nullable(null)| *null)))
}

/// What a schema's own `type` says.
enum OwnType {
    /// It has none.
    Untyped,
    /// Strings, and null when nullable.
    Strings(Nullable),
    /// More than strings and null.
    NotOnlyStrings,
}

fn own_type(object: &Map<String, Value>) -> OwnType {
    let flagged = object.get("nullable") == Some(&Value::Bool(true));
    match object.get("type") {
        None => OwnType::Untyped,
        Some(Value::String(kind)) if kind == "string" => OwnType::Strings(Nullable(flagged)),
        Some(Value::Array(kinds)) => {
            let others: Vec<&Value> = kinds.iter().filter(|kind| *kind != "null").collect();
            if others == [&json!("string")] {
                OwnType::Strings(Nullable(flagged || others.len() < kinds.len()))
            } else {
                OwnType::NotOnlyStrings
            }
        }
        Some(_) => OwnType::NotOnlyStrings,
    }
}

/// The shape of an `anyOf`/`oneOf`: strings when every branch is a string
/// or only null, and at least one is a string.
fn alternatives(document: &Value, branches: &[Value], depth: usize) -> Option<Nullable> {
    let mut nullable = false;
    let mut strings = false;
    for branch in branches {
        if admits_only_null(resolve(document, branch)) {
            nullable = true;
            continue;
        }
        let Nullable(null) = string_shape(document, branch, depth + 1)?;
        nullable |= null;
        strings = true;
    }
    strings.then_some(Nullable(nullable))
}

/// Whether a schema only adds constraints (`minLength`, `pattern`, ...)
/// without saying which types it admits.
fn constrains_no_type(schema: &Value) -> bool {
    schema.as_object().is_some_and(|object| {
        [
            "type", "anyOf", "oneOf", "allOf", "$ref", "enum", "const", "not",
        ]
        .iter()
        .all(|keyword| !object.contains_key(*keyword))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_string_properties_anywhere_become_references() {
        let names = ["access_token", "secret"].map(String::from).into();
        let mut schema = json!({ "type": "object", "properties": {
            "access_token": { "type": "string", "example": "x" },
            "expires_in": { "type": "integer" },
            "data": { "properties": { "secret": { "type": "string" }, "id": { "type": "string" } } },
            "list": { "items": { "properties": { "secret": { "type": "string" } } } }
        } });
        assert_eq!(
            mark_secrets(&mut schema, &names, "#/components/schemas/S", &Value::Null),
            3
        );
        let reference = json!({ "$ref": "#/components/schemas/S" });
        assert_eq!(schema["properties"]["access_token"], reference);
        assert_eq!(
            schema["properties"]["data"]["properties"]["secret"],
            reference
        );
        assert_eq!(
            schema["properties"]["data"]["properties"]["id"],
            json!({ "type": "string" })
        );
        assert_eq!(
            schema["properties"]["list"]["items"]["properties"]["secret"],
            reference
        );
    }

    #[test]
    fn every_schema_that_is_a_string_becomes_a_reference() {
        let names = ["token"].map(String::from).into();
        for (form, nullable) in [
            (json!({ "type": ["string", "null"] }), true),
            (json!({ "type": ["null", "string"], "minLength": 1 }), true),
            (json!({ "anyOf": [{ "type": "string" }] }), false),
            (
                json!({ "oneOf": [{ "type": "string" }, { "type": "null" }] }),
                true,
            ),
            (
                json!({ "allOf": [{ "type": "string" }, { "minLength": 8 }] }),
                false,
            ),
        ] {
            let mut schema = json!({ "properties": { "token": form.clone() } });
            assert_eq!(
                mark_secrets(&mut schema, &names, "#/S", &Value::Null),
                1,
                "{form} is a string"
            );
            let expected = if nullable {
                json!({ "anyOf": [{ "$ref": "#/S" }, { "type": "null" }] })
            } else {
                json!({ "$ref": "#/S" })
            };
            assert_eq!(schema["properties"]["token"], expected, "{form}");
        }
    }

    #[test]
    fn a_reference_to_a_string_schema_is_a_string() {
        let names = ["token"].map(String::from).into();
        let document = json!({ "components": { "schemas": {
            "Token": { "$ref": "#/components/schemas/Opaque" },
            "Opaque": { "type": ["string", "null"] },
            "Loop": { "$ref": "#/components/schemas/Loop" }
        } } });
        let mut schema =
            json!({ "properties": { "token": { "$ref": "#/components/schemas/Token" } } });
        assert_eq!(mark_secrets(&mut schema, &names, "#/S", &document), 1);
        assert_eq!(
            schema["properties"]["token"],
            json!({ "anyOf": [{ "$ref": "#/S" }, { "type": "null" }] })
        );
        let mut schema =
            json!({ "properties": { "token": { "$ref": "#/components/schemas/Loop" } } });
        assert_eq!(mark_secrets(&mut schema, &names, "#/S", &document), 0);
    }

    #[test]
    fn schemas_admitting_more_than_strings_are_left_alone() {
        let names = ["token"].map(String::from).into();
        for form in [
            json!({}),
            json!({ "type": ["string", "integer"] }),
            json!({ "anyOf": [{ "type": "string" }, { "type": "integer" }] }),
            json!({ "oneOf": [{ "type": "null" }] }),
            json!({ "allOf": [{ "type": "string" }, { "type": "object" }] }),
            json!({ "anyOf": [{ "type": "string", "enum": ["a"] }] }),
        ] {
            let mut schema = json!({ "properties": { "token": form.clone() } });
            assert_eq!(
                mark_secrets(&mut schema, &names, "#/S", &Value::Null),
                0,
                "{form}"
            );
        }
    }

    #[test]
    fn non_string_and_enum_properties_are_left_alone() {
        let names = ["token"].map(String::from).into();
        let mut schema = json!({ "properties": {
            "token": { "type": "object" }
        } });
        assert_eq!(mark_secrets(&mut schema, &names, "#/S", &Value::Null), 0);
        let mut schema = json!({ "properties": { "token": { "type": "string", "enum": ["a"] } } });
        assert_eq!(mark_secrets(&mut schema, &names, "#/S", &Value::Null), 0);
    }
}
