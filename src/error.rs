//! The one error type of the ergonomic client: what failed, with what a
//! person needs to act on it, and never a secret.

use reqwest::StatusCode;
use serde_json::Value;

use crate::auth::TokenError;
use crate::location::LocationError;
use crate::wire::call::Observed;
use crate::{DwollaError, EmbeddedError};

/// The longest body excerpt an error carries.
pub const SNIPPET_LIMIT: usize = 512;

/// Everything a call can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Dwolla answered with an error status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// No access token could be obtained (bad credentials, `/token` down).
    #[error("{operation}: authentication failed: {source}")]
    Auth {
        /// The operation that needed the token.
        operation: &'static str,
        /// Why the token endpoint failed.
        source: TokenError,
    },
    /// The request could not be sent or the response not read (connection
    /// refused or reset, truncated body).
    #[error("{operation}: transport failure: {source}")]
    Transport {
        /// The operation.
        operation: &'static str,
        /// The underlying error (it names the URL, never credentials).
        source: reqwest::Error,
    },
    /// The connect or request timeout elapsed.
    #[error("{operation}: timed out: {source}")]
    Timeout {
        /// The operation.
        operation: &'static str,
        /// The underlying error.
        source: reqwest::Error,
    },
    /// A success response whose body the client could not read.
    #[error(
        "{operation}: could not decode the {status} response: {reason}; body starts: {snippet}"
    )]
    Decode {
        /// The operation.
        operation: &'static str,
        /// The response status, when known.
        status: DisplayStatus,
        /// What was wrong.
        reason: String,
        /// The start of the body (at most [`SNIPPET_LIMIT`] bytes, secret
        /// fields withheld).
        snippet: String,
        /// Dwolla's `x-request-id`, for support.
        request_id: Option<String>,
    },
    /// A `201 Created` whose `Location` is missing or not a URL of the
    /// expected resource on the configured host.
    #[error("{operation}: {source}")]
    InvalidLocation {
        /// The operation.
        operation: &'static str,
        /// What was wrong with the header.
        source: LocationError,
        /// Dwolla's `x-request-id`, for support.
        request_id: Option<String>,
    },
    /// The request was refused before sending: an invalid argument, an id
    /// that would leave its path, missing credentials.
    #[error("{operation}: invalid request: {message}")]
    InvalidRequest {
        /// The operation.
        operation: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The client could not be configured (see the message).
    #[error("configuration: {0}")]
    Config(String),
}

/// An HTTP status that may be unknown, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DisplayStatus(pub Option<StatusCode>);

impl std::fmt::Display for DisplayStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(status) => write!(f, "{status}"),
            None => f.write_str("(status unknown)"),
        }
    }
}

/// An error answer from Dwolla.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{operation}: Dwolla answered {status}{}{}{}",
    code.as_deref().map(|c| format!(" {c}")).unwrap_or_default(),
    message.as_deref().map(|m| format!(": {m}")).unwrap_or_default(),
    request_id.as_deref().map(|id| format!(" (x-request-id {id})")).unwrap_or_default()
)]
pub struct ApiError {
    /// The operation.
    pub operation: &'static str,
    /// The HTTP status.
    pub status: StatusCode,
    /// Dwolla's error code (or OAuth's `error`), when the body had one.
    pub code: Option<String>,
    /// Dwolla's message.
    pub message: Option<String>,
    /// The individual failures of a validation error, with their paths.
    pub errors: Vec<EmbeddedError>,
    /// Dwolla's `x-request-id`, for support.
    pub request_id: Option<String>,
    /// The start of a body that was not a JSON error (an HTML error page
    /// from a proxy, say).
    pub snippet: Option<String>,
}

impl Error {
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
            Self::Decode { status, .. } => status.0,
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

    /// The error for a failed generated (or extension) call of `operation`,
    /// given what the hooks observed during it.
    pub(crate) async fn from_generated(
        operation: &'static str,
        error: crate::generated::Error<DwollaError>,
        observed: Observed,
    ) -> Self {
        use crate::generated::Error as Generated;
        match error {
            Generated::ErrorResponse(response) => {
                let request_id = header(response.headers(), "x-request-id");
                let status = response.status();
                let body = response.into_inner();
                Self::Api(Box::new(ApiError {
                    operation,
                    status,
                    code: body.code().map(str::to_string),
                    message: body.message,
                    errors: body.errors,
                    request_id,
                    snippet: None,
                }))
            }
            Generated::UnexpectedResponse(response) => {
                let status = response.status();
                let request_id = header(response.headers(), "x-request-id");
                let body = response.bytes().await.unwrap_or_default();
                if status.is_client_error() || status.is_server_error() {
                    Self::Api(Box::new(api_error_from_bytes(
                        operation, status, &body, request_id,
                    )))
                } else {
                    Self::Decode {
                        operation,
                        status: DisplayStatus(Some(status)),
                        reason: "the spec documents no such status for this operation".into(),
                        snippet: snippet(&body),
                        request_id,
                    }
                }
            }
            Generated::InvalidResponsePayload(body, why) => {
                let status = observed.status;
                if let Some(limit) = observed.body_over_limit {
                    return Self::Decode {
                        operation,
                        status: DisplayStatus(status),
                        reason: format!("the body is larger than the limit of {limit} bytes"),
                        snippet: String::new(),
                        request_id: observed.request_id,
                    };
                }
                match status {
                    Some(status) if status.is_client_error() || status.is_server_error() => {
                        Self::Api(Box::new(api_error_from_bytes(
                            operation,
                            status,
                            &body,
                            observed.request_id,
                        )))
                    }
                    _ => Self::Decode {
                        operation,
                        status: DisplayStatus(status),
                        reason: decode_reason(&why, &body),
                        snippet: snippet(&body),
                        request_id: observed.request_id,
                    },
                }
            }
            Generated::CommunicationError(source)
            | Generated::ResponseBodyError(source)
            | Generated::InvalidUpgrade(source) => {
                if source.is_timeout() {
                    Self::Timeout { operation, source }
                } else {
                    Self::Transport { operation, source }
                }
            }
            Generated::Custom(message) => match observed.token_failure {
                Some(source) => Self::Auth { operation, source },
                None => Self::InvalidRequest { operation, message },
            },
            Generated::InvalidRequest(message) => Self::InvalidRequest { operation, message },
        }
    }
}

fn header(headers: &reqwest::header::HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_string)
}

/// An API error from a body that may or may not be Dwolla's JSON.
fn api_error_from_bytes(
    operation: &'static str,
    status: StatusCode,
    body: &[u8],
    request_id: Option<String>,
) -> ApiError {
    match serde_json::from_slice::<Value>(body) {
        Ok(value) if value.is_object() => {
            let error = DwollaError::from(value);
            ApiError {
                operation,
                status,
                code: error.code().map(str::to_string),
                message: error.message,
                errors: error.errors,
                request_id,
                snippet: None,
            }
        }
        _ => ApiError {
            operation,
            status,
            code: None,
            message: None,
            errors: Vec::new(),
            request_id,
            snippet: Some(snippet(body)),
        },
    }
}

/// Why a body did not decode, without quoting values from it when it names
/// a secret field (serde's messages quote the offending value).
fn decode_reason(why: &serde_json::Error, body: &[u8]) -> String {
    if names_a_secret(body) {
        format!(
            "{:?} error at line {} column {}",
            why.classify(),
            why.line(),
            why.column()
        )
    } else {
        why.to_string()
    }
}

fn names_a_secret(body: &[u8]) -> bool {
    crate::auth::names_a_secret(&String::from_utf8_lossy(body))
}

/// The start of `body` for an error message: at most [`SNIPPET_LIMIT`]
/// bytes, cut on a character boundary; JSON with secret fields has their
/// values replaced, and anything else naming a secret field is withheld.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = match serde_json::from_slice::<Value>(body) {
        Ok(mut value) => {
            crate::auth::redact_json(&mut value);
            value.to_string()
        }
        Err(_) if names_a_secret(body) => {
            return "<withheld: the body names a secret field>".to_string();
        }
        Err(_) => String::from_utf8_lossy(body).into_owned(),
    };
    if text.len() <= SNIPPET_LIMIT {
        return text;
    }
    let mut end = SNIPPET_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_are_bounded_and_cut_on_a_character_boundary() {
        let body = "é".repeat(600);
        let cut = snippet(body.as_bytes());
        assert!(cut.len() <= SNIPPET_LIMIT + '…'.len_utf8());
        assert!(cut.ends_with('…'));
        assert_eq!(
            snippet(b"<html>bad gateway</html>"),
            "<html>bad gateway</html>"
        );
    }

    #[test]
    fn snippets_never_show_secret_fields() {
        let json = br#"{"access_token":"tok-123","expires_in":"soon","nested":{"payment_session_secret":"pss"}}"#;
        let cut = snippet(json);
        assert!(!cut.contains("tok-123") && !cut.contains("pss\""), "{cut}");
        assert!(cut.contains("soon"));
        let broken = br#"{"access_token":"tok-123","#;
        assert!(!snippet(broken).contains("tok-123"));
    }

    #[test]
    fn a_non_json_error_body_keeps_status_and_snippet() {
        let error = api_error_from_bytes(
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
        let error = Error::Api(Box::new(api_error_from_bytes(
            "createCustomerExchangeSession",
            StatusCode::BAD_REQUEST,
            br#"{"code":"UpdateCredentials","message":"re-auth"}"#,
            None,
        )));
        assert!(error.is_update_credentials());
        assert!(!error.is_validation_error() && !error.is_transient());
    }
}
