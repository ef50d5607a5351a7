//! Rules on the document as a whole: the OpenAPI version read and written,
//! 3.1-only fields dropped, the injected error and secret schemas, and the
//! component kinds whose uses were inlined.

use serde_json::{Value, json};

use super::walk::ensure_object;
use super::{NormalizeOptions, operation, secrets};
use crate::report::Note;

/// The OpenAPI version progenitor accepts.
const TARGET_VERSION: &str = "3.0.3";

pub(super) fn check_version(doc: &Value) -> Result<(), String> {
    match doc.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.1.") || v.starts_with("3.0.") => Ok(()),
        Some(v) => Err(format!(
            "OpenAPI version {v}: only 3.1.x (and 3.0.x) documents are supported"
        )),
        None => Err("no `openapi` version field: this is not an OpenAPI 3 document".into()),
    }
}

/// Document-level rewrites: the version, 3.1-only fields, the injected error
/// schema, and component kinds whose uses were inlined.
pub(super) fn finish_document(doc: &mut Value, options: &NormalizeOptions, notes: &mut Vec<Note>) {
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
