//! The [`ClientHooks`] of the generated client, run for every operation,
//! generated or hand-written:
//! - `pre` refuses a request whose URL does not match its operation's path
//!   template, and puts Dwolla's media type, the credentials (a cached access
//!   token, fetched or refreshed on demand), `User-Agent` and the call's
//!   `Idempotency-Key` on it;
//! - `exec` hands it to the [`transport`](super::transport);
//! - `post` refuses an answer that is a redirect, or that the HTTP client
//!   got by following one (see [`redirect`](super::redirect)).
//!
//! Each finds its operation once, by the name progenitor passes
//! (`OperationInfo::operation_id`, the generated method's name).

use progenitor_client::{ClientHooks, OperationInfo};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, USER_AGENT};

use super::context;
use super::headers::{
    API_VERSION, IDEMPOTENCY_KEY, USER_AGENT_HEADER, is_plain_json, not_a_header, sensitive_header,
};
use super::path_guard;
use super::redirect::Redirected;
use super::state::ClientState;
use super::transport;
use crate::auth::{NoBearer, bearer_header, bearer_token};
use crate::generated::{Client, ClientInfo, Error};
use crate::operations::{self, Auth, OperationMeta};

/// Dwolla's media type as a header value, built at compile time.
const DWOLLA_MEDIA_TYPE_HEADER: HeaderValue =
    HeaderValue::from_static(crate::operations::DWOLLA_MEDIA_TYPE);

impl ClientHooks<ClientState> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        let operation = operations::for_method(info.operation_id).ok_or_else(|| {
            Error::InvalidRequest(format!("unknown operation {}", info.operation_id))
        })?;
        let base = self.inner().base_url(self.baseurl());
        base.and_then(|base| path_guard::check_parsed(&base, request.url(), operation.path))
            .map_err(|why| Error::InvalidRequest(format!("{}: {why}", operation.operation_id)))?;
        let authorization = authorization(self, operation).await?;
        set_headers(request, operation, authorization).map_err(Error::InvalidRequest)
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        // Not boxed: measured, the allocation and the copy into it cost more
        // than carrying the send loop's state in the operation's future.
        transport::execute(self, request, operations::for_method(info.operation_id)).await
    }

    async fn post<E>(
        &self,
        result: &reqwest::Result<reqwest::Response>,
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        let Some(redirect) = result.as_ref().ok().and_then(Redirected::of) else {
            return Ok(());
        };
        let operation_id = operations::for_method(info.operation_id)
            .map_or(info.operation_id, |op| op.operation_id);
        let message = format!("{operation_id}: {redirect}");
        context::observe(|observed| observed.redirect = Some(redirect));
        Err(Error::Custom(message))
    }
}

/// The `Authorization` value `operation` needs, if any.
async fn authorization<E>(
    client: &Client,
    operation: &OperationMeta,
) -> Result<Option<HeaderValue>, Error<E>> {
    let state = client.inner();
    match operation.auth {
        Auth::None => Ok(None),
        Auth::Unsupported(why) => Err(Error::InvalidRequest(format!(
            "{} cannot be authenticated: {why}",
            operation.operation_id
        ))),
        Auth::Basic => {
            let value = state
                .basic_authorization(operation)
                .and_then(|value| sensitive_header(operation, &value))
                .map_err(Error::InvalidRequest)?;
            Ok(Some(value))
        }
        Auth::Bearer => {
            if let Some(cached) = state.tokens().fresh_header() {
                return Ok(Some(cached));
            }
            // No fresh token: fetch one, boxed so that every request's
            // future stays small.
            let token = Box::pin(bearer_token(
                client,
                state.tokens(),
                state.has_credentials(),
            ))
            .await
            .map_err(|why| no_bearer(state, operation, why))?;
            let value = bearer_header(&token)
                .ok_or_else(|| Error::InvalidRequest(not_a_header(operation)))?;
            Ok(Some(value))
        }
    }
}

/// The error of a bearer request with no token; a failed fetch is recorded
/// on the call, for the ergonomic layer's `Error::Auth`, with the secrets
/// the state holds scrubbed from it.
fn no_bearer<E>(state: &ClientState, operation: &OperationMeta, why: NoBearer) -> Error<E> {
    match why {
        NoBearer::NoCredentials => Error::InvalidRequest(format!(
            "{} needs an access token; none has been set and there are no credentials to obtain one",
            operation.operation_id
        )),
        NoBearer::FetchFailed(mut failure) => {
            failure.scrub(&state.secret_values());
            let message = format!(
                "{}: no access token could be obtained: {failure}",
                operation.operation_id
            );
            context::observe(|observed| observed.token_failure = Some(failure));
            Error::Custom(message)
        }
    }
}

/// Dwolla's media type, `User-Agent`, the credentials and the call's
/// idempotency key on `request`; progenitor's `api-version` off it.
fn set_headers(
    request: &mut reqwest::Request,
    operation: &OperationMeta,
    authorization: Option<HeaderValue>,
) -> Result<(), String> {
    let headers = request.headers_mut();
    headers.remove(API_VERSION);
    // Codegen lets only visible ASCII into `accept`, so this cannot panic.
    headers.insert(ACCEPT, HeaderValue::from_static(operation.accept));
    headers.insert(USER_AGENT, USER_AGENT_HEADER);
    if headers.get(CONTENT_TYPE).is_some_and(is_plain_json) {
        headers.insert(CONTENT_TYPE, DWOLLA_MEDIA_TYPE_HEADER);
    }
    match authorization {
        Some(value) => {
            headers.insert(AUTHORIZATION, value);
        }
        None => {
            headers.remove(AUTHORIZATION);
        }
    }
    if operation.method == "POST"
        && let Some(key) = context::idempotency_key(operation)
    {
        let value = HeaderValue::from_str(&key).map_err(|_| {
            format!(
                "{}: the idempotency key is not a valid header value",
                operation.operation_id
            )
        })?;
        headers.insert(IDEMPOTENCY_KEY, value);
    }
    Ok(())
}
