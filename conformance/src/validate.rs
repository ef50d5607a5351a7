//! JSON Schema validators for every schema of the spec that an exchange is
//! checked against, compiled once: draft 2020-12, formats on, offline, and
//! `$ref`s resolved through a registry that holds the whole document.

mod integer_formats;

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::fmt::Write as _;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{Draft, Registry, Resource, ValidationError, Validator};
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

/// Asked to validate against a schema no validator was compiled for: the
/// suite cannot tell whether the instance is valid, so it is not.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "no validator for the schema at {pointer}: the spec has no schema there the suite could compile, so nothing was checked"
)]
pub struct NoValidator {
    /// The schema pointer asked for.
    pub pointer: String,
}

/// One branch of a body schema's top-level `oneOf`/`anyOf`, compiled on its
/// own so that a verdict can tell which branch reads a body.
pub struct Branch {
    /// Where the branch is in the document.
    pub pointer: String,
    /// A name for reports: the `$ref` target's last segment, else its
    /// `title`, else `branch <index>`.
    pub name: String,
    validator: Validator,
}

/// Validators by the document pointer of their schema.
pub struct Validators {
    by_pointer: BTreeMap<String, Validator>,
    branches: BTreeMap<String, Vec<Branch>>,
    /// The bounds added for integer formats, by the pointer of the bound.
    bounded: integer_formats::Bounds,
}

impl Validators {
    /// Compiles a validator for every request and response body schema and
    /// every response header schema of `spec`, and for each branch of a body
    /// schema's top-level `oneOf`/`anyOf`. A pointer the document has no
    /// schema at gets none: validating against it is a [`NoValidator`].
    pub fn compile(spec: &Spec) -> Result<Self, CompileError> {
        let mut document = spec.document.clone();
        let bounded = integer_formats::bound(&mut document);
        let registry = Registry::new()
            .draft(Draft::Draft202012)
            .add(DOCUMENT_URI, Resource::from_contents(document))
            .and_then(jsonschema::RegistryBuilder::prepare)
            .map_err(|why| CompileError {
                pointer: String::new(),
                message: why.to_string(),
            })?;
        let mut validators = Self {
            by_pointer: BTreeMap::new(),
            branches: BTreeMap::new(),
            bounded,
        };
        for operation in spec.operations() {
            let mut bodies: Vec<String> = Vec::new();
            let mut headers: Vec<String> = Vec::new();
            if let Some(request) = &operation.request {
                bodies.extend(request.media_types.values().cloned());
            }
            for response in operation.responses.values() {
                bodies.extend(response.media_types.values().cloned());
                for name in response.headers.keys() {
                    headers.push(header_pointer(&response.pointer, spec, name));
                }
            }
            for pointer in bodies.iter().chain(&headers) {
                if validators.by_pointer.contains_key(pointer)
                    || spec.document.pointer(pointer).is_none()
                {
                    continue;
                }
                let validator = build(&registry, pointer)?;
                validators.by_pointer.insert(pointer.clone(), validator);
            }
            for pointer in bodies {
                if let Entry::Vacant(entry) = validators.branches.entry(pointer) {
                    let branches = compile_branches(spec, &registry, entry.key())?;
                    entry.insert(branches);
                }
            }
        }
        Ok(validators)
    }

    /// Whether a validator was compiled for the schema at `pointer`.
    pub fn has(&self, pointer: &str) -> bool {
        self.by_pointer.contains_key(pointer)
    }

    /// The branches of the body schema at `pointer` (empty when its top
    /// level is no `oneOf`/`anyOf`).
    pub fn branches(&self, pointer: &str) -> &[Branch] {
        self.branches.get(pointer).map_or(&[], Vec::as_slice)
    }

    /// Validates `instance` against branch `index` of the body schema at
    /// `pointer`.
    pub fn validate_branch(
        &self,
        pointer: &str,
        index: usize,
        instance: &Value,
    ) -> Result<Vec<SchemaFailure>, NoValidator> {
        let branch = self
            .branches(pointer)
            .get(index)
            .ok_or_else(|| NoValidator {
                pointer: format!("{pointer} (branch {index})"),
            })?;
        Ok(self
            .bounded
            .named(failures(&branch.validator, &branch.pointer, instance)))
    }

    /// How many validators were compiled.
    pub fn len(&self) -> usize {
        self.by_pointer.len()
    }

    /// Whether none were.
    pub fn is_empty(&self) -> bool {
        self.by_pointer.is_empty()
    }

    /// Validates `instance` against the schema at `pointer`: its failures,
    /// or [`NoValidator`] when none was compiled for that pointer.
    pub fn validate(
        &self,
        pointer: &str,
        instance: &Value,
    ) -> Result<Vec<SchemaFailure>, NoValidator> {
        let validator = self.by_pointer.get(pointer).ok_or_else(|| NoValidator {
            pointer: pointer.to_string(),
        })?;
        Ok(self.bounded.named(failures(validator, pointer, instance)))
    }
}

/// A validator for the schema at `pointer` of the registered document.
fn build(registry: &Registry, pointer: &str) -> Result<Validator, CompileError> {
    jsonschema::options()
        .with_draft(Draft::Draft202012)
        .should_validate_formats(true)
        .with_registry(registry)
        .build(&json!({ "$ref": format!("{DOCUMENT_URI}#{}", encode_fragment(pointer)) }))
        .map_err(|why| CompileError {
            pointer: pointer.to_string(),
            message: why.to_string(),
        })
}

/// The branches of the top-level `oneOf` or `anyOf` of the schema at
/// `pointer` (`$ref`s followed), each compiled.
fn compile_branches(
    spec: &Spec,
    registry: &Registry,
    pointer: &str,
) -> Result<Vec<Branch>, CompileError> {
    let Some(schema) = spec.document.pointer(pointer) else {
        return Ok(Vec::new());
    };
    let (schema, base) = resolve_at(&spec.document, schema, pointer);
    let Some((keyword, branches)) = ["oneOf", "anyOf"].iter().find_map(|keyword| {
        schema
            .get(*keyword)
            .and_then(Value::as_array)
            .map(|branches| (*keyword, branches))
    }) else {
        return Ok(Vec::new());
    };
    branches
        .iter()
        .enumerate()
        .map(|(index, branch)| {
            let at = format!("{base}/{keyword}/{index}");
            Ok(Branch {
                name: branch_name(spec, branch, index),
                validator: build(registry, &at)?,
                pointer: at,
            })
        })
        .collect()
}

/// A branch's name for reports.
fn branch_name(spec: &Spec, branch: &Value, index: usize) -> String {
    let by_ref = branch
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|target| target.rsplit('/').next());
    let by_title = || spec.resolve(branch).get("title").and_then(Value::as_str);
    by_ref
        .or_else(by_title)
        .map_or_else(|| format!("branch {index}"), str::to_string)
}

/// The failures of `instance` under `validator` (compiled for `pointer`).
fn failures(validator: &Validator, pointer: &str, instance: &Value) -> Vec<SchemaFailure> {
    validator
        .iter_errors(instance)
        .map(|error| {
            let (instance_pointer, message, at) = located(&error);
            SchemaFailure {
                instance_pointer,
                keyword: at.kind().keyword().to_string(),
                schema_pointer: keyword_pointer(at, pointer),
                message,
            }
        })
        .collect()
}

/// The document pointer of the keyword `error` failed (compiled for
/// `pointer`).
fn keyword_pointer(error: &ValidationError<'_>, pointer: &str) -> String {
    error
        .absolute_keyword_location()
        .and_then(|uri| uri.fragment().map(|f| decode_fragment(f.as_str())))
        .unwrap_or_else(|| format!("{pointer}{}", strip_ref(&error.schema_path().to_string())))
}

/// How a message names the instance it is about: an instance can carry
/// secrets (a request body, a token), so messages describe it, never quote
/// it.
pub(crate) const THE_VALUE: &str = "the value";

/// Where `error` is in the instance, what it says (the value described),
/// and the error whose keyword is at fault.
///
/// A value no branch of an `anyOf`/`oneOf` accepts is placed at the deepest
/// failure of its closest branch (the one whose failures reach deepest,
/// then the one with fewest), so that a body failing a top-level
/// composition names the field and the keyword to fix rather than the whole
/// body.
fn located<'e, 'i>(error: &'e ValidationError<'i>) -> (String, String, &'e ValidationError<'i>) {
    let here = error.instance_path().to_string();
    let said = error.masked_with(THE_VALUE).to_string();
    let (ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context }) =
        error.kind()
    else {
        return (here, said, error);
    };
    let closest = context
        .iter()
        .enumerate()
        .filter_map(|(index, errors)| {
            let deepest = errors.iter().min_by_key(|e| Reverse(depth(e)))?;
            Some((index, errors.len(), deepest))
        })
        .min_by_key(|(index, count, deepest)| (Reverse(depth(deepest)), *count, *index));
    match closest {
        Some((index, _, deepest)) => {
            let (at, why, fault) = located(deepest);
            let message = format!(
                "{said}; the closest, branch {index}, fails at {}: {why}",
                if at.is_empty() { "/" } else { at.as_str() }
            );
            (at, message, fault)
        }
        None => (here, said, error),
    }
}

/// How many segments deep in the instance `error` is.
fn depth(error: &ValidationError<'_>) -> usize {
    error.instance_path().as_str().matches('/').count()
}

/// The document pointer of a response header's schema: its `schema`, or
/// the schema of its one `content` media type (OpenAPI allows either).
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
            let (header, at) = resolve_at(document, header, &at);
            let content = header
                .get("content")
                .and_then(Value::as_object)
                .filter(|_| header.get("schema").is_none())
                .and_then(|content| content.keys().next());
            match content {
                Some(media) => format!("{}/schema", join(&format!("{at}/content"), media)),
                None => format!("{at}/schema"),
            }
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
            let _ = write!(out, "%{byte:02X}");
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
        if let Some(byte) = escaped {
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
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

    /// A body no branch of the request schema's `oneOf` accepts fails at
    /// the field and the keyword its closest branch fails at, and no message
    /// quotes it.
    #[test]
    fn a_failed_composition_names_its_closest_field_and_quotes_nothing() {
        let spec = crate::vendored::spec().unwrap();
        let validators = Validators::compile(&spec).unwrap();
        let create = "/paths/~1customers~1{id}~1exchange-sessions/post/requestBody/content/application~1vnd.dwolla.v1.hal+json/schema";
        let body = json!({ "_links": { "exchange-partner": { "href": "sekrit, no uri" } } });
        let failures = validators.validate(create, &body).expect("a validator");
        assert_eq!(failures.len(), 1, "{failures:?}");
        assert_eq!(
            failures[0].instance_pointer,
            "/_links/exchange-partner/href"
        );
        assert_eq!(
            failures[0].keyword, "format",
            "the keyword at fault, not the oneOf"
        );
        assert!(
            failures[0]
                .schema_pointer
                .ends_with("/properties/href/format"),
            "{failures:?}"
        );
        assert!(!failures[0].message.contains("sekrit"), "{failures:?}");
        assert!(failures[0].message.contains("\"uri\""), "{failures:?}");
    }
}
