//! Turns an OpenAPI 3.1 document into an OpenAPI 3.0.3 document that
//! progenitor 0.15 generates a typed client from.
//!
//! The rules are general: they apply to any document, not to one slice of
//! one API. An operation that cannot be expressed is left out with a reason
//! ([`SkippedOperation`]); a change that loses a constraint leaves a [`Note`].
//! The input document itself is never needed again by the generated code: the
//! conformance suite validates against the untouched 3.1 original.

mod collisions;
mod composition_cycles;
mod names;
mod open_enums;
mod operation;
mod path_keys;
mod schema;
mod secrets;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use openapi_doc::pointer;
use openapi_doc::resolve::resolve;
use openapi_doc::spec::METHODS;
use serde_json::{Map, Value, json};

use collisions::snake_ident;
pub use open_enums::pascal_case;
pub use schema::normalize_schema;

use crate::error::CodegenError;
use crate::report::{Note, OperationSummary, SkippedOperation};

/// The OpenAPI version progenitor accepts.
const TARGET_VERSION: &str = "3.0.3";

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
    check_version(&doc).map_err(|construct| unsupported("/openapi", construct))?;
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
    inline_operation_refs(&mut doc);
    composition_cycles::skip_composition_cycles(&mut doc, &mut skipped, &mut notes);
    path_keys::drop_fragments(&mut doc, &mut notes);
    for_each_schema_root(&mut doc, |schema, at| {
        collisions::drop_colliding_properties(schema, at, &mut notes);
    });
    let taken: BTreeSet<String> = component_schemas(&doc).keys().cloned().collect();
    open_response_enums(&mut doc, &reach, taken);
    avoid_name_collisions(&mut doc);
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

    let operations = normalize_operations(&mut doc, options, &mut skipped, &mut notes);
    for_each_schema_root(&mut doc, |schema, at| {
        normalize_schema(schema, at, &mut notes);
    });
    finish_document(&mut doc, options, &mut notes);

    Ok(Normalized {
        document: doc,
        operations,
        skipped,
        notes,
    })
}

fn check_version(doc: &Value) -> Result<(), String> {
    match doc.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.1.") || v.starts_with("3.0.") => Ok(()),
        Some(v) => Err(format!(
            "OpenAPI version {v}: only 3.1.x (and 3.0.x) documents are supported"
        )),
        None => Err("no `openapi` version field: this is not an OpenAPI 3 document".into()),
    }
}

fn component_schemas(doc: &Value) -> Map<String, Value> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// Replaces references to components of kinds other than schemas (parameters,
/// request bodies, responses, headers) by copies of what they name, and moves
/// path-level parameters into each operation, so each operation can be
/// rewritten on its own.
fn inline_operation_refs(doc: &mut Value) {
    let source = doc.clone();
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        let shared: Vec<Value> = item
            .remove("parameters")
            .and_then(|p| p.as_array().cloned())
            .unwrap_or_default()
            .iter()
            .map(|p| resolve(&source, p).clone())
            .collect();
        for (method, operation) in item.iter_mut() {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let Some(operation) = operation.as_object_mut() else {
                continue;
            };
            let own: Vec<Value> = operation
                .get("parameters")
                .and_then(Value::as_array)
                .map(|list| list.iter().map(|p| resolve(&source, p).clone()).collect())
                .unwrap_or_default();
            let mut merged: Vec<Value> = shared
                .iter()
                .filter(|p| {
                    !own.iter()
                        .any(|o| o.get("name") == p.get("name") && o.get("in") == p.get("in"))
                })
                .cloned()
                .collect();
            merged.extend(own);
            if !merged.is_empty() {
                operation.insert("parameters".into(), Value::Array(merged));
            }
            if let Some(body) = operation.get_mut("requestBody") {
                *body = resolve(&source, body).clone();
            }
            if let Some(Value::Object(responses)) = operation.get_mut("responses") {
                for response in responses.values_mut() {
                    *response = resolve(&source, response).clone();
                    if let Some(Value::Object(headers)) = response.get_mut("headers") {
                        for header in headers.values_mut() {
                            *header = resolve(&source, header).clone();
                        }
                    }
                }
            }
        }
    }
}

fn open_response_enums(
    doc: &mut Value,
    reach: &open_enums::Reachability,
    mut taken: BTreeSet<String>,
) {
    let mut hoisted = Map::new();
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        for name in reach.response_only() {
            if let Some(schema) = schemas.get_mut(&name) {
                open_enums::open_enums(schema, &name, &mut taken, &mut hoisted);
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
                open_enums::open_enums(schema, &stem, &mut taken, &mut hoisted);
            }
        }
    }
    if hoisted.is_empty() {
        return;
    }
    let schemas = ensure_object(doc, &["components", "schemas"]);
    schemas.extend(hoisted);
}

fn avoid_name_collisions(doc: &mut Value) {
    let mut taken: BTreeSet<String> = component_schemas(doc)
        .keys()
        .map(|name| pascal_case(name))
        .collect();
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        for (name, schema) in schemas.iter_mut() {
            names::avoid_collisions(schema, &pascal_case(name), &mut taken, true);
        }
    }
}

/// The body and header schemas of one response.
fn response_schemas_mut(response: &mut Value) -> Vec<&mut Value> {
    let mut found = Vec::new();
    let Some(response) = response.as_object_mut() else {
        return found;
    };
    for (key, value) in response.iter_mut() {
        let Some(entries) = value.as_object_mut() else {
            continue;
        };
        if key == "content" || key == "headers" {
            for entry in entries.values_mut() {
                if let Some(schema) = entry.get_mut("schema") {
                    found.push(schema);
                }
            }
        }
    }
    found
}

/// Every `(path, method, operation)` of the document.
fn operations_mut(
    doc: &mut Value,
) -> impl Iterator<Item = (String, String, &mut Map<String, Value>)> {
    doc.get_mut("paths")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|paths| paths.iter_mut())
        .filter_map(|(path, item)| Some((path.clone(), item.as_object_mut()?)))
        .flat_map(|(path, item)| {
            item.iter_mut()
                .filter(|(method, _)| METHODS.contains(&method.as_str()))
                .filter_map(move |(method, op)| {
                    Some((path.clone(), method.clone(), op.as_object_mut()?))
                })
        })
}

/// The `Accept` value of each operation, read before normalization removes
/// the `Accept` parameter and rewrites vendor media types: the values its
/// `Accept` header parameter allows (`enum`, else `default`), else the media
/// types of its success responses, else of all its responses.
fn accept_values(doc: &Value) -> BTreeMap<(String, String), String> {
    let resolve = |value| resolve(doc, value);
    let mut accepts = BTreeMap::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return accepts;
    };
    for (path, item) in paths {
        for (method, op) in item.as_object().into_iter().flatten() {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let parameter = op
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(resolve)
                .find(|p| {
                    p.get("in").and_then(Value::as_str) == Some("header")
                        && p.get("name")
                            .and_then(Value::as_str)
                            .is_some_and(|n| n.eq_ignore_ascii_case("accept"))
                });
            let from_parameter: Vec<String> = parameter
                .and_then(|p| {
                    p.pointer("/schema/enum")
                        .and_then(Value::as_array)
                        .cloned()
                        .or_else(|| p.pointer("/schema/default").map(|d| vec![d.clone()]))
                })
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            let media = |success: bool| -> Vec<String> {
                let mut found: Vec<String> = op
                    .get("responses")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .filter(|(status, _)| !success || status.starts_with('2'))
                    .filter_map(|(_, response)| {
                        resolve(response)
                            .get("content")
                            .and_then(Value::as_object)
                            .cloned()
                    })
                    .flat_map(|content| content.keys().cloned().collect::<Vec<_>>())
                    .collect();
                found.sort();
                found.dedup();
                found
            };
            // The value becomes a `HeaderValue::from_static` in the client,
            // so only visible ASCII is let through.
            let header_safe = |values: Vec<String>| -> Vec<String> {
                values
                    .into_iter()
                    .filter(|v| {
                        !v.is_empty() && v.bytes().all(|b| (0x20..0x7f).contains(&b) && b != b',')
                    })
                    .collect()
            };
            let chosen = [from_parameter, media(true), media(false)]
                .into_iter()
                .map(header_safe)
                .find(|values| !values.is_empty());
            if let Some(values) = chosen {
                accepts.insert((path.clone(), method.clone()), values.join(", "));
            }
        }
    }
    accepts
}

fn normalize_operations(
    doc: &mut Value,
    options: &NormalizeOptions,
    skipped: &mut Vec<SkippedOperation>,
    notes: &mut Vec<Note>,
) -> Vec<OperationSummary> {
    let security = operation::SecurityContext::of(doc);
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
                None => operation::normalize_operation(op, &path, &at, &error_ref, notes),
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

/// Removes the `(path, method)` operations from `doc`; a path item left
/// without operations is dropped too.
fn remove_operations(doc: &mut Value, removed: impl IntoIterator<Item = (String, String)>) {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    for (path, method) in removed {
        if let Some(Value::Object(item)) = paths.get_mut(&path) {
            item.remove(&method);
        }
    }
    paths.retain(|_, item| {
        item.as_object()
            .is_some_and(|item| item.keys().any(|k| METHODS.contains(&k.as_str())))
    });
}

/// Calls `visit` with every top-level schema of the document (component
/// schemas, parameter, body and response schemas) and its pointer.
fn for_each_schema_root(doc: &mut Value, mut visit: impl FnMut(&mut Value, &str)) {
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        for (name, schema) in schemas.iter_mut() {
            visit(schema, &pointer::join("/components/schemas", name));
        }
    }
    for (path, method, op) in operations_mut(doc) {
        let at = pointer::join(&pointer::join("/paths", &path), &method);
        if let Some(Value::Array(parameters)) = op.get_mut("parameters") {
            for (index, parameter) in parameters.iter_mut().enumerate() {
                if let Some(schema) = parameter.get_mut("schema") {
                    visit(schema, &format!("{at}/parameters/{index}/schema"));
                }
            }
        }
        if let Some(Value::Object(content)) = op
            .get_mut("requestBody")
            .and_then(|body| body.get_mut("content"))
        {
            for (media, entry) in content.iter_mut() {
                if let Some(schema) = entry.get_mut("schema") {
                    visit(
                        schema,
                        &format!("{at}/requestBody/content/{}/schema", pointer::escape(media)),
                    );
                }
            }
        }
        if let Some(Value::Object(responses)) = op.get_mut("responses") {
            for (status, response) in responses.iter_mut() {
                let response_at = format!("{at}/responses/{status}");
                for schema in response_schemas_mut(response) {
                    visit(schema, &response_at);
                }
            }
        }
    }
}

/// Document-level rewrites: the version, 3.1-only fields, the injected error
/// schema, and component kinds whose uses were inlined.
fn finish_document(doc: &mut Value, options: &NormalizeOptions, notes: &mut Vec<Note>) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    root.insert("openapi".into(), Value::String(TARGET_VERSION.into()));
    root.remove("jsonSchemaDialect");
    if let Some(webhooks) = root.remove("webhooks")
        && webhooks.as_object().is_some_and(|w| !w.is_empty())
    {
        notes.push(Note {
            pointer: "/webhooks".into(),
            message:
                "webhooks are requests Dwolla sends, not operations a client calls; not generated"
                    .into(),
        });
    }
    if let Some(Value::Object(info)) = root.get_mut("info") {
        info.remove("summary");
        if let Some(Value::Object(license)) = info.get_mut("license") {
            license.remove("identifier");
        }
    }
    if !root.contains_key("paths") {
        root.insert("paths".into(), json!({}));
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        for inlined in [
            "parameters",
            "requestBodies",
            "responses",
            "headers",
            "pathItems",
        ] {
            components.remove(inlined);
        }
    }
    let schemas = ensure_object(doc, &["components", "schemas"]);
    schemas.insert(options.error_schema.clone(), operation::error_schema());
    schemas.insert(options.secret_schema.clone(), secrets::secret_schema());
}

fn ensure_object<'a>(doc: &'a mut Value, path: &[&str]) -> &'a mut Map<String, Value> {
    let mut current = doc;
    for key in path {
        let object = match current {
            Value::Object(object) => object,
            other => {
                *other = json!({});
                other.as_object_mut().expect("just made an object")
            }
        };
        current = object.entry(key.to_string()).or_insert_with(|| json!({}));
        if !current.is_object() {
            *current = json!({});
        }
    }
    match current {
        Value::Object(object) => object,
        _ => unreachable!("ensured an object above"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
