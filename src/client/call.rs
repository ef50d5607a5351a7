//! One call of the ergonomic layer: a generated (or extension) operation run
//! in its per-call context, and its failure mapped to [`Error`] with what
//! the hooks observed.

use std::future::Future;
use std::pin::Pin;

use progenitor_client::ResponseValue;

use crate::error::{ApiError, DwollaErrorBody, Error, decode_reason, snippet};
use crate::generated::Error as Generated;
use crate::operations::OperationMeta;
use crate::wire::ClientState;
use crate::wire::context::{self, Observed};
use crate::wire::headers::request_id;

/// Runs one call of `operation` and maps its failure to [`Error`], with
/// every secret `state` holds scrubbed from it. With an
/// `idempotency_key`, a POST carries it as `Idempotency-Key` and becomes
/// safe to retry. With `keep_body`, the response body comes back beside the
/// decoded value. `send` comes boxed: a generated call's future is large,
/// and is then not copied on its way into the context.
pub(super) async fn run<T, F>(
    state: &ClientState,
    operation: &'static OperationMeta,
    idempotency_key: Option<String>,
    keep_body: bool,
    send: Pin<Box<F>>,
) -> Result<(ResponseValue<T>, Option<bytes::Bytes>), Error>
where
    F: Future<Output = Result<ResponseValue<T>, Generated<DwollaErrorBody>>>,
{
    match context::scope(operation, idempotency_key, keep_body, send).await {
        (Ok(value), observed) => Ok((value, observed.body)),
        (Err(error), observed) => {
            let error = Box::pin(from_generated(operation.operation_id, error, observed)).await;
            Err(error.scrubbed(&state.secret_values()))
        }
    }
}

/// The error for a failed generated (or extension) call of `operation`,
/// given what the hooks observed during it.
async fn from_generated(
    operation: &'static str,
    error: Generated<DwollaErrorBody>,
    observed: Observed,
) -> Error {
    match error {
        Generated::ErrorResponse(response) => {
            let request_id = request_id(response.headers());
            let status = response.status();
            Error::Api(Box::new(ApiError::from_error_body(
                operation,
                status,
                response.into_inner(),
                request_id,
            )))
        }
        Generated::UnexpectedResponse(response) => unexpected(operation, response).await,
        Generated::InvalidResponsePayload(body, why) => {
            undecodable(operation, &body, &why, observed)
        }
        Generated::CommunicationError(source)
        | Generated::ResponseBodyError(source)
        | Generated::InvalidUpgrade(source) => {
            if source.is_builder() {
                // Nothing was sent, and sending it again cannot succeed (a
                // URL too long to be a URI, say): not a transport failure.
                Error::InvalidRequest {
                    operation,
                    message: format!("the request could not be built: {}", source.without_url()),
                }
            } else if source.is_timeout() {
                Error::Timeout { operation, source }
            } else {
                Error::Transport { operation, source }
            }
        }
        Generated::Custom(message) => match (observed.token_failure, observed.redirect) {
            (Some(source), _) => Error::Auth { operation, source },
            (None, Some(redirect)) => Error::Redirect {
                operation,
                status: redirect.status,
                location: redirect.location,
                followed: redirect.followed,
            },
            (None, None) => Error::InvalidRequest { operation, message },
        },
        Generated::InvalidRequest(message) => Error::InvalidRequest { operation, message },
    }
}

/// A status the spec does not document for the operation: an API error if
/// it is one, else a response the client cannot read.
async fn unexpected(operation: &'static str, response: reqwest::Response) -> Error {
    let status = response.status();
    let request_id = request_id(response.headers());
    let body = response.bytes().await.unwrap_or_default();
    if status.is_client_error() || status.is_server_error() {
        Error::Api(Box::new(ApiError::from_bytes(
            operation, status, &body, request_id,
        )))
    } else {
        Error::Decode {
            operation,
            status: Some(status),
            reason: "the spec documents no such status for this operation".into(),
            snippet: snippet(&body),
            request_id,
        }
    }
}

/// A body that did not decode: too large, an error answer in a shape the
/// spec does not give, or a success the client cannot read.
fn undecodable(
    operation: &'static str,
    body: &[u8],
    why: &serde_json::Error,
    observed: Observed,
) -> Error {
    let status = observed.status;
    if let Some(limit) = observed.body_over_limit {
        return Error::Decode {
            operation,
            status,
            reason: format!("the body is larger than the limit of {limit} bytes"),
            snippet: String::new(),
            request_id: observed.request_id,
        };
    }
    match status {
        Some(status) if status.is_client_error() || status.is_server_error() => {
            Error::Api(Box::new(ApiError::from_bytes(
                operation,
                status,
                body,
                observed.request_id,
            )))
        }
        _ => Error::Decode {
            operation,
            status,
            reason: decode_reason(why, body),
            snippet: snippet(body),
            request_id: observed.request_id,
        },
    }
}
