//! The `Accept` value of each operation, read before the rules remove the
//! `Accept` parameter and rewrite vendor media types.

use std::collections::BTreeMap;

use openapi_doc::resolve::resolve;
use openapi_doc::spec::METHODS;
use serde_json::Value;

/// The `Accept` value of each operation, read before normalization removes
/// the `Accept` parameter and rewrites vendor media types: the values its
/// `Accept` header parameter allows (`enum`, else `default`), else the media
/// types of its success responses, else of all its responses.
pub(super) fn accept_values(doc: &Value) -> BTreeMap<(String, String), String> {
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
