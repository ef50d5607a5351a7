//! The benchmarks' server: the test kit's HTTP/1.1 server (keep-alive, on
//! 127.0.0.1) answering every request from a function, counting requests per
//! path.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use dwolla_exchange_sessions::{Credentials, DwollaClient, Environment};
use dwolla_testkit::server::{self, Limits, Outcome};

/// A client for `base` that shares the caller's HTTP client (so a benchmark
/// compares like with like).
pub(crate) fn client(base: &str, http: &reqwest::Client) -> DwollaClient {
    DwollaClient::builder()
        .environment(Environment::Custom(base.parse().expect("base")))
        .credentials(Credentials::new("bench-key", "bench-secret"))
        .http_client(http.clone())
        .build()
        .expect("client")
}

/// Runs `tasks` copies of the future `make` returns as concurrent tasks and
/// waits for all of them.
pub(crate) async fn concurrently<F>(tasks: usize, make: impl Fn() -> F)
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    let handles: Vec<_> = (0..tasks).map(|_| tokio::spawn(make())).collect();
    for handle in handles {
        handle.await.expect("task");
    }
}

/// An answer: status line, headers, body.
pub(crate) struct Answer {
    pub status: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

impl Answer {
    fn into_server(self) -> server::Answer {
        server::Answer {
            status: self
                .status
                .split(' ')
                .next()
                .and_then(|code| code.parse().ok())
                .expect("a status line starting with the code"),
            headers: self
                .headers
                .into_iter()
                .map(|(name, value)| (name.to_string(), value))
                .collect(),
            body: self.body.into(),
        }
    }
}

pub(crate) struct Server {
    pub base: String,
    counts: Arc<Mutex<BTreeMap<String, usize>>>,
    _listening: server::Listening,
}

impl Server {
    pub(crate) async fn start(
        respond: impl Fn(&str, &str, &str) -> Answer + Send + Sync + 'static,
    ) -> Self {
        let counts = Arc::new(Mutex::new(BTreeMap::new()));
        let sink = Arc::clone(&counts);
        let listener = server::bind(0).await.expect("bind");
        let listening = server::serve(listener, Limits::default(), move |request| {
            *sink
                .lock()
                .unwrap()
                .entry(request.target.clone())
                .or_default() += 1;
            let body = String::from_utf8_lossy(&request.body);
            let answer = respond(&request.method, &request.target, &body).into_server();
            async move { Outcome::Answer(answer) }
        })
        .expect("serve");
        Self {
            base: listening.base_url(),
            counts,
            _listening: listening,
        }
    }

    /// Requests seen for `path`.
    pub(crate) fn count(&self, path: &str) -> usize {
        self.counts.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}
