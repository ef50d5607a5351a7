//! The send loop: one request of one operation, sent under the retry policy
//! (see [`retry`](super::retry)), replayed once with a new token when Dwolla
//! says the token expired, its body bounded, in one tracing span.

use std::time::{Duration, Instant};

use reqwest::header::{AUTHORIZATION, HeaderValue};
use reqwest::{Request, Response, StatusCode};
use tracing::Instrument;

use super::body::bounded;
use super::context;
use super::redirect::mark_if_followed;
use super::retry::{is_retry_safe, is_retryable_failure};
use super::span::{failed, finish, millis, request_span, resending};
use crate::auth::{Secret, bearer_header, bearer_token};
use crate::error::DwollaErrorBody;
use crate::generated::{Client, ClientInfo};
use crate::operations::{Auth, OperationMeta};

/// Sends `request` for `operation` under the client's policy; an answer
/// from another URL than the one sent is marked as a followed redirect.
pub(crate) async fn execute(
    client: &Client,
    request: Request,
    operation: Option<&'static OperationMeta>,
) -> reqwest::Result<Response> {
    let span = request_span(operation, &request);
    let sent = request.url().clone();
    // Entered on every poll only when a subscriber wants the span. (Written
    // out, not a helper taking the send loop: passing its future on would
    // copy it once more per request.)
    let mut result = if span.is_disabled() {
        send_loop(client, request, operation, &span).await
    } else {
        send_loop(client, request, operation, &span)
            .instrument(span.clone())
            .await
    };
    if let Ok(response) = &mut result {
        mark_if_followed(response, &sent);
    }
    result
}

async fn send_loop(
    client: &Client,
    mut request: Request,
    operation: Option<&'static OperationMeta>,
    span: &tracing::Span,
) -> reqwest::Result<Response> {
    let started = Instant::now();
    let settings = client.inner().settings();
    let policy = &settings.retry;
    let retry_safe = is_retry_safe(operation, &request);
    let keep = context::keeps_body(operation);
    let mut retries = 0;
    let mut replayed = false;
    loop {
        let resends = retries + u32::from(replayed);
        if resends > 0 {
            resending(resends, span);
        }
        let spare = request.try_clone();
        let outcome = match client.client().execute(request).await {
            Ok(response) => bounded(response, settings.max_body_bytes, keep).await,
            Err(error) => Err(error),
        };
        let may_retry = retry_safe && retries < policy.max_retries;
        let (response, body) = match outcome {
            Ok(buffered) => buffered,
            Err(error) => {
                if let Some(next) = spare.filter(|_| may_retry && is_retryable_failure(&error)) {
                    pause(policy.backoff(retries), retries, "connect").await;
                    retries += 1;
                    request = next;
                    continue;
                }
                failed(&error, started, span);
                return Err(error);
            }
        };
        let Some(mut next) = spare else {
            return Ok(finish(response, started, span));
        };
        // The spare is a copy of what was sent, its `Authorization` too.
        let sent = next.headers().get(AUTHORIZATION);
        if !replayed
            && let Some(authorization) =
                renewed_authorization(client, operation, &response, sent, &body).await
        {
            tracing::debug!("access token rejected as expired; replaying once");
            next.headers_mut().insert(AUTHORIZATION, authorization);
            replayed = true;
            request = next;
            continue;
        }
        let status = response.status();
        if may_retry
            && let Some(delay) = policy.delay_after_status(status, response.headers(), retries)
        {
            pause(delay, retries, status.as_str()).await;
            retries += 1;
            request = next;
            continue;
        }
        return Ok(finish(response, started, span));
    }
}

/// Waits `delay` before retry number `retry + 1`, saying why.
async fn pause(delay: Duration, retry: u32, reason: &str) {
    tracing::debug!(
        retry = retry + 1,
        delay_ms = millis(delay),
        reason,
        "retrying"
    );
    tokio::time::sleep(delay).await;
}

/// A new `Authorization` for one replay, when Dwolla answered 401 because
/// the bearer token sent had expired: that token leaves the cache and a
/// fresh one is obtained. `None` when the 401 is about something else, or no
/// new token can be had (the 401 is then returned as it is).
async fn renewed_authorization(
    client: &Client,
    operation: Option<&OperationMeta>,
    response: &Response,
    sent: Option<&HeaderValue>,
    body: &[u8],
) -> Option<HeaderValue> {
    if response.status() != StatusCode::UNAUTHORIZED
        || operation.is_none_or(|op| op.auth != Auth::Bearer)
    {
        return None;
    }
    let used = bearer_of(sent)?;
    if !says_token_expired(body) {
        return None;
    }
    let state = client.inner();
    state.tokens().invalidate(&used);
    let token = Box::pin(bearer_token(
        client,
        state.tokens(),
        state.has_credentials(),
    ))
    .await
    .ok()?;
    bearer_header(&token)
}

/// Whether a 401 body says the token itself was the problem.
fn says_token_expired(body: &[u8]) -> bool {
    serde_json::from_slice::<DwollaErrorBody>(body).is_ok_and(|error| {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_expired_or_invalid_token_codes_trigger_a_replay() {
        assert!(says_token_expired(br#"{"code":"ExpiredAccessToken"}"#));
        assert!(says_token_expired(br#"{"code":"InvalidAccessToken"}"#));
        assert!(!says_token_expired(br#"{"code":"InvalidScope"}"#));
        assert!(!says_token_expired(b"<html>401</html>"));
    }
}
