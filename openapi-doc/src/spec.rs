//! An OpenAPI 3.1 document as JSON, with an index of its operations: what a
//! checker or a diff needs of each one (parameters, request body, responses
//! with their media types and headers), every schema named by its JSON
//! pointer in the document.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::load::{self, LoadError, ParseError};
use crate::pointer::{escape, join};
use crate::resolve::{resolve, resolve_at};

/// The HTTP methods an OpenAPI path item may hold, in the order operations
/// are listed.
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Why a spec could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// The file could not be read or parsed.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The text is not YAML or JSON, or a hostile one the loader refuses.
    #[error("{path}: cannot be read as YAML or JSON: {source}")]
    Parse {
        /// Where the text came from.
        path: String,
        /// The parser's message.
        source: ParseError,
    },
    /// The document is not an OpenAPI 3.1 description.
    #[error("{path}: {message}")]
    NotOpenApi31 {
        /// Where the document came from.
        path: String,
        /// What is wrong.
        message: String,
    },
}

/// An OpenAPI 3.1 document.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The whole document.
    pub document: Value,
    /// Where it came from, for messages.
    pub source: String,
}

impl Spec {
    /// Parses YAML or JSON text; `source` names it in messages.
    pub fn parse(text: &str, source: &str) -> Result<Self, SpecError> {
        let document = load::parse(text).map_err(|why| SpecError::Parse {
            path: source.to_string(),
            source: why,
        })?;
        Self::from_document(document, source)
    }

    /// Reads a spec file.
    pub fn load(path: &Path) -> Result<Self, SpecError> {
        Self::from_document(load::load_file(path)?, &path.display().to_string())
    }

    /// A document already parsed, once it is seen to be OpenAPI 3.1 with a
    /// `paths` object.
    pub fn from_document(document: Value, source: &str) -> Result<Self, SpecError> {
        let version = document
            .get("openapi")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !version.starts_with("3.1") {
            return Err(SpecError::NotOpenApi31 {
                path: source.to_string(),
                message: format!("openapi is {version:?}; 3.1.x expected"),
            });
        }
        if !document.get("paths").is_some_and(Value::is_object) {
            return Err(SpecError::NotOpenApi31 {
                path: source.to_string(),
                message: "no paths object".into(),
            });
        }
        Ok(Self {
            document,
            source: source.to_string(),
        })
    }

    /// Adds the paths and component schemas of `fragment` that the document
    /// does not define itself (a definition in the document wins).
    pub fn with_fragment(mut self, fragment: &Value) -> Self {
        if let Some(paths) = fragment.get("paths").and_then(Value::as_object) {
            merge_missing(section(&mut self.document, &["paths"]), paths);
        }
        if let Some(schemas) = fragment
            .pointer("/components/schemas")
            .and_then(Value::as_object)
        {
            merge_missing(
                section(&mut self.document, &["components", "schemas"]),
                schemas,
            );
        }
        self
    }

    /// Resolves a local `$ref` chain; other values come back as they are.
    pub fn resolve<'a>(&'a self, value: &'a Value) -> &'a Value {
        resolve(&self.document, value)
    }

    /// Every operation, in path then method order.
    pub fn operations(&self) -> Vec<Operation> {
        let mut operations = Vec::new();
        let Some(paths) = self.document.get("paths").and_then(Value::as_object) else {
            return operations;
        };
        for (path, item) in paths {
            let item = self.resolve(item);
            for method in METHODS {
                let Some(operation) = item.get(*method) else {
                    continue;
                };
                let pointer = join(&join("/paths", path), method);
                operations.push(self.operation(path, method, operation, pointer));
            }
        }
        operations
    }

    /// One operation by its operationId.
    pub fn operation_by_id(&self, id: &str) -> Option<Operation> {
        self.operations().into_iter().find(|op| op.id == id)
    }

    fn operation(&self, path: &str, method: &str, operation: &Value, pointer: String) -> Operation {
        let responses = operation
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(status, response)| {
                let at = join(&format!("{pointer}/responses"), status);
                (status.clone(), self.response(response, at))
            })
            .collect();
        let request = operation.get("requestBody").map(|body| {
            let at = format!("{pointer}/requestBody");
            let (resolved, base) = resolve_at(&self.document, body, &at);
            RequestSpec {
                required: flag(resolved, "required"),
                media_types: media_types(resolved, &base),
            }
        });
        let parameters = operation
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|parameter| parameter_spec(self.resolve(parameter)))
            .collect();
        Operation {
            id: operation
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            method: method.to_ascii_uppercase(),
            path: path.to_string(),
            pointer,
            parameters,
            request,
            responses,
        }
    }

    fn response(&self, response: &Value, pointer: String) -> ResponseSpec {
        let (resolved, base) = resolve_at(&self.document, response, &pointer);
        let headers = resolved
            .get("headers")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, header)| {
                let header = self.resolve(header);
                (
                    name.to_ascii_lowercase(),
                    HeaderSpec {
                        required: flag(header, "required"),
                        schema: header.get("schema").cloned().unwrap_or(Value::Bool(true)),
                    },
                )
            })
            .collect();
        ResponseSpec {
            media_types: media_types(resolved, &base),
            pointer,
            headers,
        }
    }
}

/// The object at `keys` under `document`, created empty where missing; `None`
/// when something on the way is not an object.
fn section<'a>(document: &'a mut Value, keys: &[&str]) -> Option<&'a mut Map<String, Value>> {
    keys.iter()
        .try_fold(document.as_object_mut()?, |object, key| {
            object
                .entry(*key)
                .or_insert_with(|| Value::Object(Map::new()))
                .as_object_mut()
        })
}

fn merge_missing(target: Option<&mut Map<String, Value>>, source: &Map<String, Value>) {
    if let Some(target) = target {
        for (name, value) in source {
            target.entry(name.clone()).or_insert_with(|| value.clone());
        }
    }
}

fn flag(object: &Value, name: &str) -> bool {
    object.get(name).and_then(Value::as_bool).unwrap_or(false)
}

fn parameter_spec(parameter: &Value) -> Option<ParameterSpec> {
    Some(ParameterSpec {
        name: parameter.get("name")?.as_str()?.to_string(),
        location: parameter.get("in")?.as_str()?.to_string(),
        required: flag(parameter, "required"),
        allowed: parameter
            .pointer("/schema/enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
    })
}

/// The media types of a (resolved) response or request body, found at
/// `base` in the document, with the pointer of each schema.
fn media_types(resolved: &Value, base: &str) -> BTreeMap<String, String> {
    resolved
        .get("content")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, media)| media.get("schema").is_some())
        .map(|(media_type, _)| {
            (
                media_type.to_ascii_lowercase(),
                format!("{base}/content/{}/schema", escape(media_type)),
            )
        })
        .collect()
}

/// One operation of the spec.
#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    /// operationId.
    pub id: String,
    /// Upper-case method.
    pub method: String,
    /// Path template.
    pub path: String,
    /// JSON pointer of the operation object.
    pub pointer: String,
    /// Its parameters (path, query, header).
    pub parameters: Vec<ParameterSpec>,
    /// Its request body, if it takes one.
    pub request: Option<RequestSpec>,
    /// Its responses by status (`"201"`, `"4XX"`, `"default"`).
    pub responses: BTreeMap<String, ResponseSpec>,
}

impl Operation {
    /// The documented response for `status`: the exact code, else its `NXX`
    /// range, else `default`.
    pub fn response(&self, status: u16) -> Option<(&str, &ResponseSpec)> {
        let exact = status.to_string();
        let range = format!("{}XX", status / 100);
        [exact.as_str(), range.as_str(), "default"]
            .into_iter()
            .find_map(|key| self.responses.get_key_value(key))
            .map(|(key, response)| (key.as_str(), response))
    }

    /// Whether `path` (no query) fits the path template.
    pub fn matches_path(&self, path: &str) -> bool {
        let template: Vec<&str> = self.path.trim_matches('/').split('/').collect();
        let actual: Vec<&str> = path.trim_matches('/').split('/').collect();
        template.len() == actual.len()
            && template
                .iter()
                .zip(&actual)
                .all(|(t, a)| (t.starts_with('{') && t.ends_with('}') && !a.is_empty()) || t == a)
    }
}

/// A parameter.
#[derive(Debug, Clone, Serialize)]
pub struct ParameterSpec {
    /// Its name.
    pub name: String,
    /// `path`, `query`, `header` or `cookie`.
    pub location: String,
    /// Whether it must be sent.
    pub required: bool,
    /// The values its schema's `enum` allows (empty: any).
    pub allowed: Vec<String>,
}

/// A request body.
#[derive(Debug, Clone, Serialize)]
pub struct RequestSpec {
    /// Whether a body must be sent.
    pub required: bool,
    /// Media type to schema pointer.
    pub media_types: BTreeMap<String, String>,
}

/// A documented response.
#[derive(Debug, Clone, Serialize)]
pub struct ResponseSpec {
    /// JSON pointer of the response object.
    pub pointer: String,
    /// Media type to schema pointer.
    pub media_types: BTreeMap<String, String>,
    /// Documented headers by lower-case name.
    pub headers: BTreeMap<String, HeaderSpec>,
}

/// A documented response header.
#[derive(Debug, Clone, Serialize)]
pub struct HeaderSpec {
    /// Whether the spec marks it required.
    pub required: bool,
    /// Its schema.
    pub schema: Value,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_document_definition_wins_over_the_fragment() {
        let spec = Spec::parse("openapi: 3.1.0\npaths:\n  /a:\n    get:\n      operationId: mine\n", "t")
            .unwrap()
            .with_fragment(&json!({
                "paths": { "/a": { "get": { "operationId": "theirs" } }, "/b": { "get": { "operationId": "added" } } },
                "components": { "schemas": { "S": { "type": "string" } } }
            }));
        let ids: Vec<String> = spec.operations().into_iter().map(|op| op.id).collect();
        assert_eq!(ids, ["mine", "added"]);
        assert_eq!(
            spec.document["components"]["schemas"]["S"]["type"],
            "string"
        );
    }

    #[test]
    fn non_3_1_documents_are_refused() {
        assert!(matches!(
            Spec::parse("openapi: 3.0.3\npaths: {}\n", "old"),
            Err(SpecError::NotOpenApi31 { .. })
        ));
        assert!(matches!(
            Spec::parse("openapi: 3.1.0\n", "no paths"),
            Err(SpecError::NotOpenApi31 { .. })
        ));
        assert!(matches!(
            Spec::parse("{", "broken"),
            Err(SpecError::Parse { .. })
        ));
        assert!(matches!(
            Spec::load(Path::new("no/such/spec.yml")),
            Err(SpecError::Load(LoadError::Read { .. }))
        ));
    }

    #[test]
    fn responses_fall_back_to_ranges_and_default() {
        let spec = Spec::parse(
            "openapi: 3.1.0\npaths:\n  /a/{id}:\n    get:\n      operationId: a\n      responses:\n        200: {description: ok}\n        4XX: {description: client}\n        default: {description: other}\n",
            "t",
        )
        .unwrap();
        let op = spec.operation_by_id("a").unwrap();
        assert_eq!(op.response(200).unwrap().0, "200");
        assert_eq!(op.response(404).unwrap().0, "4XX");
        assert_eq!(op.response(503).unwrap().0, "default");
        assert!(op.matches_path("/a/x1") && !op.matches_path("/a") && !op.matches_path("/a/x/y"));
    }

    #[test]
    fn schemas_are_named_where_they_live_after_refs() {
        let spec = Spec::from_document(
            json!({
                "openapi": "3.1.0",
                "paths": { "/a/{id}": { "post": {
                    "operationId": "a",
                    "parameters": [{ "$ref": "#/components/parameters/Id" }],
                    "requestBody": { "$ref": "#/components/requestBodies/In" },
                    "responses": {
                        "201": { "$ref": "#/components/responses/Created" },
                        "400": { "description": "bad", "content": { "application/json": { "schema": {} } } }
                    }
                } } },
                "components": {
                    "parameters": { "Id": { "name": "id", "in": "path", "required": true, "schema": { "enum": ["x"] } } },
                    "requestBodies": { "In": { "required": true, "content": { "application/json": { "schema": {} } } } },
                    "responses": { "Created": { "description": "created", "headers": { "Location": { "required": true, "schema": { "type": "string" } } } } }
                }
            }),
            "t",
        )
        .unwrap();
        let op = spec.operation_by_id("a").unwrap();
        assert_eq!(op.pointer, "/paths/~1a~1{id}/post");
        assert_eq!(op.parameters[0].allowed, ["x"]);
        let request = op.request.as_ref().unwrap();
        assert!(request.required);
        assert_eq!(
            request.media_types["application/json"],
            "/components/requestBodies/In/content/application~1json/schema"
        );
        assert!(op.responses["201"].headers["location"].required);
        assert_eq!(
            op.responses["201"].pointer,
            "/paths/~1a~1{id}/post/responses/201"
        );
        assert_eq!(
            op.responses["400"].media_types["application/json"],
            "/paths/~1a~1{id}/post/responses/400/content/application~1json/schema"
        );
    }
}
