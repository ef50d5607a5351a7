//! The recorder: a proxy on 127.0.0.1 between the client and Dwolla (or any
//! upstream) that records every exchange in the fixture format, secrets
//! redacted before anything is kept.
//!
//! Redacted: `Authorization` (its scheme is kept), cookies, and the values of
//! every secret body field (`dwolla_exchange_sessions::redact::SECRET_FIELDS`:
//! access and refresh tokens, client secrets, `externalProviderSessionToken`,
//! Checkout.com's payment session secret and token), in JSON bodies and in
//! forms, by the client's own [`redact`](dwolla_exchange_sessions::redact).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use conformance::check::{Suite, SuiteError};
use conformance::fixture::{Exchange, Provenance, RecordedRequest, RecordedResponse};
use dwolla_exchange_sessions::redact::{REDACTED, redact_json, redact_text};
use serde_json::Value;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

use crate::readers::client_suite;
use crate::replay::{encode, read_request, rehost};

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
}

struct State {
    upstream: String,
    base: String,
    http: reqwest::Client,
    suite: Suite,
    recorded: Mutex<Vec<Exchange>>,
    date: String,
}

/// A running recording proxy; it stops when dropped.
pub struct Recorder {
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Recorder {
    /// A proxy to `upstream` (e.g. `https://api-sandbox.dwolla.com`).
    pub async fn start(upstream: &str) -> Result<Self, RecorderError> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(RecorderError::Bind)?;
        let address = listener.local_addr().map_err(RecorderError::Bind)?;
        let state = Arc::new(State {
            upstream: upstream.trim_end_matches('/').to_string(),
            base: format!("http://{address}"),
            http: reqwest::Client::new(),
            suite: client_suite()?,
            recorded: Mutex::new(Vec::new()),
            date: today(),
        });
        let serving = Arc::clone(&state);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let state = Arc::clone(&serving);
                tokio::spawn(async move { proxy(&state, stream).await });
            }
        });
        Ok(Self { state, task })
    }

    /// Where the client should send its requests.
    pub fn base_url(&self) -> &str {
        &self.state.base
    }

    /// The exchanges recorded so far, redacted.
    pub fn exchanges(&self) -> Vec<Exchange> {
        self.state
            .recorded
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Writes each recorded exchange to `dir` as
    /// `<operationId>.<status>.<n>.json`; returns the files.
    pub fn write_to(&self, dir: &Path) -> Result<Vec<PathBuf>, RecorderError> {
        let write_error = |path: &Path, source| RecorderError::Write {
            path: path.display().to_string(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
        let mut written = Vec::new();
        for (index, exchange) in self.exchanges().iter().enumerate() {
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

async fn proxy(state: &State, mut stream: TcpStream) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let response = match forward(state, &request).await {
        Ok(response) => response,
        Err(why) => {
            let message = format!("upstream failed: {why}");
            let reply = format!(
                "HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{message}",
                message.len()
            );
            let _ = stream.write_all(reply.as_bytes()).await;
            return;
        }
    };
    let (operation, _) = state.suite.check_request(&request);
    let exchange = Exchange {
        operation: operation
            .map(|op| op.id.clone())
            .unwrap_or_else(|| "unknown".into()),
        description: None,
        provenance: Provenance {
            source: "sandbox".into(),
            reference: Some(format!("recorded from {}", state.upstream)),
            recorded: Some(state.date.clone()),
        },
        request: redact_request(request),
        response: redact_response(response.clone()),
    };
    state
        .recorded
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(exchange);
    // Upstream URLs (and Dwolla's) point at the proxy, so the client's
    // `Location` check passes and it keeps talking through the recorder.
    let reply = encode(&response, |text| {
        rehost(&text.replace(&state.upstream, &state.base), &state.base)
    });
    let _ = stream.write_all(&reply).await;
    let _ = stream.shutdown().await;
}

/// Sends the request upstream and reads the whole answer.
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
    let text = response.text().await.map_err(|e| e.to_string())?;
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

fn redact_headers(headers: &mut BTreeMap<String, String>) {
    for (name, value) in headers.iter_mut() {
        match name.as_str() {
            "authorization" | "proxy-authorization" => {
                let scheme = value
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_string();
                *value = format!("{scheme} {REDACTED}");
            }
            "cookie" | "set-cookie" => *value = REDACTED.into(),
            _ => {}
        }
    }
}

fn redact_request(mut request: RecordedRequest) -> RecordedRequest {
    redact_headers(&mut request.headers);
    if let Some(body) = request.body.as_mut() {
        redact_json(body);
    }
    request.body_text = request
        .body_text
        .as_deref()
        .map(|text| redact_text(text).into_owned());
    request
}

fn redact_response(mut response: RecordedResponse) -> RecordedResponse {
    redact_headers(&mut response.headers);
    if let Some(body) = response.body.as_mut() {
        redact_json(body);
    }
    response.body_text = response
        .body_text
        .as_deref()
        .map(|text| redact_text(text).into_owned());
    response
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
