//! One `tracing` span per request, `dwolla.request`, whose fields follow the
//! OpenTelemetry semantic conventions for HTTP clients, so that any OTel
//! pipeline reads them without mapping: `http.request.method`,
//! `url.template`, `server.address`, `server.port`, and once known
//! `http.response.status_code`, `http.request.resend_count` (only when the
//! request was sent again), `error.type` (the status code of a 4xx or 5xx,
//! or what failed); plus Dwolla's own `dwolla.operation_id`,
//! `dwolla.request_id` (`x-request-id`) and `dwolla.duration_ms`. Never a
//! header value or a body.

use std::time::{Duration, Instant};

use reqwest::{Request, Response};
use tracing::Span;

use super::context;
use super::headers::request_id;
use crate::operations::OperationMeta;

/// The span of one request of `operation`.
pub(crate) fn request_span(operation: Option<&OperationMeta>, request: &Request) -> Span {
    let url = request.url();
    tracing::info_span!(
        "dwolla.request",
        otel.kind = "client",
        http.request.method = request.method().as_str(),
        url.template = operation.map(|op| op.path),
        server.address = url.host_str(),
        server.port = url.port_or_known_default(),
        http.response.status_code = tracing::field::Empty,
        http.request.resend_count = tracing::field::Empty,
        error.type = tracing::field::Empty,
        dwolla.operation_id = operation.map(|op| op.operation_id),
        dwolla.request_id = tracing::field::Empty,
        dwolla.duration_ms = tracing::field::Empty,
    )
}

/// Records the outcome on the span and the call, and hands the response on.
pub(crate) fn finish(response: Response, started: Instant, span: &Span) -> Response {
    let status = response.status();
    let request_id = request_id(response.headers());
    span.record("http.response.status_code", status.as_u16());
    if status.is_client_error() || status.is_server_error() {
        span.record("error.type", status.as_str());
    }
    span.record("dwolla.duration_ms", millis(started.elapsed()));
    if let Some(id) = &request_id {
        span.record("dwolla.request_id", id.as_str());
    }
    tracing::debug!(http.response.status_code = status.as_u16(), "response");
    context::observe(|observed| {
        observed.status = Some(status);
        observed.request_id = request_id;
    });
    response
}

/// Records a request that got no response on the span.
pub(crate) fn failed(error: &reqwest::Error, started: Instant, span: &Span) {
    span.record("error.type", error_type(error));
    span.record("dwolla.duration_ms", millis(started.elapsed()));
    tracing::debug!(error = %error, "request failed");
}

/// Records that the request is about to be sent again, for the
/// `resend`th time.
pub(crate) fn resending(resend: u32, span: &Span) {
    span.record("http.request.resend_count", resend);
}

/// The `error.type` of a request that got no response: what failed, in
/// words of few values, as the convention asks.
fn error_type(error: &reqwest::Error) -> &'static str {
    if error.is_timeout() {
        "timeout"
    } else if error.is_connect() {
        "connect"
    } else if error.is_body() || error.is_decode() {
        "body"
    } else if error.is_request() {
        "request"
    } else {
        "_OTHER"
    }
}

/// A duration in whole milliseconds, for span fields and events.
pub(crate) fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
