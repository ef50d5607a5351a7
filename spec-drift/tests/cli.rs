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
        run.stdout.contains(
            ": passes; 0 wire-breaking, 0 source-breaking, 0 compatible (the client's operations)\n"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn breaking_changes_exit_1_in_every_format() {
    let [old, new] = pair("request-field-made-required");
    let all = "--all-operations";
    let text = spec_drift(&[&old, &new, all]);
    assert_eq!(text.code, 1, "{}", text.stderr);
    assert!(
        text.stdout.contains("wire-breaking   request-refused"),
        "{}",
        text.stdout
    );

    let json = spec_drift(&[&old, &new, all, "--format", "json"]);
    assert_eq!(json.code, 1, "{}", json.stderr);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON output");
    assert_eq!(report["findings"][0]["class"], "wire-breaking");
    assert_eq!(report["verdict"], "fail");
    assert_eq!(report["fail_on"], "source-breaking");
    assert_eq!(report["counts"]["wire-breaking"], 1);

    let github = spec_drift(&[&old, &new, all, "--format", "github"]);
    assert_eq!(github.code, 1, "{}", github.stderr);
    let lines: Vec<&str> = github.stdout.lines().collect();
    assert!(
        lines.len() >= 3
            && lines[..lines.len() - 1]
                .iter()
                .all(|l| l.starts_with("::error title=spec drift "))
            && lines[lines.len() - 1].starts_with("::notice title=spec drift::spec drift fails"),
        "{}",
        github.stdout
    );

    let markdown = spec_drift(&[&old, &new, all, "--format", "markdown"]);
    assert_eq!(markdown.code, 1, "{}", markdown.stderr);
    assert!(
        markdown
            .stdout
            .starts_with("**Spec drift ❌ fails on source-breaking or worse**")
            && markdown.stdout.contains("### Breaking (2)")
            && markdown
                .stdout
                .contains("| wire-breaking | request-refused | <code>createThing</code> |"),
        "{}",
        markdown.stdout
    );
}

#[test]
fn a_saved_json_report_renders_as_the_comparison_printed_it() {
    let [old, new] = pair("response-enum-gained");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let saved = dir.path().join("report.json");
    let json = spec_drift(&[&old, &new, "--all-operations", "--format", "json"]);
    std::fs::write(&saved, &json.stdout).expect("the report is saved");
    for format in ["text", "github", "markdown"] {
        for verbose in [false, true] {
            let mut direct = vec![
                old.as_str(),
                new.as_str(),
                "--all-operations",
                "--format",
                format,
            ];
            let mut rendered = vec!["render", saved.to_str().unwrap(), "--format", format];
            if verbose {
                direct.push("--verbose");
                rendered.push("--verbose");
            }
            let (direct, rendered) = (spec_drift(&direct), spec_drift(&rendered));
            assert_eq!(rendered.code, 0, "{}", rendered.stderr);
            assert_eq!(
                rendered.stdout, direct.stdout,
                "{format}, verbose {verbose}"
            );
        }
    }
    std::fs::write(&saved, "[1, 2]").expect("written");
    let refused = spec_drift(&["render", saved.to_str().unwrap(), "--format", "text"]);
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("is not a spec-drift JSON report"),
        "{}",
        refused.stderr
    );
}

#[test]
fn the_client_operations_are_judged_and_the_rest_counted() {
    let [old, new] = pair("outside-the-client");
    let client = spec_drift(&[&old, &new]);
    assert_eq!(client.code, 0, "{}", client.stderr);
    assert!(
        client.stdout.contains("passes; 0 wire-breaking, 0 source-breaking, 0 compatible (the client's operations)")
            && client.stdout.contains(
                "notice: 2 finding(s) on 2 operation(s) and type(s) the client does not use; --all-operations judges them"
            ),
        "{}",
        client.stdout
    );
    let all = spec_drift(&[&old, &new, "--all-operations"]);
    assert_eq!(all.code, 1, "{}", all.stderr);
    assert!(all.stdout.contains("request-refused"), "{}", all.stdout);
    assert!(!all.stdout.contains("notice:"), "{}", all.stdout);
}

#[test]
fn fail_on_decides_what_fails() {
    let [old, new] = pair("response-enum-gained");
    let exit =
        |fail_on: &str| spec_drift(&[&old, &new, "--all-operations", "--fail-on", fail_on]).code;
    assert_eq!(
        [
            exit("wire"),
            exit("source"),
            exit("compatible"),
            exit("none")
        ],
        [0, 1, 1, 0]
    );
    assert_eq!(
        spec_drift(&[&old, &new, "--all-operations"]).code,
        1,
        "source is the default"
    );
    let [old, new] = pair("optional-field-added");
    let exit =
        |fail_on: &str| spec_drift(&[&old, &new, "--all-operations", "--fail-on", fail_on]).code;
    assert_eq!([exit("source"), exit("compatible")], [0, 1]);
}

#[test]
fn no_effect_findings_show_with_verbose_and_never_fail() {
    let [old, new] = pair("error-body-reshaped");
    let args = [
        old.as_str(),
        new.as_str(),
        "--all-operations",
        "--fail-on",
        "compatible",
    ];
    let quiet = spec_drift(&args);
    assert_eq!(quiet.code, 0, "{}", quiet.stderr);
    assert!(!quiet.stdout.contains("no-effect "), "{}", quiet.stdout);
    let verbose = spec_drift(&[&args[..], &["--verbose"]].concat());
    assert_eq!(verbose.code, 0, "{}", verbose.stderr);
    assert!(
        verbose
            .stdout
            .contains("no-effect       error-body-reshaped"),
        "{}",
        verbose.stdout
    );
}

/// A spec whose operationId carries a line break and a workflow command:
/// no format prints a line that begins with it.
#[test]
fn text_from_a_spec_never_begins_an_output_line() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let injected = "getThing\\n::error file=README.md,line=1::INJECTED </table><h1>FAKE</h1> `x`";
    let spec = |required: &str| {
        format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n  /things:\n    get:\n      operationId: \"{injected}\"\n      parameters:\n      - {{name: limit, in: query, required: {required}, schema: {{type: integer}}}}\n      responses:\n        '200': {{description: ok}}\n"
        )
    };
    let (old, new) = (dir.path().join("old.yaml"), dir.path().join("new.yaml"));
    std::fs::write(&old, spec("false")).expect("written");
    std::fs::write(&new, spec("true")).expect("written");
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
    for format in ["text", "github", "markdown"] {
        let run = spec_drift(&[
            old,
            new,
            "--all-operations",
            "--verbose",
            "--format",
            format,
        ]);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        assert!(run.stdout.contains("INJECTED"), "{format}: {}", run.stdout);
        for line in run.stdout.lines() {
            assert!(
                !line.starts_with("::error file=README.md"),
                "{format}: {line}"
            );
            if format != "github" {
                assert!(!line.starts_with("::"), "{format}: {line}");
            }
        }
        if format == "markdown" {
            assert!(
                !run.stdout.contains("</table>") && !run.stdout.contains("<h1>"),
                "{}",
                run.stdout
            );
        }
    }
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
