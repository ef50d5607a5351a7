//! JSON Schema validators for every schema of the spec that an exchange is
//! checked against, compiled once: draft 2020-12, formats on, offline, and
//! `$ref`s resolved through a registry that holds the whole document.

use std::collections::BTreeMap;

use jsonschema::{Draft, Registry, Resource, Validator};
use openapi_doc::pointer::join;
use openapi_doc::resolve::resolve_at;
use openapi_doc::spec::Spec;
use serde::Serialize;
use serde_json::{Value, json};

/// The URI the document is registered under.
const DOCUMENT_URI: &str = "urn:dwolla:openapi";

/// Why the validators could not be built.
#[derive(Debug, thiserror::Error)]
#[error("cannot compile the schema at {pointer}: {message}")]
pub struct CompileError {
    /// Where the schema is in the document.
    pub pointer: String,
    /// The compiler's message.
    pub message: String,
}

/// One validation failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchemaFailure {
    /// Where in the instance (JSON pointer).
    pub instance_pointer: String,
    /// Where in the spec document (JSON pointer), when it can be told.
    pub schema_pointer: String,
    /// The validator's message.
    pub message: String,
    /// The keyword that failed (`required`, `type`, `format`, `oneOf`, …).
    pub keyword: String,
}

/// Validators by the document pointer of their schema.
pub struct Validators {
    by_pointer: BTreeMap<String, Validator>,
}

impl Validators {
    /// Compiles a validator for every request and response body schema and
    /// every response header schema of `spec`.
    pub fn compile(spec: &Spec) -> Result<Self, CompileError> {
        let registry = Registry::new()
            .draft(Draft::Draft202012)
            .add(DOCUMENT_URI, Resource::from_contents(spec.document.clone()))
            .and_then(|builder| builder.prepare())
            .map_err(|why| CompileError {
                pointer: String::new(),
                message: why.to_string(),
            })?;
        let mut by_pointer = BTreeMap::new();
        for operation in spec.operations() {
            let mut pointers: Vec<String> = Vec::new();
            if let Some(request) = &operation.request {
                pointers.extend(request.media_types.values().cloned());
            }
            for response in operation.responses.values() {
                pointers.extend(response.media_types.values().cloned());
                for name in response.headers.keys() {
                    pointers.push(header_pointer(&response.pointer, spec, name));
                }
            }
            for pointer in pointers {
                if by_pointer.contains_key(&pointer) || spec.document.pointer(&pointer).is_none() {
                    continue;
                }
                let validator = jsonschema::options()
                    .with_draft(Draft::Draft202012)
                    .should_validate_formats(true)
                    .with_registry(&registry)
                    .build(
                        &json!({ "$ref": format!("{DOCUMENT_URI}#{}", encode_fragment(&pointer)) }),
                    )
                    .map_err(|why| CompileError {
                        pointer: pointer.clone(),
                        message: why.to_string(),
                    })?;
                by_pointer.insert(pointer, validator);
            }
        }
        Ok(Self { by_pointer })
    }

    /// How many validators were compiled.
    pub fn len(&self) -> usize {
        self.by_pointer.len()
    }

    /// Whether none were.
    pub fn is_empty(&self) -> bool {
        self.by_pointer.is_empty()
    }

    /// Validates `instance` against the schema at `pointer`; `None` when no
    /// validator exists for that pointer.
    pub fn validate(&self, pointer: &str, instance: &Value) -> Option<Vec<SchemaFailure>> {
        let validator = self.by_pointer.get(pointer)?;
        Some(
            validator
                .iter_errors(instance)
                .map(|error| SchemaFailure {
                    instance_pointer: error.instance_path().to_string(),
                    keyword: error.kind().keyword().to_string(),
                    schema_pointer: error
                        .absolute_keyword_location()
                        .and_then(|uri| uri.fragment().map(|f| decode_fragment(f.as_str())))
                        .unwrap_or_else(|| {
                            format!("{pointer}{}", strip_ref(&error.schema_path().to_string()))
                        }),
                    message: error.to_string(),
                })
                .collect(),
        )
    }
}

/// The document pointer of a response header's schema.
pub fn header_pointer(response_pointer: &str, spec: &Spec, name: &str) -> String {
    let document = &spec.document;
    let Some(original) = document.pointer(response_pointer) else {
        return format!("{response_pointer}/headers/{name}/schema");
    };
    let (response, base) = resolve_at(document, original, response_pointer);
    let header = response
        .get("headers")
        .and_then(Value::as_object)
        .and_then(|headers| headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)));
    match header {
        Some((original_name, header)) => {
            let at = join(&format!("{base}/headers"), original_name);
            format!("{}/schema", resolve_at(document, header, &at).1)
        }
        None => format!("{base}/headers/{name}/schema"),
    }
}

/// The schema path of an error is relative to the `{"$ref": …}` wrapper;
/// drop the wrapper's own `/$ref` step.
fn strip_ref(schema_path: &str) -> &str {
    schema_path.strip_prefix("/$ref").unwrap_or(schema_path)
}

/// Percent-encodes what a URI fragment may not hold (`{`, `}`, space, …).
fn encode_fragment(pointer: &str) -> String {
    let mut out = String::with_capacity(pointer.len());
    for byte in pointer.bytes() {
        if byte.is_ascii_alphanumeric() || b"/~-._!$&'()*+,;=:@".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Reverses [`encode_fragment`].
fn decode_fragment(fragment: &str) -> String {
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| fragment.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_and_referenced_schemas_validate_with_formats_on() {
        let spec = crate::vendored::spec().unwrap();
        let validators = Validators::compile(&spec).unwrap();
        let session = "/paths/~1exchange-sessions~1{id}/get/responses/200/content/application~1vnd.dwolla.v1.hal+json/schema";
        let failures = validators
            .validate(session, &json!({ "created": "yesterday", "_links": {} }))
            .expect("a validator for the session schema");
        let keywords: Vec<&str> = failures.iter().map(|f| f.keyword.as_str()).collect();
        assert!(keywords.contains(&"format"), "{failures:?}");
        assert!(keywords.contains(&"required"), "{failures:?}");
        let created = failures.iter().find(|f| f.keyword == "format").unwrap();
        assert_eq!(created.instance_pointer, "/created");
        assert_eq!(
            created.schema_pointer,
            "/components/schemas/ExchangeSession/properties/created/format"
        );
    }
}
