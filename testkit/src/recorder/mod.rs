//! The recorder: a proxy on 127.0.0.1 between the client and Dwolla (or any
//! upstream) that records every exchange in the fixture format, secrets
//! redacted before anything is kept.
//!
//! Redacted (see the crate's `secrets` module): `Authorization` (its scheme is kept; a value
//! without one goes whole), cookies, the values of every secret body field
//! (`dwolla_exchange_sessions::redact::SECRET_FIELDS`), and every secret
//! value seen in the run (bearer tokens, the Basic credential and its client
//! id and secret, the tokens `/token` hands out) wherever the upstream
//! echoes it. A request target that is not a path (absolute or authority
//! form, `*`) is refused with 400 and never forwarded. An upstream answer
//! whose body passes `Limits::max_body_bytes`, or that takes longer than a
//! minute, gets 502.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use conformance::check::{Suite, SuiteError};
use conformance::fixture::{Exchange, Provenance, RecordedRequest, RecordedResponse};
use serde_json::Value;

use crate::readers::client_suite;
use crate::replay::{answer, recorded, rehost};
use crate::secrets::Secrets;
use crate::server::log::RequestLog;
use crate::server::{self, Answer, Limits, Listening, Outcome, Request};

/// How long connecting to the upstream may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long one whole upstream exchange (connect, send, read the answer) may
/// take.
const UPSTREAM_TIMEOUT: Duration = Duration::from_secs(60);

/// Why recording failed.
#[derive(Debug, thiserror::Error)]
pub enum RecorderError {
    /// Binding 127.0.0.1.
    #[error("cannot listen on 127.0.0.1: {0}")]
    Bind(std::io::Error),
    /// Writing fixtures.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The spec.
    #[error(transparent)]
    Suite(#[from] SuiteError),
    /// The HTTP client to the upstream.
    #[error("cannot build the HTTP client: {0}")]
    Client(reqwest::Error),
    /// More exchanges were recorded than the log keeps.
    #[error(
        "{total} exchanges were recorded but only the last {kept} were kept; record a shorter flow"
    )]
    Overflow {
        /// Exchanges kept.
        kept: usize,
        /// Exchanges recorded.
        total: usize,
    },
}

struct State {
    upstream: String,
    base: String,
    http: reqwest::Client,
    suite: Suite,
    secrets: Secrets,
    recorded: RequestLog<Exchange>,
    date: String,
    max_body_bytes: usize,
}

/// A running recording proxy; it stops when dropped.
pub struct Recorder {
    state: Arc<State>,
    _listening: Listening,
}

impl Recorder {
    /// A proxy to `upstream` (e.g. `https://api-sandbox.dwolla.com`) on a
    /// free port, with the default [`Limits`].
    pub async fn start(upstream: &str) -> Result<Self, RecorderError> {
        Self::start_with(upstream, Limits::default()).await
    }

    /// A proxy to `upstream` on a free port, within `limits`.
    pub async fn start_with(upstream: &str, limits: Limits) -> Result<Self, RecorderError> {
        Self::start_on(upstream, 0, limits).await
    }

    /// A proxy to `upstream` on 127.0.0.1:`port` (0: any free port), within
    /// `limits`: the standalone reverse proxy any application can point its
    /// base URL at.
    pub async fn start_on(
        upstream: &str,
        port: u16,
        limits: Limits,
    ) -> Result<Self, RecorderError> {
        let listener = server::bind(port).await.map_err(RecorderError::Bind)?;
        let address = listener.local_addr().map_err(RecorderError::Bind)?;
        let state = Arc::new(State {
            upstream: upstream.trim_end_matches('/').to_string(),
            base: format!("http://{address}"),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .connect_timeout(CONNECT_TIMEOUT)
                .timeout(UPSTREAM_TIMEOUT)
                .build()
                .map_err(RecorderError::Client)?,
            suite: client_suite()?,
            secrets: Secrets::default(),
            recorded: RequestLog::default(),
            date: today(),
            max_body_bytes: limits.max_body_bytes,
        });
        let serving = Arc::clone(&state);
        let listening = server::serve(listener, limits, move |request| {
            let state = Arc::clone(&serving);
            async move { Outcome::Answer(proxy(&state, request).await) }
        })
        .map_err(RecorderError::Bind)?;
        Ok(Self {
            state,
            _listening: listening,
        })
    }

    /// Where the client should send its requests.
    pub fn base_url(&self) -> &str {
        &self.state.base
    }

    /// The exchanges recorded so far (the most recent
    /// [`LOG_ENTRIES`](crate::server::log::LOG_ENTRIES), holding at most
    /// [`LOG_BYTES`](crate::server::log::LOG_BYTES) of bodies), redacted
    /// again with every secret seen since.
    pub fn exchanges(&self) -> Vec<Exchange> {
        let mut exchanges = self.state.recorded.entries();
        for exchange in &mut exchanges {
            self.state.secrets.redact(exchange);
        }
        exchanges
    }

    /// The upstream it forwards to.
    pub fn upstream(&self) -> &str {
        &self.state.upstream
    }

    /// Every exchange recorded, or [`RecorderError::Overflow`] when the log
    /// dropped some.
    fn all_exchanges(&self) -> Result<Vec<Exchange>, RecorderError> {
        let exchanges = self.exchanges();
        let total = self.state.recorded.total();
        if total > exchanges.len() {
            return Err(RecorderError::Overflow {
                kept: exchanges.len(),
                total,
            });
        }
        Ok(exchanges)
    }

    /// Writes the recorded exchanges to `path` as one HAR 1.2 file, each URL
    /// on the upstream, secrets redacted as in the fixtures.
    pub fn write_har(&self, path: &Path) -> Result<(), RecorderError> {
        let har = conformance::har::to_har(
            &self.all_exchanges()?,
            &self.state.upstream,
            "dwolla-testkit recorder",
        );
        let mut text = serde_json::to_string_pretty(&har).unwrap_or_default();
        text.push('\n');
        std::fs::write(path, text).map_err(|source| RecorderError::Write {
            path: path.display().to_string(),
            source,
        })
    }

    /// Writes each recorded exchange to `dir` as
    /// `<operationId>.<status>.<n>.json`; returns the files.
    pub fn write_to(&self, dir: &Path) -> Result<Vec<PathBuf>, RecorderError> {
        let write_error = |path: &Path, source| RecorderError::Write {
            path: path.display().to_string(),
            source,
        };
        let exchanges = self.all_exchanges()?;
        std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
        let mut written = Vec::new();
        for (index, exchange) in exchanges.iter().enumerate() {
            let path = dir.join(format!(
                "{}.{}.{index:03}.json",
                exchange.operation, exchange.response.status
            ));
            let mut text = serde_json::to_string_pretty(exchange).unwrap_or_default();
            text.push('\n');
            std::fs::write(&path, text).map_err(|e| write_error(&path, e))?;
            written.push(path);
        }
        Ok(written)
    }
}

/// A plain-text answer of the proxy's own.
fn refusal(status: u16, message: String) -> Answer {
    Answer {
        status,
        headers: vec![("content-type".into(), "text/plain".into())],
        body: Bytes::from(message),
    }
}

async fn proxy(state: &State, request: Request) -> Answer {
    if !request.target.starts_with('/') {
        return refusal(
            400,
            format!(
                "the request target must be a path, not {:?}",
                request.target
            ),
        );
    }
    let length = request.body.len();
    let request = recorded(request);
    state.secrets.learn_request(&request);
    let response = match forward(state, &request).await {
        Ok(response) => response,
        Err(why) => return refusal(502, format!("upstream failed: {why}")),
    };
    state.secrets.learn_response(&response);
    let (operation, _) = state.suite.check_request(&request);
    let mut exchange = Exchange {
        operation: operation
            .map(|op| op.id.clone())
            .unwrap_or_else(|| "unknown".into()),
        description: None,
        provenance: Provenance {
            source: "sandbox".into(),
            reference: Some(format!("recorded from {}", state.upstream)),
            recorded: Some(state.date.clone()),
        },
        request,
        response: response.clone(),
    };
    state.secrets.redact(&mut exchange);
    let length = length.saturating_add(body_size(&exchange.response));
    state.recorded.push(exchange, length);
    // Upstream URLs (and Dwolla's) point at the proxy, so the client's
    // `Location` check passes and it keeps talking through the recorder.
    answer(&response, |text| {
        rehost(&text.replace(&state.upstream, &state.base), &state.base)
    })
}

/// Reads an upstream answer's body chunk by chunk, giving up (and dropping
/// the connection) once it passes `limit` bytes.
async fn read_bounded(mut response: reqwest::Response, limit: usize) -> Result<String, String> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| e.to_string())? {
        if body.len().saturating_add(chunk.len()) > limit {
            return Err(format!("the answer's body is over {limit} bytes"));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(String::from_utf8_lossy(&body).into_owned())
}

/// Sends the request upstream and reads the whole answer (at most
/// `max_body_bytes` of body).
async fn forward(state: &State, request: &RecordedRequest) -> Result<RecordedResponse, String> {
    let method = reqwest::Method::from_bytes(request.method.as_bytes())
        .map_err(|_| format!("unknown method {}", request.method))?;
    let mut outgoing = state
        .http
        .request(method, format!("{}{}", state.upstream, request.path));
    for (name, value) in &request.headers {
        if !matches!(name.as_str(), "host" | "content-length" | "connection") {
            outgoing = outgoing.header(name, value);
        }
    }
    let body = match (&request.body, &request.body_text) {
        (Some(body), _) => Some(body.to_string()),
        (None, Some(text)) => Some(text.clone()),
        (None, None) => None,
    };
    if let Some(body) = body {
        outgoing = outgoing.body(body);
    }
    let response = outgoing.send().await.map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let headers: BTreeMap<String, String> = response
        .headers()
        .iter()
        .filter(|(name, _)| {
            !matches!(
                name.as_str(),
                "content-length" | "connection" | "transfer-encoding" | "date"
            )
        })
        .filter_map(|(name, value)| {
            Some((name.as_str().to_string(), value.to_str().ok()?.to_string()))
        })
        .collect();
    let text = read_bounded(response, state.max_body_bytes).await?;
    let (body, body_text) = match serde_json::from_str::<Value>(&text) {
        Ok(value) if !text.is_empty() => (Some(value), None),
        _ if text.is_empty() => (None, None),
        _ => (None, Some(text)),
    };
    Ok(RecordedResponse {
        status,
        headers,
        body,
        body_text,
    })
}

/// About how many bytes a response's body holds.
fn body_size(response: &RecordedResponse) -> usize {
    match (&response.body, &response.body_text) {
        (Some(body), _) => serde_json::to_vec(body).map_or(0, |bytes| bytes.len()),
        (None, Some(text)) => text.len(),
        (None, None) => 0,
    }
}

/// Today's UTC date as `YYYY-MM-DD`.
fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_a_date() {
        let date = today();
        assert_eq!(date.len(), 10);
        assert!(date.starts_with("20"), "{date}");
    }
}
