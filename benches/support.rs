//! A keep-alive HTTP/1.1 server on 127.0.0.1 for the benchmarks: it answers
//! every request on a connection from a function, counting requests per path.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use dwolla_exchange_sessions::{Credentials, DwollaClient, Environment};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A client for `base` that shares the caller's HTTP client (so a benchmark
/// compares like with like).
pub fn client(base: &str, http: &reqwest::Client) -> DwollaClient {
    DwollaClient::builder()
        .environment(Environment::Custom(base.parse().expect("base")))
        .credentials(Credentials::new("bench-key", "bench-secret"))
        .http_client(http.clone())
        .build()
        .expect("client")
}

/// Runs `tasks` copies of the future `make` returns as concurrent tasks and
/// waits for all of them.
pub async fn concurrently<F>(tasks: usize, make: impl Fn() -> F)
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    let handles: Vec<_> = (0..tasks).map(|_| tokio::spawn(make())).collect();
    for handle in handles {
        handle.await.expect("task");
    }
}

/// An answer: status line, headers, body.
pub struct Answer {
    pub status: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

/// How the server answers: method, path and body to an answer.
type Respond = dyn Fn(&str, &str, &str) -> Answer + Send + Sync;

pub struct Server {
    pub base: String,
    counts: Arc<Mutex<BTreeMap<String, usize>>>,
}

impl Server {
    pub async fn start(
        respond: impl Fn(&str, &str, &str) -> Answer + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let counts = Arc::new(Mutex::new(BTreeMap::new()));
        let (respond, sink) = (Arc::new(respond), Arc::clone(&counts));
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (respond, sink) = (Arc::clone(&respond), Arc::clone(&sink));
                tokio::spawn(serve(stream, respond, sink));
            }
        });
        Self { base, counts }
    }

    /// Requests seen for `path`.
    pub fn count(&self, path: &str) -> usize {
        self.counts.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

async fn serve(
    mut stream: TcpStream,
    respond: Arc<Respond>,
    counts: Arc<Mutex<BTreeMap<String, usize>>>,
) {
    let _ = stream.set_nodelay(true);
    let mut buffer = Vec::with_capacity(8192);
    let mut chunk = [0u8; 8192];
    loop {
        let head_end = loop {
            if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break end;
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(read) => buffer.extend_from_slice(&chunk[..read]),
            }
        };
        let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
        let mut lines = head.split("\r\n");
        let mut request_line = lines.next().unwrap_or_default().split(' ');
        let method = request_line.next().unwrap_or_default().to_string();
        let path = request_line.next().unwrap_or_default().to_string();
        let length: usize = lines
            .filter_map(|l| l.split_once(':'))
            .find(|(n, _)| n.trim().eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.trim().parse().ok())
            .unwrap_or(0);
        while buffer.len() < head_end + 4 + length {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(read) => buffer.extend_from_slice(&chunk[..read]),
            }
        }
        let body =
            String::from_utf8_lossy(&buffer[head_end + 4..head_end + 4 + length]).into_owned();
        buffer.drain(..head_end + 4 + length);
        *counts.lock().unwrap().entry(path.clone()).or_default() += 1;
        let answer = respond(&method, &path, &body);
        let mut out = format!(
            "HTTP/1.1 {}\r\ncontent-length: {}\r\n",
            answer.status,
            answer.body.len()
        );
        for (name, value) in &answer.headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        out.push_str("\r\n");
        out.push_str(&answer.body);
        if stream.write_all(out.as_bytes()).await.is_err() {
            return;
        }
    }
}
