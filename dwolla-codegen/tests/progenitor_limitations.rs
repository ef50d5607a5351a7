//! One test per progenitor 0.15 / openapiv3 2.2 limitation the normalizer
//! exists for. Each first shows the limitation on the raw input (so that when
//! upstream lifts it, the test says so and the rule can go), then shows that
//! the same input goes through `dwolla_codegen::generate`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use dwolla_codegen::{GenerateOptions, generate, panic_message};
use serde_json::{Value, json};

/// What raw progenitor does with a document.
#[derive(Debug)]
#[allow(
    dead_code,
    reason = "the payloads are read through Debug in failure messages"
)]
enum Raw {
    ParseError(String),
    GenerateError(String),
    Panic(String),
    Code(String),
}

fn raw_progenitor(doc: &Value) -> Raw {
    let spec: openapiv3::OpenAPI = match serde_json::from_value(doc.clone()) {
        Ok(spec) => spec,
        Err(error) => return Raw::ParseError(error.to_string()),
    };
    let mut settings = progenitor::GenerationSettings::new();
    settings.with_interface(progenitor::InterfaceStyle::Builder);
    let mut generator = progenitor::Generator::new(&settings);
    match catch_unwind(AssertUnwindSafe(|| generator.generate_tokens(&spec))) {
        Ok(Ok(tokens)) => Raw::Code(tokens.to_string()),
        Ok(Err(error)) => Raw::GenerateError(error.to_string()),
        Err(payload) => Raw::Panic(panic_message(payload.as_ref())),
    }
}

fn ours(doc: &Value) -> String {
    let generated = generate(
        doc.clone(),
        Path::new("test.yml"),
        &GenerateOptions::default(),
    )
    .unwrap_or_else(|e| panic!("normalized document does not generate: {e}"));
    assert!(generated.skipped.is_empty(), "{:?}", generated.skipped);
    generated.code
}

/// A document with one `GET /thing` returning `schema` as `media`.
fn get_thing(version: &str, media: &str, schema: Value) -> Value {
    json!({
        "openapi": version,
        "info": { "title": "t", "version": "2.0" },
        "paths": { "/thing": { "get": {
            "operationId": "getThing",
            "responses": { "200": { "description": "ok", "content": { media: { "schema": schema } } } }
        } } }
    })
}

fn thing(properties: Value) -> Value {
    json!({ "type": "object", "required": ["value"], "properties": properties })
}

#[test]
fn openapi_3_1_is_refused() {
    let doc = get_thing(
        "3.1.0",
        "application/json",
        thing(json!({ "value": { "type": "string" } })),
    );
    match raw_progenitor(&doc) {
        Raw::GenerateError(message) => {
            assert!(message.contains("invalid version: 3.1.0"), "{message}");
        }
        other => panic!("progenitor now accepts 3.1: {other:?}"),
    }
    assert!(ours(&doc).contains("pub struct GetThingResponse"));
}

#[test]
fn nullable_type_arrays_do_not_parse() {
    let doc = get_thing(
        "3.0.3",
        "application/json",
        thing(json!({ "value": { "type": ["string", "null"] } })),
    );
    assert!(
        matches!(raw_progenitor(&doc), Raw::ParseError(_)),
        "openapiv3 now parses type arrays"
    );
    let code = ours(&doc);
    assert!(
        code.contains("pub value: ::std::option::Option<::std::string::String>"),
        "{code}"
    );
}

#[test]
fn numeric_exclusive_minimum_does_not_parse() {
    let doc = get_thing(
        "3.0.3",
        "application/json",
        thing(json!({ "value": { "type": "integer", "exclusiveMinimum": 0 } })),
    );
    assert!(
        matches!(raw_progenitor(&doc), Raw::ParseError(_)),
        "openapiv3 now parses numeric exclusiveMinimum"
    );
    assert!(ours(&doc).contains("pub value:"));
}

#[test]
fn one_of_with_a_null_branch_fails() {
    let doc = get_thing(
        "3.0.3",
        "application/json",
        thing(json!({ "value": { "oneOf": [{ "type": "string" }, { "type": "null" }] } })),
    );
    assert!(
        !matches!(raw_progenitor(&doc), Raw::Code(_)),
        "progenitor now handles a null branch"
    );
    let code = ours(&doc);
    assert!(code.contains("pub value: ::std::option::Option<"), "{code}");
}

#[test]
fn const_is_dropped() {
    let doc = get_thing(
        "3.0.3",
        "application/json",
        thing(json!({ "value": { "type": "string", "const": "personal" } })),
    );
    match raw_progenitor(&doc) {
        Raw::Code(code) => assert!(
            !code.contains("\"personal\""),
            "progenitor now honours const"
        ),
        other => panic!("raw progenitor failed differently: {other:?}"),
    }
    assert!(
        ours(&doc).contains("\"personal\""),
        "the one allowed value is in the generated enum"
    );
}

#[test]
fn vendor_json_media_types_are_not_typed() {
    let doc = get_thing(
        "3.0.3",
        "application/vnd.dwolla.v1.hal+json",
        thing(json!({ "value": { "type": "string" } })),
    );
    match raw_progenitor(&doc) {
        Raw::Code(code) => assert!(
            !code.contains("GetThingResponse"),
            "progenitor now types vendor JSON"
        ),
        other => panic!("raw progenitor failed differently: {other:?}"),
    }
    assert!(ours(&doc).contains("ResponseValue<types::GetThingResponse>"));
}

#[test]
fn several_error_types_panic() {
    let mut doc = get_thing(
        "3.0.3",
        "application/json",
        thing(json!({ "value": { "type": "string" } })),
    );
    doc["paths"]["/thing"]["get"]["responses"]["404"] = json!({ "description": "missing",
        "content": { "application/json": { "schema": { "type": "object", "properties": { "code": { "type": "string" } } } } } });
    doc["paths"]["/thing"]["get"]["responses"]["403"] =
        json!({ "description": "forbidden, no body" });
    match raw_progenitor(&doc) {
        Raw::Panic(message) => assert!(message.contains("response_types.len() <= 1"), "{message}"),
        other => panic!("progenitor now allows several error types: {other:?}"),
    }
    assert!(ours(&doc).contains("Error<types::DwollaError>"));
}

#[test]
fn several_success_types_panic() {
    let mut doc = get_thing(
        "3.0.3",
        "application/json",
        thing(json!({ "value": { "type": "string" } })),
    );
    doc["paths"]["/thing"]["get"]["responses"]["201"] = json!({ "description": "created" });
    match raw_progenitor(&doc) {
        Raw::Panic(message) => assert!(message.contains("response_types.len() <= 1"), "{message}"),
        other => panic!("progenitor now allows several success types: {other:?}"),
    }
    assert!(
        ours(&doc).contains("ResponseValue<ByteStream>"),
        "the operation returns the raw body"
    );
}

#[test]
fn api_version_and_plain_json_content_type_are_sent() {
    // Not fixable in the spec: the generated code always adds `api-version`
    // (from `info.version`) and sends JSON as `application/json`. The wire
    // hook of the client rewrites both; tests/wire_format.rs checks the bytes.
    let mut doc = get_thing(
        "3.0.3",
        "application/json",
        thing(json!({ "value": { "type": "string" } })),
    );
    doc["paths"]["/thing"]["post"] = json!({
        "operationId": "postThing",
        "requestBody": { "content": { "application/json": { "schema": { "type": "object" } } } },
        "responses": { "201": { "description": "created" } }
    });
    match raw_progenitor(&doc) {
        Raw::Code(code) => {
            assert!(
                code.contains("\"api-version\""),
                "progenitor no longer sends api-version"
            );
            assert!(
                code.contains(". json (& body)"),
                "progenitor no longer sends bodies with .json()"
            );
        }
        other => panic!("raw progenitor failed: {other:?}"),
    }
}

#[test]
fn generator_failures_name_the_file_and_pointer_never_panic() {
    // A document-level failure: a component progenitor cannot type.
    let mut doc = get_thing(
        "3.1.0",
        "application/json",
        json!({ "$ref": "#/components/schemas/Broken" }),
    );
    doc["components"] =
        json!({ "schemas": { "Broken": { "$ref": "#/components/schemas/Nowhere" } } });
    let error = generate(doc, Path::new("broken.yml"), &GenerateOptions::default())
        .expect_err("a dangling reference cannot generate");
    let message = error.to_string();
    assert!(message.starts_with("broken.yml: "), "{message}");
    assert!(message.contains("/components/schemas"), "{message}");
}

#[test]
fn an_operation_progenitor_panics_on_is_skipped_with_its_message() {
    let mut doc = get_thing(
        "3.1.0",
        "application/json",
        thing(json!({ "value": { "type": "string" } })),
    );
    // A parameter without a type makes typify panic inside progenitor.
    doc["paths"]["/odd"] = json!({ "get": {
        "operationId": "getOdd",
        "parameters": [{ "name": "q", "in": "query", "required": true,
            "schema": { "type": "object", "properties": { "a": { "type": "object" } } } }],
        "responses": { "200": { "description": "ok" } }
    } });
    let generated =
        generate(doc, Path::new("odd.yml"), &GenerateOptions::default()).expect("generates");
    let names: Vec<&str> = generated
        .operations
        .iter()
        .map(|o| o.operation_id.as_str())
        .collect();
    assert!(names.contains(&"getThing"));
    assert_eq!(generated.skipped.len(), 1, "{:?}", generated.skipped);
    for skipped in &generated.skipped {
        assert_eq!(skipped.operation, "getOdd");
        assert_eq!(skipped.pointer, "/paths/~1odd/get");
        assert!(
            skipped.reason.starts_with("progenitor fails on it"),
            "{}",
            skipped.reason
        );
    }
}
