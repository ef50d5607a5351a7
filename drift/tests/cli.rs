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

/// The two specs of a synthetic pair under `tests/data/`.
fn pair(name: &str) -> [String; 2] {
    [
        path(&format!("tests/data/{name}/old.yaml")),
        path(&format!("tests/data/{name}/new.yaml")),
    ]
}

#[test]
fn help_lists_the_arguments_formats_and_exit_codes() {
    let run = spec_drift(&["--help"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for expected in [
        "Usage: spec-drift",
        "<OLD>",
        "<NEW>",
        "--fixtures",
        "--format",
        "markdown",
        "--fail-on",
        "--verbose",
        "Exit codes:",
        "1  a finding at or above --fail-on",
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
        run.stdout
            .contains(": 0 wire-breaking, 0 source-breaking, 0 compatible\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn breaking_changes_exit_1_in_every_format() {
    let [old, new] = pair("request-field-made-required");
    let text = spec_drift(&[&old, &new]);
    assert_eq!(text.code, 1, "{}", text.stderr);
    assert!(
        text.stdout.contains("wire-breaking   request-refused"),
        "{}",
        text.stdout
    );

    let json = spec_drift(&[&old, &new, "--format", "json"]);
    assert_eq!(json.code, 1, "{}", json.stderr);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON output");
    assert_eq!(report["findings"][0]["class"], "wire-breaking");

    let github = spec_drift(&[&old, &new, "--format", "github"]);
    assert_eq!(github.code, 1, "{}", github.stderr);
    assert!(
        github.stdout.lines().count() >= 2
            && github
                .stdout
                .lines()
                .all(|l| l.starts_with("::error title=spec drift ")),
        "{}",
        github.stdout
    );

    let markdown = spec_drift(&[&old, &new, "--format", "markdown"]);
    assert_eq!(markdown.code, 1, "{}", markdown.stderr);
    assert!(
        markdown.stdout.starts_with("## Spec drift: ")
            && markdown.stdout.contains("### wire-breaking (1)")
            && markdown
                .stdout
                .contains("| `request-refused` | `createThing` |"),
        "{}",
        markdown.stdout
    );
}

#[test]
fn fail_on_decides_what_fails() {
    let [old, new] = pair("response-enum-gained");
    let exit = |fail_on: &str| spec_drift(&[&old, &new, "--fail-on", fail_on]).code;
    assert_eq!(
        [
            exit("wire"),
            exit("source"),
            exit("compatible"),
            exit("none")
        ],
        [0, 1, 1, 0]
    );
    assert_eq!(spec_drift(&[&old, &new]).code, 1, "source is the default");
    let [old, new] = pair("optional-field-added");
    let exit = |fail_on: &str| spec_drift(&[&old, &new, "--fail-on", fail_on]).code;
    assert_eq!([exit("source"), exit("compatible")], [0, 1]);
}

#[test]
fn no_effect_findings_show_with_verbose_and_never_fail() {
    let [old, new] = pair("error-body-reshaped");
    let quiet = spec_drift(&[&old, &new, "--fail-on", "compatible"]);
    assert_eq!(quiet.code, 0, "{}", quiet.stderr);
    assert!(!quiet.stdout.contains("no-effect"), "{}", quiet.stdout);
    let verbose = spec_drift(&[&old, &new, "--verbose", "--fail-on", "compatible"]);
    assert_eq!(verbose.code, 0, "{}", verbose.stderr);
    assert!(
        verbose
            .stdout
            .contains("no-effect       error-body-reshaped"),
        "{}",
        verbose.stdout
    );
}

#[test]
fn usage_and_input_errors_exit_2() {
    let [old, new] = pair("optional-field-added");
    let yaml = spec_drift(&[&old, &new, "--format", "yaml"]);
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
    let no_fixtures = spec_drift(&[&old, &new, "--fixtures", "no/such/dir"]);
    assert_eq!(no_fixtures.code, 2);
    assert!(
        no_fixtures.stderr.contains("no/such/dir"),
        "{}",
        no_fixtures.stderr
    );
}
