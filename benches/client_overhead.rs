//! The client's overhead against the floor: the same create-then-retrieve
//! sequence against one keep-alive server on 127.0.0.1, through
//! `DwollaClient` and through bare `reqwest` with hand-built requests,
//! sequentially and as 64 concurrent tasks. Both decode the session into the
//! same generated type, so the difference is the client's own work (hooks,
//! token cache, body buffering, tracing span, `Location` check).

mod support;

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use dwolla_exchange_sessions::generated::types::ExchangeSession;
use dwolla_exchange_sessions::{DwollaClient, NewExchangeSession};
use support::{Answer, Server};

const HAL: &str = "application/vnd.dwolla.v1.hal+json";

fn session(base: &str) -> String {
    format!(
        r#"{{"created":"2024-03-25T17:13:38.430Z","_links":{{"self":{{"href":"{base}/exchange-sessions/s-1","type":"{HAL}","resource-type":"exchange-sessions"}},"exchange-partner":{{"href":"{base}/exchange-partners/p-1","type":"{HAL}","resource-type":"exchange-partner"}}}},"externalProviderSessionToken":"link-sandbox-token"}}"#
    )
}

async fn server() -> Server {
    let base = std::sync::Arc::new(std::sync::OnceLock::<String>::new());
    let known = base.clone();
    let server = Server::start(move |method, path, _| {
        let base = known.get().cloned().unwrap_or_default();
        match (method, path) {
            ("POST", "/token") => Answer {
                status: "200 OK",
                headers: vec![("content-type", "application/json".into())],
                body: r#"{"access_token":"bench-token","token_type":"Bearer","expires_in":3600}"#
                    .into(),
            },
            ("POST", _) => Answer {
                status: "201 Created",
                headers: vec![("location", format!("{base}/exchange-sessions/s-1"))],
                body: String::new(),
            },
            _ => Answer {
                status: "200 OK",
                headers: vec![("content-type", HAL.into())],
                body: session(&base),
            },
        }
    })
    .await;
    let _ = base.set(server.base.clone());
    server
}

async fn through_client(dwolla: &DwollaClient, request: &NewExchangeSession) {
    let created = dwolla
        .create_exchange_session("c-1", request)
        .await
        .expect("create");
    dwolla
        .retrieve_exchange_session(&created.id)
        .await
        .expect("retrieve");
}

async fn through_reqwest(http: &reqwest::Client, base: &str) {
    let created = http
        .post(format!("{base}/customers/c-1/exchange-sessions"))
        .header("accept", HAL)
        .header("content-type", HAL)
        .header("authorization", "Bearer bench-token")
        .body(format!(
            r#"{{"_links":{{"exchange-partner":{{"href":"{base}/exchange-partners/p-1"}}}}}}"#
        ))
        .send()
        .await
        .expect("create");
    let location = created.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    let id = location.rsplit('/').next().expect("id");
    let body = http
        .get(format!("{base}/exchange-sessions/{id}"))
        .header("accept", HAL)
        .header("authorization", "Bearer bench-token")
        .send()
        .await
        .expect("retrieve")
        .bytes()
        .await
        .expect("body");
    let _: ExchangeSession = serde_json::from_slice(&body).expect("session");
}

fn overhead(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let server = runtime.block_on(server());
    let http = reqwest::Client::new();
    let dwolla = support::client(&server.base, &http);
    let request = NewExchangeSession::web("p-1");
    runtime.block_on(through_client(&dwolla, &request));
    assert_eq!(
        server.count("/token"),
        1,
        "one token serves every iteration"
    );

    paired(&runtime, &dwolla, &http, &server.base, &request);

    let mut sequential = c.benchmark_group("create_then_retrieve/sequential");
    sequential.bench_function("dwolla_client", |b| {
        b.to_async(&runtime)
            .iter(|| through_client(&dwolla, &request))
    });
    sequential.bench_function("bare_reqwest", |b| {
        b.to_async(&runtime)
            .iter(|| through_reqwest(&http, &server.base))
    });
    sequential.finish();

    let mut concurrent = c.benchmark_group("create_then_retrieve/64_concurrent");
    concurrent.bench_function("dwolla_client", |b| {
        b.to_async(&runtime)
            .iter(|| burst_client(&dwolla, &request))
    });
    concurrent.bench_function("bare_reqwest", |b| {
        b.to_async(&runtime)
            .iter(|| burst_reqwest(&http, &server.base))
    });
    concurrent.finish();
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

async fn burst_client(dwolla: &DwollaClient, request: &NewExchangeSession) {
    support::concurrently(64, || {
        let (dwolla, request) = (dwolla.clone(), request.clone());
        async move { through_client(&dwolla, &request).await }
    })
    .await;
}

async fn burst_reqwest(http: &reqwest::Client, base: &str) {
    support::concurrently(64, || {
        let (http, base) = (http.clone(), base.to_string());
        async move { through_reqwest(&http, &base).await }
    })
    .await;
}

/// The machine's load drifts over a run, which skews two benchmarks measured
/// one after the other; this measures both in alternating rounds and prints
/// the ratio of their medians.
fn paired(
    runtime: &tokio::runtime::Runtime,
    dwolla: &DwollaClient,
    http: &reqwest::Client,
    base: &str,
    request: &NewExchangeSession,
) {
    let (mut ours, mut floor) = (Vec::new(), Vec::new());
    let (mut ours_64, mut floor_64) = (Vec::new(), Vec::new());
    runtime.block_on(async {
        for _ in 0..40 {
            for _ in 0..50 {
                let started = Instant::now();
                through_client(dwolla, request).await;
                ours.push(started.elapsed());
                let started = Instant::now();
                through_reqwest(http, base).await;
                floor.push(started.elapsed());
            }
            for _ in 0..3 {
                let started = Instant::now();
                burst_client(dwolla, request).await;
                ours_64.push(started.elapsed());
                let started = Instant::now();
                burst_reqwest(http, base).await;
                floor_64.push(started.elapsed());
            }
        }
    });
    for (label, ours, floor) in [
        ("sequential", ours, floor),
        ("64 concurrent", ours_64, floor_64),
    ] {
        let (ours, floor) = (median(ours), median(floor));
        println!(
            "paired {label}: dwolla_client {ours:?}, bare_reqwest {floor:?}, ratio {:.3}",
            ours.as_secs_f64() / floor.as_secs_f64()
        );
    }
}

criterion_group!(benches, overhead);
criterion_main!(benches);
