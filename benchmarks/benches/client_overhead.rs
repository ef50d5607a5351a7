//! The client's overhead against the floor: the same create-then-retrieve
//! sequence against one keep-alive server on 127.0.0.1, through
//! `DwollaClient` and through bare `reqwest` with hand-built requests,
//! sequentially and as 64 concurrent tasks. Both decode the session into the
//! same generated type, so the difference is the client's own work (hooks,
//! token cache, body buffering, tracing span, `Location` check).
#![expect(
    missing_docs,
    reason = "criterion_main! defines an undocumented pub fn main"
)]

mod support;
mod workload;

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use dwolla_exchange_sessions::{DwollaClient, NewExchangeSession};
use workload::{through_client, through_reqwest};

fn overhead(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let server = runtime.block_on(workload::server(|_| None));
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
            .iter(|| through_client(&dwolla, &request));
    });
    sequential.bench_function("bare_reqwest", |b| {
        b.to_async(&runtime)
            .iter(|| through_reqwest(&http, &server.base));
    });
    sequential.finish();

    let mut concurrent = c.benchmark_group("create_then_retrieve/64_concurrent");
    concurrent.bench_function("dwolla_client", |b| {
        b.to_async(&runtime)
            .iter(|| burst_client(&dwolla, &request));
    });
    concurrent.bench_function("bare_reqwest", |b| {
        b.to_async(&runtime)
            .iter(|| burst_reqwest(&http, &server.base));
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
