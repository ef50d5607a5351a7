//! The answers the replay server and the mock give alike, shaped as
//! Dwolla's: its error bodies, the refusal of a request the spec rejects,
//! and 404.

use conformance::check::Failure;
use conformance::fixture::RecordedResponse;
use serde_json::{Value, json};

/// Dwolla's HAL media type.
pub(crate) const HAL: &str = "application/vnd.dwolla.v1.hal+json";

/// A HAL JSON answer.
pub(crate) fn hal(status: u16, body: Value) -> RecordedResponse {
    RecordedResponse {
        status,
        headers: [("content-type".to_string(), HAL.to_string())].into(),
        body: Some(body),
        body_text: None,
    }
}

/// Dwolla's error body: `code` and `message`.
pub(crate) fn error(code: &str, message: &str) -> Value {
    json!({ "code": code, "message": message })
}

/// Dwolla's 400: `ValidationError` with one embedded error per
/// `(path, message)`.
pub(crate) fn validation_error<'a>(errors: impl IntoIterator<Item = (&'a str, String)>) -> Value {
    let errors: Vec<Value> = errors
        .into_iter()
        .map(|(path, message)| json!({ "code": "Invalid", "message": message, "path": path, "_links": {} }))
        .collect();
    json!({
        "code": "ValidationError",
        "message": "Validation error(s) present. See embedded errors list for more details.",
        "_embedded": { "errors": errors },
    })
}

/// The answer to a request of `operation` the spec refuses: 401 for missing
/// credentials (`invalid_client` at `/token`), else Dwolla's `400
/// ValidationError` with one embedded error per violation.
pub(crate) fn refusal(operation: &str, violations: &[Failure]) -> RecordedResponse {
    let unauthenticated = violations
        .iter()
        .any(|v| v.instance_pointer == "header:authorization");
    match (unauthenticated, operation) {
        (true, "createApplicationAccessToken") => hal(401, json!({ "error": "invalid_client" })),
        (true, _) => hal(401, error("InvalidAccessToken", "Invalid access token.")),
        (false, _) => hal(
            400,
            validation_error(
                violations
                    .iter()
                    .map(|v| (v.instance_pointer.as_str(), v.message.clone())),
            ),
        ),
    }
}

/// Dwolla's 404.
pub(crate) fn not_found() -> RecordedResponse {
    hal(
        404,
        error("NotFound", "The requested resource was not found."),
    )
}
