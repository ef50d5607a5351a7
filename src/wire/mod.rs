//! What every request looks like on the wire, and what happens to it there.
//!
//! progenitor builds requests for `application/json`, adds an `api-version`
//! header from the spec's `info.version` and knows nothing of credentials,
//! retries or tracing. The [`ClientHooks`] implementation in this module fills
//! that gap for every operation, generated or hand-written:
//! - `pre` puts Dwolla's media type, the credentials (a cached access token,
//!   fetched or refreshed on demand) and `User-Agent` on the request, and
//!   refuses one whose URL does not match its operation's path template (an
//!   id of `..` would otherwise reach a different resource);
//! - `exec` sends it under the [`RetryPolicy`], replays it once with a new
//!   token when Dwolla says the token expired, bounds the body it reads, and
//!   traces it in one span (see [`transport`](self#transport)).

pub mod call;
mod path_guard;
mod transport;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use progenitor_client::{ClientHooks, OperationInfo};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue, USER_AGENT};

use crate::auth::{Credentials, Secret, TokenCache, TokenError};
use crate::generated::{Client, ClientInfo, Error};

pub use transport::RetryPolicy;

include!(concat!(env!("OUT_DIR"), "/operations.rs"));

/// Dwolla's media type, sent as `Accept` (except to `POST /token`, whose
/// answer is plain JSON) and as `Content-Type` on every JSON body.
pub const DWOLLA_MEDIA_TYPE: &str = "application/vnd.dwolla.v1.hal+json";

/// The `User-Agent` of every request: `<crate>/<version>`.
pub const USER_AGENT_VALUE: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// The header that makes a POST safe to retry: Dwolla answers a repeated key
/// with the outcome of the first request instead of acting twice.
pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

/// How an operation authenticates, from its `security` in the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// HTTP Basic with the application key and secret (`POST /token`).
    Basic,
    /// `Authorization: Bearer <access token>`.
    Bearer,
    /// No credentials.
    None,
    /// A scheme the client cannot satisfy; requests fail with this reason.
    Unsupported(&'static str),
}

/// One operation as the spec describes it on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationMeta {
    /// The spec's operationId.
    pub operation_id: &'static str,
    /// The generated method's name, which progenitor passes to hooks as
    /// `OperationInfo::operation_id`.
    pub method_name: &'static str,
    /// Upper-case HTTP method.
    pub method: &'static str,
    /// Path template, e.g. `/exchange-sessions/{id}`.
    pub path: &'static str,
    /// How the request authenticates.
    pub auth: Auth,
    /// The `Accept` header of its requests, from the spec: Dwolla's media
    /// type for most operations, `application/json` for `POST /token`.
    pub accept: &'static str,
}

/// Looks an operation up by its operationId, among the generated operations
/// and the hand-written ones of [`extras`](crate::extras).
pub fn operation(operation_id: &str) -> Option<&'static OperationMeta> {
    all_operations().find(|op| op.operation_id == operation_id)
}

fn all_operations() -> impl Iterator<Item = &'static OperationMeta> {
    OPERATIONS.iter().chain(crate::extras::OPERATIONS)
}

/// Looks an operation up by the name progenitor gives hooks.
fn operation_for_hook(info: &OperationInfo) -> Option<&'static OperationMeta> {
    all_operations().find(|op| op.method_name == info.operation_id)
}

/// Tunables of the wire layer; [`Default`] gives the documented defaults.
#[derive(Debug, Clone)]
pub struct WireSettings {
    /// When and how often a failed request is sent again.
    pub retry: RetryPolicy,
    /// How long before `expires_in` runs out a token is replaced (default
    /// 60 s), so a request never leaves with a token about to expire.
    pub token_leeway: Duration,
    /// The largest response body read (default 1 MiB); a larger one is
    /// dropped and the call fails instead of filling memory.
    pub max_body_bytes: usize,
}

impl Default for WireSettings {
    fn default() -> Self {
        Self {
            retry: RetryPolicy::default(),
            token_leeway: Duration::from_secs(60),
            max_body_bytes: 1024 * 1024,
        }
    }
}

/// The state the generated [`Client`] carries for its hooks: the
/// application credentials, the access-token cache and the wire settings.
/// Clones share it, so cloning a client is cheap and every clone uses the same
/// token.
#[derive(Clone)]
pub struct ClientState {
    shared: Arc<SharedState>,
}

struct SharedState {
    credentials: Option<Credentials>,
    tokens: TokenCache,
    settings: WireSettings,
    /// The last base URL parsed, with its text, so that each request does not
    /// parse it again.
    base: RwLock<Option<(String, Arc<reqwest::Url>)>>,
}

impl Default for ClientState {
    fn default() -> Self {
        Self::new(None)
    }
}

impl fmt::Debug for ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientState")
            .field("credentials", &self.shared.credentials)
            .field("has_fresh_token", &self.shared.tokens.fresh().is_some())
            .field("settings", &self.shared.settings)
            .finish()
    }
}

impl ClientState {
    /// State with the default [`WireSettings`]. Without credentials, only a
    /// token given to [`set_access_token`](Self::set_access_token) can
    /// authenticate requests.
    pub fn new(credentials: Option<Credentials>) -> Self {
        Self::with_settings(credentials, WireSettings::default())
    }

    /// State with explicit settings.
    pub fn with_settings(credentials: Option<Credentials>, settings: WireSettings) -> Self {
        Self {
            shared: Arc::new(SharedState {
                credentials,
                tokens: TokenCache::new(settings.token_leeway),
                settings,
                base: RwLock::new(None),
            }),
        }
    }

    /// Uses `token` for bearer requests until the API rejects it. With
    /// credentials the client obtains tokens itself; this is for callers that
    /// obtain them elsewhere.
    pub fn set_access_token(&self, token: Secret) {
        self.shared.tokens.set(token);
    }

    /// The settings this state was made with.
    pub fn settings(&self) -> &WireSettings {
        &self.shared.settings
    }

    /// `base` parsed, from the cache when it is the one parsed last.
    fn base_url(&self, base: &str) -> Result<Arc<reqwest::Url>, String> {
        let cached = self.shared.base.read().unwrap_or_else(|p| p.into_inner());
        if let Some((text, url)) = cached.as_ref()
            && text == base
        {
            return Ok(Arc::clone(url));
        }
        drop(cached);
        let url = Arc::new(path_guard::parse_base(base)?);
        *self.shared.base.write().unwrap_or_else(|p| p.into_inner()) =
            Some((base.to_string(), Arc::clone(&url)));
        Ok(url)
    }

    fn basic_authorization(&self, operation: &OperationMeta) -> Result<String, String> {
        self.shared
            .credentials
            .as_ref()
            .map(Credentials::basic_authorization)
            .ok_or_else(|| {
                format!(
                    "{} needs application credentials; none were given",
                    operation.operation_id
                )
            })
    }
}

/// Why no bearer token is at hand.
enum NoBearer {
    /// None was set and there are no credentials to obtain one.
    Unavailable(String),
    /// `POST /token` failed (the failure is recorded on the call).
    FetchFailed(String),
}

impl NoBearer {
    fn into_error<E>(self) -> Error<E> {
        match self {
            Self::Unavailable(message) => Error::InvalidRequest(message),
            Self::FetchFailed(message) => Error::Custom(message),
        }
    }
}

/// A bearer token for `operation`: the cached one, or a new one from
/// `POST /token` (one fetch however many callers wait for it).
async fn bearer_token(client: &Client, operation: &OperationMeta) -> Result<Secret, NoBearer> {
    let state = client.inner();
    if let Some(token) = state.shared.tokens.fresh() {
        return Ok(token);
    }
    if state.shared.credentials.is_none() {
        return Err(NoBearer::Unavailable(format!(
            "{} needs an access token; none has been set and there are no credentials to obtain one",
            operation.operation_id
        )));
    }
    state
        .shared
        .tokens
        .get_or_fetch(|| fetch_token(client))
        .await
        .map_err(|failure| {
            let message = format!(
                "{}: no access token could be obtained: {failure}",
                operation.operation_id
            );
            call::observe(|observed| observed.token_failure = Some(failure));
            NoBearer::FetchFailed(message)
        })
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

fn token_error(error: Error<crate::DwollaError>) -> TokenError {
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

impl ClientHooks<ClientState> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        let operation = operation_for_hook(info).ok_or_else(|| {
            Error::InvalidRequest(format!("unknown operation {}", info.operation_id))
        })?;
        let base = self.inner().base_url(self.baseurl());
        base.and_then(|base| path_guard::check_parsed(&base, request.url(), operation.path))
            .map_err(|why| Error::InvalidRequest(format!("{}: {why}", operation.operation_id)))?;
        let cached = match operation.auth {
            Auth::Bearer => self.inner().shared.tokens.fresh_header(),
            _ => None,
        };
        let authorization = match operation.auth {
            Auth::Bearer if cached.is_some() => cached,
            Auth::None => None,
            Auth::Unsupported(why) => {
                return Err(Error::InvalidRequest(format!(
                    "{} cannot be authenticated: {why}",
                    operation.operation_id
                )));
            }
            Auth::Basic => {
                let value = self
                    .inner()
                    .basic_authorization(operation)
                    .map_err(Error::InvalidRequest)?;
                Some(sensitive_header(operation, &value).map_err(Error::InvalidRequest)?)
            }
            Auth::Bearer => {
                // No fresh token: fetch one, boxed so that every request's
                // future stays small.
                let token = Box::pin(bearer_token(self, operation))
                    .await
                    .map_err(NoBearer::into_error)?;
                let value = format!("Bearer {}", token.expose());
                Some(sensitive_header(operation, &value).map_err(Error::InvalidRequest)?)
            }
        };

        let headers = request.headers_mut();
        headers.remove("api-version");
        // Codegen lets only visible ASCII into `accept`, so this cannot panic.
        headers.insert(ACCEPT, HeaderValue::from_static(operation.accept));
        headers.insert(USER_AGENT, HeaderValue::from_static(USER_AGENT_VALUE));
        if headers.get(CONTENT_TYPE).is_some_and(is_plain_json) {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(DWOLLA_MEDIA_TYPE));
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
            && let Some(key) = call::idempotency_key()
        {
            let value = HeaderValue::from_str(&key).map_err(|_| {
                Error::InvalidRequest(format!(
                    "{}: the idempotency key is not a valid header value",
                    operation.operation_id
                ))
            })?;
            headers.insert(IDEMPOTENCY_KEY, value);
        }
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        // Boxed: the retry loop's state would otherwise be copied into, and
        // moved with, every generated operation's future.
        Box::pin(transport::execute(self, request, operation_for_hook(info))).await
    }
}

/// An `Authorization` value marked sensitive, so that `Debug` of the request
/// and HTTP/2 header compression never expose it.
fn sensitive_header(operation: &OperationMeta, value: &str) -> Result<HeaderValue, String> {
    let mut header = HeaderValue::from_str(value).map_err(|_| {
        format!(
            "{}: credentials contain characters not allowed in a header",
            operation.operation_id
        )
    })?;
    header.set_sensitive(true);
    Ok(header)
}

fn is_plain_json(value: &HeaderValue) -> bool {
    value.to_str().is_ok_and(|v| {
        v.split(';')
            .next()
            .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bound_operation_is_in_the_table() {
        for (id, method, path, auth) in [
            (
                "createApplicationAccessToken",
                "POST",
                "/token",
                Auth::Basic,
            ),
            (
                "listExchangePartners",
                "GET",
                "/exchange-partners",
                Auth::Bearer,
            ),
            (
                "getExchangePartner",
                "GET",
                "/exchange-partners/{id}",
                Auth::Bearer,
            ),
            (
                "createCustomerExchangeSession",
                "POST",
                "/customers/{id}/exchange-sessions",
                Auth::Bearer,
            ),
            (
                "retrieveCustomerExchangeSession",
                "GET",
                "/exchange-sessions/{id}",
                Auth::Bearer,
            ),
            (
                "createReAuthExchangeSession",
                "POST",
                "/exchanges/{id}/exchange-sessions",
                Auth::Bearer,
            ),
        ] {
            let op = operation(id).unwrap_or_else(|| panic!("{id} missing"));
            assert_eq!((op.method, op.path, op.auth), (method, path, auth), "{id}");
        }
    }

    #[test]
    fn missing_credentials_are_explained() {
        let state = ClientState::new(None);
        let token_op = operation("createApplicationAccessToken").unwrap();
        assert!(
            state
                .basic_authorization(token_op)
                .unwrap_err()
                .contains("application credentials")
        );
    }

    #[test]
    fn debug_of_the_state_hides_credentials_and_tokens() {
        let state = ClientState::new(Some(Credentials::new("key", "client-secret-value")));
        state.set_access_token(Secret::new("access-token-value"));
        let printed = format!("{state:?}");
        assert!(printed.contains("has_fresh_token: true"), "{printed}");
        assert!(!printed.contains("client-secret-value"), "{printed}");
        assert!(!printed.contains("access-token-value"), "{printed}");
    }
}
