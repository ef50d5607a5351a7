//! Sending a request: retries, the one replay after an expired token, a
//! bounded body, and one tracing span.
//!
//! What is retried: 429, 502, 503, 504 and failures to connect or to send
//! (a connection reset before any response), for requests
//! that are safe to send twice: reads, `POST /token` (it issues a token and
//! changes nothing), and a POST that carries an `Idempotency-Key`. A POST
//! without a key is sent exactly once. `Retry-After` (seconds or an HTTP
//! date) is honoured; a wait longer than [`RetryPolicy::max_retry_after`]
//! ends the retries and returns the answer as it is.

use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{AUTHORIZATION, CONTENT_LENGTH, HeaderMap, HeaderValue, RETRY_AFTER};
use reqwest::{Method, Request, Response, StatusCode};
use tracing::Instrument;

use super::{Auth, IDEMPOTENCY_KEY, OperationMeta, bearer_token, call, sensitive_header};
use crate::auth::Secret;
use crate::generated::{Client, ClientInfo};

/// When and how often a failed request is sent again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (default 3; 0 turns retries off).
    pub max_retries: u32,
    /// Delay before the first retry; doubled for each further one, with
    /// jitter (default 200 ms).
    pub base_delay: Duration,
    /// Upper bound of the computed delay (default 5 s).
    pub max_delay: Duration,
    /// The longest `Retry-After` the client waits for (default 60 s); a
    /// longer one ends the retries and the answer is returned.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn disabled() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// The jittered exponential delay before retry number `retry` (0-based):
    /// between half and all of `base_delay * 2^retry`, capped at `max_delay`.
    fn backoff(&self, retry: u32) -> Duration {
        let full = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(retry))
            .min(self.max_delay);
        let half = full / 2;
        half + half.mul_f64(fastrand::f64())
    }
}

/// Statuses that say "try again later".
fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

/// Failures to connect or to send, before any response: worth another try
/// for a request that is safe to repeat. A timeout is not retried (the
/// caller's time budget is spent), nor is a failure while reading a body.
fn is_retryable_failure(error: &reqwest::Error) -> bool {
    (error.is_connect() || error.is_request()) && !error.is_timeout() && !error.is_body()
}

/// Whether sending `request` twice can do no harm.
fn is_retry_safe(operation: Option<&OperationMeta>, request: &Request) -> bool {
    match *request.method() {
        Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE => true,
        Method::POST => {
            request.headers().contains_key(IDEMPOTENCY_KEY)
                || operation.is_some_and(|op| op.operation_id == "createApplicationAccessToken")
        }
        _ => false,
    }
}

/// The wait a `Retry-After` header asks for: delta-seconds or an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(at.timestamp()).ok()?);
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Whether a 401 body says the token itself was the problem.
fn says_token_expired(body: &[u8]) -> bool {
    serde_json::from_slice::<crate::DwollaError>(body).is_ok_and(|error| {
        matches!(
            error.code(),
            Some("ExpiredAccessToken" | "InvalidAccessToken")
        )
    })
}

/// The bearer token an `Authorization` value carries.
fn bearer_of(authorization: Option<&HeaderValue>) -> Option<Secret> {
    let value = authorization?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(Secret::new)
}

/// Sends `request` for `operation` under the client's policy.
pub(super) async fn execute(
    client: &Client,
    request: Request,
    operation: Option<&'static OperationMeta>,
) -> reqwest::Result<Response> {
    let span = tracing::info_span!(
        "dwolla.request",
        operation_id = operation.map_or("unknown", |op| op.operation_id),
        method = %request.method(),
        path = operation.map_or("unknown", |op| op.path),
        status = tracing::field::Empty,
        duration_ms = tracing::field::Empty,
        request_id = tracing::field::Empty,
        attempts = tracing::field::Empty,
    );
    if span.is_disabled() {
        // No subscriber wants the span: skip entering it on every poll.
        execute_in_span(client, request, operation, &span).await
    } else {
        let inner = span.clone();
        execute_in_span(client, request, operation, &inner)
            .instrument(span)
            .await
    }
}

async fn execute_in_span(
    client: &Client,
    mut request: Request,
    operation: Option<&'static OperationMeta>,
    span: &tracing::Span,
) -> reqwest::Result<Response> {
    let started = Instant::now();
    let settings = client.inner().settings();
    let policy = &settings.retry;
    let retry_safe = is_retry_safe(operation, &request);
    let mut retries = 0;
    let mut replayed = false;
    loop {
        let spare = request.try_clone();
        let sent_authorization = request.headers().get(AUTHORIZATION).cloned();
        let outcome = client.client().execute(request).await;
        let buffered = match outcome {
            Ok(response) => buffer(response, settings.max_body_bytes).await,
            Err(error) => Err(error),
        };
        span.record("attempts", retries + 1);
        let (response, body) = match buffered {
            Ok(buffered) => buffered,
            Err(error) => {
                if let Some(next) = spare
                    && retry_safe
                    && is_retryable_failure(&error)
                    && retries < policy.max_retries
                {
                    let delay = policy.backoff(retries);
                    tracing::debug!(
                        retry = retries + 1,
                        delay_ms = millis(delay),
                        reason = "connect",
                        "retrying"
                    );
                    tokio::time::sleep(delay).await;
                    retries += 1;
                    request = next;
                    continue;
                }
                span.record("duration_ms", millis(started.elapsed()));
                tracing::debug!(error = %error, "request failed");
                return Err(error);
            }
        };

        let status = response.status();
        if let Some(mut next) = spare {
            if status == StatusCode::UNAUTHORIZED
                && !replayed
                && let Some(op) = operation.filter(|op| op.auth == Auth::Bearer)
                && let Some(used) = bearer_of(sent_authorization.as_ref())
                && says_token_expired(&body)
            {
                client.inner().shared.tokens.invalidate(&used);
                if let Ok(token) = Box::pin(bearer_token(client, op)).await
                    && let Ok(value) = sensitive_header(op, &format!("Bearer {}", token.expose()))
                {
                    tracing::debug!("access token rejected as expired; replaying once");
                    next.headers_mut().insert(AUTHORIZATION, value);
                    replayed = true;
                    request = next;
                    continue;
                }
            } else if is_retryable_status(status) && retry_safe && retries < policy.max_retries {
                let asked = retry_after(response.headers(), SystemTime::now());
                if asked.is_none_or(|wait| wait <= policy.max_retry_after) {
                    let delay = asked.unwrap_or_else(|| policy.backoff(retries));
                    tracing::debug!(
                        retry = retries + 1,
                        delay_ms = millis(delay),
                        status = status.as_u16(),
                        "retrying"
                    );
                    tokio::time::sleep(delay).await;
                    retries += 1;
                    request = next;
                    continue;
                }
            }
        }
        return Ok(finish(response, started, span));
    }
}

/// Records the outcome on the span and the call, and hands the response on.
fn finish(response: Response, started: Instant, span: &tracing::Span) -> Response {
    let status = response.status();
    let request_id = response
        .headers()
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .map(str::to_string);
    span.record("status", status.as_u16());
    span.record("duration_ms", millis(started.elapsed()));
    if let Some(id) = &request_id {
        span.record("request_id", id.as_str());
    }
    tracing::debug!(status = status.as_u16(), "response");
    call::observe(|observed| {
        observed.status = Some(status);
        observed.request_id = request_id;
    });
    response
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// Bounds the body: reads it whole (at most `limit` bytes) and rebuilds the
/// response around it, returning the bytes beside it for inspection; a body
/// over the limit is dropped (the response keeps its status and headers, its
/// body is empty, and the call records why). A body of declared length
/// within the limit is passed on untouched, except on a 401.
async fn buffer(mut response: Response, limit: usize) -> reqwest::Result<(Response, bytes::Bytes)> {
    // HTTP/1.1 framing and HTTP/2 both hold a body to its declared length, so
    // a response that declares a length within the limit needs no copy unless
    // the transport must read it (a 401 might ask for a replay).
    if response.status() != StatusCode::UNAUTHORIZED
        && response
            .content_length()
            .is_some_and(|length| length <= limit as u64)
    {
        return Ok((response, bytes::Bytes::new()));
    }
    let status = response.status();
    let version = response.version();
    let mut headers = response.headers().clone();
    let declared = response.content_length();
    let mut body = Vec::new();
    let mut over_limit = declared.is_some_and(|length| length > limit as u64);
    if !over_limit {
        while let Some(chunk) = response.chunk().await? {
            if body.len() + chunk.len() > limit {
                over_limit = true;
                break;
            }
            body.extend_from_slice(&chunk);
        }
    }
    if over_limit {
        body.clear();
        headers.insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
        tracing::debug!(limit, "response body over the limit; dropped");
        call::observe(|observed| observed.body_over_limit = Some(limit));
    }
    let body = bytes::Bytes::from(body);
    let mut rebuilt = http::Response::new(body.clone());
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    Ok((Response::from(rebuilt), body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut map = HeaderMap::new();
        map.insert(RETRY_AFTER, HeaderValue::from_str(retry_after).unwrap());
        map
    }

    #[test]
    fn retry_after_in_seconds_and_as_a_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(
            retry_after(&headers("7"), now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            retry_after(&headers("Sun, 06 Nov 1994 08:49:40 GMT"), now),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            retry_after(&headers("Sun, 06 Nov 1994 08:00:00 GMT"), now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers("soon"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn backoff_doubles_with_jitter_and_stays_capped() {
        let policy = RetryPolicy::default();
        for retry in 0..10 {
            let full = (policy.base_delay * 2u32.pow(retry)).min(policy.max_delay);
            let delay = policy.backoff(retry);
            assert!(delay >= full / 2 && delay <= full, "{retry}: {delay:?}");
        }
    }

    #[test]
    fn only_expired_or_invalid_token_codes_trigger_a_replay() {
        assert!(says_token_expired(br#"{"code":"ExpiredAccessToken"}"#));
        assert!(says_token_expired(br#"{"code":"InvalidAccessToken"}"#));
        assert!(!says_token_expired(br#"{"code":"InvalidScope"}"#));
        assert!(!says_token_expired(b"<html>401</html>"));
    }
}
