//! Token single flight under load: 1,000 concurrent calls on a client with
//! no token yet (as at expiry) against the same calls on a client whose
//! token is cached. The difference is the latency the refresh adds; the
//! server's count says how many token requests were made (goal: 1 per round).
#![expect(
    missing_docs,
    reason = "criterion_main! defines an undocumented pub fn main"
)]

mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use dwolla_exchange_sessions::DwollaClient;
use support::{Answer, Server};

const CALLS: usize = 1000;

async fn server() -> Server {
    Server::start(|_, path, _| match path {
        "/token" => Answer {
            status: "200 OK",
            headers: vec![("content-type", "application/json".into())],
            body: r#"{"access_token":"bench-token","token_type":"Bearer","expires_in":3600}"#
                .into(),
        },
        _ => Answer {
            status: "200 OK",
            headers: vec![("content-type", dwolla_testkit::DWOLLA_MEDIA_TYPE.into())],
            body: r#"{"_links":{},"_embedded":{"exchange-partners":[]},"total":0}"#.into(),
        },
    })
    .await
}

async fn burst(dwolla: &DwollaClient) {
    support::concurrently(CALLS, || {
        let dwolla = dwolla.clone();
        async move {
            dwolla.exchange_partners().await.expect("call");
        }
    })
    .await;
}

fn single_flight(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let server = runtime.block_on(server());
    let http = reqwest::Client::new();

    let before = server.count("/token");
    runtime.block_on(burst(&support::client(&server.base, &http)));
    let made = server.count("/token") - before;
    println!("token requests for {CALLS} concurrent calls at expiry: {made}");
    assert_eq!(made, 1, "single flight");

    let warm = support::client(&server.base, &http);
    runtime.block_on(burst(&warm));
    let mut group = c.benchmark_group("token/1000_concurrent_calls");
    group.sample_size(20);
    group.bench_function("at_expiry", |b| {
        b.to_async(&runtime)
            .iter(|| async { burst(&support::client(&server.base, &http)).await });
    });
    group.bench_function("token_cached", |b| {
        b.to_async(&runtime).iter(|| burst(&warm));
    });
    group.finish();
}

criterion_group!(benches, single_flight);
criterion_main!(benches);
