//! `conformance check` as users run it on their own recordings.

use std::process::Command;

fn check(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .arg("check")
        .args(args)
        .output()
        .expect("the binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr),
    )
}

fn fixtures() -> String {
    conformance::fixture::fixtures_dir().display().to_string()
}

#[test]
fn the_committed_fixtures_pass_in_text_and_json() {
    let (code, text) = check(&[&fixtures()]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("0 failed") && text.contains("Errata applied"),
        "{text}"
    );
    let (code, json) = check(&[&fixtures(), "--format", "json"]);
    assert_eq!(code, 0);
    let report: serde_json::Value = serde_json::from_str(&json).expect("JSON output");
    assert!(report["verdicts"].as_array().is_some_and(|v| v.len() >= 25));
}

#[test]
fn a_bad_recording_fails_with_the_check_and_pointer() {
    let dir = std::env::temp_dir().join(format!("dwolla-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let source = conformance::fixture::fixtures_dir()
        .join("retrieve-customer-exchange-session.plaid.200.json");
    let mut exchange: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(source).unwrap()).unwrap();
    exchange["response"]["body"]["created"] = "last tuesday".into();
    let file = dir.join("mine.json");
    std::fs::write(&file, exchange.to_string()).unwrap();
    let (code, text) = check(&[file.to_str().unwrap()]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("FAIL mine"), "{text}");
    assert!(
        text.contains("/created")
            && text.contains("/components/schemas/ExchangeSession/properties/created/format"),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn usage_errors_exit_with_2() {
    assert_eq!(check(&[]).0, 2);
    assert_eq!(check(&["x.json", "--format", "yaml"]).0, 2);
    assert_eq!(check(&["/no/such/dir"]).0, 2);
}
