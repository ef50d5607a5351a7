//! The one HTTP/1.1 server of the test kit, on hyper: the replay server, the
//! recorder, the fault and capture servers and the benchmarks all run on it.
//!
//! It keeps connections alive, refuses a request head over
//! [`Limits::max_head_bytes`] with 431 and a body over
//! [`Limits::max_body_bytes`] with 413, closes a connection whose head takes
//! longer than [`Limits::header_read_timeout`] or on which nothing moved for
//! [`Limits::idle_timeout`], and keeps accepting after a failed `accept`
//! (out of file descriptors, say), logging it and pausing briefly.

mod io;
pub mod log;

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};

use self::io::Guarded;

/// How much a client may send and how long it may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest request head (request line and headers), in bytes; at
    /// least 8 KiB (hyper's floor). Larger heads get 431.
    pub max_head_bytes: usize,
    /// The largest request body, in bytes. Larger bodies get 413. The
    /// recorder also reads at most this much of an upstream's answer (502
    /// past it).
    pub max_body_bytes: usize,
    /// How long a client may take to send a whole request head, counted
    /// from its first byte or from the end of the previous exchange.
    pub header_read_timeout: Duration,
    /// How long a connection may see no byte move before it is closed.
    pub idle_timeout: Duration,
}

impl Default for Limits {
    /// 64 KiB heads, 1 MiB bodies, 10 s for a head, 60 s idle.
    fn default() -> Self {
        Self {
            max_head_bytes: 64 << 10,
            max_body_bytes: 1 << 20,
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
        }
    }
}

/// hyper's smallest read buffer.
const MIN_HEAD_BYTES: usize = 8 << 10;

/// One request as received: method, target, headers (lower-cased names, in
/// the order hyper keeps them) and the whole body.
#[derive(Debug, Clone)]
pub struct Request {
    /// The method.
    pub method: String,
    /// The request target as sent: a path and query in origin form, else the
    /// absolute URL or authority.
    pub target: String,
    /// Headers by lower-cased name.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Bytes,
}

/// A complete answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// Headers, sent in this order (`content-length` and
    /// `transfer-encoding` are the server's own and left out).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Bytes,
}

/// What the server does with a request.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Sends the answer; the connection stays open.
    Answer(Answer),
    /// Sends the answer's status and headers with `content-length:
    /// promised`, then its body, waits `pause`, and ends the connection
    /// without the rest: closed, or reset if `reset`.
    Cut {
        /// Status, headers and the part of the body that is sent.
        answer: Answer,
        /// The length announced.
        promised: usize,
        /// The wait between the part sent and the end.
        pause: Duration,
        /// Reset (RST) instead of a plain close.
        reset: bool,
    },
    /// Closes the connection without answering.
    Close,
    /// Resets the connection without answering.
    Reset,
}

/// A running server; it stops accepting when dropped.
#[derive(Debug)]
pub struct Listening {
    address: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Listening {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Listening {
    /// The address it listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }
}

/// Binds 127.0.0.1:`port` (0: any free port), for [`serve`].
pub async fn bind(port: u16) -> std::io::Result<TcpListener> {
    TcpListener::bind(("127.0.0.1", port)).await
}

/// Answers each request that comes to `listener` with what `handler`
/// decides, on a task of its own until the [`Listening`] is dropped.
pub fn serve<H, F>(listener: TcpListener, limits: Limits, handler: H) -> std::io::Result<Listening>
where
    H: Fn(Request) -> F + Send + Sync + 'static,
    F: Future<Output = Outcome> + Send + 'static,
{
    let address = listener.local_addr()?;
    let task = tokio::spawn(accept_loop(listener, limits, Arc::new(handler)));
    Ok(Listening { address, task })
}

/// Accepts for ever: a failed `accept` is logged and, unless it only
/// concerned that one connection, followed by a short pause (the usual cause
/// is running out of file descriptors, which closing connections cures).
async fn accept_loop<H, F>(listener: TcpListener, limits: Limits, handler: Arc<H>)
where
    H: Fn(Request) -> F + Send + Sync + 'static,
    F: Future<Output = Outcome> + Send + 'static,
{
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(connection(stream, limits, Arc::clone(&handler)));
            }
            Err(error) => {
                tracing::warn!(%error, "accept failed; still listening");
                if !matches!(
                    error.kind(),
                    std::io::ErrorKind::ConnectionAborted
                        | std::io::ErrorKind::ConnectionReset
                        | std::io::ErrorKind::Interrupted
                ) {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    }
}

/// Serves the requests of one connection.
async fn connection<H, F>(stream: TcpStream, limits: Limits, handler: Arc<H>)
where
    H: Fn(Request) -> F + Send + Sync + 'static,
    F: Future<Output = Outcome> + Send + 'static,
{
    let _ = stream.set_nodelay(true);
    let reset = Arc::new(AtomicBool::new(false));
    let io = TokioIo::new(Guarded::new(
        stream,
        limits.idle_timeout,
        Arc::clone(&reset),
    ));
    let service = hyper::service::service_fn(move |request| {
        let (handler, reset) = (Arc::clone(&handler), Arc::clone(&reset));
        async move { respond(request, limits, &*handler, &reset).await }
    });
    let served = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(limits.max_head_bytes.max(MIN_HEAD_BYTES))
        .serve_connection(io, service)
        .await;
    if let Err(error) = served {
        tracing::debug!(%error, "connection ended");
    }
}

/// The body of every answer.
type Body = BoxBody<Bytes, std::io::Error>;

/// Why a connection ends without an answer.
#[derive(Debug, thiserror::Error)]
#[error("the handler ended the connection")]
struct Ended;

async fn respond<H, F>(
    request: hyper::Request<hyper::body::Incoming>,
    limits: Limits,
    handler: &H,
    reset: &AtomicBool,
) -> Result<hyper::Response<Body>, Ended>
where
    H: Fn(Request) -> F,
    F: Future<Output = Outcome>,
{
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, limits.max_body_bytes).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) if error.is::<LengthLimitError>() => {
            return Ok(plain(413, "the request body is too large"));
        }
        Err(_) => return Err(Ended),
    };
    let headers = parts
        .headers
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            (name.as_str().to_string(), value)
        })
        .collect();
    let request = Request {
        method: parts.method.to_string(),
        target: parts.uri.to_string(),
        headers,
        body,
    };
    match handler(request).await {
        Outcome::Answer(answer) => Ok(response(answer, None)),
        Outcome::Cut {
            answer,
            promised,
            pause,
            reset: hard,
        } => {
            reset.store(hard, Ordering::Release);
            Ok(cut(answer, promised, pause))
        }
        Outcome::Close => Err(Ended),
        Outcome::Reset => {
            reset.store(true, Ordering::Release);
            Err(Ended)
        }
    }
}

/// A plain-text answer of the server's own.
fn plain(status: u16, message: &str) -> hyper::Response<Body> {
    response(
        Answer {
            status,
            headers: vec![("content-type".into(), "text/plain".into())],
            body: Bytes::copy_from_slice(message.as_bytes()),
        },
        None,
    )
}

/// `answer` on the wire, with `body` instead of its own if given; a 500
/// naming the fault if a status or header cannot be sent.
fn response(answer: Answer, body: Option<Body>) -> hyper::Response<Body> {
    let mut builder = hyper::Response::builder().status(answer.status);
    for (name, value) in &answer.headers {
        if !matches!(name.as_str(), "content-length" | "transfer-encoding") {
            builder = builder.header(name.as_str(), value.as_bytes());
        }
    }
    let body = body.unwrap_or_else(|| full(answer.body));
    builder.body(body).unwrap_or_else(|error| {
        let mut refusal = hyper::Response::new(full(Bytes::from(format!(
            "the test's answer cannot be sent: {error}"
        ))));
        *refusal.status_mut() = http::StatusCode::INTERNAL_SERVER_ERROR;
        refusal
    })
}

fn full(bytes: Bytes) -> Body {
    Full::new(bytes)
        .map_err(|never: Infallible| match never {})
        .boxed()
}

/// The answer's head announcing `promised` bytes, its body, then an error
/// after `pause` that makes hyper end the connection.
fn cut(mut answer: Answer, promised: usize, pause: Duration) -> hyper::Response<Body> {
    let (mut sender, channel) = http_body_util::channel::Channel::<Bytes, std::io::Error>::new(1);
    let part = std::mem::take(&mut answer.body);
    tokio::spawn(async move {
        if sender.send_data(part).await.is_ok() {
            tokio::time::sleep(pause).await;
            sender.abort(std::io::Error::other("the answer is cut short"));
        }
    });
    let mut response = response(answer, Some(channel.boxed()));
    if let Ok(length) = http::HeaderValue::from_str(&promised.to_string()) {
        response
            .headers_mut()
            .insert(http::header::CONTENT_LENGTH, length);
    }
    response
}
