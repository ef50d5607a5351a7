//! The headers the client sets and reads: `User-Agent`, `Idempotency-Key`,
//! credentials marked sensitive, Dwolla's media type in place of plain JSON,
//! and `x-request-id`.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::operations::OperationMeta;

/// The `User-Agent` of every request: `<crate>/<version>`.
pub(crate) const USER_AGENT_VALUE: &str =
    concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// `User-Agent` as a header value, built at compile time.
pub(crate) const USER_AGENT_HEADER: HeaderValue = HeaderValue::from_static(USER_AGENT_VALUE);

/// The header progenitor adds from the spec's `info.version`, which Dwolla
/// does not take.
pub(crate) const API_VERSION: HeaderName = HeaderName::from_static("api-version");

/// The header that makes a POST safe to retry: Dwolla answers a repeated key
/// with the outcome of the first request instead of acting twice.
pub(crate) const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

/// Dwolla's id of a request, which its support asks for.
const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// An `Authorization` value marked sensitive, so that `Debug` of the request
/// and HTTP/2 header compression never expose it.
pub(crate) fn sensitive_header(
    operation: &OperationMeta,
    value: &str,
) -> Result<HeaderValue, String> {
    let mut header = HeaderValue::from_str(value).map_err(|_| not_a_header(operation))?;
    header.set_sensitive(true);
    Ok(header)
}

/// Why credentials of `operation` cannot be sent.
pub(crate) fn not_a_header(operation: &OperationMeta) -> String {
    format!(
        "{}: credentials contain characters not allowed in a header",
        operation.operation_id
    )
}

/// Whether a `Content-Type` is `application/json` (with any parameters),
/// which progenitor sets and Dwolla wants as its own media type.
pub(crate) fn is_plain_json(value: &HeaderValue) -> bool {
    value.to_str().is_ok_and(|v| {
        v.split(';')
            .next()
            .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
    })
}

/// Dwolla's `x-request-id` of a response, for support.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get(X_REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .map(str::to_string)
}
