//! Obtaining an access token: the generated `POST /token` operation, behind
//! the cache's single flight.
//!
//! The fetch runs a generated operation, so it passes through the same hooks
//! as every request (Basic credentials, retries, the bounded body, its own
//! span); the hooks in turn call [`bearer_token`] when a request needs a
//! token. The future is boxed to break that recursion.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use super::cache::TokenCache;
use super::secret::Secret;
use crate::error::{DwollaErrorBody, TokenError};
use crate::generated::{Client, Error};

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
    Pin<Box<dyn Future<Output = Result<(Secret, Duration), TokenError>> + Send + 'a>>;

/// Runs the generated `createApplicationAccessToken` operation. Boxed because
/// that operation passes through the same hooks that call this.
fn fetch_token(client: &Client) -> TokenFuture<'_> {
    Box::pin(async move {
        let response = client
            .create_application_access_token()
            .body_map(|body| body.grant_type("client_credentials"))
            .send()
            .await
            .map_err(token_error)?;
        let body = response.into_inner();
        let expires_in = Duration::from_secs(u64::try_from(body.expires_in).unwrap_or(0));
        Ok((body.access_token, expires_in))
    })
}

/// What a failed `POST /token` says, for a person, without the body.
fn token_error(error: Error<DwollaErrorBody>) -> TokenError {
    match error {
        Error::ErrorResponse(response) => TokenError {
            status: Some(response.status().as_u16()),
            code: response.code().map(str::to_string),
            message: format!(
                "POST /token answered {}{}",
                response.status(),
                response
                    .code()
                    .map(|code| format!(" ({code})"))
                    .unwrap_or_default()
            ),
        },
        Error::UnexpectedResponse(response) => TokenError {
            status: Some(response.status().as_u16()),
            code: None,
            message: format!(
                "POST /token answered {} with an undocumented response",
                response.status()
            ),
        },
        Error::InvalidResponsePayload(_, why) => TokenError {
            status: None,
            code: None,
            message: format!("POST /token answered a body that is not a token: {why}"),
        },
        other => TokenError {
            status: other.status().map(|status| status.as_u16()),
            code: None,
            message: format!("POST /token failed: {other}"),
        },
    }
}
