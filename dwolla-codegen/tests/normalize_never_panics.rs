//! Property test of the spec normalizer: arbitrary schemas, wherever a spec
//! can hold one, either convert or return an error; they never panic.

use std::path::Path;

use dwolla_codegen::NormalizeOptions;
use dwolla_codegen::normalize::normalize;
use proptest::prelude::*;
use serde_json::{Value, json};

/// Values built from the words schemas are made of, nested.
fn schema() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-3i64..1000).prop_map(Value::from),
        (-10.0f64..10.0).prop_map(Value::from),
        prop_oneof![
            Just("string"),
            Just("object"),
            Just("array"),
            Just("integer"),
            Just("number"),
            Just("null"),
            Just("boolean"),
            Just("uri"),
            Just("date-time"),
            Just("#/components/schemas/A"),
            Just("#/components/schemas/Missing"),
            Just("#/paths"),
            Just("Known"),
            Just("x"),
        ]
        .prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("type"),
                    Just("properties"),
                    Just("required"),
                    Just("items"),
                    Just("oneOf"),
                    Just("anyOf"),
                    Just("allOf"),
                    Just("enum"),
                    Just("const"),
                    Just("$ref"),
                    Just("nullable"),
                    Just("format"),
                    Just("additionalProperties"),
                    Just("exclusiveMinimum"),
                    Just("exclusiveMaximum"),
                    Just("minimum"),
                    Just("examples"),
                    Just("example"),
                    Just("prefixItems"),
                    Just("not"),
                    Just("title"),
                    Just("description"),
                    Just("default"),
                    Just("access_token"),
                    Just("$defs"),
                    Just("if"),
                    Just("then"),
                    Just("unevaluatedProperties"),
                ]
                .prop_map(str::to_string),
                inner,
                0..6,
            )
            .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

fn document(parameter: Value, response: Value, component: Value, request: Value) -> Value {
    json!({
        "openapi": "3.1.0",
        "info": { "title": "t", "version": "1" },
        "paths": { "/a/{id}": {
            "get": {
                "operationId": "getA",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": parameter }],
                "responses": {
                    "200": { "description": "ok", "content": { "application/vnd.x+json": { "schema": response } } },
                    "404": { "description": "no", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/A" } } } }
                }
            },
            "post": {
                "operationId": "postA",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }],
                "requestBody": { "content": { "application/json": { "schema": request } } },
                "responses": { "201": { "description": "created" } }
            }
        } },
        "components": { "schemas": { "A": component } }
    })
}

proptest! {
    #[test]
    fn arbitrary_schemas_convert_or_fail_without_panicking(
        parameter in schema(),
        response in schema(),
        component in schema(),
        request in schema(),
    ) {
        let _ = normalize(document(parameter, response, component, request), Path::new("arbitrary.yml"), &NormalizeOptions::default());
    }

    #[test]
    fn arbitrary_documents_convert_or_fail_without_panicking(doc in schema()) {
        let _ = normalize(doc, Path::new("arbitrary.yml"), &NormalizeOptions::default());
    }
}
