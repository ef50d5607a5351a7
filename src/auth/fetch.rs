//! Obtaining an access token: `POST /token` (OAuth 2.0 client credentials),
//! behind the cache's single flight.
//!
//! The request and the reading of its answer are written here, not taken
//! from the generated operation: the grant is Dwolla's OAuth protocol, and
//! published specs disagree about it (token fields required or optional, an
//! authentication scheme named but never defined). The request still goes
//! through the same hooks as every request, as the spec's `POST /token`
//! (`spec::TOKEN`, HTTP Basic whatever the spec says): credentials, retries,
//! the bounded body, its own span. The hooks in turn call [`bearer_token`]
//! when a request needs a token; the future is boxed to break that
//! recursion.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use progenitor_client::{ClientHooks, OperationInfo};
use reqwest::StatusCode;
use serde::Deserialize;
use serde_json::Number;

use super::cache::TokenCache;
use super::secret::Secret;
use crate::error::{DwollaErrorBody, TokenError};
use crate::generated::{Client, ClientInfo, Error};
use crate::operations::spec::TOKEN;
use crate::redact::printable;

/// Why no bearer token is at hand.
pub(crate) enum NoBearer {
    /// None was set and there are no credentials to obtain one.
    NoCredentials,
    /// `POST /token` failed.
    FetchFailed(TokenError),
}

/// A bearer token: the cached one, or a new one from `POST /token` through
/// `client` (one fetch however many callers wait for it). Without
/// credentials (`can_fetch` false) only a token set by hand can serve.
pub(crate) async fn bearer_token(
    client: &Client,
    tokens: &TokenCache,
    can_fetch: bool,
) -> Result<Secret, NoBearer> {
    if let Some(token) = tokens.fresh() {
        return Ok(token);
    }
    if !can_fetch {
        return Err(NoBearer::NoCredentials);
    }
    tokens
        .get_or_fetch(|| fetch_token(client))
        .await
        .map_err(NoBearer::FetchFailed)
}

type TokenFuture<'a> =
    Pin<Box<dyn Future<Output = Result<(Secret, Option<Duration>), TokenError>> + Send + 'a>>;

/// Asks `POST /token` for a token and reads the answer. Boxed because the
/// request passes through the same hooks that call this.
fn fetch_token(client: &Client) -> TokenFuture<'_> {
    Box::pin(async move {
        let response = send(client).await?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|error| failed(Error::ResponseBodyError(error)))?;
        if status.is_success() {
            TokenAnswer::read(status, &body)
        } else {
            Err(refused(status, &body))
        }
    })
}

/// Sends the client-credentials grant through the hooks, as `spec::TOKEN`;
/// a redirect is a failed fetch naming where it pointed (the hooks' `post`
/// refuses one a caller's HTTP client followed).
async fn send(client: &Client) -> Result<reqwest::Response, TokenError> {
    let mut request = client
        .client()
        .post(format!("{}{}", client.baseurl(), TOKEN.path))
        .form(&[("grant_type", "client_credentials")])
        .build()
        .map_err(|error| failed(Error::CommunicationError(error)))?;
    let info = OperationInfo {
        operation_id: TOKEN.method_name,
    };
    client.pre(&mut request, &info).await.map_err(failed)?;
    let result = client.exec(request, &info).await;
    if let Ok(response) = &result
        && response.status().is_redirection()
    {
        return Err(redirected(response));
    }
    client.post(&result, &info).await.map_err(failed)?;
    result.map_err(|error| failed(Error::CommunicationError(error)))
}

/// What `POST /token` answers with a token, read whatever the spec's schema
/// says about it.
#[derive(Deserialize)]
struct TokenAnswer {
    access_token: Option<Secret>,
    /// Seconds the token lives: an integer in JSON Schema, which `3600.0`
    /// also is.
    #[serde(default)]
    expires_in: Option<Number>,
}

impl TokenAnswer {
    /// The token of a success answer and its lifetime (unknown without
    /// `expires_in`); a token that cannot be sent as a bearer credential is
    /// a failed fetch, never cached.
    fn read(status: StatusCode, body: &[u8]) -> Result<(Secret, Option<Duration>), TokenError> {
        let answer: Self = serde_json::from_slice(body)
            .map_err(|why| answered(status, &format!("a body that is not a token: {why}")))?;
        let token = answer
            .access_token
            .ok_or_else(|| answered(status, "no access_token"))?;
        if !is_sendable(&token) {
            return Err(answered(
                status,
                "an access token that cannot be sent: empty, or holding spaces or control characters",
            ));
        }
        Ok((token, answer.expires_in.as_ref().map(lifetime)))
    }
}

/// Whether a token can follow `Bearer ` in a header: visible ASCII only, at
/// least one character.
fn is_sendable(token: &Secret) -> bool {
    let token = token.expose();
    !token.is_empty() && token.bytes().all(|byte| byte.is_ascii_graphic())
}

/// `expires_in` as a duration: a negative one is nothing left, a fraction is
/// rounded down, one beyond `Duration` is its largest (the cache caps
/// every lifetime anyway).
fn lifetime(seconds: &Number) -> Duration {
    if let Some(whole) = seconds.as_u64() {
        return Duration::from_secs(whole);
    }
    match seconds.as_f64() {
        Some(value) if value > 0.0 => {
            Duration::try_from_secs_f64(value.floor()).unwrap_or(Duration::MAX)
        }
        _ => Duration::ZERO,
    }
}

/// A success answer the client cannot use.
fn answered(status: StatusCode, what: &str) -> TokenError {
    TokenError {
        status: Some(status.as_u16()),
        code: None,
        message: format!("POST /token answered {what}"),
    }
}

/// A redirect, never followed: the credentials and the token stay with the
/// configured host.
fn redirected(response: &reqwest::Response) -> TokenError {
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
    TokenError {
        status: Some(response.status().as_u16()),
        code: None,
        message: format!(
            "POST /token answered {} redirecting to {}; redirects are not followed",
            response.status(),
            printable(location.as_deref().unwrap_or("(no Location)"))
        ),
    }
}

/// A refusal: the status and the error code of the body, if it has one.
fn refused(status: StatusCode, body: &[u8]) -> TokenError {
    let code = serde_json::from_slice::<DwollaErrorBody>(body)
        .ok()
        .and_then(|error| error.code().map(str::to_string));
    TokenError {
        status: Some(status.as_u16()),
        message: format!(
            "POST /token answered {status}{}",
            code.as_deref()
                .map(|code| format!(" ({code})"))
                .unwrap_or_default()
        ),
        code,
    }
}

/// A request that got no answer to read, for a person.
fn failed(error: Error<DwollaErrorBody>) -> TokenError {
    TokenError {
        status: error.status().map(|status| status.as_u16()),
        code: None,
        message: format!("POST /token failed: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_are_read_from_any_json_number() {
        let read = |text: &str| lifetime(&serde_json::from_str(text).unwrap());
        assert_eq!(read("3600"), Duration::from_secs(3600));
        assert_eq!(read("3600.0"), Duration::from_secs(3600));
        assert_eq!(read("3600.9"), Duration::from_secs(3600));
        assert_eq!(read("-5"), Duration::ZERO);
        assert_eq!(read("-0.5"), Duration::ZERO);
        assert_eq!(
            read("9223372036854775807"),
            Duration::from_secs(i64::MAX as u64)
        );
        assert_eq!(read("1e300"), Duration::MAX);
    }

    #[test]
    fn a_token_answer_without_a_lifetime_keeps_the_token_until_a_401() {
        let (token, lifetime) =
            TokenAnswer::read(StatusCode::OK, br#"{"access_token":"t-1"}"#).unwrap();
        assert_eq!((token.expose(), lifetime), ("t-1", None));
        let missing = TokenAnswer::read(StatusCode::OK, br#"{"expires_in":3600}"#).unwrap_err();
        assert_eq!(missing.message, "POST /token answered no access_token");
    }
}
