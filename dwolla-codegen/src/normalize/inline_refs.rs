//! Rule: references to components other than schemas are inlined, and
//! path-level parameters moved into each operation, so that each operation
//! can be rewritten on its own.

use openapi_doc::resolve::resolve;
use openapi_doc::spec::METHODS;
use serde_json::Value;

/// Replaces references to components of kinds other than schemas (parameters,
/// request bodies, responses, headers) by copies of what they name, and moves
/// path-level parameters into each operation, so each operation can be
/// rewritten on its own.
pub(super) fn inline_operation_refs(doc: &mut Value) {
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
