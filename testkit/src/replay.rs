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

use std::sync::{Arc, Mutex};

use conformance::check::{Failure, Suite, SuiteError};
use conformance::fixture::{self, FixtureError, Loaded, RecordedRequest, RecordedResponse};
use serde::Serialize;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::readers::client_suite;

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
    /// The request as received.
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
    served: Mutex<Vec<Served>>,
}

/// A running replay server; it stops when dropped.
pub struct ReplayServer {
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for ReplayServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl ReplayServer {
    /// The committed fixtures on a free port.
    pub async fn start() -> Result<Self, ReplayError> {
        Self::start_on(0).await
    }

    /// The committed fixtures on `port` (0: any free port), requests checked
    /// by [`client_suite`].
    pub async fn start_on(port: u16) -> Result<Self, ReplayError> {
        Self::start_with(client_suite()?, fixture::committed()?, port).await
    }

    /// `fixtures` checked against `suite`, on `port`.
    pub async fn start_with(
        suite: Suite,
        fixtures: Vec<Loaded>,
        port: u16,
    ) -> Result<Self, ReplayError> {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .map_err(ReplayError::Bind)?;
        let address = listener.local_addr().map_err(ReplayError::Bind)?;
        let state = Arc::new(State {
            suite,
            fixtures,
            base: format!("http://{address}"),
            served: Mutex::new(Vec::new()),
        });
        let serving = Arc::clone(&state);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let state = Arc::clone(&serving);
                tokio::spawn(async move { handle(&state, stream).await });
            }
        });
        Ok(Self { state, task })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> &str {
        &self.state.base
    }

    /// How many exchanges it replays.
    pub fn exchange_count(&self) -> usize {
        self.state.fixtures.len()
    }

    /// Every request answered so far.
    pub fn served(&self) -> Vec<Served> {
        self.state
            .served
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

async fn handle(state: &State, mut stream: TcpStream) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let (operation, violations) = state.suite.check_request(&request);
    let operation_id = operation.map(|op| op.id.clone());
    let (fixture, response) = match (operation, violations.is_empty()) {
        (Some(operation), true) => choose(state, &operation.id, &operation.method, &request),
        (Some(operation), false) => (None, refusal(&operation.id, &violations)),
        (None, _) => (None, not_found()),
    };
    let status = response.status;
    state
        .served
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(Served {
            request,
            operation: operation_id,
            violations,
            fixture,
            status,
        });
    let _ = stream
        .write_all(&encode(&response, |text| rehost(text, &state.base)))
        .await;
    let _ = stream.shutdown().await;
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
                let same_shape = shape(recorded.body.as_ref()) == shape(request.body.as_ref());
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
fn shape(body: Option<&Value>) -> Value {
    match body {
        Some(Value::Object(object)) => Value::Object(
            object
                .iter()
                .map(|(k, v)| (k.clone(), shape(Some(v))))
                .collect(),
        ),
        Some(_) => Value::Null,
        None => Value::Bool(false),
    }
}

fn refusal(operation: &str, violations: &[Failure]) -> RecordedResponse {
    let unauthenticated = violations
        .iter()
        .any(|v| v.instance_pointer == "header:authorization");
    let (status, body) = match (unauthenticated, operation) {
        (true, "createApplicationAccessToken") => (401, json!({ "error": "invalid_client" })),
        (true, _) => (
            401,
            json!({ "code": "InvalidAccessToken", "message": "Invalid access token." }),
        ),
        (false, _) => (
            400,
            json!({
                "code": "ValidationError",
                "message": "Validation error(s) present. See embedded errors list for more details.",
                "_embedded": { "errors": violations.iter().map(|v| json!({
                    "code": "Invalid",
                    "message": v.message,
                    "path": v.instance_pointer,
                    "_links": {}
                })).collect::<Vec<_>>() }
            }),
        ),
    };
    RecordedResponse {
        status,
        headers: [(
            "content-type".to_string(),
            "application/vnd.dwolla.v1.hal+json".to_string(),
        )]
        .into(),
        body: Some(body),
        body_text: None,
    }
}

fn not_found() -> RecordedResponse {
    RecordedResponse {
        status: 404,
        headers: [(
            "content-type".to_string(),
            "application/vnd.dwolla.v1.hal+json".to_string(),
        )]
        .into(),
        body: Some(
            json!({ "code": "NotFound", "message": "The requested resource was not found." }),
        ),
        body_text: None,
    }
}

/// Dwolla's hosts, replaced by the server's address in everything it sends.
const DWOLLA_HOSTS: &[&str] = &["https://api-sandbox.dwolla.com", "https://api.dwolla.com"];

pub(crate) fn rehost(text: &str, base: &str) -> String {
    DWOLLA_HOSTS
        .iter()
        .fold(text.to_string(), |text, host| text.replace(host, base))
}

/// The response on the wire, with `rewrite` applied to header values and to a
/// JSON body (to point URLs at this server).
pub(crate) fn encode(response: &RecordedResponse, rewrite: impl Fn(&str) -> String) -> Vec<u8> {
    let body = match (&response.body, &response.body_text) {
        (Some(body), _) => rewrite(&body.to_string()),
        (None, Some(text)) => text.clone(),
        (None, None) => String::new(),
    };
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nconnection: close\r\ncontent-length: {}\r\n",
        response.status,
        reqwest::StatusCode::from_u16(response.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("Status"),
        body.len()
    );
    for (name, value) in &response.headers {
        if name != "content-length" && name != "connection" {
            head.push_str(&format!("{name}: {}\r\n", rewrite(value)));
        }
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body.as_bytes());
    bytes
}

/// Reads one HTTP/1.1 request (headers, then `content-length` bytes).
pub(crate) async fn read_request(stream: &mut TcpStream) -> Option<RecordedRequest> {
    const LIMIT: usize = 1 << 20;
    let mut raw = Vec::new();
    let mut buffer = [0u8; 4096];
    let head_end = loop {
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 || raw.len() > LIMIT {
            return None;
        }
        raw.extend_from_slice(&buffer[..read]);
        if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
    };
    let head = String::from_utf8(raw[..head_end].to_vec()).ok()?;
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_string();
    let path = request_line.next()?.to_string();
    let headers: std::collections::BTreeMap<String, String> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
        .min(LIMIT);
    let mut body = raw[head_end + 4..].to_vec();
    while body.len() < length {
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 {
            break;
        }
        body.extend_from_slice(&buffer[..read]);
    }
    let text = String::from_utf8(body).ok()?;
    let (body, body_text) = if text.is_empty() {
        (None, None)
    } else {
        match serde_json::from_str(&text) {
            Ok(value) => (Some(value), None),
            Err(_) => (None, Some(text)),
        }
    };
    Some(RecordedRequest {
        method,
        path,
        headers,
        body,
        body_text,
    })
}
