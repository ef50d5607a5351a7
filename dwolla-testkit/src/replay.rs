//! The replay server: answers on 127.0.0.1 with the recorded exchanges, so
//! the client, its tests and the main job run without credentials or network.
//!
//! For each request it finds the operation (method and path template),
//! checks the request against the spec (body, `Accept`, credentials) and
//! answers a documented error when it is invalid. Otherwise it picks the
//! recorded exchange: for a read, the one recorded for the same path (else the
//! operation's recorded 404); for a create, the success whose request body
//! matches best (same body, else same shape). Dwolla's hosts in the recorded
//! headers and bodies are replaced by the server's own address, so `Location`
//! points back at it.

use std::sync::Arc;

use bytes::Bytes;
use conformance::check::{Failure, Suite, SuiteError};
use conformance::fixture::{self, FixtureError, Loaded, RecordedRequest, RecordedResponse};
use serde::Serialize;
use serde_json::Value;

use crate::answers::{not_found, refusal};
use crate::readers::client_suite;
use crate::secrets::redact_alone;
use crate::server::log::RequestLog;
use crate::server::{self, Answer, Limits, Listening, Outcome, Request};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    /// The spec or errata.
    #[error(transparent)]
    Suite(#[from] SuiteError),
    /// The fixtures.
    #[error(transparent)]
    Fixtures(#[from] FixtureError),
    /// Binding 127.0.0.1.
    #[error("cannot listen on 127.0.0.1: {0}")]
    Bind(std::io::Error),
}

/// One request the server answered.
#[derive(Debug, Clone, Serialize)]
pub struct Served {
    /// The request as received, credentials redacted as in
    /// [`Received`](crate::mock::Received).
    pub request: RecordedRequest,
    /// The operation it was for, if any.
    pub operation: Option<String>,
    /// What the spec says is wrong with it (empty: valid).
    pub violations: Vec<Failure>,
    /// The fixture answered with, if any.
    pub fixture: Option<String>,
    /// The status sent.
    pub status: u16,
}

struct State {
    suite: Suite,
    fixtures: Vec<Loaded>,
    base: String,
    served: RequestLog<Served>,
}

/// A running replay server; it stops when dropped.
pub struct ReplayServer {
    state: Arc<State>,
    _listening: Listening,
}

impl ReplayServer {
    /// The committed fixtures on a free port.
    pub async fn start() -> Result<Self, ReplayError> {
        Self::start_on(0).await
    }

    /// The committed fixtures on `port` (0: any free port), requests checked
    /// by [`client_suite`].
    pub async fn start_on(port: u16) -> Result<Self, ReplayError> {
        Self::start_with(
            client_suite()?,
            fixture::committed()?,
            port,
            Limits::default(),
        )
        .await
    }

    /// `fixtures` checked against `suite`, on `port`, within `limits`.
    pub async fn start_with(
        suite: Suite,
        fixtures: Vec<Loaded>,
        port: u16,
        limits: Limits,
    ) -> Result<Self, ReplayError> {
        let listener = server::bind(port).await.map_err(ReplayError::Bind)?;
        let address = listener.local_addr().map_err(ReplayError::Bind)?;
        let state = Arc::new(State {
            suite,
            fixtures,
            base: format!("http://{address}"),
            served: RequestLog::default(),
        });
        let serving = Arc::clone(&state);
        let listening = server::serve(listener, limits, move |request| {
            let answer = handle(&serving, request);
            async move { Outcome::Answer(answer) }
        })
        .map_err(ReplayError::Bind)?;
        Ok(Self {
            state,
            _listening: listening,
        })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> &str {
        &self.state.base
    }

    /// How many exchanges it replays.
    pub fn exchange_count(&self) -> usize {
        self.state.fixtures.len()
    }

    /// The requests answered most recently, oldest first: at most
    /// [`LOG_ENTRIES`](crate::server::log::LOG_ENTRIES) of them, holding at
    /// most [`LOG_BYTES`](crate::server::log::LOG_BYTES) of bodies.
    pub fn served(&self) -> Vec<Served> {
        self.state.served.entries()
    }

    /// How many requests it answered in all.
    pub fn served_total(&self) -> usize {
        self.state.served.total()
    }
}

fn handle(state: &State, request: Request) -> Answer {
    let length = request.body.len();
    let mut request = recorded(request);
    let (operation, violations) = state.suite.check_request(&request);
    let operation_id = operation.map(|op| op.id.clone());
    let (fixture, response) = match (operation, violations.is_empty()) {
        (Some(operation), true) => choose(state, &operation.id, &operation.method, &request),
        (Some(operation), false) => (None, refusal(&operation.id, &violations)),
        (None, _) => (None, not_found()),
    };
    let status = response.status;
    redact_alone(&mut request, None);
    state.served.push(
        Served {
            request,
            operation: operation_id,
            violations,
            fixture,
            status,
        },
        length,
    );
    answer(&response, |text| rehost(text, &state.base))
}

/// The recorded response for a valid request, with the fixture's name.
fn choose(
    state: &State,
    operation: &str,
    method: &str,
    request: &RecordedRequest,
) -> (Option<String>, RecordedResponse) {
    let of_operation = state
        .fixtures
        .iter()
        .filter(|l| l.exchange.operation == operation);
    let successes: Vec<&Loaded> = of_operation
        .clone()
        .filter(|l| (200..300).contains(&l.exchange.response.status))
        .collect();
    let chosen = if method == "GET" {
        successes
            .iter()
            .find(|l| l.exchange.request.path_only() == request.path_only())
            .copied()
            .or_else(|| {
                of_operation
                    .clone()
                    .find(|l| l.exchange.response.status == 404)
            })
    } else {
        successes
            .iter()
            .max_by_key(|l| {
                let recorded = &l.exchange.request;
                let recorded_body = recorded.body.as_ref().and_then(|body| {
                    serde_json::from_str::<Value>(&rehost(&body.to_string(), &state.base)).ok()
                });
                let same_body =
                    recorded_body == request.body && recorded.body_text == request.body_text;
                let same_shape =
                    key_outline(recorded.body.as_ref()) == key_outline(request.body.as_ref());
                (same_body, same_shape, std::cmp::Reverse(l.name.clone()))
            })
            .copied()
    };
    match chosen {
        Some(loaded) => (Some(loaded.name.clone()), loaded.exchange.response.clone()),
        None => (None, not_found()),
    }
}

/// The keys of a body at every level, without values.
fn key_outline(body: Option<&Value>) -> Value {
    match body {
        Some(Value::Object(object)) => Value::Object(
            object
                .iter()
                .map(|(k, v)| (k.clone(), key_outline(Some(v))))
                .collect(),
        ),
        Some(_) => Value::Null,
        None => Value::Bool(false),
    }
}

/// Dwolla's hosts, replaced by the server's address in everything it sends.
const DWOLLA_HOSTS: &[&str] = &["https://api-sandbox.dwolla.com", "https://api.dwolla.com"];

pub(crate) fn rehost(text: &str, base: &str) -> String {
    DWOLLA_HOSTS
        .iter()
        .fold(text.to_string(), |text, host| text.replace(host, base))
}

/// The recorded response as an answer, with `rewrite` applied to header
/// values and to a JSON body (to point URLs at this server).
pub(crate) fn answer(response: &RecordedResponse, rewrite: impl Fn(&str) -> String) -> Answer {
    let body = match (&response.body, &response.body_text) {
        (Some(body), _) => rewrite(&body.to_string()),
        (None, Some(text)) => text.clone(),
        (None, None) => String::new(),
    };
    Answer {
        status: response.status,
        headers: response
            .headers
            .iter()
            .filter(|(name, _)| name.as_str() != "connection")
            .map(|(name, value)| (name.clone(), rewrite(value)))
            .collect(),
        body: Bytes::from(body),
    }
}

/// A request as the fixtures record it: headers by lower-cased name (the
/// last of a repeated one), a JSON body parsed, any other kept as text.
pub(crate) fn recorded(request: Request) -> RecordedRequest {
    let text = String::from_utf8_lossy(&request.body).into_owned();
    let (body, body_text) = if text.is_empty() {
        (None, None)
    } else {
        match serde_json::from_str(&text) {
            Ok(value) => (Some(value), None),
            Err(_) => (None, Some(text)),
        }
    };
    RecordedRequest {
        method: request.method,
        path: request.target,
        headers: request.headers.into_iter().collect(),
        body,
        body_text,
    }
}
