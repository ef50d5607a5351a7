//! HAR 1.2 with `conformance`: the standalone recording proxy writes one
//! that `check` passes (the round trip), and a browser-like export is read
//! with its other hosts, redirect and base64 body.

mod common;

use std::io::{BufRead as _, BufReader};
use std::process::Stdio;

use base64::Engine as _;
use common::{command, conformance, scratch};
use dwolla_exchange_sessions::{Credentials, DwollaClient, Environment};
use dwolla_testkit::flow::{self, FlowTarget};
use dwolla_testkit::replay::ReplayServer;
use predicates::str::contains;
use serde_json::{Value, json};

const CUSTOMER: &str = "74a207b2-b7b7-4efa-8bf8-582148e7b980";
const SECRET: &str = "har-secret-8c1f";

/// The standalone proxy to `upstream`, writing to `out` and `har`; its
/// output, and the address it listens on.
fn start_proxy(
    upstream: &str,
    out: &std::path::Path,
    har: &std::path::Path,
) -> (
    std::process::Child,
    BufReader<std::process::ChildStdout>,
    String,
    String,
) {
    let mut proxy = command(&[
        "record",
        "--listen",
        "127.0.0.1:0",
        "--upstream",
        upstream,
        "--out",
        out.to_str().unwrap(),
        "--har",
        har.to_str().unwrap(),
    ])
    .stdout(Stdio::piped())
    .spawn()
    .unwrap();
    let mut stdout = BufReader::new(proxy.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let address = first
        .split_whitespace()
        .find(|word| word.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_string();
    (proxy, stdout, address, first)
}

/// Sends `signal` to `proxy` and returns what it printed after its first
/// line, once it has exited (successfully).
fn stop(
    mut proxy: std::process::Child,
    mut stdout: BufReader<std::process::ChildStdout>,
    signal: &str,
) -> String {
    let sent = std::process::Command::new("kill")
        .args([signal, &proxy.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    let status = proxy.wait().unwrap();
    assert!(status.success(), "{signal}: {status:?} {rest}");
    rest
}

#[tokio::test(flavor = "multi_thread")]
async fn the_standalone_proxy_records_a_har_that_check_passes() {
    let tmp = scratch("har-proxy");
    let dir = tmp.path();
    let (out, har) = (dir.join("fixtures"), dir.join("flow.har"));
    let upstream = ReplayServer::start().await.unwrap();
    let (proxy, stdout, address, _) = start_proxy(upstream.base_url(), &out, &har);

    let dwolla = DwollaClient::builder()
        .environment(Environment::Custom(address.parse().unwrap()))
        .credentials(Credentials::new("har-key", SECRET))
        .build()
        .unwrap();
    let target = FlowTarget {
        customer: CUSTOMER.into(),
        exchange: Some(CUSTOMER.into()),
    };
    flow::run(&dwolla, &target).await.unwrap();

    let rest = stop(proxy, stdout, "-INT");
    assert!(rest.contains("HAR written to"), "{rest}");

    let text = std::fs::read_to_string(&har).unwrap();
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("har-key:{SECRET}"));
    assert!(!text.contains(SECRET) && !text.contains(&basic), "{text}");
    let document: Value = serde_json::from_str(&text).unwrap();
    let entries = document["log"]["entries"].as_array().unwrap();
    assert!(entries.len() >= 15, "{}", entries.len());
    assert_eq!(document["log"]["version"], "1.2");

    let run = conformance(&["check", har.to_str().unwrap(), "--format", "json"]).success();
    let report: Value = serde_json::from_str(&common::stdout(&run)).unwrap();
    assert_eq!(report["verdicts"].as_array().unwrap().len(), entries.len());
    assert_eq!(report["skipped"], json!([]));
}

/// SIGTERM ends a recording as Ctrl-C does: exit 0, everything written
/// (each exchange was as it completed); the password of `--upstream` is in
/// none of the output, the fixtures or the HAR file.
#[tokio::test(flavor = "multi_thread")]
async fn sigterm_ends_the_recording_with_everything_written_and_no_password_anywhere() {
    let tmp = scratch("sigterm");
    let dir = tmp.path();
    let (out, har) = (dir.join("fixtures"), dir.join("flow.har"));
    let upstream = ReplayServer::start().await.unwrap();
    let with_user = upstream
        .base_url()
        .replacen("http://", "http://recorder:pass-9f3e-word@", 1);
    let (proxy, stdout, address, first) = start_proxy(&with_user, &out, &har);
    let dwolla = DwollaClient::builder()
        .environment(Environment::Custom(address.parse().unwrap()))
        .credentials(Credentials::new("har-key", SECRET))
        .build()
        .unwrap();
    dwolla.exchange_partners().await.unwrap();
    let written_before_the_signal = std::fs::read_dir(&out).unwrap().count();
    assert_eq!(
        written_before_the_signal, 2,
        "the token and the list, each written when it completed"
    );
    let rest = stop(proxy, stdout, "-TERM");
    assert!(rest.contains("2 exchanges written"), "{rest}");
    let mut everything = first + &rest;
    for entry in std::fs::read_dir(&out).unwrap() {
        everything.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    let har_text = std::fs::read_to_string(&har).unwrap();
    let document: Value = serde_json::from_str(&har_text).unwrap();
    assert_eq!(document["log"]["entries"].as_array().unwrap().len(), 2);
    everything.push_str(&har_text);
    assert!(!everything.contains("pass-9f3e-word"), "{everything}");
}

fn committed_body(name: &str, part: &str) -> Value {
    let text = conformance::fixture::committed_text(name).unwrap();
    let exchange: Value = serde_json::from_str(text).unwrap();
    exchange[part]["body"].clone()
}

fn entry(method: &str, url: &str, status: u16, extra: Value) -> Value {
    let mut entry = json!({
        "startedDateTime": "2026-01-20T10:00:00.000Z",
        "time": 12.5,
        "_initiator": { "type": "script" },
        "request": {
            "method": method,
            "url": url,
            "httpVersion": "h2",
            "headers": [
                { "name": ":authority", "value": "api-sandbox.dwolla.com" },
                { "name": "Accept", "value": "application/vnd.dwolla.v1.hal+json" },
                { "name": "Authorization", "value": "Bearer <redacted>" }
            ],
            "queryString": [],
            "cookies": [],
            "headersSize": -1,
            "bodySize": 0
        },
        "response": {
            "status": status,
            "statusText": "",
            "httpVersion": "h2",
            "headers": [],
            "cookies": [],
            "content": { "size": 0, "mimeType": "x-unknown" },
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": -1
        },
        "cache": {},
        "timings": { "blocked": -1, "dns": -1, "connect": -1, "send": 0, "wait": 10, "receive": 2.5 }
    });
    merge(&mut entry, extra);
    entry
}

fn merge(into: &mut Value, from: Value) {
    match (into, from) {
        (Value::Object(into), Value::Object(from)) => {
            for (key, value) in from {
                merge(into.entry(key).or_insert(Value::Null), value);
            }
        }
        (into, from) => *into = from,
    }
}

/// A browser's export: a page of the application, Dwolla's answers (one
/// base64-encoded, one redirect), an operation outside the spec and a
/// create.
fn browser_export() -> Value {
    let api = "https://api-sandbox.dwolla.com";
    let partners = committed_body("list-exchange-partners.200.json", "response");
    let encoded = base64::engine::general_purpose::STANDARD.encode(partners.to_string());
    let create = committed_body(
        "create-customer-exchange-session.plaid-web.201.json",
        "request",
    );
    let hal = json!([{ "name": "Content-Type", "value": "application/vnd.dwolla.v1.hal+json" }]);
    json!({ "log": {
        "version": "1.2",
        "creator": { "name": "WebInspector", "version": "537.36" },
        "pages": [],
        "entries": [
            entry("GET", "https://app.example.com/index.html", 200, json!({
                "response": { "content": { "size": 5, "mimeType": "text/html", "text": "<p/>" } }
            })),
            entry("GET", &format!("{api}/exchange-partners"), 200, json!({
                "response": {
                    "headers": hal,
                    "content": { "size": 1, "mimeType": "application/vnd.dwolla.v1.hal+json", "encoding": "base64", "text": encoded }
                }
            })),
            entry("GET", &format!("{api}/exchange-sessions/0d4b6a8e-7c3a-4c67-9a0e-2f5b1e6c9a11"), 302, json!({
                "response": { "redirectURL": "https://example.com/elsewhere" }
            })),
            entry("GET", &format!("{api}/customers/{CUSTOMER}"), 200, json!({})),
            entry("POST", &format!("{api}/customers/{CUSTOMER}/exchange-sessions"), 201, json!({
                "request": {
                    "headers": [
                        { "name": "Accept", "value": "application/vnd.dwolla.v1.hal+json" },
                        { "name": "Authorization", "value": "Bearer <redacted>" },
                        { "name": "Content-Type", "value": "application/vnd.dwolla.v1.hal+json" }
                    ],
                    "postData": { "mimeType": "application/vnd.dwolla.v1.hal+json", "text": create.to_string() }
                },
                "response": {
                    "headers": [{ "name": "Location", "value": format!("{api}/exchange-sessions/0d4b6a8e-7c3a-4c67-9a0e-2f5b1e6c9a11") }]
                }
            })),
        ]
    }})
}

#[test]
fn a_browser_export_is_checked_where_it_maps_to_the_spec_and_the_rest_skipped() {
    let tmp = scratch("har-browser");
    let dir = tmp.path();
    let file = dir.join("devtools.har");
    std::fs::write(&file, browser_export().to_string()).unwrap();

    let run = conformance(&["check", file.to_str().unwrap(), "--format", "json"]).success();
    let report: Value = serde_json::from_str(&common::stdout(&run)).unwrap();
    let verdicts: Vec<(String, String, String)> = report["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["exchange"].as_str().unwrap().to_string(),
                v["operation"].as_str().unwrap().to_string(),
                v["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            (
                "devtools#1".into(),
                "listExchangePartners".into(),
                "pass".into()
            ),
            (
                "devtools#4".into(),
                "createCustomerExchangeSession".into(),
                "pass".into()
            ),
        ]
    );
    let skipped: Vec<(&str, &str)> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["item"].as_str().unwrap(), s["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(skipped.len(), 3, "{skipped:?}");
    assert!(
        skipped[0]
            .0
            .starts_with("entry 0: GET https://app.example.com")
            && skipped[0].1.starts_with("another host"),
        "{skipped:?}"
    );
    assert!(
        skipped[1].0.starts_with("entry 2:") && skipped[1].1.starts_with("a redirect"),
        "{skipped:?}"
    );
    assert!(
        skipped[2].0.starts_with("entry 3:") && skipped[2].1.starts_with("no operation"),
        "{skipped:?}"
    );

    conformance(&["check", file.to_str().unwrap()])
        .stdout(contains("SKIP entry 2:"))
        .stdout(contains(
            "2 exchange(s): 2 passed, 0 failed, 0 client gap(s), 3 skipped",
        ));
}
