//! Rules for one operation: parameters, request body, responses, security.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use openapi_doc::media::{JSON, essence, is_json_like};
use openapi_doc::pointer;

use super::accept::accept_values;
use super::collisions::snake_ident;
use super::walk::{operations_mut, remove_operations};
use super::{NormalizeOptions, path_keys};
use crate::report::{AuthScheme, Note, OperationSummary, SkippedOperation};

/// Header parameters that OpenAPI says to ignore: the client sets them itself.
const IGNORED_HEADERS: &[&str] = &["accept", "content-type", "authorization"];

/// Request body media types progenitor can send.
const SENDABLE: &[&str] = &[
    JSON,
    "application/x-www-form-urlencoded",
    "application/octet-stream",
    "text/plain",
];

/// Rewrites one operation in place, or says why it cannot be generated.
pub(super) fn normalize_operation(
    op: &mut Map<String, Value>,
    path: &str,
    at: &str,
    error_ref: &str,
    notes: &mut Vec<Note>,
) -> Result<(), String> {
    parameters(op, path)?;
    request_body(op, at, notes)?;
    responses(op, at, error_ref, notes);
    Ok(())
}

/// Drops the header parameters the client sets itself and checks that path
/// parameters and the path template agree.
fn parameters(op: &mut Map<String, Value>, path: &str) -> Result<(), String> {
    let mut in_path = BTreeSet::new();
    if let Some(Value::Array(parameters)) = op.get_mut("parameters") {
        parameters.retain(|p| {
            let header = p.get("in").and_then(Value::as_str) == Some("header");
            let name = p
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_ascii_lowercase();
            !(header && IGNORED_HEADERS.contains(&name.as_str()))
        });
        for parameter in parameters.iter() {
            let name = parameter.get("name").and_then(Value::as_str).unwrap_or("");
            match parameter.get("in").and_then(Value::as_str) {
                Some("path") => {
                    in_path.insert(name.to_string());
                }
                Some("query" | "header") => {}
                Some("cookie") => {
                    return Err(format!(
                        "cookie parameter `{name}` is not supported by progenitor"
                    ));
                }
                other => {
                    return Err(format!(
                        "parameter `{name}` has an unknown location {other:?}"
                    ));
                }
            }
            if parameter.get("schema").is_none() {
                return Err(format!(
                    "parameter `{name}` is described by `content`, not `schema`; progenitor needs a schema"
                ));
            }
        }
        if parameters.is_empty() {
            op.remove("parameters");
        }
    }
    let in_template: BTreeSet<String> = path
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
        .collect();
    if in_template != in_path {
        return Err(format!(
            "path template parameters {in_template:?} do not match the path parameters declared {in_path:?}"
        ));
    }
    Ok(())
}

/// Keeps one sendable media type, with JSON-like types sent as JSON (the
/// wire hook restores the vendor type).
fn request_body(
    op: &mut Map<String, Value>,
    at: &str,
    notes: &mut Vec<Note>,
) -> Result<(), String> {
    let Some(Value::Object(body)) = op.get_mut("requestBody") else {
        return Ok(());
    };
    let Some(Value::Object(content)) = body.get_mut("content") else {
        op.remove("requestBody");
        return Ok(());
    };
    let offered: Vec<String> = content.keys().cloned().collect();
    let chosen = offered.iter().find(|m| is_json_like(m)).or_else(|| {
        offered
            .iter()
            .find(|m| SENDABLE.contains(&essence(m).as_str()))
    });
    let Some(chosen) = chosen.cloned() else {
        if offered.is_empty() {
            op.remove("requestBody");
            return Ok(());
        }
        return Err(format!(
            "request body media type {} cannot be sent by progenitor",
            offered.join(", ")
        ));
    };
    let mut entry = content.remove(&chosen).unwrap_or_default();
    if let Some(entry) = entry.as_object_mut() {
        entry.remove("encoding");
        entry.remove("examples");
    }
    if offered.len() > 1 {
        notes.push(Note {
            pointer: format!("{at}/requestBody/content"),
            message: format!(
                "the body is sent as {chosen}; the other media types ({}) are not offered",
                offered
                    .iter()
                    .filter(|m| **m != chosen)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    let target = if is_json_like(&chosen) {
        JSON.to_string()
    } else {
        essence(&chosen)
    };
    content.clear();
    content.insert(target, entry);
    Ok(())
}

/// What a success response decodes to, as progenitor sees it.
#[derive(PartialEq)]
enum SuccessShape {
    Empty,
    Json(Value),
    Raw,
}

/// One success type and one error type per operation:
/// - JSON-like bodies become `application/json` (other media types are
///   dropped when a JSON one is offered);
/// - success responses with different bodies become one raw byte stream;
/// - every error response (4xx, 5xx, `default`) carries the unified error
///   schema.
fn responses(op: &mut Map<String, Value>, at: &str, error_ref: &str, notes: &mut Vec<Note>) {
    let Some(Value::Object(responses)) = op.get_mut("responses") else {
        return;
    };
    if let Some(default) = responses.remove("default") {
        for range in ["4XX", "5XX"] {
            responses.entry(range).or_insert_with(|| default.clone());
        }
    }
    // Any request can be refused: an operation that documents no error
    // still fails with Dwolla's error body, like every other.
    if !responses.is_empty() && responses.keys().all(|status| is_success(status)) {
        for range in ["4XX", "5XX"] {
            responses.insert(
                range.into(),
                json!({ "description": "an error (none documented)" }),
            );
        }
    }
    let mut shapes = Vec::new();
    for (status, response) in responses.iter_mut() {
        let Some(response) = response.as_object_mut() else {
            continue;
        };
        if is_success(status) {
            shapes.push(json_content(response));
        } else {
            response.insert(
                "content".into(),
                json!({ JSON: { "schema": { "$ref": error_ref } } }),
            );
        }
    }
    let first = shapes.first();
    if shapes.iter().all(|shape| Some(shape) == first) {
        return;
    }
    notes.push(Note {
        pointer: format!("{at}/responses"),
        message: "success responses have different bodies; the operation returns the raw body"
            .into(),
    });
    for (status, response) in responses.iter_mut() {
        if is_success(status)
            && let Some(response) = response.as_object_mut()
        {
            response.insert(
                "content".into(),
                json!({ "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } }),
            );
        }
    }
}

fn is_success(status: &str) -> bool {
    status.starts_with('2') || status == "101"
}

/// Renames a JSON-like media type to `application/json` and drops the others;
/// says what the response decodes to.
fn json_content(response: &mut Map<String, Value>) -> SuccessShape {
    let Some(Value::Object(content)) = response.get_mut("content") else {
        return SuccessShape::Empty;
    };
    if content.is_empty() {
        return SuccessShape::Empty;
    }
    let Some(json_media) = content.keys().find(|m| is_json_like(m)).cloned() else {
        return SuccessShape::Raw;
    };
    let mut entry = content.remove(&json_media).unwrap_or_default();
    if let Some(entry) = entry.as_object_mut() {
        entry.remove("encoding");
        entry.entry("schema").or_insert_with(|| json!({}));
    }
    let schema = entry.get("schema").cloned().unwrap_or_default();
    content.clear();
    content.insert(JSON.into(), entry);
    SuccessShape::Json(schema)
}

/// The unified error body: Dwolla's `code`/`message` with embedded errors,
/// and OAuth's `error` (what `/token` answers). Nothing is required, so every
/// error body Dwolla sends decodes.
pub(super) fn error_schema() -> Value {
    json!({
        "description": "An error body from Dwolla: `code` and `message`, embedded errors for validation failures, or OAuth's `error` from the token endpoint.",
        "type": "object",
        "properties": {
            "code": { "type": "string" },
            "message": { "type": "string" },
            "error": { "type": "string" },
            "_embedded": {
                "type": "object",
                "properties": {
                    "errors": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "code": { "type": "string" },
                                "message": { "type": "string" },
                                "path": { "type": "string" },
                                "_links": { "type": "object" }
                            }
                        }
                    }
                }
            }
        }
    })
}

/// The document's security requirement and schemes.
pub(super) struct SecurityContext {
    default: Option<Value>,
    schemes: Map<String, Value>,
}

impl SecurityContext {
    /// Reads `security` and `components.securitySchemes`.
    pub(super) fn of(doc: &Value) -> Self {
        Self {
            default: doc.get("security").cloned(),
            schemes: doc
                .pointer("/components/securitySchemes")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default(),
        }
    }

    /// How the operation authenticates: the first scheme of its first
    /// requirement (the operation's own, else the document's).
    pub(super) fn scheme_for(
        &self,
        op: &Map<String, Value>,
        at: &str,
        notes: &mut Vec<Note>,
    ) -> AuthScheme {
        let requirement = op.get("security").or(self.default.as_ref());
        let Some(first) = requirement
            .and_then(Value::as_array)
            .and_then(|r| r.first())
        else {
            return AuthScheme::None;
        };
        let Some(name) = first.as_object().and_then(|r| r.keys().next()) else {
            return AuthScheme::None;
        };
        let Some(scheme) = self.schemes.get(name) else {
            notes.push(Note {
                pointer: pointer::join(at, "security"),
                message: format!(
                    "security scheme `{name}` is not defined in components.securitySchemes"
                ),
            });
            return AuthScheme::Unsupported(format!("security scheme `{name}` is not defined"));
        };
        let kind = scheme.get("type").and_then(Value::as_str).unwrap_or("");
        let http = scheme
            .get("scheme")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_ascii_lowercase();
        match (kind, http.as_str()) {
            ("http", "basic") => AuthScheme::Basic,
            ("http", "bearer") | ("oauth2" | "openIdConnect", _) => AuthScheme::Bearer,
            _ => AuthScheme::Unsupported(format!("security scheme `{name}` of type `{kind}`")),
        }
    }
}

/// Rule: each operation rewritten into what progenitor accepts (one
/// success and one error type, a method name), or left out with the reason;
/// the summary of each kept.
pub(super) fn normalize_operations(
    doc: &mut Value,
    options: &NormalizeOptions,
    skipped: &mut Vec<SkippedOperation>,
    notes: &mut Vec<Note>,
) -> Vec<OperationSummary> {
    let security = SecurityContext::of(doc);
    let accepts = accept_values(doc);
    let error_ref = format!("#/components/schemas/{}", options.error_schema);
    let mut seen_methods = BTreeMap::new();
    let mut kept = Vec::new();
    let mut removed = Vec::new();

    for (path, method, op) in operations_mut(doc) {
        let at = pointer::join(&pointer::join("/paths", &path), &method);
        let label = op.get("operationId").and_then(Value::as_str).map_or_else(
            || format!("{} {path}", method.to_uppercase()),
            str::to_string,
        );
        let outcome = match op.get("operationId").and_then(Value::as_str) {
            _ if !path.starts_with('/') => Err(format!(
                "the path `{path}` does not start with `/`, which OpenAPI requires"
            )),
            None | Some("") => Err("the operation has no operationId to name its method".into()),
            Some(id) => match seen_methods.insert(snake_ident(id), id.to_string()) {
                Some(earlier) if earlier == id => Err(format!(
                    "operationId `{id}` is used by an earlier operation"
                )),
                Some(earlier) => Err(format!(
                    "operationId `{id}` has the Rust method name `{}` of the earlier `{earlier}`",
                    snake_ident(id)
                )),
                None => normalize_operation(op, &path, &at, &error_ref, notes),
            },
        };
        match outcome {
            Ok(()) => kept.push(OperationSummary {
                method_name: snake_ident(&label),
                operation_id: label,
                method: method.to_uppercase(),
                path: path_keys::sent_path(&path).to_string(),
                auth: security.scheme_for(op, &at, notes),
                accept: accepts
                    .get(&(path.clone(), method.clone()))
                    .cloned()
                    .unwrap_or_else(|| "application/json".into()),
                body_type: None,
            }),
            Err(reason) => {
                skipped.push(SkippedOperation {
                    operation: label,
                    pointer: at,
                    reason,
                });
                removed.push((path.clone(), method.clone()));
            }
        }
    }
    remove_operations(doc, removed);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    const ERR: &str = "#/components/schemas/DwollaError";

    fn op(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    fn apply(
        mut operation: Map<String, Value>,
        path: &str,
    ) -> (Result<(), String>, Map<String, Value>, Vec<Note>) {
        let mut notes = Vec::new();
        let result = normalize_operation(&mut operation, path, "/op", ERR, &mut notes);
        (result, operation, notes)
    }

    #[test]
    fn accept_content_type_and_authorization_headers_are_dropped() {
        let (result, out, _) = apply(
            op(json!({ "parameters": [
                { "name": "Accept", "in": "header", "required": true, "schema": { "type": "string" } },
                { "name": "authorization", "in": "header", "schema": { "type": "string" } },
                { "name": "Idempotency-Key", "in": "header", "schema": { "type": "string" } }
            ], "responses": {} })),
            "/p",
        );
        assert_eq!(result, Ok(()));
        assert_eq!(
            out["parameters"],
            json!([{ "name": "Idempotency-Key", "in": "header", "schema": { "type": "string" } }])
        );
    }

    #[test]
    fn path_parameters_must_match_the_template() {
        let (result, _, _) = apply(op(json!({ "responses": {} })), "/c/{id}");
        assert!(result.unwrap_err().contains("do not match"));
        let (result, _, _) = apply(
            op(
                json!({ "parameters": [{ "name": "id", "in": "path", "required": true, "schema": {} }], "responses": {} }),
            ),
            "/c/{id}",
        );
        assert_eq!(result, Ok(()));
    }

    #[test]
    fn cookie_and_content_parameters_skip_the_operation() {
        let (result, _, _) = apply(
            op(json!({ "parameters": [{ "name": "s", "in": "cookie", "schema": {} }] })),
            "/p",
        );
        assert!(result.unwrap_err().contains("cookie"));
        let (result, _, _) = apply(
            op(json!({ "parameters": [{ "name": "q", "in": "query", "content": {} }] })),
            "/p",
        );
        assert!(result.unwrap_err().contains("`content`"));
    }

    #[test]
    fn vendor_json_request_body_is_sent_as_json() {
        let (result, out, notes) = apply(
            op(json!({ "requestBody": { "required": true, "content": {
                "application/vnd.dwolla.v1.hal+json": { "schema": { "type": "object" } }
            } }, "responses": {} })),
            "/p",
        );
        assert_eq!(result, Ok(()));
        assert_eq!(
            out["requestBody"]["content"],
            json!({ JSON: { "schema": { "type": "object" } } })
        );
        assert!(notes.is_empty());
    }

    #[test]
    fn form_body_is_kept() {
        let (_, out, _) = apply(
            op(json!({ "requestBody": { "content": {
                "application/x-www-form-urlencoded": { "schema": { "type": "object" } }
            } }, "responses": {} })),
            "/token",
        );
        assert!(
            out["requestBody"]["content"]
                .get("application/x-www-form-urlencoded")
                .is_some()
        );
    }

    #[test]
    fn multipart_body_skips_the_operation() {
        let (result, _, _) = apply(
            op(
                json!({ "requestBody": { "content": { "multipart/form-data": { "schema": { "type": "object" } } } } }),
            ),
            "/documents",
        );
        assert_eq!(
            result,
            Err("request body media type multipart/form-data cannot be sent by progenitor".into())
        );
    }

    #[test]
    fn json_is_preferred_among_several_body_types_with_a_note() {
        let (_, out, notes) = apply(
            op(json!({ "requestBody": { "content": {
                "multipart/form-data": { "schema": {} },
                "application/json": { "schema": { "type": "object" } }
            } }, "responses": {} })),
            "/p",
        );
        assert_eq!(
            out["requestBody"]["content"],
            json!({ JSON: { "schema": { "type": "object" } } })
        );
        assert_eq!(notes[0].pointer, "/op/requestBody/content");
    }

    #[test]
    fn every_error_response_gets_the_unified_error_schema() {
        let (_, out, _) = apply(
            op(json!({ "responses": {
                "200": { "description": "ok", "content": { "application/vnd.dwolla.v1.hal+json": { "schema": { "$ref": "#/A" } } } },
                "400": { "description": "bad", "content": { "application/vnd.dwolla.v1.hal+json": { "schema": { "oneOf": [{}, {}] } } } },
                "404": { "description": "none" },
                "default": { "description": "other" }
            } })),
            "/p",
        );
        let unified = json!({ JSON: { "schema": { "$ref": ERR } } });
        for status in ["400", "404", "4XX", "5XX"] {
            assert_eq!(out["responses"][status]["content"], unified, "{status}");
        }
        assert!(out["responses"].get("default").is_none());
        assert_eq!(
            out["responses"]["200"]["content"],
            json!({ JSON: { "schema": { "$ref": "#/A" } } })
        );
    }

    #[test]
    fn an_operation_documenting_no_error_gets_the_unified_error_schema_too() {
        let (_, out, _) = apply(
            op(json!({ "responses": { "201": { "description": "created" } } })),
            "/p",
        );
        let unified = json!({ JSON: { "schema": { "$ref": ERR } } });
        for status in ["4XX", "5XX"] {
            assert_eq!(out["responses"][status]["content"], unified, "{status}");
        }
    }

    #[test]
    fn success_responses_with_different_bodies_become_raw() {
        let (_, out, notes) = apply(
            op(json!({ "responses": {
                "200": { "description": "ok", "content": { "application/json": { "schema": { "type": "object" } } } },
                "201": { "description": "created" }
            } })),
            "/p",
        );
        let raw = json!({ "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } });
        assert_eq!(out["responses"]["200"]["content"], raw);
        assert_eq!(out["responses"]["201"]["content"], raw);
        assert_eq!(notes[0].pointer, "/op/responses");
    }

    #[test]
    fn success_responses_with_the_same_body_stay_typed() {
        let same = json!({ "application/json": { "schema": { "$ref": "#/A" } } });
        let (_, out, notes) = apply(
            op(json!({ "responses": {
                "200": { "description": "ok", "content": same },
                "201": { "description": "created", "content": same }
            } })),
            "/p",
        );
        assert_eq!(out["responses"]["201"]["content"], same);
        assert!(notes.is_empty());
    }

    #[test]
    fn security_schemes_map_to_auth() {
        let doc = json!({
            "security": [{ "oauth": [] }],
            "components": { "securitySchemes": {
                "oauth": { "type": "oauth2", "flows": {} },
                "basic": { "type": "http", "scheme": "Basic" },
                "key": { "type": "apiKey", "in": "header", "name": "X-Key" }
            } }
        });
        let context = SecurityContext::of(&doc);
        let mut notes = Vec::new();
        let mut scheme = |op_value: Value| context.scheme_for(&op(op_value), "/op", &mut notes);
        assert_eq!(scheme(json!({})), AuthScheme::Bearer);
        assert_eq!(
            scheme(json!({ "security": [{ "basic": [] }] })),
            AuthScheme::Basic
        );
        assert_eq!(scheme(json!({ "security": [] })), AuthScheme::None);
        assert!(matches!(
            scheme(json!({ "security": [{ "key": [] }] })),
            AuthScheme::Unsupported(_)
        ));
        assert!(matches!(
            scheme(json!({ "security": [{ "basicAuth": [] }] })),
            AuthScheme::Unsupported(_)
        ));
        assert_eq!(notes.len(), 1, "an undefined scheme is noted");
    }
}
