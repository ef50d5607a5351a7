//! Turns an OpenAPI 3.1 document into an OpenAPI 3.0.3 document that
//! progenitor 0.15 generates a typed client from.
//!
//! The rules are general: they apply to any document, not to one slice of
//! one API. An operation that cannot be expressed is left out with a reason
//! ([`SkippedOperation`]); a change that loses a constraint leaves a [`Note`].
//! The input document itself is never needed again by the generated code: the
//! conformance suite validates against the untouched 3.1 original.

mod accept;
mod collisions;
mod composition_cycles;
mod document;
mod inline_refs;
mod names;
mod open_enums;
mod operation;
mod path_keys;
mod schema;
mod secrets;
mod walk;

use std::collections::BTreeSet;
use std::path::Path;

use openapi_doc::pointer;
use serde_json::Value;

pub use open_enums::pascal_case;
pub use schema::normalize_schema;
use walk::{component_schemas, for_each_schema_root};

use crate::error::CodegenError;
use crate::report::{Note, OperationSummary, SkippedOperation};

/// Settings of the normalizer.
#[derive(Debug, Clone)]
pub struct NormalizeOptions {
    /// Name of the component schema that every error response is given, so
    /// that each operation has exactly one error type.
    pub error_schema: String,
    /// Name of the component schema that secret properties refer to.
    pub secret_schema: String,
    /// Names of string properties that hold secrets (tokens, session
    /// secrets), wherever they occur.
    pub secret_properties: BTreeSet<String>,
}

impl Default for NormalizeOptions {
    fn default() -> Self {
        Self {
            error_schema: "DwollaError".into(),
            secret_schema: "DwollaSecret".into(),
            secret_properties: BTreeSet::new(),
        }
    }
}

/// The normalizer's output.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// The OpenAPI 3.0.3 document, as JSON.
    pub document: Value,
    /// The operations it still holds, in document order.
    pub operations: Vec<OperationSummary>,
    /// The operations it left out.
    pub skipped: Vec<SkippedOperation>,
    /// The lossy changes it made.
    pub notes: Vec<Note>,
}

/// Normalizes `doc`, read from `file` (named in errors only).
pub fn normalize(
    mut doc: Value,
    file: &Path,
    options: &NormalizeOptions,
) -> Result<Normalized, CodegenError> {
    let unsupported = |pointer: &str, construct: String| CodegenError::Unsupported {
        file: file.to_path_buf(),
        pointer: pointer.to_string(),
        construct,
    };
    document::check_version(&doc).map_err(|construct| unsupported("/openapi", construct))?;
    if !doc.is_object() {
        return Err(unsupported("", "the document is not a JSON object".into()));
    }
    let mut notes = Vec::new();
    let mut skipped = Vec::new();

    for reserved in [&options.error_schema, &options.secret_schema] {
        if component_schemas(&doc).contains_key(reserved) {
            return Err(unsupported(
                &pointer::join("/components/schemas", reserved),
                format!(
                    "component name `{reserved}` is reserved for a schema the generator injects"
                ),
            ));
        }
    }
    collisions::rename_schemas(
        &mut doc,
        &[&options.error_schema, &options.secret_schema],
        &mut notes,
    );
    collisions::break_alias_cycles(&mut doc, &mut notes);

    let reach = open_enums::Reachability::of(&doc);
    inline_refs::inline_operation_refs(&mut doc);
    composition_cycles::skip_composition_cycles(&mut doc, &mut skipped, &mut notes);
    path_keys::drop_fragments(&mut doc, &mut notes);
    for_each_schema_root(&mut doc, |schema, at| {
        collisions::drop_colliding_properties(schema, at, &mut notes);
    });
    let taken: BTreeSet<String> = component_schemas(&doc).keys().cloned().collect();
    open_enums::open_response_enums(&mut doc, &reach, taken);
    names::avoid_name_collisions(&mut doc);
    let secret_ref = format!("#/components/schemas/{}", options.secret_schema);
    let before_secrets = doc.clone();
    for_each_schema_root(&mut doc, |schema, _| {
        secrets::mark_secrets(
            schema,
            &options.secret_properties,
            &secret_ref,
            &before_secrets,
        );
    });

    let operations = operation::normalize_operations(&mut doc, options, &mut skipped, &mut notes);
    for_each_schema_root(&mut doc, |schema, at| {
        normalize_schema(schema, at, &mut notes);
    });
    document::finish_document(&mut doc, options, &mut notes);

    Ok(Normalized {
        document: doc,
        operations,
        skipped,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(doc: Value) -> Normalized {
        normalize(doc, Path::new("spec.yml"), &NormalizeOptions::default()).unwrap()
    }

    fn minimal(paths: Value) -> Value {
        json!({ "openapi": "3.1.0", "info": { "title": "t", "version": "1" }, "paths": paths })
    }

    #[test]
    fn accept_comes_from_the_accept_parameter_else_the_responses() {
        let mut doc = minimal(json!({
            "/a": {
                "get": {
                    "operationId": "withParameter",
                    "parameters": [{ "$ref": "#/components/parameters/Accept" }],
                    "responses": { "200": { "description": "ok", "content": { "application/json": { "schema": {} } } } }
                },
                "post": {
                    "operationId": "fromResponses",
                    "responses": {
                        "200": { "description": "ok", "content": { "application/json": { "schema": {} } } },
                        "400": { "description": "bad", "content": { "application/problem+json": { "schema": {} } } }
                    }
                },
                "put": {
                    "operationId": "unsafeValue",
                    "parameters": [{ "name": "Accept", "in": "header", "schema": { "enum": ["bad\nvalue"] } }],
                    "responses": { "204": { "description": "none" } }
                }
            }
        }));
        doc["components"] = json!({ "parameters": { "Accept": {
            "name": "Accept", "in": "header", "required": true,
            "schema": { "type": "string", "enum": ["application/vnd.dwolla.v1.hal+json"] }
        } } });
        let out = run(doc);
        let accept = |id: &str| {
            out.operations
                .iter()
                .find(|op| op.operation_id == id)
                .unwrap()
                .accept
                .clone()
        };
        assert_eq!(
            accept("withParameter"),
            "application/vnd.dwolla.v1.hal+json"
        );
        assert_eq!(accept("fromResponses"), "application/json");
        assert_eq!(accept("unsafeValue"), "application/json");
    }

    #[test]
    fn operations_under_fragment_keys_are_summarised_at_the_sent_path() {
        let ok = |id: &str| json!({ "operationId": id, "responses": { "200": { "description": "ok" } } });
        let out = run(minimal(json!({
            "/md#initiate": { "post": ok("initiate") },
            "/md#verify": { "post": ok("verify") }
        })));
        let summaries: Vec<(&str, &str)> = out
            .operations
            .iter()
            .map(|op| (op.operation_id.as_str(), op.path.as_str()))
            .collect();
        assert_eq!(summaries, [("initiate", "/md"), ("verify", "/md")]);
        assert_eq!(out.notes.len(), 2, "{:?}", out.notes);
    }

    #[test]
    fn version_becomes_3_0_3_and_3_1_fields_go() {
        let out = run(json!({
            "openapi": "3.1.0",
            "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
            "info": { "title": "t", "version": "1", "summary": "s", "license": { "name": "MIT", "identifier": "MIT" } },
            "webhooks": { "ping": {} }
        }));
        assert_eq!(out.document["openapi"], "3.0.3");
        assert!(out.document.get("jsonSchemaDialect").is_none());
        assert!(out.document.get("webhooks").is_none());
        assert_eq!(
            out.document["info"],
            json!({ "title": "t", "version": "1", "license": { "name": "MIT" } })
        );
        assert_eq!(out.document["paths"], json!({}));
        assert_eq!(out.notes[0].pointer, "/webhooks");
    }

    #[test]
    fn other_versions_are_refused_with_a_pointer() {
        let err = normalize(
            json!({ "swagger": "2.0" }),
            Path::new("old.json"),
            &NormalizeOptions::default(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "old.json: unsupported construct at /openapi: no `openapi` version field: this is not an OpenAPI 3 document"
        );
        let err = normalize(
            json!({ "openapi": "4.0.0" }),
            Path::new("new.json"),
            &NormalizeOptions::default(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("OpenAPI version 4.0.0"), "{err}");
    }

    #[test]
    fn reserved_error_schema_name_is_refused() {
        let mut doc = minimal(json!({}));
        doc["components"] = json!({ "schemas": { "DwollaError": {} } });
        let err = normalize(doc, Path::new("s.yml"), &NormalizeOptions::default()).unwrap_err();
        assert!(
            err.to_string().contains("/components/schemas/DwollaError"),
            "{err}"
        );
    }

    #[test]
    fn operations_without_or_with_duplicate_ids_are_skipped_by_name() {
        let ok = json!({ "responses": { "200": { "description": "ok" } } });
        let mut dup = ok.clone();
        dup["operationId"] = json!("a");
        let mut first = ok.clone();
        first["operationId"] = json!("a");
        let out = run(minimal(json!({
            "/x": { "get": first, "post": dup },
            "/y": { "get": ok }
        })));
        let skipped: Vec<_> = out
            .skipped
            .iter()
            .map(|s| (s.operation.as_str(), s.pointer.as_str()))
            .collect();
        assert_eq!(
            skipped,
            [("a", "/paths/~1x/post"), ("GET /y", "/paths/~1y/get")]
        );
        assert_eq!(out.operations.len(), 1);
        assert!(
            out.document["paths"].get("/y").is_none(),
            "an emptied path item is dropped"
        );
        assert!(out.document["paths"]["/x"].get("post").is_none());
    }

    #[test]
    fn referenced_parameters_bodies_and_responses_are_inlined() {
        let mut doc = minimal(json!({ "/c/{id}": {
            "parameters": [{ "$ref": "#/components/parameters/Id" }],
            "post": {
                "operationId": "create",
                "requestBody": { "$ref": "#/components/requestBodies/Body" },
                "responses": { "201": { "$ref": "#/components/responses/Created" } }
            }
        } }));
        doc["components"] = json!({
            "parameters": { "Id": { "name": "id", "in": "path", "required": true, "schema": { "type": "string" } } },
            "requestBodies": { "Body": { "content": { "application/json": { "schema": { "type": "object" } } } } },
            "headers": { "Location": { "schema": { "type": "string" } } },
            "responses": { "Created": { "description": "created", "headers": { "Location": { "$ref": "#/components/headers/Location" } } } }
        });
        let out = run(doc);
        let op = &out.document["paths"]["/c/{id}"]["post"];
        assert_eq!(op["parameters"][0]["name"], "id");
        assert_eq!(
            op["requestBody"]["content"]["application/json"]["schema"]["type"],
            "object"
        );
        assert_eq!(
            op["responses"]["201"]["headers"]["Location"]["schema"]["type"],
            "string"
        );
        assert!(out.document["components"].get("parameters").is_none());
        assert!(out.document["paths"]["/c/{id}"].get("parameters").is_none());
    }

    #[test]
    fn operation_parameters_override_path_level_ones() {
        let out = run(minimal(json!({ "/c/{id}": {
            "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
            "get": {
                "operationId": "get",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }],
                "responses": { "200": { "description": "ok" } }
            }
        } })));
        let parameters = &out.document["paths"]["/c/{id}"]["get"]["parameters"];
        assert_eq!(parameters.as_array().unwrap().len(), 1);
        assert_eq!(parameters[0]["schema"]["type"], "string");
    }

    #[test]
    fn response_only_enums_open_and_request_enums_stay_closed() {
        let mut doc = minimal(json!({ "/p": {
            "get": { "operationId": "getP", "responses": { "200": { "description": "ok", "content": {
                "application/json": { "schema": { "$ref": "#/components/schemas/Partner" } } } } } },
            "post": { "operationId": "postP",
                "requestBody": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Input" } } } },
                "responses": { "201": { "description": "created" } } }
        } }));
        doc["components"] = json!({ "schemas": {
            "Partner": { "type": "object", "properties": { "name": { "type": "string", "enum": ["MX"] } } },
            "Input": { "type": "object", "properties": { "kind": { "type": "string", "enum": ["a"] } } }
        } });
        let out = run(doc);
        let schemas = &out.document["components"]["schemas"];
        assert!(
            schemas["Partner"]["properties"]["name"]
                .get("oneOf")
                .is_some()
        );
        assert_eq!(schemas["PartnerNameKnown"]["enum"], json!(["MX"]));
        assert_eq!(schemas["Input"]["properties"]["kind"]["enum"], json!(["a"]));
    }

    #[test]
    fn every_schema_is_normalized() {
        let mut doc = minimal(json!({ "/p/{id}": { "get": {
            "operationId": "getP",
            "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": ["string", "null"] } }],
            "responses": { "200": { "description": "ok",
                "headers": { "X-Count": { "schema": { "type": "integer", "exclusiveMinimum": 0 } } },
                "content": { "application/json": { "schema": { "const": "x" } } } } }
        } } }));
        doc["components"] = json!({ "schemas": { "A": { "type": ["object", "null"] } } });
        let out = run(doc);
        let op = &out.document["paths"]["/p/{id}"]["get"];
        assert_eq!(
            op["parameters"][0]["schema"],
            json!({ "type": "string", "nullable": true })
        );
        assert_eq!(
            op["responses"]["200"]["headers"]["X-Count"]["schema"],
            json!({ "type": "integer", "minimum": 0, "exclusiveMinimum": true })
        );
        assert_eq!(
            op["responses"]["200"]["content"]["application/json"]["schema"],
            json!({ "enum": ["x"] })
        );
        assert_eq!(
            out.document["components"]["schemas"]["A"],
            json!({ "type": "object", "nullable": true })
        );
    }
}
