//! What every request looks like on the wire.
//!
//! progenitor builds requests for `application/json`, adds an `api-version`
//! header from the spec's `info.version` and knows nothing of credentials.
//! Dwolla wants its own media type, a Basic-authenticated `/token` and a
//! bearer token everywhere else. The [`ClientHooks`] implementation below
//! rewrites each built request accordingly, and refuses one whose URL does not
//! match its operation's path template (an id of `..` would otherwise reach a
//! different resource).

mod path_guard;

use std::sync::{Arc, RwLock};

use progenitor_client::{ClientHooks, OperationInfo};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, USER_AGENT};

use crate::auth::{Credentials, Secret};
use crate::{Client, ClientInfo, Error};

include!(concat!(env!("OUT_DIR"), "/operations.rs"));

/// Dwolla's media type, sent as `Accept` on every request and as
/// `Content-Type` on every JSON body.
pub const DWOLLA_MEDIA_TYPE: &str = "application/vnd.dwolla.v1.hal+json";

/// The `User-Agent` of every request: `<crate>/<version>`.
pub const USER_AGENT_VALUE: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

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

/// One generated operation as the spec describes it on the wire.
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
}

/// Looks an operation up by its operationId.
pub fn operation(operation_id: &str) -> Option<&'static OperationMeta> {
    OPERATIONS.iter().find(|op| op.operation_id == operation_id)
}

/// Looks an operation up by the name progenitor gives hooks.
fn operation_for_hook(info: &OperationInfo) -> Option<&'static OperationMeta> {
    OPERATIONS
        .iter()
        .find(|op| op.method_name == info.operation_id)
}

/// The state the generated [`Client`] carries for its hooks: the
/// application credentials and the current access token. Clones share it, so
/// cloning a client is cheap and every clone sees a new token.
#[derive(Debug, Clone, Default)]
pub struct ClientState {
    shared: Arc<SharedState>,
}

#[derive(Debug, Default)]
struct SharedState {
    credentials: Option<Credentials>,
    access_token: RwLock<Option<Secret>>,
}

impl ClientState {
    /// State for a client that authenticates with `credentials` (needed only
    /// by `POST /token`).
    pub fn new(credentials: Option<Credentials>) -> Self {
        Self {
            shared: Arc::new(SharedState {
                credentials,
                access_token: RwLock::new(None),
            }),
        }
    }

    /// Uses `token` as the bearer token of every later request.
    pub fn set_access_token(&self, token: Secret) {
        let mut slot = self
            .shared
            .access_token
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *slot = Some(token);
    }

    fn access_token(&self) -> Option<Secret> {
        self.shared
            .access_token
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    fn authorization(&self, operation: &OperationMeta) -> Result<Option<HeaderValue>, String> {
        let value = match operation.auth {
            Auth::None => return Ok(None),
            Auth::Unsupported(why) => {
                return Err(format!(
                    "{} cannot be authenticated: {why}",
                    operation.operation_id
                ));
            }
            Auth::Basic => self
                .shared
                .credentials
                .as_ref()
                .ok_or_else(|| {
                    format!(
                        "{} needs application credentials; none were given",
                        operation.operation_id
                    )
                })?
                .basic_authorization(),
            Auth::Bearer => {
                let token = self.access_token().ok_or_else(|| {
                    format!(
                        "{} needs an access token; none has been obtained",
                        operation.operation_id
                    )
                })?;
                format!("Bearer {}", token.expose())
            }
        };
        let mut header = HeaderValue::from_str(&value).map_err(|_| {
            format!(
                "{}: credentials contain characters not allowed in a header",
                operation.operation_id
            )
        })?;
        header.set_sensitive(true);
        Ok(Some(header))
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
        path_guard::check(self.baseurl(), request.url(), operation.path)
            .map_err(|why| Error::InvalidRequest(format!("{}: {why}", operation.operation_id)))?;
        let authorization = self
            .inner()
            .authorization(operation)
            .map_err(Error::InvalidRequest)?;

        let headers = request.headers_mut();
        headers.remove("api-version");
        headers.insert(ACCEPT, HeaderValue::from_static(DWOLLA_MEDIA_TYPE));
        headers.insert(USER_AGENT, HeaderValue::from_static(USER_AGENT_VALUE));
        if headers.get(CONTENT_TYPE).is_some_and(is_plain_json) {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(DWOLLA_MEDIA_TYPE));
        }
        match authorization {
            Some(value) => headers.insert(AUTHORIZATION, value),
            None => headers.remove(AUTHORIZATION),
        };
        Ok(())
    }
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
        ] {
            let op = operation(id).unwrap_or_else(|| panic!("{id} missing"));
            assert_eq!((op.method, op.path, op.auth), (method, path, auth), "{id}");
        }
    }

    #[test]
    fn missing_credentials_and_tokens_are_explained() {
        let state = ClientState::new(None);
        let token_op = operation("createApplicationAccessToken").unwrap();
        assert!(
            state
                .authorization(token_op)
                .unwrap_err()
                .contains("application credentials")
        );
        let list = operation("listExchangePartners").unwrap();
        assert!(
            state
                .authorization(list)
                .unwrap_err()
                .contains("access token")
        );
        state.set_access_token(Secret::new("t0ken"));
        let header = state.authorization(list).unwrap().unwrap();
        assert!(header.is_sensitive());
        assert_eq!(header.to_str().unwrap(), "Bearer t0ken");
    }
}
