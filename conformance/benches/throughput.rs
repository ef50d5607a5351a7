//! Conformance throughput: loading the spec and compiling its validators,
//! and checking a corpus of 10,240 exchanges (the committed fixtures with
//! their ids varied, half of them broken in one of several ways) on one
//! thread.

use std::hint::black_box;

use conformance::check::{Outcome, Suite};
use conformance::fixture::{self, Exchange};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::json;

const CORPUS: usize = 10_240;

/// A broken copy of `exchange`, the `n`th way.
fn broken(exchange: &Exchange, n: usize) -> Exchange {
    let mut copy = exchange.clone();
    let has_body = copy.response.body.is_some();
    match n % 4 {
        0 => copy.response.status = 418,
        1 if has_body => {
            copy.response
                .headers
                .insert("content-type".into(), "text/html".into());
        }
        1 => {
            copy.response.headers.remove("location");
        }
        2 if has_body => copy.response.body = Some(json!("not an object")),
        3 if copy.request.body.is_some() => copy.request.body = Some(json!(["not an object"])),
        _ => copy.response.status = 599,
    }
    copy
}

/// `exchange` with a different customer or session id in its path.
fn varied(exchange: &Exchange, n: usize) -> Exchange {
    let mut copy = exchange.clone();
    copy.request.path = copy
        .request
        .path
        .split('/')
        .map(|segment| {
            if segment.len() == 36 && segment.matches('-').count() == 4 {
                format!("{n:08x}-0000-4000-8000-000000000000")
            } else {
                segment.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/");
    copy
}

fn corpus() -> Vec<(String, Exchange)> {
    let fixtures = fixture::committed().expect("fixtures");
    (0..CORPUS)
        .map(|n| {
            let loaded = &fixtures[n % fixtures.len()];
            let exchange = if n % 2 == 0 {
                varied(&loaded.exchange, n)
            } else {
                broken(&loaded.exchange, n / 2)
            };
            (loaded.name.clone(), exchange)
        })
        .collect()
}

fn throughput(c: &mut Criterion) {
    c.bench_function("suite/load_spec_and_compile_validators", |b| {
        b.iter(|| black_box(Suite::vendored().expect("suite")))
    });

    let suite = Suite::vendored().expect("suite");
    let corpus = corpus();
    let failing = corpus
        .iter()
        .filter(|(name, e)| suite.check(name, e).outcome == Outcome::Fail)
        .count();
    println!("corpus: {} exchanges, {failing} invalid", corpus.len());
    assert_eq!(failing, CORPUS / 2, "exactly the broken half fails");

    let mut group = c.benchmark_group("suite/check_corpus");
    group.throughput(Throughput::Elements(corpus.len() as u64));
    group.sample_size(20);
    group.bench_function("one_thread", |b| {
        b.iter(|| {
            for (name, exchange) in &corpus {
                black_box(suite.check(name, exchange));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
