//! Conformance throughput: loading the spec and compiling its validators,
//! and checking a corpus of 10,240 exchanges (the committed fixtures with
//! their ids varied, half of them broken at a body member) on one thread.
#![expect(
    missing_docs,
    reason = "criterion_main! defines an undocumented pub fn main"
)]

use std::hint::black_box;

use conformance::check::{Check, Outcome, Suite};
use conformance::fixture::{self, Exchange};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};

const CORPUS: usize = 10_240;

/// A broken copy of `exchange`: the deepest string member of its response
/// body (else of its request body) made a number, so that the check runs
/// through status, content type and headers to a body-level failure (as
/// `scripts/checker-process.sh` breaks its corpus); an exchange without a
/// string member in a body gets an undocumented status instead, which ends
/// the check early.
fn broken(exchange: &Exchange) -> Exchange {
    let mut copy = exchange.clone();
    let at_body = copy.response.body.as_mut().is_some_and(break_deepest)
        || copy.request.body.as_mut().is_some_and(break_deepest);
    if !at_body {
        copy.response.status = 418;
    }
    copy
}

/// How deep the deepest string in `value` is (0: `value` is one).
fn string_depth(value: &Value) -> Option<usize> {
    let deepest = |children: &mut dyn Iterator<Item = &Value>| {
        children.filter_map(string_depth).max().map(|d| d + 1)
    };
    match value {
        Value::String(_) => Some(0),
        Value::Object(members) => deepest(&mut members.values()),
        Value::Array(items) => deepest(&mut items.iter()),
        _ => None,
    }
}

/// Turns the first of the deepest strings in `value` into a number; whether
/// there was one.
fn break_deepest(value: &mut Value) -> bool {
    let child = match value {
        Value::String(_) => {
            *value = json!(12345);
            return true;
        }
        Value::Object(members) => members.values_mut().rev().max_by_key(|v| string_depth(v)),
        Value::Array(items) => items.iter_mut().rev().max_by_key(|v| string_depth(v)),
        _ => None,
    };
    child.is_some_and(break_deepest)
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
                broken(&loaded.exchange)
            };
            (loaded.name.clone(), exchange)
        })
        .collect()
}

fn throughput(c: &mut Criterion) {
    c.bench_function("suite/load_spec_and_compile_validators", |b| {
        b.iter(|| black_box(Suite::vendored().expect("suite")));
    });

    let suite = Suite::vendored().expect("suite");
    let corpus = corpus();
    let verdicts: Vec<_> = corpus
        .iter()
        .map(|(name, e)| suite.check(name, e))
        .collect();
    let failing = verdicts
        .iter()
        .filter(|v| v.outcome == Outcome::Fail)
        .count();
    let at_body = verdicts
        .iter()
        .filter(|v| {
            v.failures
                .iter()
                .any(|f| matches!(f.check, Check::ResponseBody | Check::RequestBody))
        })
        .count();
    println!(
        "corpus: {} exchanges, {failing} invalid ({at_body} at a body member)",
        corpus.len()
    );
    assert_eq!(failing, CORPUS / 2, "exactly the broken half fails");

    let mut group = c.benchmark_group("suite/check_corpus");
    group.throughput(Throughput::Elements(corpus.len() as u64));
    group.sample_size(20);
    group.bench_function("one_thread", |b| {
        b.iter(|| {
            for (name, exchange) in &corpus {
                black_box(suite.check(name, exchange));
            }
        });
    });
    group.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
