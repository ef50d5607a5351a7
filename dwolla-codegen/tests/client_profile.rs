//! The client's profile: one list of secret field names, and every field so
//! named, whatever form its string schema takes, generated as the secret type.

use std::path::Path;

use dwolla_codegen::generate;
use dwolla_codegen::profile::{SECRET_FIELDS, client_profile};
use serde_json::{Value, json};

/// A spec whose one response has a property per secret field, in the string
/// forms JSON Schema allows.
fn spec_with_secret_fields() -> Value {
    let forms = [
        json!({ "type": "string" }),
        json!({ "type": ["string", "null"] }),
        json!({ "anyOf": [{ "type": "string" }] }),
    ];
    let properties: serde_json::Map<String, Value> = SECRET_FIELDS
        .iter()
        .enumerate()
        .map(|(index, name)| (name.to_string(), forms[index % forms.len()].clone()))
        .collect();
    json!({
        "openapi": "3.1.0",
        "info": { "title": "t", "version": "1" },
        "paths": { "/thing": { "get": {
            "operationId": "getThing",
            "responses": { "200": { "description": "ok", "content": { "application/json": {
                "schema": { "$ref": "#/components/schemas/Thing" } } } } }
        } } },
        "components": { "schemas": { "Thing": { "type": "object", "properties": properties } } }
    })
}

#[test]
fn every_secret_field_is_generated_as_the_secret_type() {
    let generated = generate(
        spec_with_secret_fields(),
        Path::new("t.yml"),
        &client_profile(),
    )
    .expect("generates");
    let code: String = generated.code.split_whitespace().collect();
    for name in SECRET_FIELDS {
        let field = heck::ToSnakeCase::to_snake_case(*name);
        let secret = format!("pub{field}:::std::option::Option<crate::auth::Secret>,");
        assert!(
            code.contains(&secret),
            "`{name}` is not a secret in:\n{}",
            generated.code
        );
    }
}
