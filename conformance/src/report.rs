//! What the suite tells people: coverage of documented statuses, the spec's
//! surface (verdicts are rendered by [`render`](crate::render)).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use openapi_doc::spec::Spec;
use serde::Serialize;
use serde_json::{Value, json};

use crate::check::Suite;
use crate::fixture::Loaded;

/// Which fixtures cover each documented status of each operation.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    /// `operationId` → status → fixture names.
    pub statuses: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

impl Coverage {
    /// Coverage of `suite`'s operations by `fixtures`.
    pub fn of(suite: &Suite, fixtures: &[Loaded]) -> Self {
        let mut statuses: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
        for operation in suite.operations() {
            let entry = statuses.entry(operation.id.clone()).or_default();
            for status in operation.responses.keys() {
                entry.entry(status.clone()).or_default();
            }
        }
        for loaded in fixtures {
            let Some(operation) = suite.operation(&loaded.exchange.operation) else {
                continue;
            };
            if let Some((status, _)) = operation.response(loaded.exchange.response.status)
                && let Some(names) = statuses
                    .get_mut(&operation.id)
                    .and_then(|by_status| by_status.get_mut(status))
            {
                names.push(loaded.name.clone());
            }
        }
        Self { statuses }
    }

    /// Documented statuses no fixture covers, as `operationId status`.
    pub fn uncovered(&self) -> Vec<String> {
        self.statuses
            .iter()
            .flat_map(|(operation, by_status)| {
                by_status
                    .iter()
                    .filter(|(_, names)| names.is_empty())
                    .map(move |(status, _)| format!("{operation} {status}"))
            })
            .collect()
    }

    /// A table for people.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for (operation, by_status) in &self.statuses {
            for (status, names) in by_status {
                let _ = writeln!(
                    out,
                    "{operation:<34} {status:<7} {}",
                    if names.is_empty() {
                        "NOT COVERED".to_string()
                    } else {
                        format!("{} fixture(s)", names.len())
                    }
                );
            }
        }
        out
    }
}

/// The spec's surface: for each operation its method, path, parameters,
/// request media types, statuses with media types and headers, and a digest
/// of every schema it uses, so that any change shows in a snapshot.
pub fn surface(spec: &Spec) -> Value {
    let operations: Vec<Value> = spec
        .operations()
        .into_iter()
        .map(|operation| {
            let responses: BTreeMap<&String, Value> = operation
                .responses
                .iter()
                .map(|(status, response)| {
                    let media: BTreeMap<&String, String> = response
                        .media_types
                        .iter()
                        .map(|(media, pointer)| (media, schema_digest(spec, pointer)))
                        .collect();
                    (status, json!({ "media_types": media, "headers": response.headers.keys().collect::<Vec<_>>() }))
                })
                .collect();
            let request = operation.request.as_ref().map(|request| {
                let media: BTreeMap<&String, String> = request
                    .media_types
                    .iter()
                    .map(|(media, pointer)| (media, schema_digest(spec, pointer)))
                    .collect();
                json!({ "required": request.required, "media_types": media })
            });
            json!({
                "operation_id": operation.id,
                "method": operation.method,
                "path": operation.path,
                "parameters": operation.parameters.iter().map(|p| format!("{} {}{}", p.location, p.name, if p.required { " (required)" } else { "" })).collect::<Vec<_>>(),
                "request": request,
                "responses": responses,
            })
        })
        .collect();
    Value::Array(operations)
}

/// FNV-1a over the schema with every local `$ref` inlined: a change anywhere
/// in what the schema accepts changes the digest.
pub fn schema_digest(spec: &Spec, pointer: &str) -> String {
    let schema = spec
        .document
        .pointer(pointer)
        .cloned()
        .unwrap_or(Value::Null);
    let inlined = inline_refs(spec, &schema, 0);
    let text = inlined.to_string();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

fn inline_refs(spec: &Spec, value: &Value, depth: usize) -> Value {
    if depth > 32 {
        return value.clone();
    }
    match value {
        Value::Object(object) => {
            if object.contains_key("$ref") {
                let resolved = spec.resolve(value);
                if !std::ptr::eq(resolved, value) {
                    return inline_refs(spec, resolved, depth + 1);
                }
            }
            Value::Object(
                object
                    .iter()
                    .map(|(key, inner)| (key.clone(), inline_refs(spec, inner, depth + 1)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|inner| inline_refs(spec, inner, depth + 1))
                .collect(),
        ),
        other => other.clone(),
    }
}
