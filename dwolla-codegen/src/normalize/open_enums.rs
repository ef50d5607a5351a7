//! Response enums stay open.
//!
//! Dwolla's spec lists enum values as closed sets, but the API starts sending
//! a new value (a new exchange partner, say) before the spec lists it. A
//! generated Rust enum would then fail to decode the whole response. So every
//! string enum that only ever appears in responses is rewritten to
//!
//! ```yaml
//! oneOf:
//!   - title: Known
//!     allOf: [{ $ref: '#/components/schemas/<Name>Known' }]
//!   - title: Unknown
//!     type: string
//! ```
//!
//! with the listed values hoisted into the `<Name>Known` component. progenitor
//! turns that into `enum <Name> { Known(<Name>Known), Unknown(String) }`: the
//! listed values stay typed and an unlisted one keeps its raw text. Request
//! enums (and schemas shared by requests and responses) stay strict, and
//! `const` values, which discriminate `oneOf` branches, are left alone.

use std::collections::{BTreeSet, HashSet};

use openapi_doc::pointer;
use openapi_doc::spec::METHODS;
use serde_json::{Map, Value, json};

use super::walk::{ensure_object, operations_mut, response_schemas_mut};

/// Names of the component schemas reachable from request parts (parameters,
/// request bodies) and from responses, following `$ref`s transitively.
#[derive(Debug, Default)]
pub(super) struct Reachability {
    /// Component schemas a request can contain.
    pub request: BTreeSet<String>,
    /// Component schemas a response can contain.
    pub response: BTreeSet<String>,
}

impl Reachability {
    /// Computes both sets for every operation of `doc`.
    pub(super) fn of(doc: &Value) -> Self {
        let mut reach = Self::default();
        let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
            return reach;
        };
        for item in paths.values() {
            let mut request_roots = vec![item.get("parameters")];
            let mut response_roots = Vec::new();
            if let Some(item) = item.as_object() {
                for (method, operation) in item {
                    if !METHODS.contains(&method.as_str()) {
                        continue;
                    }
                    request_roots.push(operation.get("parameters"));
                    request_roots.push(operation.get("requestBody"));
                    response_roots.push(operation.get("responses"));
                }
            }
            for root in request_roots.into_iter().flatten() {
                collect_schema_refs(doc, root, &mut HashSet::new(), &mut reach.request);
            }
            for root in response_roots.into_iter().flatten() {
                collect_schema_refs(doc, root, &mut HashSet::new(), &mut reach.response);
            }
        }
        reach
    }

    /// Component schemas that appear in responses and never in requests.
    pub(super) fn response_only(&self) -> BTreeSet<String> {
        self.response.difference(&self.request).cloned().collect()
    }
}

/// Adds to `found` every component schema named by a `$ref` under `value`,
/// following local references of any kind.
fn collect_schema_refs(
    doc: &Value,
    value: &Value,
    visited: &mut HashSet<String>,
    found: &mut BTreeSet<String>,
) {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get("$ref")
                && let Some(target) = pointer::local_ref_pointer(reference)
                && visited.insert(target.to_string())
            {
                if let Some(name) = target.strip_prefix("/components/schemas/") {
                    found.insert(pointer::unescape(name));
                }
                if let Some(resolved) = doc.pointer(target) {
                    collect_schema_refs(doc, resolved, visited, found);
                }
            }
            for child in object.values() {
                collect_schema_refs(doc, child, visited, found);
            }
        }
        Value::Array(items) => {
            for child in items {
                collect_schema_refs(doc, child, visited, found);
            }
        }
        _ => {}
    }
}

/// Rewrites every open-able enum under `schema` (a response schema whose type
/// names start with `stem`), adding the hoisted `<Name>Known` schemas to
/// `new_components`. `taken` holds every component name in use.
pub(super) fn open_enums(
    schema: &mut Value,
    stem: &str,
    taken: &mut BTreeSet<String>,
    new_components: &mut Map<String, Value>,
) {
    let Value::Object(object) = schema else {
        return;
    };
    if let Some(known) = known_values(object) {
        let name = unique_name(&format!("{stem}Known"), taken);
        let mut hoisted = json!({ "type": "string", "enum": known });
        if let Some(title) = object.get("title") {
            hoisted["title"] = title.clone();
        }
        new_components.insert(name.clone(), hoisted);
        let nullable = object.get("nullable") == Some(&Value::Bool(true))
            || object
                .get("type")
                .and_then(Value::as_array)
                .is_some_and(|types| types.iter().any(|t| t == "null"))
            || object
                .get("enum")
                .and_then(Value::as_array)
                .is_some_and(|values| values.iter().any(Value::is_null));
        for keyword in ["type", "enum", "title", "format"] {
            object.remove(keyword);
        }
        if nullable {
            object.insert("nullable".into(), Value::Bool(true));
        }
        object.insert(
            "oneOf".into(),
            json!([
                { "title": "Known", "allOf": [{ "$ref": format!("#/components/schemas/{name}") }] },
                { "title": "Unknown", "type": "string" }
            ]),
        );
        return;
    }
    for (child, child_stem) in named_children(object, stem) {
        open_enums(child, &child_stem, taken, new_components);
    }
}

/// The listed values of a string enum that may be opened: every value is a
/// string (or null), and the enum is not a `const`.
fn known_values(object: &Map<String, Value>) -> Option<Vec<Value>> {
    let values = object.get("enum")?.as_array()?;
    let type_is_string = match object.get("type") {
        None => true,
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(types)) => types.iter().all(|t| t == "string" || t == "null"),
        Some(_) => false,
    };
    let strings: Vec<Value> = values.iter().filter(|v| v.is_string()).cloned().collect();
    let only_strings = values.iter().all(|v| v.is_string() || v.is_null());
    (type_is_string && only_strings && !strings.is_empty()).then_some(strings)
}

fn named_children<'a>(
    object: &'a mut Map<String, Value>,
    stem: &str,
) -> Vec<(&'a mut Value, String)> {
    let mut found = Vec::new();
    for (keyword, value) in object.iter_mut() {
        match (keyword.as_str(), value) {
            ("properties", Value::Object(properties)) => {
                for (name, property) in properties.iter_mut() {
                    found.push((property, format!("{stem}{}", pascal_case(name))));
                }
            }
            ("allOf" | "oneOf" | "anyOf", Value::Array(branches)) => {
                for (index, branch) in branches.iter_mut().enumerate() {
                    found.push((branch, format!("{stem}Variant{index}")));
                }
            }
            ("items", value) => found.push((value, format!("{stem}Item"))),
            ("additionalProperties", value) if value.is_object() => {
                found.push((value, format!("{stem}Value")));
            }
            _ => {}
        }
    }
    found
}

/// `exchange-partner` → `ExchangePartner`, `_links` → `Links`.
pub fn pascal_case(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn unique_name(wanted: &str, taken: &mut BTreeSet<String>) -> String {
    let mut name = wanted.to_string();
    let mut counter = 2;
    while taken.contains(&name) {
        name = format!("{wanted}{counter}");
        counter += 1;
    }
    taken.insert(name.clone());
    name
}

/// Rule: the enums of response schemas are opened (those of component
/// schemas only responses reach, and of each operation's response
/// schemas), hoisted types named after their schema or operation.
pub(super) fn open_response_enums(
    doc: &mut Value,
    reach: &Reachability,
    mut taken: BTreeSet<String>,
) {
    let mut hoisted = Map::new();
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        for name in reach.response_only() {
            if let Some(schema) = schemas.get_mut(&name) {
                open_enums(schema, &name, &mut taken, &mut hoisted);
            }
        }
    }
    for (operation_id, responses) in operations_mut(doc).filter_map(|(_, _, op)| {
        let id = op.get("operationId")?.as_str()?.to_string();
        Some((id, op.get_mut("responses")?))
    }) {
        let Some(responses) = responses.as_object_mut() else {
            continue;
        };
        for response in responses.values_mut() {
            let stem = format!("{}Response", pascal_case(&operation_id));
            for schema in response_schemas_mut(response) {
                open_enums(schema, &stem, &mut taken, &mut hoisted);
            }
        }
    }
    if hoisted.is_empty() {
        return;
    }
    let schemas = ensure_object(doc, &["components", "schemas"]);
    schemas.extend(hoisted);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opened(schema: Value, taken: &[&str]) -> (Value, Map<String, Value>) {
        let mut schema = schema;
        let mut taken = taken.iter().map(std::string::ToString::to_string).collect();
        let mut new = Map::new();
        open_enums(&mut schema, "Partner", &mut taken, &mut new);
        (schema, new)
    }

    #[test]
    fn string_enum_property_becomes_known_or_unknown() {
        let (schema, new) = opened(
            json!({ "type": "object", "properties": { "name": {
                "type": "string", "enum": ["MX", "Plaid"], "example": "MX"
            } } }),
            &[],
        );
        assert_eq!(
            schema,
            json!({ "type": "object", "properties": { "name": {
                "example": "MX",
                "oneOf": [
                    { "title": "Known", "allOf": [{ "$ref": "#/components/schemas/PartnerNameKnown" }] },
                    { "title": "Unknown", "type": "string" }
                ]
            } } })
        );
        assert_eq!(
            Value::Object(new),
            json!({ "PartnerNameKnown": { "type": "string", "enum": ["MX", "Plaid"] } })
        );
    }

    #[test]
    fn nullable_enum_stays_nullable() {
        let (schema, new) = opened(
            json!({ "type": ["string", "null"], "enum": ["a", null] }),
            &[],
        );
        assert_eq!(schema["nullable"], json!(true));
        assert_eq!(new["PartnerKnown"]["enum"], json!(["a"]));
    }

    #[test]
    fn hoisted_names_never_collide() {
        let (_, new) = opened(json!({ "enum": ["a"] }), &["PartnerKnown"]);
        assert!(new.contains_key("PartnerKnown2"));
    }

    #[test]
    fn const_and_non_string_enums_stay_closed() {
        let constant = json!({ "type": "string", "const": "personal" });
        assert_eq!(opened(constant.clone(), &[]).0, constant);
        let numbers = json!({ "type": "integer", "enum": [1, 2] });
        assert_eq!(opened(numbers.clone(), &[]).0, numbers);
    }

    #[test]
    fn nested_enums_are_named_by_their_path() {
        let (_, new) = opened(
            json!({ "properties": { "_links": { "additionalProperties": {
                "properties": { "resource-type": { "enum": ["x"] } }
            } }, "tags": { "items": { "enum": ["y"] } } } }),
            &[],
        );
        let names: Vec<_> = new.keys().cloned().collect();
        assert_eq!(
            names,
            ["PartnerLinksValueResourceTypeKnown", "PartnerTagsItemKnown"]
        );
    }

    #[test]
    fn reachability_separates_request_and_response_schemas() {
        let doc = json!({
            "paths": { "/a": { "post": {
                "requestBody": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/In" } } } },
                "responses": { "200": { "$ref": "#/components/responses/Out" } }
            } } },
            "components": {
                "responses": { "Out": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Out" } } } } },
                "schemas": {
                    "In": { "properties": { "shared": { "$ref": "#/components/schemas/Shared" } } },
                    "Out": { "properties": { "shared": { "$ref": "#/components/schemas/Shared" }, "self": { "$ref": "#/components/schemas/Out" } } },
                    "Shared": { "enum": ["x"] }
                }
            }
        });
        let reach = Reachability::of(&doc);
        assert_eq!(reach.request, ["In", "Shared"].map(String::from).into());
        assert_eq!(reach.response_only(), ["Out"].map(String::from).into());
    }

    #[test]
    fn pascal_case_handles_punctuation() {
        assert_eq!(pascal_case("exchange-partner"), "ExchangePartner");
        assert_eq!(pascal_case("_links"), "Links");
        assert_eq!(
            pascal_case("externalProviderSessionData"),
            "ExternalProviderSessionData"
        );
    }
}
