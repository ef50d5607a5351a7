//! What a call of the ergonomic client fails with: one enum, with what a
//! person needs to act on it, and never a secret. What it prints of text a
//! server sent is bounded and has its control characters escaped
//! ([`printable`]), so that an error cannot flood or forge a log.

use reqwest::StatusCode;

use super::api::ApiError;
use super::location::LocationError;
use super::token::TokenError;
use crate::redact::{SecretValues, printable};

/// Everything a call of the ergonomic client can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Dwolla answered with an error status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// No access token could be obtained (bad credentials, `/token` down).
    #[error("{operation}: authentication failed: {}", printable(&source.to_string()))]
    Auth {
        /// The operation that needed the token.
        operation: &'static str,
        /// Why the token endpoint failed.
        source: TokenError,
    },
    /// The request could not be sent or the response not read (connection
    /// refused or reset, truncated body).
    #[error("{operation}: transport failure: {}", printable(&source.to_string()))]
    Transport {
        /// The operation.
        operation: &'static str,
        /// The underlying error (it names the URL, never credentials).
        source: reqwest::Error,
    },
    /// The connect or request timeout elapsed.
    #[error("{operation}: timed out: {}", printable(&source.to_string()))]
    Timeout {
        /// The operation.
        operation: &'static str,
        /// The underlying error.
        source: reqwest::Error,
    },
    /// A success response whose body the client could not read.
    #[error(
        "{operation}: could not decode the {} response: {}; body starts: {}",
        status.map_or_else(|| "(status unknown)".to_string(), |status| status.to_string()),
        printable(reason),
        printable(snippet)
    )]
    Decode {
        /// The operation.
        operation: &'static str,
        /// The response status, when known.
        status: Option<StatusCode>,
        /// What was wrong.
        reason: String,
        /// The start of the body (at most 512 bytes, secret fields
        /// withheld).
        snippet: String,
        /// Dwolla's `x-request-id`, for support.
        request_id: Option<String>,
    },
    /// A `201 Created` whose `Location` is missing or not a URL of the
    /// expected resource on the configured host.
    #[error("{operation}: {}", printable(&source.to_string()))]
    InvalidLocation {
        /// The operation.
        operation: &'static str,
        /// What was wrong with the header.
        source: LocationError,
        /// Dwolla's `x-request-id`, for support.
        request_id: Option<String>,
    },
    /// The server answered with a redirect (3xx), which the client never
    /// follows: Dwolla's API does not redirect, and following one could send
    /// a create twice, a body or credentials to another host, or a request
    /// past the path guard. With a caller-supplied HTTP client that follows
    /// redirects itself, `followed` is set: the redirect was seen only after
    /// that client had followed it, and its answer is refused.
    #[error(
        "{operation}: the server answered {status} redirecting to {}; redirects are not followed{}",
        printable(location.as_deref().unwrap_or("(no Location)")),
        if *followed { " (the caller's HTTP client had already followed it)" } else { "" }
    )]
    Redirect {
        /// The operation.
        operation: &'static str,
        /// The redirect's status (with `followed`, the status of the answer
        /// the caller's client got where it was sent).
        status: StatusCode,
        /// Where the server sent the request (`Location`, or with
        /// `followed`, the URL the caller's client ended at).
        location: Option<String>,
        /// Whether the caller's HTTP client had already followed it.
        followed: bool,
    },
    /// The request was refused before sending: an invalid argument, an id
    /// that would leave its path, missing credentials.
    #[error("{operation}: invalid request: {}", printable(message))]
    InvalidRequest {
        /// The operation.
        operation: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The client could not be configured (see the message).
    #[error("configuration: {}", printable(.0))]
    Config(String),
}

impl Error {
    /// `self` with every value of `secrets` scrubbed from the text it holds,
    /// wherever a server echoed it. (A `reqwest::Error` names only the
    /// request URL, which holds no credentials.)
    pub(crate) fn scrubbed(mut self, secrets: &SecretValues) -> Self {
        let scrub = |text: &mut String| secrets.scrub_in_place(text);
        match &mut self {
            Self::Api(api) => api.scrub(secrets),
            Self::Auth { source, .. } => source.scrub(secrets),
            Self::Decode {
                reason,
                snippet,
                request_id,
                ..
            } => {
                scrub(reason);
                scrub(snippet);
                request_id.iter_mut().for_each(scrub);
            }
            Self::InvalidLocation {
                source, request_id, ..
            } => {
                source.scrub(secrets);
                request_id.iter_mut().for_each(scrub);
            }
            Self::InvalidRequest { message, .. } => scrub(message),
            Self::Redirect { location, .. } => location.iter_mut().for_each(scrub),
            Self::Transport { .. } | Self::Timeout { .. } | Self::Config(_) => {}
        }
        self
    }

    /// The Dwolla error answer, if this is one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Self::Api(api) => Some(api),
            _ => None,
        }
    }

    /// Dwolla's error code, if Dwolla answered with one.
    pub fn code(&self) -> Option<&str> {
        self.api().and_then(|api| api.code.as_deref())
    }

    /// The HTTP status of the answer, if one arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(api) => Some(api.status),
            Self::Decode { status, .. } => *status,
            Self::Auth { source, .. } => source.status.and_then(|s| StatusCode::from_u16(s).ok()),
            _ => None,
        }
    }

    /// Dwolla's `x-request-id` of the answer, if one arrived.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Api(api) => api.request_id.as_deref(),
            Self::Decode { request_id, .. } | Self::InvalidLocation { request_id, .. } => {
                request_id.as_deref()
            }
            _ => None,
        }
    }

    /// `UpdateCredentials`: the bank connection behind an exchange is no
    /// longer authorized. Create a re-authentication exchange session for
    /// that exchange and send the user through it again.
    pub fn is_update_credentials(&self) -> bool {
        self.code() == Some("UpdateCredentials")
    }

    /// `ValidationError`: the request was refused; [`ApiError::errors`] says
    /// which field (by JSON pointer) and why. Fix the request; do not retry.
    pub fn is_validation_error(&self) -> bool {
        self.code() == Some("ValidationError")
    }

    /// 404: the id names nothing this application can see. Check the id and
    /// the environment (sandbox ids do not exist in production).
    pub fn is_not_found(&self) -> bool {
        self.api()
            .is_some_and(|api| api.status == StatusCode::NOT_FOUND)
    }

    /// 403: the application may not do this (the partner is not enabled for
    /// the account, a missing scope). Retrying will not help.
    pub fn is_forbidden(&self) -> bool {
        self.api()
            .is_some_and(|api| api.status == StatusCode::FORBIDDEN)
    }

    /// 429 after the retries ran out: slow down and try again later.
    pub fn is_rate_limited(&self) -> bool {
        self.api()
            .is_some_and(|api| api.status == StatusCode::TOO_MANY_REQUESTS)
    }

    /// Whether trying the same call later may succeed: a timeout, a transport
    /// failure, 429 or a 5xx. The client has already retried what was safe.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Timeout { .. } | Self::Transport { .. } => true,
            Self::Api(api) => {
                api.status == StatusCode::TOO_MANY_REQUESTS || api.status.is_server_error()
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_non_json_error_body_keeps_status_and_snippet() {
        let error = ApiError::from_bytes(
            "createApplicationAccessToken",
            StatusCode::INTERNAL_SERVER_ERROR,
            b"<html><body>Cloudflare 500</body></html>",
            Some("req-1".into()),
        );
        assert_eq!(error.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(error.code, None);
        assert!(error.snippet.as_deref().unwrap().contains("Cloudflare 500"));
        let printed = Error::Api(Box::new(error)).to_string();
        assert!(
            printed.contains("500") && printed.contains("req-1"),
            "{printed}"
        );
    }

    #[test]
    fn codes_callers_branch_on() {
        let error = Error::Api(Box::new(ApiError::from_bytes(
            "createCustomerExchangeSession",
            StatusCode::BAD_REQUEST,
            br#"{"code":"UpdateCredentials","message":"re-auth"}"#,
            None,
        )));
        assert!(error.is_update_credentials());
        assert!(!error.is_validation_error() && !error.is_transient());
    }

    #[test]
    fn a_decode_error_says_when_its_status_is_unknown() {
        let error = Error::Decode {
            operation: "retrieveCustomerExchangeSession",
            status: None,
            reason: "EOF".into(),
            snippet: String::new(),
            request_id: None,
        };
        assert!(
            error.to_string().contains("the (status unknown) response"),
            "{error}"
        );
    }
}
