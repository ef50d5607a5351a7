//! A server on 127.0.0.1 that misbehaves on purpose: resets, stalls,
//! truncated bodies, or whatever answer a test chooses; it records every
//! request (the most recent ones: see [`RequestLog`]).

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

use crate::DWOLLA_MEDIA_TYPE;
use crate::capture::Captured;
use crate::server::log::RequestLog;
use crate::server::{self, Answer, Limits, Listening, Outcome};

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Sends this answer.
    Answer(Answer),
    /// Resets the connection before sending anything.
    ResetBeforeHeaders,
    /// Sends headers promising a 500-byte body and a few bytes of it, then
    /// resets.
    ResetAfterHeaders,
    /// Sends nothing for this long, then closes.
    Stall(Duration),
    /// Promises `content-length: 1000`, sends a few bytes, closes.
    Truncated,
}

impl From<Answer> for Fault {
    fn from(answer: Answer) -> Self {
        Self::Answer(answer)
    }
}

/// The server: `respond` picks the fault (or plain answer) for each request.
pub struct FaultServer {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    captured: Arc<RequestLog<Captured>>,
    _listening: Listening,
}

impl FaultServer {
    /// Starts on a free port of 127.0.0.1 with the default [`Limits`];
    /// `respond` is called once per request.
    pub async fn start<R: Into<Fault>>(
        respond: impl Fn(&Captured) -> R + Send + Sync + 'static,
    ) -> std::io::Result<Self> {
        Self::start_with(Limits::default(), respond).await
    }

    /// Starts on a free port of 127.0.0.1 within `limits`.
    pub async fn start_with<R: Into<Fault>>(
        limits: Limits,
        respond: impl Fn(&Captured) -> R + Send + Sync + 'static,
    ) -> std::io::Result<Self> {
        let captured = Arc::new(RequestLog::default());
        let sink = Arc::clone(&captured);
        let listener = server::bind(0).await?;
        let listening = server::serve(listener, limits, move |request| {
            let request = Captured::from(request);
            let fault = respond(&request).into();
            let length = request.body.len();
            sink.push(request, length);
            act(fault)
        })?;
        Ok(Self {
            base: listening.base_url(),
            captured,
            _listening: listening,
        })
    }

    /// The requests received most recently, oldest first.
    pub fn requests(&self) -> Vec<Captured> {
        self.captured.entries()
    }

    /// How many of [`requests`](Self::requests) had this method and target.
    pub fn count(&self, method: &str, target: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.method == method && r.target == target)
            .count()
    }
}

/// A 200 whose body is cut after `part`.
fn cut_ok(part: &'static str, promised: usize, pause: Duration, reset: bool) -> Outcome {
    Outcome::Cut {
        answer: Answer {
            status: 200,
            headers: vec![("content-type".into(), DWOLLA_MEDIA_TYPE.into())],
            body: Bytes::from_static(part.as_bytes()),
        },
        promised,
        pause,
        reset,
    }
}

async fn act(fault: Fault) -> Outcome {
    match fault {
        Fault::Answer(answer) => Outcome::Answer(answer),
        Fault::ResetBeforeHeaders => Outcome::Reset,
        Fault::ResetAfterHeaders => cut_ok("{\"created\":", 500, Duration::from_millis(20), true),
        Fault::Stall(duration) => {
            tokio::time::sleep(duration).await;
            Outcome::Close
        }
        Fault::Truncated => cut_ok("{\"created\":\"2024", 1000, Duration::ZERO, false),
    }
}
