//! The bounded body: a response body is read whole only when the transport
//! must look at it (a 401), the call asked to keep it, or its length is
//! unknown or too large, and never beyond the configured limit.

use bytes::Bytes;
use reqwest::header::{CONTENT_LENGTH, HeaderValue};
use reqwest::{Response, ResponseBuilderExt, StatusCode};

use super::context;

/// Bounds the body: reads it whole (at most `limit` bytes) and rebuilds the
/// response around it, returning the bytes beside it for inspection; a body
/// over the limit is dropped (the response keeps its status and headers, its
/// body is empty, and the call records why). A body of declared length
/// within the limit is passed on untouched, except on a 401 or when `keep`
/// (the call keeps this operation's body: it then records a copy, and an
/// answer over the limit clears one kept before).
pub(crate) async fn bounded(
    mut response: Response,
    limit: usize,
    keep: bool,
) -> reqwest::Result<(Response, Bytes)> {
    // HTTP/1.1 framing and HTTP/2 both hold a body to its declared length, so
    // a response that declares a length within the limit needs no copy unless
    // the transport must read it (a 401 might ask for a replay).
    if response.status() != StatusCode::UNAUTHORIZED
        && !keep
        && response
            .content_length()
            .is_some_and(|length| length <= limit as u64)
    {
        return Ok((response, Bytes::new()));
    }
    let status = response.status();
    let version = response.version();
    let url = response.url().clone();
    let mut headers = std::mem::take(response.headers_mut());
    let declared = response.content_length();
    let body = if declared.is_some_and(|length| length > limit as u64) {
        None
    } else {
        read_within(&mut response, limit).await?
    };
    let over_limit = body.is_none();
    let body = body.unwrap_or_default();
    if over_limit {
        headers.insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
        tracing::debug!(limit, "response body over the limit; dropped");
        context::observe(|observed| observed.body_over_limit = Some(limit));
    }
    if keep {
        context::observe(|observed| observed.body = (!over_limit).then(|| body.clone()));
    }
    // The URL goes along: the transport compares it with the URL sent, and
    // an answer without it would be taken for one from a followed redirect.
    let mut rebuilt = http::Response::builder()
        .status(status)
        .version(version)
        .url(url)
        .body(body.clone())
        .unwrap_or_else(|_| http::Response::new(body.clone()));
    *rebuilt.headers_mut() = headers;
    Ok((Response::from(rebuilt), body))
}

/// The whole body, or `None` once it exceeds `limit` bytes. A body that
/// arrives in one chunk (the usual case) is not copied.
async fn read_within(response: &mut Response, limit: usize) -> reqwest::Result<Option<Bytes>> {
    let mut first = Bytes::new();
    // The chunks after the first, joined to it; empty while there is one.
    let mut joined = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let held = if joined.is_empty() {
            first.len()
        } else {
            joined.len()
        };
        if held + chunk.len() > limit {
            return Ok(None);
        }
        if first.is_empty() && joined.is_empty() {
            first = chunk;
        } else {
            if joined.is_empty() {
                joined.extend_from_slice(&first);
            }
            joined.extend_from_slice(&chunk);
        }
    }
    Ok(Some(if joined.is_empty() {
        first
    } else {
        Bytes::from(joined)
    }))
}

#[cfg(all(test, feature = "ergonomic"))]
mod tests {
    use super::*;
    use crate::operations::spec::{RETRIEVE_CUSTOMER_EXCHANGE_SESSION, TOKEN};
    use crate::wire::context::keeps_body;

    /// A response as the transport hands it to [`bounded`].
    fn response(body: &'static str) -> Response {
        Response::from(http::Response::new(Bytes::from_static(body.as_bytes())))
    }

    /// The token fetched inside a call that keeps its body is not that body:
    /// its answer (an access token) never sits in what the call observed;
    /// the call's own answer does.
    #[tokio::test]
    async fn only_the_calls_own_answer_is_kept() {
        let token = r#"{"access_token":"tok-kept-1","expires_in":3600}"#;
        let (kept, observed) = context::scope(
            RETRIEVE_CUSTOMER_EXCHANGE_SESSION,
            None,
            true,
            Box::pin(async {
                let kept = keeps_body(Some(TOKEN));
                bounded(response(token), 1024, kept).await.map(|_| kept)
            }),
        )
        .await;
        assert_eq!((kept.ok(), observed.body), (Some(false), None));
        let (_, observed) = context::scope(
            RETRIEVE_CUSTOMER_EXCHANGE_SESSION,
            None,
            true,
            Box::pin(async {
                let keep = keeps_body(Some(RETRIEVE_CUSTOMER_EXCHANGE_SESSION));
                bounded(response("{}"), 1024, keep).await.map(|_| ())
            }),
        )
        .await;
        assert_eq!(observed.body.as_deref(), Some(&b"{}"[..]));
    }
}
