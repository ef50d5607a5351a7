//! The answers the replay server and the mock give alike, shaped as
//! Dwolla's: its error bodies, the refusal of a request the spec rejects,
//! and 404.

use conformance::check::Failure;
use conformance::fixture::RecordedResponse;
use serde_json::{Value, json};

/// Dwolla's media type (HAL JSON), what its answers carry.
pub const DWOLLA_MEDIA_TYPE: &str = "application/vnd.dwolla.v1.hal+json";

/// A HAL link to `href`, a resource of `resource_type`.
pub(crate) fn hal_link(href: &str, resource_type: &str) -> Value {
    json!({ "href": href, "type": DWOLLA_MEDIA_TYPE, "resource-type": resource_type })
}

/// An exchange session as Dwolla answers its retrieve, before the partner's
/// part (a link token, a page, a payment session): `created`, and links to
/// itself and to its partner, on `base`.
pub fn exchange_session(base: &str, id: &str, partner_id: &str, created: &str) -> Value {
    json!({
        "created": created,
        "_links": {
            "self": hal_link(&format!("{base}/exchange-sessions/{id}"), "exchange-sessions"),
            "exchange-partner": hal_link(&format!("{base}/exchange-partners/{partner_id}"), "exchange-partner"),
        },
    })
}

/// A HAL JSON answer.
pub(crate) fn hal(status: u16, body: Value) -> RecordedResponse {
    RecordedResponse {
        status,
        headers: [("content-type".to_string(), DWOLLA_MEDIA_TYPE.to_string())].into(),
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
