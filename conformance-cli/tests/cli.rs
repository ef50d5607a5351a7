//! `conformance` as users and CI run it: help, version, every subcommand and
//! every exit code. Servers run on 127.0.0.1 only; `serve` is started and
//! stopped.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use dwolla_exchange_sessions::{Credentials, DwollaClient, Environment};
use dwolla_testkit::capture::http;
use dwolla_testkit::faults::FaultServer;
use dwolla_testkit::replay::ReplayServer;

mod common;

use common::{Run, command, conformance, finish, fixtures, scratch};

/// Runs the command on the blocking pool, so that servers of the test's
/// runtime keep answering it.
async fn conformance_beside_servers(mut command: Command) -> Run {
    tokio::task::spawn_blocking(move || finish(&mut command))
        .await
        .expect("the command ran")
}

#[test]
fn help_lists_every_command_and_the_exit_codes() {
    let run = conformance(&["--help"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
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
        assert!(
            run.stdout.contains(expected),
            "{expected:?} in {}",
            run.stdout
        );
    }
    let check = conformance(&["check", "-h"]);
    assert_eq!(check.code, 0);
    assert!(
        check
            .stdout
            .contains("[possible values: text, json, junit, github, markdown]"),
        "{}",
        check.stdout
    );
}

#[test]
fn version_prints_the_crate_version() {
    let run = conformance(&["--version"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout.trim(),
        format!("conformance {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn check_passes_the_committed_fixtures_in_text_and_json() {
    let text = conformance(&["check", &fixtures(), "--verbose"]);
    assert_eq!(text.code, 0, "{}", text.all());
    assert!(
        text.stdout.contains("0 failed") && text.stdout.contains("Errata applied"),
        "{}",
        text.stdout
    );
    let json = conformance(&["check", &fixtures(), "--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON output");
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
    let run = conformance(&["check", &fixtures(), "--spec", spec.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stdout.contains("0 failed"), "{}", run.stdout);
    for (id, missing) in [
        ("create-request-oneof-overlap", "has no oneOf"),
        ("partner-name-enum-incomplete", "is not"),
    ] {
        assert!(
            run.stderr
                .contains(&format!("notice: erratum {id} skipped:"))
                && run.stderr.contains(missing),
            "{}",
            run.stderr
        );
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
    let run = conformance(&["check", file.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stdout.contains("FAIL mine"), "{}", run.stdout);
    assert!(
        run.stdout.contains("/created")
            && run
                .stdout
                .contains("/components/schemas/ExchangeSession/properties/created/format"),
        "{}",
        run.stdout
    );
}

#[test]
fn usage_and_input_errors_exit_2() {
    let nothing = conformance(&[]);
    assert_eq!(nothing.code, 2);
    assert!(
        nothing.stderr.contains("Usage: conformance"),
        "{}",
        nothing.stderr
    );
    let no_paths = conformance(&["check"]);
    assert_eq!(no_paths.code, 2);
    assert!(
        no_paths.stderr.contains("<PATHS>..."),
        "{}",
        no_paths.stderr
    );
    let yaml = conformance(&["check", "x.json", "--format", "yaml"]);
    assert_eq!(yaml.code, 2);
    assert!(
        yaml.stderr
            .contains("invalid value 'yaml' for '--format <FORMAT>'"),
        "{}",
        yaml.stderr
    );
    let missing = conformance(&["check", "/no/such/dir"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("cannot read /no/such/dir"),
        "{}",
        missing.stderr
    );
    let bad_spec = conformance(&["check", &fixtures(), "--spec", "no/such/spec.yml"]);
    assert_eq!(bad_spec.code, 2);
    assert!(
        bad_spec.stderr.contains("no/such/spec.yml"),
        "{}",
        bad_spec.stderr
    );
    let unknown = conformance(&["verify"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("unrecognized subcommand 'verify'"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn export_spec_writes_the_spec_the_client_implements() {
    let tmp = scratch("export");
    let dir = tmp.path();
    let published = dir.join("published.json");
    let corrected = dir.join("corrected.json");
    assert_eq!(
        conformance(&["export-spec", published.to_str().unwrap()]).code,
        0
    );
    let run = conformance(&["export-spec", corrected.to_str().unwrap(), "--errata"]);
    assert_eq!(run.code, 0, "{}", run.all());
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
    let unwritable = conformance(&["export-spec", "/no/such/dir/spec.json"]);
    assert_eq!(unwritable.code, 2);
    assert!(
        unwritable.stderr.contains("cannot write"),
        "{}",
        unwritable.stderr
    );
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
    let run = conformance_beside_servers(command(&["serve", "--port", &port])).await;
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("cannot listen on 127.0.0.1"),
        "{}",
        run.stderr
    );
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
    let run = conformance_beside_servers(record).await;
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(
        run.stdout.starts_with("16 exchanges written to"),
        "{}",
        run.stdout
    );
    assert_eq!(std::fs::read_dir(dir).unwrap().count(), 16);
    let checked = conformance(&["check", dir.to_str().unwrap()]);
    assert_eq!(checked.code, 0, "{}", checked.all());

    let unset = conformance(&["record", "--out", "unused"]);
    assert_eq!(unset.code, 2);
    assert!(unset.stderr.contains("DWOLLA_"), "{}", unset.stderr);
}

#[tokio::test]
async fn send_all_passes_a_server_without_violations() {
    let server = ReplayServer::start().await.unwrap();
    let run = conformance_beside_servers(command(&["send-all", server.base_url()])).await;
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(
        run.stdout
            .contains("12 requests sent (11 calls), 0 with violations"),
        "{}",
        run.stdout
    );
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
    let run = conformance_beside_servers(command(&["send-all", &server.base])).await;
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.stdout.contains("VIOLATION GET /exchange-partners: "),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("11 with violations"), "{}", run.stdout);
}
