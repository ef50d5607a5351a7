//! One `tracing` span per request: `dwolla.request` with the operationId,
//! method, path template, and, once known, status, duration, attempts and
//! `x-request-id`. Never a header value or a body.

use std::future::Future;
use std::time::{Duration, Instant};

use reqwest::{Request, Response};
use tracing::{Instrument, Span};

use super::context;
use super::headers::request_id;
use crate::operations::OperationMeta;

/// The span of one request of `operation`.
pub(crate) fn request_span(operation: Option<&OperationMeta>, request: &Request) -> Span {
    tracing::info_span!(
        "dwolla.request",
        operation_id = operation.map_or("unknown", |op| op.operation_id),
        method = %request.method(),
        path = operation.map_or("unknown", |op| op.path),
        status = tracing::field::Empty,
        duration_ms = tracing::field::Empty,
        request_id = tracing::field::Empty,
        attempts = tracing::field::Empty,
    )
}

/// Runs `send` in `span`, entering it on every poll only when a subscriber
/// wants the span.
pub(crate) async fn in_span<F: Future>(span: &Span, send: F) -> F::Output {
    if span.is_disabled() {
        send.await
    } else {
        send.instrument(span.clone()).await
    }
}

/// Records the outcome on the span and the call, and hands the response on.
pub(crate) fn finish(response: Response, started: Instant, span: &Span) -> Response {
    let status = response.status();
    let request_id = request_id(response.headers());
    span.record("status", status.as_u16());
    span.record("duration_ms", millis(started.elapsed()));
    if let Some(id) = &request_id {
        span.record("request_id", id.as_str());
    }
    tracing::debug!(status = status.as_u16(), "response");
    context::observe(|observed| {
        observed.status = Some(status);
        observed.request_id = request_id;
    });
    response
}

/// A duration in whole milliseconds, for span fields and events.
pub(crate) fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
