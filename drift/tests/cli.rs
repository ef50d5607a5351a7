//! `spec-drift` as CI runs it: help, version, each format, each exit code.

use std::path::PathBuf;
use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn spec_drift(args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_spec-drift"))
        .args(args)
        .output()
        .expect("the binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn path(relative: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(relative)
        .display()
        .to_string()
}

fn vendored() -> String {
    path("../openapi/dwolla.yml")
}

fn drifted() -> String {
    path("tests/data/dwolla-drifted.json")
}

#[test]
fn help_lists_the_arguments_formats_and_exit_codes() {
    let run = spec_drift(&["--help"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for expected in [
        "Usage: spec-drift",
        "<OLD>",
        "<NEW>",
        "--all",
        "--format",
        "github",
        "--fail-on",
        "Exit codes:",
        "1  a change at or above --fail-on",
        "2  usage or input error",
    ] {
        assert!(
            run.stdout.contains(expected),
            "{expected:?} in {}",
            run.stdout
        );
    }
}

#[test]
fn version_prints_the_crate_version() {
    let run = spec_drift(&["--version"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout.trim(),
        format!("spec-drift {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn no_change_exits_0() {
    let run = spec_drift(&[&vendored(), &vendored()]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.starts_with("0 breaking, 0 compatible"),
        "{}",
        run.stdout
    );
}

#[test]
fn breaking_changes_exit_1_in_every_format() {
    let text = spec_drift(&[&vendored(), &drifted()]);
    assert_eq!(text.code, 1, "{}", text.stderr);
    assert!(text.stdout.contains("BREAKING"), "{}", text.stdout);

    let json = spec_drift(&[&vendored(), &drifted(), "--format", "json"]);
    assert_eq!(json.code, 1, "{}", json.stderr);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON output");
    assert!(report["changes"].as_array().is_some_and(|c| !c.is_empty()));

    let github = spec_drift(&[&vendored(), &drifted(), "--format", "github", "--all"]);
    assert_eq!(github.code, 1, "{}", github.stderr);
    assert!(
        github
            .stdout
            .lines()
            .all(|l| l.starts_with("::error") || l.starts_with("::notice")),
        "{}",
        github.stdout
    );
}

#[test]
fn fail_on_decides_what_fails() {
    let none = spec_drift(&[&vendored(), &drifted(), "--fail-on", "none"]);
    assert_eq!(none.code, 0, "{}", none.stderr);
    let compatible = spec_drift(&[&vendored(), &drifted(), "--fail-on", "compatible"]);
    assert_eq!(compatible.code, 1, "{}", compatible.stderr);
}

#[test]
fn usage_and_input_errors_exit_2() {
    let yaml = spec_drift(&[&vendored(), &drifted(), "--format", "yaml"]);
    assert_eq!(yaml.code, 2);
    assert!(
        yaml.stderr
            .contains("invalid value 'yaml' for '--format <FORMAT>'"),
        "{}",
        yaml.stderr
    );
    let one_file = spec_drift(&[&vendored()]);
    assert_eq!(one_file.code, 2);
    assert!(one_file.stderr.contains("<NEW>"), "{}", one_file.stderr);
    let missing = spec_drift(&[&vendored(), "no/such/spec.yml"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("cannot read no/such/spec.yml"),
        "{}",
        missing.stderr
    );
}
