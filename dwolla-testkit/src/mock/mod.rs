//! [`MockDwolla`]: a stateful stand-in for Dwolla's exchange-sessions API on
//! 127.0.0.1, for the tests of applications that use the client.
//!
//! It behaves as Dwolla does, as far as a test needs:
//! - `POST /token` checks the Basic credentials against the configured key
//!   and secret and mints a new bearer token; every other call needs one of
//!   its tokens (`401 InvalidAccessToken` otherwise, `401
//!   ExpiredAccessToken` once [`MockDwolla::expire_tokens`] was called);
//! - each create (customer or re-authentication) mints a new session id,
//!   answered `201` with `Location`, and remembers the partner named in the
//!   request (re-authentication sessions are Plaid's); retrieving the session
//!   answers that partner's shape (Plaid's link token, MX's page,
//!   Checkout.com's payment session); an unknown id is `404 NotFound`;
//! - the account has Plaid, MX and Checkout.com ([`PARTNERS`]), listed and
//!   read as Dwolla does;
//! - every request is checked against the spec the client implements (body,
//!   content type, `Accept`, credentials) by the conformance checker, and a
//!   bad one is answered `400 ValidationError` with one `_embedded.errors`
//!   entry (path and message) per violation, as Dwolla does;
//! - faults are scripted with [`MockDwolla::inject`]: 429 with
//!   `Retry-After`, a 5xx, a stall, for the next requests or those of one
//!   operation;
//! - it keeps what it received ([`MockDwolla::received`]), secrets redacted,
//!   for a test's assertions.
//!
//! ```
//! use dwolla_exchange_sessions::{DwollaClient, FrontEnd, NewExchangeSession};
//! use dwolla_testkit::mock::MockDwolla;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dwolla = MockDwolla::start().await?;
//! let client = DwollaClient::builder()
//!     .environment(dwolla.environment())
//!     .credentials(dwolla.credentials())
//!     .build()?;
//!
//! let plaid = client.partner("Plaid").await?.ok_or("no Plaid")?;
//! let request = NewExchangeSession::web(&plaid.id);
//! let (first, session) = client
//!     .create_and_retrieve_exchange_session("my-customer", &request)
//!     .await?;
//! let second = client.create_exchange_session("my-customer", &request).await?;
//! assert_ne!(first.id, second.id);
//! assert!(matches!(session.front_end(), FrontEnd::Plaid { .. }));
//! assert_eq!(dwolla.received_for("createCustomerExchangeSession").len(), 2);
//! # Ok(())
//! # }
//! ```

mod bodies;
mod faults;
mod state;

use std::sync::Arc;

use base64::Engine as _;
use conformance::check::{Failure, Suite, SuiteError};
use conformance::fixture::{RecordedRequest, RecordedResponse};
use dwolla_exchange_sessions::{Credentials, Environment, Secret};
use serde_json::Value;

use self::faults::Script;
pub use self::faults::{Injection, MockFault};
pub use self::state::{MockPartner, PARTNERS, PartnerKind};
use self::state::{Session, Store, TokenState};
use crate::answers::{self, hal, not_found, refusal};
use crate::readers::client_suite;
use crate::replay::{answer, recorded};
use crate::secrets::redact_alone;
use crate::server::log::RequestLog;
use crate::server::{self, Limits, Listening, Outcome, Request};

/// Why the mock could not start.
#[derive(Debug, thiserror::Error)]
pub enum MockError {
    /// The spec requests are checked against.
    #[error(transparent)]
    Suite(#[from] SuiteError),
    /// Binding 127.0.0.1.
    #[error("cannot listen on 127.0.0.1: {0}")]
    Bind(std::io::Error),
    /// The listening address as a base URL.
    #[error("the mock's address {address} does not make a base URL: {source}")]
    Base {
        /// The address.
        address: String,
        /// Why.
        source: url::ParseError,
    },
}

/// How the mock is set up.
#[derive(Debug, Clone)]
pub struct MockOptions {
    /// The application key `/token` accepts.
    pub key: String,
    /// The application secret `/token` accepts.
    pub secret: Secret,
    /// The server's limits.
    pub limits: Limits,
}

impl Default for MockOptions {
    /// Key `mock-key`, secret `mock-secret`, the default limits.
    fn default() -> Self {
        Self {
            key: "mock-key".into(),
            secret: Secret::new("mock-secret"),
            limits: Limits::default(),
        }
    }
}

/// One request the mock received and what it answered, secrets redacted
/// (`Authorization` and `Proxy-Authorization` keep their scheme; cookies,
/// secret body and form fields and the credentials the request carried
/// anywhere else are `<redacted>`).
#[derive(Debug, Clone)]
pub struct Received {
    /// The operationId the request was for, if it matched one.
    pub operation: Option<String>,
    /// The request.
    pub request: RecordedRequest,
    /// What the spec says is wrong with the request (empty: valid).
    pub violations: Vec<Failure>,
    /// The answer.
    pub response: RecordedResponse,
    /// The fault scripted for it, if any.
    pub fault: Option<MockFault>,
}

struct State {
    suite: Suite,
    base: String,
    url: url::Url,
    options: MockOptions,
    store: Store,
    script: Script,
    received: RequestLog<Received>,
}

/// A running mock Dwolla; it stops when dropped.
pub struct MockDwolla {
    state: Arc<State>,
    _listening: Listening,
}

impl MockDwolla {
    /// A mock on a free port with the default [`MockOptions`].
    pub async fn start() -> Result<Self, MockError> {
        Self::start_with(MockOptions::default()).await
    }

    /// A mock on a free port set up by `options`.
    pub async fn start_with(options: MockOptions) -> Result<Self, MockError> {
        let suite = client_suite()?;
        let listener = server::bind(0).await.map_err(MockError::Bind)?;
        let address = listener.local_addr().map_err(MockError::Bind)?;
        let limits = options.limits;
        let base = format!("http://{address}");
        let url = url::Url::parse(&base).map_err(|source| MockError::Base {
            address: address.to_string(),
            source,
        })?;
        let state = Arc::new(State {
            suite,
            base,
            url,
            options,
            store: Store::default(),
            script: Script::default(),
            received: RequestLog::default(),
        });
        let serving = Arc::clone(&state);
        let listening = server::serve(listener, limits, move |request| {
            let state = Arc::clone(&serving);
            async move { Outcome::Answer(handle(&state, request).await) }
        })
        .map_err(MockError::Bind)?;
        Ok(Self {
            state,
            _listening: listening,
        })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> &str {
        &self.state.base
    }

    /// The environment to build the client with.
    pub fn environment(&self) -> Environment {
        Environment::Custom(self.state.url.clone())
    }

    /// The credentials `/token` accepts.
    pub fn credentials(&self) -> Credentials {
        Credentials::new(
            self.state.options.key.clone(),
            self.state.options.secret.clone(),
        )
    }

    /// The id of the account's partner called `name` (any case).
    pub fn partner_id(&self, name: &str) -> Option<&'static str> {
        PARTNERS
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .map(|p| p.id)
    }

    /// Scripts a fault: see [`Injection`].
    pub fn inject(&self, injection: Injection) {
        self.state.script.push(injection);
    }

    /// Expires every token minted so far: the next call made with one is
    /// answered `401 ExpiredAccessToken`.
    pub fn expire_tokens(&self) {
        self.state.store.expire_tokens();
    }

    /// How many access tokens `/token` issued: a client that caches its
    /// token asks once, however many calls it makes.
    pub fn tokens_issued(&self) -> usize {
        self.state.store.token_count()
    }

    /// How many exchange sessions were created.
    pub fn sessions_created(&self) -> usize {
        self.state.store.session_count()
    }

    /// The requests received most recently, oldest first (at most
    /// [`LOG_ENTRIES`](crate::server::log::LOG_ENTRIES)).
    pub fn received(&self) -> Vec<Received> {
        self.state.received.entries()
    }

    /// The requests received for `operation_id`, oldest first.
    pub fn received_for(&self, operation_id: &str) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| r.operation.as_deref() == Some(operation_id))
            .collect()
    }
}

async fn handle(state: &State, request: Request) -> server::Answer {
    let length = request.body.len();
    let mut request = recorded(request);
    let (operation, violations) = state.suite.check_request(&request);
    let operation = operation.map(|op| op.id.clone());
    let fault = state.script.take(operation.as_deref());
    let response = match &fault {
        Some(MockFault::Stall(pause)) => {
            tokio::time::sleep(*pause).await;
            None
        }
        Some(MockFault::TooManyRequests { retry_after }) => Some(too_many(*retry_after)),
        Some(MockFault::ServerError(status)) => Some(server_error(*status)),
        None => None,
    };
    let mut response =
        response.unwrap_or_else(|| respond(state, operation.as_deref(), &request, &violations));
    let sent = answer(&response, str::to_string);
    redact_alone(&mut request, Some(&mut response));
    state.received.push(
        Received {
            operation,
            request,
            violations,
            response,
            fault,
        },
        length,
    );
    sent
}

/// The answer to a request no fault was scripted for.
fn respond(
    state: &State,
    operation: Option<&str>,
    request: &RecordedRequest,
    violations: &[Failure],
) -> RecordedResponse {
    let Some(operation) = operation else {
        return not_found();
    };
    if !violations.is_empty() {
        return refusal(operation, violations);
    }
    if operation == "createApplicationAccessToken" {
        return mint_token(state, request);
    }
    let token = request
        .header("authorization")
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or_default();
    match state.store.token(token) {
        TokenState::Valid => {}
        TokenState::Expired => {
            return hal(
                401,
                answers::error("ExpiredAccessToken", "Access token is expired."),
            );
        }
        TokenState::Unknown => {
            return hal(
                401,
                answers::error("InvalidAccessToken", "Invalid access token."),
            );
        }
    }
    let id = request.path_only().split('/').nth(2).unwrap_or_default();
    let base = &state.base;
    match operation {
        "listExchangePartners" => hal(200, bodies::partners(base, PARTNERS)),
        "getExchangePartner" => match state::partner(id) {
            Some(partner) => hal(200, bodies::partner(base, partner)),
            None => not_found(),
        },
        "createCustomerExchangeSession" => create_session(state, request),
        "createReAuthExchangeSession" => {
            let session = Session {
                partner: &PARTNERS[0],
                created: now(),
            };
            created(state, session)
        }
        "retrieveCustomerExchangeSession" => match state.store.session(id) {
            Some(session) => hal(200, bodies::session(base, id, &session)),
            None => not_found(),
        },
        _ => not_found(),
    }
}

/// `POST /token`: a new token for the configured credentials, else
/// `invalid_client`.
fn mint_token(state: &State, request: &RecordedRequest) -> RecordedResponse {
    let expected = format!("{}:{}", state.options.key, state.options.secret.expose());
    let given = request
        .header("authorization")
        .and_then(|value| value.strip_prefix("Basic "))
        .and_then(|encoded| {
            base64::engine::general_purpose::STANDARD
                .decode(encoded.trim())
                .ok()
        });
    if given.as_deref() != Some(expected.as_bytes()) {
        let mut refused = hal(401, serde_json::json!({ "error": "invalid_client" }));
        refused
            .headers
            .insert("content-type".into(), "application/json".into());
        return refused;
    }
    let mut minted = hal(200, bodies::token(&state.store.mint_token()));
    minted
        .headers
        .insert("content-type".into(), "application/json".into());
    minted
}

/// A customer's new session for the partner its body names; `400
/// ValidationError` for a partner the account does not have.
fn create_session(state: &State, request: &RecordedRequest) -> RecordedResponse {
    let href = request
        .body
        .as_ref()
        .and_then(|body| body.pointer("/_links/exchange-partner/href"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let partner = href
        .rsplit_once("/exchange-partners/")
        .and_then(|(_, id)| state::partner(id.trim_end_matches('/')));
    let Some(partner) = partner else {
        return hal(
            400,
            answers::validation_error([(
                "/_links/exchange-partner/href",
                "Invalid exchange partner.".to_string(),
            )]),
        );
    };
    let session = Session {
        partner,
        created: now(),
    };
    created(state, session)
}

/// `201` with the new session's `Location`.
fn created(state: &State, session: Session) -> RecordedResponse {
    let id = state.store.create_session(session);
    RecordedResponse {
        status: 201,
        headers: [(
            "location".to_string(),
            format!("{}/exchange-sessions/{id}", state.base),
        )]
        .into(),
        body: None,
        body_text: None,
    }
}

fn too_many(retry_after: std::time::Duration) -> RecordedResponse {
    let seconds = retry_after
        .as_secs()
        .saturating_add(u64::from(retry_after.subsec_nanos() > 0));
    let mut response = hal(
        429,
        answers::error(
            "TooManyRequests",
            "Too many requests. Please wait and try again.",
        ),
    );
    response
        .headers
        .insert("retry-after".into(), seconds.to_string());
    response
}

fn server_error(status: u16) -> RecordedResponse {
    let status = if (500..600).contains(&status) {
        status
    } else {
        500
    };
    hal(
        status,
        answers::error("ServerError", "A server error occurred."),
    )
}

/// Now, as Dwolla writes its timestamps.
fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
