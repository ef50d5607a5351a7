//! The recorder: a reverse proxy on 127.0.0.1 between an application and
//! Dwolla (or any upstream) that forwards every exchange as it is and
//! records a redacted copy of it in the fixture format.
//!
//! - Transparent: the request's and the answer's bytes go through untouched
//!   (bodies, encodings, every header, repeated ones kept); only hop-by-hop
//!   headers are dropped (`forward`), and the upstream's URL in
//!   `Location` and `Content-Location` becomes the proxy's, so the
//!   application keeps talking through it. A target with a dot segment, or
//!   that is not a path, is refused with 400 and never forwarded.
//! - Nothing lost: each exchange is written when it completes (its fixture
//!   file, and an entry of the HAR file, a valid document after every
//!   write; `sink`); the in-memory log of [`Recorder::exchanges`] is
//!   bounded, the recording is not.
//! - Secrets: the client's one policy
//!   ([`redact`](dwolla_exchange_sessions::redact), through the crate's
//!   `secrets` module): credential and cookie headers, secret body and
//!   form fields and query parameters by name, and every secret value seen
//!   in the run (bearer tokens, the Basic credential and its client id and
//!   secret, the tokens `/token` hands out, the upstream URL's user info)
//!   wherever and however the upstream echoes it. User info in the upstream
//!   URL is never sent or printed.
//! - Bounded: an answer whose body passes `Limits::max_body_bytes` gets
//!   502, and so does an upstream slower than three quarters of
//!   `Limits::idle_timeout` (so the application gets the 502 before its
//!   idle connection would be closed).

mod copy;
mod forward;
mod sink;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use conformance::check::{Suite, SuiteError};
use conformance::fixture::{Exchange, Provenance};
use dwolla_exchange_sessions::redact::REDACTED;

use crate::readers::client_suite;
use crate::replay::rehost;
use crate::secrets::Secrets;
use crate::server::log::RequestLog;
use crate::server::{self, Answer, Limits, Listening, Outcome, Request};
use sink::Sink;

/// How long connecting to the upstream may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Why recording failed.
#[derive(Debug, thiserror::Error)]
pub enum RecorderError {
    /// Binding 127.0.0.1.
    #[error("cannot listen on 127.0.0.1: {0}")]
    Bind(std::io::Error),
    /// Writing the recording.
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
    /// The upstream is not a base URL.
    #[error("the upstream must be an http or https base URL without query or fragment: {0}")]
    Upstream(String),
}

struct State {
    /// The upstream's base URL, without user info.
    upstream: String,
    base: String,
    http: reqwest::Client,
    suite: Suite,
    secrets: Secrets,
    recorded: RequestLog<Exchange>,
    sink: Mutex<Sink>,
    date: String,
    max_body_bytes: usize,
}

/// A running recording proxy; it stops when dropped.
pub struct Recorder {
    state: Arc<State>,
    _listening: Listening,
}

/// How a [`Recorder`] is started: its upstream, port, limits and where the
/// recording is written as it happens. (Its `Debug` shows the upstream
/// without user info.)
#[derive(Clone)]
pub struct RecorderBuilder {
    upstream: String,
    port: u16,
    limits: Limits,
    fixtures: Option<PathBuf>,
    har: Option<PathBuf>,
}

impl std::fmt::Debug for RecorderBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecorderBuilder")
            .field("upstream", &without_user_info(&self.upstream))
            .field("port", &self.port)
            .field("limits", &self.limits)
            .field("fixtures", &self.fixtures)
            .field("har", &self.har)
            .finish()
    }
}

impl RecorderBuilder {
    /// Listens on 127.0.0.1:`port` (0, the default: any free port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Within `limits` (default: [`Limits::default`]).
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Writes each exchange to `dir` as `<operationId>.<status>.<n>.json`
    /// when it completes.
    pub fn fixtures_to(mut self, dir: impl Into<PathBuf>) -> Self {
        self.fixtures = Some(dir.into());
        self
    }

    /// Keeps a HAR 1.2 file at `path`, an entry appended when each exchange
    /// completes, its URLs on the upstream.
    pub fn har_to(mut self, path: impl Into<PathBuf>) -> Self {
        self.har = Some(path.into());
        self
    }

    /// Starts the proxy.
    pub async fn start(self) -> Result<Recorder, RecorderError> {
        let (upstream, user_info) = split_user_info(&self.upstream)?;
        let listener = server::bind(self.port).await.map_err(RecorderError::Bind)?;
        let address = listener.local_addr().map_err(RecorderError::Bind)?;
        let secrets = Secrets::default();
        secrets.add(user_info);
        let state = Arc::new(State {
            sink: Mutex::new(Sink::open(
                self.fixtures.as_deref(),
                self.har.as_deref(),
                &upstream,
            )?),
            upstream,
            base: format!("http://{address}"),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .connect_timeout(CONNECT_TIMEOUT)
                .timeout(upstream_timeout(&self.limits))
                .build()
                .map_err(RecorderError::Client)?,
            suite: client_suite()?,
            secrets,
            recorded: RequestLog::default(),
            date: today(),
            max_body_bytes: self.limits.max_body_bytes,
        });
        let serving = Arc::clone(&state);
        let listening = server::serve(listener, self.limits, move |request| {
            let state = Arc::clone(&serving);
            async move { Outcome::Answer(proxy(&state, request).await) }
        })
        .map_err(RecorderError::Bind)?;
        Ok(Recorder {
            state,
            _listening: listening,
        })
    }
}

/// How long one whole upstream exchange may take: three quarters of the
/// idle timeout, so the application hears the 502 before its connection,
/// idle while it waits, is closed.
fn upstream_timeout(limits: &Limits) -> Duration {
    limits.idle_timeout.mul_f64(0.75)
}

/// The upstream's base URL without user info, and the user info's parts
/// (secrets never sent nor printed).
fn split_user_info(upstream: &str) -> Result<(String, Vec<String>), RecorderError> {
    let invalid = || {
        let shown = without_user_info(upstream);
        RecorderError::Upstream(untrusted_text::bounded_line(&shown, 200).to_string())
    };
    let mut url = url::Url::parse(upstream).map_err(|_| invalid())?;
    let base_like = matches!(url.scheme(), "http" | "https")
        && url.query().is_none()
        && url.fragment().is_none()
        && url.host().is_some();
    if !base_like {
        return Err(invalid());
    }
    let mut user_info = Vec::new();
    for part in [url.username(), url.password().unwrap_or_default()] {
        let decoded = percent_encoding::percent_decode_str(part).decode_utf8_lossy();
        if !decoded.is_empty() {
            user_info.extend([part.to_string(), decoded.into_owned()]);
        }
    }
    url.set_username("").map_err(|()| invalid())?;
    url.set_password(None).map_err(|()| invalid())?;
    Ok((url.as_str().trim_end_matches('/').to_string(), user_info))
}

/// `upstream` as it may be shown: any user info before the host replaced
/// by `<redacted>`, read from the text (so also when it is no URL).
fn without_user_info(upstream: &str) -> String {
    let Some(scheme_end) = upstream.find("://").map(|at| at + 3) else {
        return upstream.to_string();
    };
    let rest = &upstream[scheme_end..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{}{REDACTED}{}", &upstream[..scheme_end], &rest[at..]),
        None => upstream.to_string(),
    }
}

impl Recorder {
    /// How to start a proxy to `upstream` (e.g.
    /// `https://api-sandbox.dwolla.com`).
    pub fn builder(upstream: &str) -> RecorderBuilder {
        RecorderBuilder {
            upstream: upstream.to_string(),
            port: 0,
            limits: Limits::default(),
            fixtures: None,
            har: None,
        }
    }

    /// A proxy to `upstream` on a free port, with the default [`Limits`],
    /// keeping its recording in memory only.
    pub async fn start(upstream: &str) -> Result<Self, RecorderError> {
        Self::builder(upstream).start().await
    }

    /// A proxy to `upstream` on a free port, within `limits`.
    pub async fn start_with(upstream: &str, limits: Limits) -> Result<Self, RecorderError> {
        Self::builder(upstream).limits(limits).start().await
    }

    /// Where the client should send its requests.
    pub fn base_url(&self) -> &str {
        &self.state.base
    }

    /// The exchanges recorded so far (the most recent
    /// [`LOG_ENTRIES`](crate::server::log::LOG_ENTRIES), holding at most
    /// [`LOG_BYTES`](crate::server::log::LOG_BYTES) of bodies; the files
    /// hold them all), redacted again with every secret seen since.
    pub fn exchanges(&self) -> Vec<Exchange> {
        let mut exchanges = self.state.recorded.entries();
        for exchange in &mut exchanges {
            self.state.secrets.redact(exchange);
        }
        exchanges
    }

    /// The upstream it forwards to (without user info).
    pub fn upstream(&self) -> &str {
        &self.state.upstream
    }

    /// How many exchanges were written to the files.
    pub fn written(&self) -> usize {
        self.state
            .sink
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .count()
    }

    /// Ends the recording: every file written scrubbed once more with every
    /// secret seen; returns how many exchanges were written.
    pub fn finish(&self) -> Result<usize, RecorderError> {
        let sink = self
            .state
            .sink
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        sink.scrub(&self.state.secrets.values())?;
        Ok(sink.count())
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
    if let Some(why) = forward::refused_target(&request.target) {
        return refusal(400, why);
    }
    let url = format!("{}{}", state.upstream, request.target);
    let upstream = match forward::forward(&state.http, &url, &request, state.max_body_bytes).await {
        Ok(upstream) => upstream,
        Err(why) => {
            let why = state.secrets.values().scrub(&why).into_owned();
            return refusal(502, format!("upstream failed: {why}"));
        }
    };
    if let Err(error) = record(state, &request, &upstream) {
        tracing::warn!(%error, "the recorder could not write an exchange");
    }
    // The upstream's URL in `Location` points at the proxy, so the client's
    // `Location` check passes and it keeps talking through the recorder.
    let headers = upstream
        .headers
        .iter()
        .map(|(name, value)| match name.as_str() {
            "location" | "content-location" => (
                name.clone(),
                rehost(&value.replace(&state.upstream, &state.base), &state.base),
            ),
            _ => (name.clone(), value.clone()),
        })
        .collect();
    Answer {
        status: upstream.status,
        headers,
        body: upstream.body,
    }
}

/// Keeps the redacted copy of an exchange: in memory, and in the files.
fn record(
    state: &State,
    request: &Request,
    upstream: &forward::Upstream,
) -> Result<(), RecorderError> {
    let recorded_request = copy::request(request);
    let recorded_response = copy::response(upstream, state.max_body_bytes);
    let learned = state.secrets.learn_request(&recorded_request)
        | state.secrets.learn_response(&recorded_response);
    let (operation, _) = state.suite.check_request(&recorded_request);
    let mut exchange = Exchange {
        operation: operation.map_or_else(|| "unknown".into(), |op| op.id.clone()),
        description: None,
        provenance: Provenance {
            source: "sandbox".into(),
            reference: Some(format!("recorded from {}", state.upstream)),
            recorded: Some(state.date.clone()),
        },
        request: recorded_request,
        response: recorded_response,
    };
    state.secrets.redact(&mut exchange);
    let length = request.body.len().saturating_add(upstream.body.len());
    let mut sink = state
        .sink
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    sink.write(&exchange)?;
    if learned {
        sink.scrub(&state.secrets.values())?;
    }
    state.recorded.push(exchange, length);
    Ok(())
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

    #[tokio::test]
    async fn the_upstreams_password_is_in_no_debug_output_nor_error() {
        let builder = Recorder::builder("http://someone:pass-word-1@127.0.0.1:9/api");
        let shown = format!("{builder:?}");
        assert!(
            !shown.contains("pass-word-1") && !shown.contains("someone"),
            "{shown}"
        );
        assert!(
            shown.contains("http://<redacted>@127.0.0.1:9/api"),
            "{shown}"
        );
        for invalid in [
            "http://someone:pass-word-1@127.0.0.1:9/api?query",
            "ftp://someone:pass-word-1@127.0.0.1/",
            "http://someone:pass-word-1@[not a host/",
        ] {
            let error = Recorder::builder(invalid)
                .start()
                .await
                .err()
                .expect("refused");
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains("pass-word-1"), "{shown}");
        }
    }
}
