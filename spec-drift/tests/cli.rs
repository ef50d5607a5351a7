//! `spec-drift` as CI runs it: help, version, each format, each exit code.

use std::path::PathBuf;
use std::process::Command;

use assert_cmd::assert::Assert;
use assert_cmd::prelude::OutputAssertExt as _;
use predicates::prelude::PredicateBooleanExt as _;
use predicates::str::contains;

/// `spec-drift <args>`, run to its end.
fn spec_drift(args: &[&str]) -> Assert {
    Command::new(assert_cmd::cargo::cargo_bin!("spec-drift"))
        .args(args)
        .assert()
}

/// What a run printed on standard output.
fn stdout(run: &Assert) -> String {
    String::from_utf8_lossy(&run.get_output().stdout).into_owned()
}

/// Asserts that what `run` printed begins with `prefix`.
fn assert_starts(run: &Assert, prefix: &str) {
    let printed = stdout(run);
    assert!(printed.starts_with(prefix), "{printed}");
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
    let mut run = spec_drift(&["--help"]).success();
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
        run = run.stdout(contains(expected));
    }
}

#[test]
fn version_prints_the_crate_version() {
    spec_drift(&["--version"])
        .success()
        .stdout(format!("spec-drift {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn no_change_exits_0() {
    spec_drift(&[&vendored(), &vendored()])
        .success()
        .stdout(contains(
            ": passes; 0 wire-breaking, 0 source-breaking, 0 compatible (the client's operations)\n",
        ));
}

#[test]
fn breaking_changes_exit_1_in_every_format() {
    let [old, new] = pair("request-field-made-required");
    let all = "--all-operations";
    spec_drift(&[&old, &new, all])
        .code(1)
        .stdout(contains("wire-breaking   request-refused"));

    let json = spec_drift(&[&old, &new, all, "--format", "json"]).code(1);
    let report: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("JSON output");
    assert_eq!(report["findings"][0]["class"], "wire-breaking");
    assert_eq!(report["verdict"], "fail");
    assert_eq!(report["fail_on"], "source-breaking");
    assert_eq!(report["counts"]["wire-breaking"], 1);

    let github = stdout(&spec_drift(&[&old, &new, all, "--format", "github"]).code(1));
    let lines: Vec<&str> = github.lines().collect();
    assert!(
        lines.len() >= 3
            && lines[..lines.len() - 1]
                .iter()
                .all(|l| l.starts_with("::error title=spec drift "))
            && lines[lines.len() - 1].starts_with("::notice title=spec drift::spec drift fails"),
        "{github}"
    );

    let markdown = spec_drift(&[&old, &new, all, "--format", "markdown"])
        .code(1)
        .stdout(contains("### Breaking (2)").and(contains(
            "| wire-breaking | request-refused | <code>createThing</code> |",
        )));
    assert_starts(
        &markdown,
        "**Spec drift ❌ fails on source-breaking or worse**",
    );
}

#[test]
fn annotations_point_at_the_operations_line_in_the_slice() {
    // NEW moves an operation of the slice; run from the repository's root,
    // as the workflow does, the default slice anchors it.
    let slice = std::fs::read_to_string(vendored()).expect("the vendored slice");
    let moved = slice.replacen(
        "\n  /exchange-partners/{id}:",
        "\n  /exchange-partners/{id}/details:",
        1,
    );
    assert_ne!(moved, slice, "the slice has the path this test moves");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let new = dir.path().join("moved.yml");
    std::fs::write(&new, moved).expect("written");
    let line = slice
        .lines()
        .position(|l| l.trim() == "operationId: getExchangePartner")
        .expect("the operation in the slice")
        + 1;
    let args = [
        vendored(),
        new.display().to_string(),
        "--format".into(),
        "github".into(),
    ];

    let run_in = |folder: &std::path::Path| {
        Command::new(assert_cmd::cargo::cargo_bin!("spec-drift"))
            .current_dir(folder)
            .args(&args)
            .assert()
            .code(1)
    };

    assert_starts(
        &run_in(&PathBuf::from(path(".."))),
        &format!(
            "::error file=openapi/dwolla.yml,line={line},title=spec drift wire-breaking operation-moved::getExchangePartner: "
        ),
    );
    // Where the working directory holds no slice, nothing is anchored.
    assert_starts(
        &run_in(dir.path()),
        "::error title=spec drift wire-breaking operation-moved::",
    );
}

#[test]
fn a_saved_json_report_renders_as_the_comparison_printed_it() {
    let [old, new] = pair("response-enum-gained");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let saved = dir.path().join("report.json");
    let json = spec_drift(&[&old, &new, "--all-operations", "--format", "json"]);
    std::fs::write(&saved, stdout(&json)).expect("the report is saved");
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
            let direct = stdout(&spec_drift(&direct));
            let rendered = stdout(&spec_drift(&rendered).success());
            assert_eq!(rendered, direct, "{format}, verbose {verbose}");
        }
    }
    std::fs::write(&saved, "[1, 2]").expect("written");
    spec_drift(&["render", saved.to_str().unwrap(), "--format", "text"])
        .code(2)
        .stderr(contains("is not a spec-drift JSON report"));
}

#[test]
fn the_client_operations_are_judged_and_the_rest_counted() {
    let [old, new] = pair("outside-the-client");
    spec_drift(&[&old, &new])
        .success()
        .stdout(
            contains("passes; 0 wire-breaking, 0 source-breaking, 0 compatible (the client's operations)")
                .and(contains(
                    "notice: 2 finding(s) on 2 operation(s) and type(s) the client does not use; --all-operations judges them",
                )),
        );
    spec_drift(&[&old, &new, "--all-operations"])
        .code(1)
        .stdout(contains("request-refused").and(contains("notice:").not()));
}

#[test]
fn fail_on_decides_what_fails() {
    let code = |args: &[&str]| spec_drift(args).get_output().status.code();
    let [old, new] = pair("response-enum-gained");
    let exit = |fail_on: &str| code(&[&old, &new, "--all-operations", "--fail-on", fail_on]);
    assert_eq!(
        [
            exit("wire"),
            exit("source"),
            exit("compatible"),
            exit("none")
        ],
        [Some(0), Some(1), Some(1), Some(0)]
    );
    assert_eq!(
        code(&[&old, &new, "--all-operations"]),
        Some(1),
        "source is the default"
    );
    let [old, new] = pair("optional-field-added");
    let exit = |fail_on: &str| code(&[&old, &new, "--all-operations", "--fail-on", fail_on]);
    assert_eq!([exit("source"), exit("compatible")], [Some(0), Some(1)]);
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
    spec_drift(&args)
        .success()
        .stdout(contains("no-effect ").not());
    spec_drift(&[&args[..], &["--verbose"]].concat())
        .success()
        .stdout(contains("no-effect       error-body-reshaped"));
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
        ])
        .code(1)
        .stdout(contains("INJECTED"));
        let printed = stdout(&run);
        for line in printed.lines() {
            assert!(
                !line.starts_with("::error file=README.md"),
                "{format}: {line}"
            );
            if format != "github" {
                assert!(!line.starts_with("::"), "{format}: {line}");
            }
        }
        if format == "markdown" {
            run.stdout(contains("</table>").or(contains("<h1>")).not());
        }
    }
}

#[test]
fn usage_and_input_errors_exit_2() {
    let [old, new] = pair("optional-field-added");
    spec_drift(&[&old, &new, "--format", "yaml"])
        .code(2)
        .stderr(contains("invalid value 'yaml' for '--format <FORMAT>'"));
    spec_drift(&[&vendored()]).code(2).stderr(contains("<NEW>"));
    spec_drift(&[&vendored(), "no/such/spec.yml"])
        .code(2)
        .stderr(contains("cannot read no/such/spec.yml"));
    spec_drift(&[&old, &new, "--fixtures", "no/such/dir"])
        .code(2)
        .stderr(contains("no/such/dir"));
}
