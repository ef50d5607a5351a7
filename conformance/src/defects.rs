//! Defects of the spec itself, found by reading it: schemas that reject
//! bodies the API really sends or that nothing can satisfy. They are reported
//! as spec defects, never as bad responses.

use openapi_doc::pointer::join;
use openapi_doc::spec::Spec;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::validate::{NoValidator, Validators};

/// One defect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, PartialOrd, Ord)]
pub struct Defect {
    /// What kind: `oneof-overlap`, `required-without-property`,
    /// `unsatisfiable`, `example-violates-schema`, `undefined-security-scheme`.
    pub kind: String,
    /// JSON pointer of the schema (or object) at fault.
    pub pointer: String,
    /// What is wrong.
    pub detail: String,
}

/// Every defect the checks below find in `spec`, sorted.
pub fn find(spec: &Spec) -> Vec<Defect> {
    let mut defects = Vec::new();
    walk(spec, &spec.document, "", &mut defects);
    undefined_security_schemes(spec, &mut defects);
    defects.sort();
    defects.dedup();
    defects
}

fn walk(spec: &Spec, value: &Value, pointer: &str, defects: &mut Vec<Defect>) {
    match value {
        Value::Object(object) => {
            if looks_like_schema(object) {
                check_schema(spec, object, pointer, defects);
            }
            for (key, inner) in object {
                if matches!(key.as_str(), "example" | "examples" | "x-codeSamples") {
                    continue;
                }
                walk(spec, inner, &join(pointer, key), defects);
            }
        }
        Value::Array(items) => {
            for (index, inner) in items.iter().enumerate() {
                walk(spec, inner, &format!("{pointer}/{index}"), defects);
            }
        }
        _ => {}
    }
}

fn looks_like_schema(object: &Map<String, Value>) -> bool {
    [
        "type",
        "properties",
        "oneOf",
        "anyOf",
        "allOf",
        "enum",
        "required",
    ]
    .iter()
    .any(|keyword| object.contains_key(*keyword))
        && !object.contains_key("in")
}

/// A defect's kind and detail, before it is placed at a pointer.
type Finding = (&'static str, String);

fn check_schema(
    spec: &Spec,
    schema: &Map<String, Value>,
    pointer: &str,
    defects: &mut Vec<Defect>,
) {
    let mut found = Vec::new();
    required_without_property(schema, &mut found);
    unsatisfiable_values(schema, &mut found);
    oneof_overlaps(spec, schema, &mut found);
    defects.extend(found.into_iter().map(|(kind, detail)| Defect {
        kind: kind.to_string(),
        pointer: pointer.to_string(),
        detail,
    }));
}

/// `required` names that are not properties: unsatisfiable when no other
/// property is allowed.
fn required_without_property(schema: &Map<String, Value>, found: &mut Vec<Finding>) {
    let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
    let (Some(required), Some(properties)) = (
        schema.get("required").and_then(Value::as_array),
        schema.get("properties").and_then(Value::as_object),
    ) else {
        return;
    };
    for name in required.iter().filter_map(Value::as_str) {
        if properties.contains_key(name) {
            continue;
        }
        found.push(if closed {
            (
                "unsatisfiable",
                format!(
                    "`{name}` is required but additionalProperties is false and it is not a property"
                ),
            )
        } else {
            (
                "required-without-property",
                format!("`{name}` is required but not among the properties"),
            )
        });
    }
}

/// An empty `enum`, an `enum` with no value of the schema's `type`, a
/// minimum above its maximum.
fn unsatisfiable_values(schema: &Map<String, Value>, found: &mut Vec<Finding>) {
    let values = schema.get("enum").and_then(Value::as_array);
    if values.is_some_and(Vec::is_empty) {
        found.push(("unsatisfiable", "`enum` is empty".into()));
    }
    if let (Some(kind), Some(values)) = (schema.get("type").and_then(Value::as_str), values)
        && !values.is_empty()
        && values.iter().all(|value| !has_type(value, kind))
    {
        found.push((
            "unsatisfiable",
            format!("no `enum` value is of type {kind}"),
        ));
    }
    for (low, high) in [
        ("minimum", "maximum"),
        ("minLength", "maxLength"),
        ("minItems", "maxItems"),
    ] {
        if let (Some(low_value), Some(high_value)) = (
            schema.get(low).and_then(Value::as_f64),
            schema.get(high).and_then(Value::as_f64),
        ) && low_value > high_value
        {
            found.push((
                "unsatisfiable",
                format!("`{low}` {low_value} exceeds `{high}` {high_value}"),
            ));
        }
    }
}

/// `oneOf` branches one of which accepts every instance of another.
fn oneof_overlaps(spec: &Spec, schema: &Map<String, Value>, found: &mut Vec<Finding>) {
    let Some(branches) = schema.get("oneOf").and_then(Value::as_array) else {
        return;
    };
    for (i, a) in branches.iter().enumerate() {
        for (j, b) in branches.iter().enumerate() {
            if i != j && implies(spec, spec.resolve(b), spec.resolve(a), 0) {
                found.push((
                    "oneof-overlap",
                    format!(
                        "every instance of branch {j} also matches branch {i}, so no instance of branch {j} is valid under oneOf"
                    ),
                ));
            }
        }
    }
}

fn has_type(value: &Value, kind: &str) -> bool {
    match kind {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        "null" => value.is_null(),
        _ => true,
    }
}

/// Whether every instance valid under `narrow` is valid under `wide`, as far
/// as the keywords compared here can tell (a conservative check: `false`
/// when unsure).
fn implies(spec: &Spec, narrow: &Value, wide: &Value, depth: usize) -> bool {
    if depth > 16 {
        return false;
    }
    let (Some(narrow), Some(wide)) = (narrow.as_object(), wide.as_object()) else {
        return false;
    };
    keywords_imply(narrow, wide) && properties_imply(spec, narrow, wide, depth)
}

/// Whether `wide` uses only keywords compared here, and `narrow` is at
/// least as strict on each: same `type` and `format`, every name `wide`
/// requires also required.
fn keywords_imply(narrow: &Map<String, Value>, wide: &Map<String, Value>) -> bool {
    let understood = [
        "type",
        "properties",
        "required",
        "title",
        "description",
        "example",
        "examples",
        "format",
    ];
    if wide
        .keys()
        .any(|k| !understood.contains(&k.as_str()) && k != "additionalProperties")
    {
        return false;
    }
    if wide
        .get("additionalProperties")
        .is_some_and(|v| v != &Value::Bool(true))
    {
        return false;
    }
    let same = |keyword: &str| {
        wide.get(keyword)
            .is_none_or(|w| narrow.get(keyword) == Some(w))
    };
    if !same("type") || !same("format") {
        return false;
    }
    let narrow_required: Vec<&str> = narrow
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    wide.get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .all(|name| narrow_required.contains(&name))
}

/// Whether every property `wide` describes is implied by `narrow`'s
/// property of that name, or cannot occur in `narrow` at all.
fn properties_imply(
    spec: &Spec,
    narrow: &Map<String, Value>,
    wide: &Map<String, Value>,
    depth: usize,
) -> bool {
    let empty = Map::new();
    let narrow_properties = narrow
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let closed = narrow.get("additionalProperties") == Some(&Value::Bool(false));
    wide.get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty)
        .iter()
        .all(|(name, wide_property)| match narrow_properties.get(name) {
            Some(narrow_property) => implies(
                spec,
                spec.resolve(narrow_property),
                spec.resolve(wide_property),
                depth + 1,
            ),
            None => closed,
        })
}

fn undefined_security_schemes(spec: &Spec, defects: &mut Vec<Defect>) {
    let defined = spec
        .document
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object);
    for operation in spec.operations() {
        let Some(requirements) = spec
            .document
            .pointer(&format!("{}/security", operation.pointer))
            .and_then(Value::as_array)
        else {
            continue;
        };
        for name in requirements
            .iter()
            .filter_map(Value::as_object)
            .flat_map(|r| r.keys())
        {
            if !defined.is_some_and(|schemes| schemes.contains_key(name)) {
                defects.push(Defect {
                    kind: "undefined-security-scheme".into(),
                    pointer: format!("{}/security", operation.pointer),
                    detail: format!("{} names security scheme `{name}`, which components.securitySchemes does not define", operation.id),
                });
            }
        }
    }
}

/// Examples in the spec that fail their own schema (with formats on).
/// `validators` must be compiled from `spec`: a body schema without one is
/// an error, not a valid example.
pub fn invalid_examples(spec: &Spec, validators: &Validators) -> Result<Vec<Defect>, NoValidator> {
    let mut defects = Vec::new();
    for operation in spec.operations() {
        let mut pointers: Vec<String> = operation
            .responses
            .values()
            .flat_map(|response| response.media_types.values().cloned())
            .collect();
        if let Some(request) = &operation.request {
            pointers.extend(request.media_types.values().cloned());
        }
        for pointer in pointers {
            let media = pointer.trim_end_matches("/schema");
            let Some(example) = spec.document.pointer(&format!("{media}/example")) else {
                continue;
            };
            for failure in validators.validate(&pointer, example)? {
                defects.push(Defect {
                    kind: "example-violates-schema".into(),
                    pointer: format!("{media}/example{}", failure.instance_pointer),
                    detail: failure.message,
                });
            }
        }
    }
    defects.sort();
    Ok(defects)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec_with(schema: Value) -> Spec {
        let mut spec = Spec::parse("openapi: 3.1.0\npaths: {}\n", "t").unwrap();
        spec.document["components"] = json!({ "schemas": { "S": schema } });
        spec
    }

    fn kinds(schema: Value) -> Vec<String> {
        find(&spec_with(schema))
            .into_iter()
            .map(|d| d.kind)
            .collect()
    }

    #[test]
    fn an_open_branch_implied_by_another_is_a_oneof_overlap() {
        let open = json!({ "type": "object", "required": ["a"], "properties": { "a": { "type": "string" } } });
        let closed_a = json!({ "type": "object", "required": ["a"], "additionalProperties": false, "properties": { "a": { "type": "string" } } });
        let wider = json!({ "type": "object", "required": ["a", "b"], "properties": { "a": { "type": "string" }, "b": { "type": "string" } } });
        assert_eq!(
            kinds(json!({ "oneOf": [open, wider.clone()] })),
            ["oneof-overlap"]
        );
        assert!(kinds(json!({ "oneOf": [closed_a, wider] })).is_empty());
        assert!(
            kinds(json!({ "oneOf": [{ "type": "string" }, { "type": "integer" }] })).is_empty()
        );
    }

    #[test]
    fn required_names_absent_from_properties() {
        assert_eq!(
            kinds(json!({ "type": "object", "required": ["x"], "properties": { "y": {} } })),
            ["required-without-property"]
        );
        assert_eq!(
            kinds(
                json!({ "type": "object", "required": ["x"], "additionalProperties": false, "properties": { "y": {} } })
            ),
            ["unsatisfiable"]
        );
    }

    #[test]
    fn schemas_nothing_satisfies() {
        assert_eq!(kinds(json!({ "enum": [] })), ["unsatisfiable"]);
        assert_eq!(
            kinds(json!({ "type": "string", "enum": [1, 2] })),
            ["unsatisfiable"]
        );
        assert_eq!(
            kinds(json!({ "type": "string", "minLength": 5, "maxLength": 2 })),
            ["unsatisfiable"]
        );
        assert!(kinds(json!({ "type": "string", "enum": ["a"] })).is_empty());
    }
}
