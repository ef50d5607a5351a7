//! The spec as the suite reads it: OpenAPI 3.1 as a JSON value (no
//! down-conversion: its schemas are JSON Schema 2020-12), with the extension
//! layer's own fragment merged in, and an index of its operations.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value};

/// The vendored spec, as committed.
pub const VENDORED_SPEC: &str = include_str!("../../openapi/dwolla.yml");

/// Why a spec could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The text is neither YAML nor JSON.
    #[error("{path} is not YAML or JSON: {message}")]
    Parse {
        /// The file.
        path: String,
        /// The parser's message.
        message: String,
    },
    /// The document is not an OpenAPI 3.1 description.
    #[error("{path}: {message}")]
    NotOpenApi31 {
        /// The file.
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

/// The HTTP methods an OpenAPI path item may hold.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl Spec {
    /// Parses YAML or JSON text.
    pub fn parse(text: &str, source: &str) -> Result<Self, SpecError> {
        let document: Value = serde_yaml::from_str(text).map_err(|why| SpecError::Parse {
            path: source.to_string(),
            message: why.to_string(),
        })?;
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

    /// Reads a spec file.
    pub fn load(path: &Path) -> Result<Self, SpecError> {
        let text = std::fs::read_to_string(path).map_err(|source| SpecError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// The vendored spec merged with the extension layer's fragment: what the
    /// client implements.
    pub fn vendored() -> Result<Self, SpecError> {
        Ok(Self::parse(VENDORED_SPEC, "openapi/dwolla.yml")?
            .with_fragment(&dwolla_exchange_sessions::extras::openapi_fragment()))
    }

    /// Adds the paths and component schemas of `fragment` that the document
    /// does not define itself (a definition in the spec wins).
    pub fn with_fragment(mut self, fragment: &Value) -> Self {
        for (section, key) in [("paths", None), ("components", Some("schemas"))] {
            let Some(source) = fragment.get(section).and_then(|s| match key {
                Some(key) => s.get(key),
                None => Some(s),
            }) else {
                continue;
            };
            let Some(source) = source.as_object() else {
                continue;
            };
            let target = match key {
                Some(key) => self.document.as_object_mut().map(|doc| {
                    doc.entry(section)
                        .or_insert_with(|| Value::Object(Map::new()))
                        .as_object_mut()
                        .map(|components| {
                            components
                                .entry(key)
                                .or_insert_with(|| Value::Object(Map::new()))
                        })
                }),
                None => self.document.as_object_mut().map(|doc| {
                    Some(
                        doc.entry(section)
                            .or_insert_with(|| Value::Object(Map::new())),
                    )
                }),
            };
            if let Some(Some(Value::Object(target))) = target {
                for (name, value) in source {
                    target.entry(name.clone()).or_insert_with(|| value.clone());
                }
            }
        }
        self
    }

    /// Resolves a local `$ref` (`#/...`) chain; other values come back as they are.
    pub fn resolve<'a>(&'a self, mut value: &'a Value) -> &'a Value {
        for _ in 0..32 {
            let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
                return value;
            };
            let Some(pointer) = reference.strip_prefix('#') else {
                return value;
            };
            match self.document.pointer(pointer) {
                Some(target) => value = target,
                None => return value,
            }
        }
        value
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
                let pointer = format!("/paths/{}/{method}", escape(path));
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
        let id = operation
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let mut responses = BTreeMap::new();
        for (status, response) in operation
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let response_pointer = format!("{pointer}/responses/{}", escape(status));
            let resolved = self.resolve(response);
            let media_types = self.media_types(resolved, &response_pointer, response);
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
                            required: header
                                .get("required")
                                .and_then(Value::as_bool)
                                .unwrap_or(false),
                            schema: header.get("schema").cloned().unwrap_or(Value::Bool(true)),
                        },
                    )
                })
                .collect();
            responses.insert(
                status.clone(),
                ResponseSpec {
                    pointer: response_pointer,
                    media_types,
                    headers,
                },
            );
        }
        let request = operation.get("requestBody").map(|body| {
            let body_pointer = format!("{pointer}/requestBody");
            let resolved = self.resolve(body);
            RequestSpec {
                required: resolved
                    .get("required")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                media_types: self.media_types(resolved, &body_pointer, body),
            }
        });
        let parameters = operation
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|parameter| self.resolve(parameter))
            .filter_map(|parameter| {
                Some(ParameterSpec {
                    name: parameter.get("name")?.as_str()?.to_string(),
                    location: parameter.get("in")?.as_str()?.to_string(),
                    required: parameter
                        .get("required")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                    allowed: parameter
                        .pointer("/schema/enum")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect(),
                })
            })
            .collect();
        Operation {
            id,
            method: method.to_ascii_uppercase(),
            path: path.to_string(),
            pointer,
            parameters,
            request,
            responses,
        }
    }

    /// The media types of a response or request body with the pointer of
    /// each schema (in the document, `$ref`s followed).
    fn media_types(
        &self,
        resolved: &Value,
        pointer: &str,
        original: &Value,
    ) -> BTreeMap<String, String> {
        let base = match original.get("$ref").and_then(Value::as_str) {
            Some(reference) => reference.trim_start_matches('#').to_string(),
            None => pointer.to_string(),
        };
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
}

/// Escapes a JSON-pointer token (`~` and `/`).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
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

    #[test]
    fn the_vendored_spec_with_the_fragment_has_six_operations() {
        let spec = Spec::vendored().unwrap();
        let ids: Vec<String> = spec.operations().into_iter().map(|op| op.id).collect();
        assert_eq!(
            ids,
            [
                "createCustomerExchangeSession",
                "listExchangePartners",
                "getExchangePartner",
                "retrieveCustomerExchangeSession",
                "createReAuthExchangeSession",
                "createApplicationAccessToken"
            ]
        );
    }

    #[test]
    fn a_spec_definition_wins_over_the_fragment() {
        let spec = Spec::parse("openapi: 3.1.0\npaths:\n  /a:\n    get:\n      operationId: mine\n", "t")
            .unwrap()
            .with_fragment(&serde_json::json!({
                "paths": { "/a": { "get": { "operationId": "theirs" } }, "/b": { "get": { "operationId": "added" } } }
            }));
        let ids: Vec<String> = spec.operations().into_iter().map(|op| op.id).collect();
        assert_eq!(ids, ["mine", "added"]);
    }

    #[test]
    fn non_3_1_documents_are_refused() {
        assert!(matches!(
            Spec::parse("openapi: 3.0.3\npaths: {}\n", "old"),
            Err(SpecError::NotOpenApi31 { .. })
        ));
        assert!(matches!(
            Spec::parse("{", "broken"),
            Err(SpecError::Parse { .. })
        ));
    }

    #[test]
    fn responses_fall_back_to_ranges_and_default() {
        let spec = Spec::parse(
            "openapi: 3.1.0\npaths:\n  /a/{id}:\n    get:\n      operationId: a\n      responses:\n        '200': {description: ok}\n        4XX: {description: client}\n        default: {description: other}\n",
            "t",
        )
        .unwrap();
        let op = spec.operation_by_id("a").unwrap();
        assert_eq!(op.response(200).unwrap().0, "200");
        assert_eq!(op.response(404).unwrap().0, "4XX");
        assert_eq!(op.response(503).unwrap().0, "default");
        assert!(op.matches_path("/a/x1") && !op.matches_path("/a") && !op.matches_path("/a/x/y"));
    }
}
