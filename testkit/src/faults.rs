//! A server on 127.0.0.1 that misbehaves on purpose: resets, stalls,
//! truncated and oversized bodies, whatever raw bytes a test chooses.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

use crate::capture::{Captured, read_request};

/// What the server does with one request.
pub enum Fault {
    /// Answers these bytes and closes.
    Raw(String),
    /// Resets the connection before sending anything.
    ResetBeforeHeaders,
    /// Sends headers promising a body, then resets.
    ResetAfterHeaders,
    /// Sends nothing for this long, then closes.
    Stall(Duration),
    /// Promises `content-length: 1000`, sends a few bytes, closes.
    Truncated,
}

impl From<String> for Fault {
    fn from(answer: String) -> Self {
        Self::Raw(answer)
    }
}

/// The server: `respond` picks the fault (or plain answer) for each request.
pub struct FaultServer {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    captured: Arc<Mutex<Vec<Captured>>>,
}

/// A server that records every request and answers each with the response
/// the test chose for it: a fault server whose faults are all plain answers.
pub type CaptureServer = FaultServer;

impl FaultServer {
    /// Starts on a free port of 127.0.0.1; `respond` is called once per
    /// request.
    pub async fn start<R: Into<Fault>>(
        respond: impl Fn(&Captured) -> R + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let base = format!("http://{}", listener.local_addr().expect("local addr"));
        let captured = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&captured);
        let respond = Arc::new(respond);
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let (sink, respond) = (Arc::clone(&sink), Arc::clone(&respond));
                tokio::spawn(async move {
                    let Some(request) = read_request(&mut stream).await else {
                        return;
                    };
                    let fault = respond(&request).into();
                    sink.lock().unwrap_or_else(|p| p.into_inner()).push(request);
                    act(stream, fault).await;
                });
            }
        });
        Self { base, captured }
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Captured> {
        self.captured
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// How many requests had this method and target.
    pub fn count(&self, method: &str, target: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.method == method && r.target == target)
            .count()
    }
}

async fn reset(stream: TcpStream) {
    let _ = stream.set_zero_linger();
    drop(stream);
}

async fn act(mut stream: TcpStream, fault: Fault) {
    match fault {
        Fault::Raw(bytes) => {
            let _ = stream.write_all(bytes.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
        Fault::ResetBeforeHeaders => reset(stream).await,
        Fault::ResetAfterHeaders => {
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/vnd.dwolla.v1.hal+json\r\ncontent-length: 500\r\n\r\n{\"created\":")
                .await;
            let _ = stream.flush().await;
            tokio::time::sleep(Duration::from_millis(20)).await;
            reset(stream).await;
        }
        Fault::Stall(duration) => {
            tokio::time::sleep(duration).await;
            let _ = stream.shutdown().await;
        }
        Fault::Truncated => {
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/vnd.dwolla.v1.hal+json\r\ncontent-length: 1000\r\n\r\n{\"created\":\"2024")
                .await;
            let _ = stream.shutdown().await;
        }
    }
}
