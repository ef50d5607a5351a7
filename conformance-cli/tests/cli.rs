//! `conformance` as users and CI run it: help, version, every subcommand and
//! every exit code. Servers run on 127.0.0.1 only; `serve` is started and
//! stopped.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use assert_cmd::assert::Assert;
use assert_cmd::prelude::OutputAssertExt as _;
use dwolla_exchange_sessions::{Credentials, DwollaClient, Environment};
use dwolla_testkit::capture::http;
use dwolla_testkit::faults::FaultServer;
use dwolla_testkit::replay::ReplayServer;
use predicates::prelude::PredicateBooleanExt as _;
use predicates::str::{contains, starts_with};

mod common;

use common::{command, conformance, fixtures, scratch, stdout};

/// Runs the command on the blocking pool, so that servers of the test's
/// runtime keep answering it.
async fn conformance_beside_servers(mut command: Command) -> Assert {
    tokio::task::spawn_blocking(move || command.assert())
        .await
        .expect("the command ran")
}

#[test]
fn help_lists_every_command_and_the_exit_codes() {
    let mut run = conformance(&["--help"]).success();
    for expected in [
        "Usage: conformance",
        "check",
        "serve",
        "record",
        "export-spec",
        "send-all",
        "Exit codes:",
        "1  findings",
        "2  usage or input error",
    ] {
        run = run.stdout(contains(expected));
    }
    conformance(&["check", "-h"]).success().stdout(contains(
        "[possible values: text, json, junit, github, markdown]",
    ));
}

#[test]
fn version_prints_the_crate_version() {
    let run = conformance(&["--version"]).success();
    assert_eq!(
        stdout(&run).trim(),
        format!("conformance {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn check_passes_the_committed_fixtures_in_text_and_json() {
    conformance(&["check", &fixtures(), "--verbose"])
        .success()
        .stdout(contains("0 failed").and(contains("Errata applied")));
    let json = conformance(&["check", &fixtures(), "--format", "json"]).success();
    let report: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("JSON output");
    assert!(report["verdicts"].as_array().is_some_and(|v| v.len() >= 25));
    let checks = report["verdicts"][0]["checks"].to_string();
    assert!(
        checks.contains("client-decodes"),
        "the client's readers run: {checks}"
    );
}

#[test]
fn check_against_another_spec_skips_the_errata_it_lacks_with_a_notice() {
    let tmp = scratch("other-spec");
    let dir = tmp.path();
    let spec = dir.join("other.json");
    let mut other = conformance::vendored::published().unwrap().document;
    let errata = conformance::errata::committed().unwrap();
    let fixed = other.pointer_mut(&errata[0].pointer).unwrap();
    let branches = fixed.as_object_mut().unwrap().remove("oneOf").unwrap();
    fixed["anyOf"] = branches;
    other
        .pointer_mut("/components/schemas/ExchangePartner/properties")
        .and_then(serde_json::Value::as_object_mut)
        .unwrap()
        .remove("name");
    std::fs::write(&spec, other.to_string()).unwrap();
    let mut run = conformance(&["check", &fixtures(), "--spec", spec.to_str().unwrap()])
        .success()
        .stdout(contains("0 failed"));
    for (id, missing) in [
        ("create-request-oneof-overlap", "has no oneOf"),
        ("partner-name-enum-incomplete", "is not"),
    ] {
        run = run.stderr(contains(format!("notice: erratum {id} skipped:")).and(contains(missing)));
    }
}

#[test]
fn check_fails_a_bad_recording_with_the_check_and_pointer() {
    let tmp = scratch("bad");
    let dir = tmp.path();
    let source =
        conformance::fixture::committed_text("retrieve-customer-exchange-session.plaid.200.json");
    let mut exchange: serde_json::Value = serde_json::from_str(source.unwrap()).unwrap();
    exchange["response"]["body"]["created"] = "last tuesday".into();
    let file = dir.join("mine.json");
    std::fs::write(&file, exchange.to_string()).unwrap();
    conformance(&["check", file.to_str().unwrap()])
        .code(1)
        .stdout(contains("FAIL mine"))
        .stdout(contains("/created").and(contains(
            "/components/schemas/ExchangeSession/properties/created/format",
        )));
}

#[test]
fn usage_and_input_errors_exit_2() {
    conformance(&[])
        .code(2)
        .stderr(contains("Usage: conformance"));
    conformance(&["check"])
        .code(2)
        .stderr(contains("<PATHS>..."));
    conformance(&["check", "x.json", "--format", "yaml"])
        .code(2)
        .stderr(contains("invalid value 'yaml' for '--format <FORMAT>'"));
    conformance(&["check", "/no/such/dir"])
        .code(2)
        .stderr(contains("cannot read /no/such/dir"));
    conformance(&["check", &fixtures(), "--spec", "no/such/spec.yml"])
        .code(2)
        .stderr(contains("no/such/spec.yml"));
    conformance(&["verify"])
        .code(2)
        .stderr(contains("unrecognized subcommand 'verify'"));
}

#[test]
fn export_spec_writes_the_spec_the_client_implements() {
    let tmp = scratch("export");
    let dir = tmp.path();
    let published = dir.join("published.json");
    let corrected = dir.join("corrected.json");
    conformance(&["export-spec", published.to_str().unwrap()]).success();
    conformance(&["export-spec", corrected.to_str().unwrap(), "--errata"]).success();
    let read = |path: &Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    let (published, corrected) = (read(&published), read(&corrected));
    let re_auth = "/paths/~1exchanges~1{id}~1exchange-sessions/post/operationId";
    assert_eq!(
        published.pointer(re_auth),
        Some(&"createReAuthExchangeSession".into())
    );
    let erratum = conformance::errata::committed().unwrap().remove(0);
    let schema = |spec: &serde_json::Value| spec.pointer(&erratum.pointer).cloned().unwrap();
    assert!(schema(&published).get("oneOf").is_some());
    assert!(schema(&corrected).get("anyOf").is_some());
    conformance(&["export-spec", "/no/such/dir/spec.json"])
        .code(2)
        .stderr(contains("cannot write"));
}

#[tokio::test]
async fn serve_answers_the_client_until_stopped() {
    let mut child = command(&["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line.trim().rsplit(' ').next().unwrap().to_string();
    assert!(
        line.starts_with("replaying ") && base.starts_with("http://127.0.0.1:"),
        "{line}"
    );
    let dwolla = DwollaClient::builder()
        .environment(Environment::Custom(base.parse().unwrap()))
        .credentials(Credentials::new("cli-key", "cli-secret"))
        .build()
        .unwrap();
    let partners = dwolla.exchange_partners().await;
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!partners.expect("the replay server answers").is_empty());
}

#[tokio::test]
async fn serve_on_a_taken_port_exits_2() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    conformance_beside_servers(command(&["serve", "--port", &port]))
        .await
        .code(2)
        .stderr(contains("cannot listen on 127.0.0.1"));
}

#[tokio::test]
async fn record_writes_a_fixture_per_exchange_from_the_given_environment() {
    let upstream = ReplayServer::start().await.unwrap();
    let tmp = scratch("record");
    let dir = tmp.path();
    let mut record = command(&["record", "--out", dir.to_str().unwrap()]);
    record
        .env("DWOLLA_KEY", "cli-key")
        .env("DWOLLA_SECRET", "cli-secret")
        .env("DWOLLA_CUSTOMER_ID", "74a207b2-b7b7-4efa-8bf8-582148e7b980")
        .env("DWOLLA_EXCHANGE_ID", "74a207b2-b7b7-4efa-8bf8-582148e7b980")
        .env("DWOLLA_ENVIRONMENT", upstream.base_url());
    conformance_beside_servers(record)
        .await
        .success()
        .stdout(starts_with("16 exchanges written to"));
    assert_eq!(std::fs::read_dir(dir).unwrap().count(), 16);
    conformance(&["check", dir.to_str().unwrap()]).success();

    conformance(&["record", "--out", "unused"])
        .code(2)
        .stderr(contains("DWOLLA_"));
}

#[tokio::test]
async fn send_all_passes_a_server_without_violations() {
    let server = ReplayServer::start().await.unwrap();
    conformance_beside_servers(command(&["send-all", server.base_url()]))
        .await
        .success()
        .stdout(contains("12 requests sent (11 calls), 0 with violations"));
}

#[tokio::test]
async fn send_all_fails_on_violations() {
    let server = FaultServer::start(|request| match request.target.as_str() {
        "/token" => http(
            "200 OK",
            &[("content-type", "application/json")],
            r#"{"access_token":"t","token_type":"Bearer","expires_in":3600}"#,
        ),
        _ => http(
            "404 Not Found",
            &[("sl-violations", "[{\"message\":\"made up\"}]")],
            "",
        ),
    })
    .await
    .expect("the test server starts");
    conformance_beside_servers(command(&["send-all", &server.base]))
        .await
        .code(1)
        .stdout(contains("VIOLATION GET /exchange-partners: "))
        .stdout(contains("11 with violations"));
}
