//! `conformance check` on awkward inputs: folders with nothing to check, a
//! file that cannot be read among good ones, outputs closed early, a UTF-8
//! byte-order mark.

mod common;

use std::path::Path;
use std::process::Stdio;

use common::{command, conformance, fixtures, scratch, stderr, stdout};
use predicates::prelude::PredicateBooleanExt as _;
use predicates::str::contains;

const FIXTURE: &str = "retrieve-customer-exchange-session.plaid.200.json";

fn committed(name: &str) -> String {
    conformance::fixture::committed_text(name)
        .unwrap()
        .to_string()
}

fn path(dir: &Path) -> &str {
    dir.to_str().unwrap()
}

#[test]
fn a_folder_with_nothing_to_check_is_a_usage_error() {
    let empty = scratch("empty");
    conformance(&["check", path(empty.path())])
        .code(2)
        .stderr(contains("no .json exchange files"));

    let other = scratch("no-json");
    std::fs::write(other.path().join("notes.txt"), "not an exchange").unwrap();
    conformance(&["check", path(other.path())])
        .code(2)
        .stderr(contains(path(other.path())));
}

#[test]
fn unreadable_files_are_reported_and_the_others_still_checked() {
    let tmp = scratch("unreadable");
    let dir = tmp.path();
    std::fs::write(dir.join("good.json"), committed(FIXTURE)).unwrap();
    std::fs::write(dir.join("latin1.json"), b"{\"operation\": \"caf\xe9\"}").unwrap();
    std::fs::write(dir.join("broken.json"), "{\"operation\":").unwrap();
    conformance(&["check", path(dir)])
        .code(2)
        .stdout(contains("PASS good"))
        .stderr(contains("latin1.json").and(contains("broken.json")));
}

/// A dangling link, a link loop and a named pipe inside a folder are each
/// reported as unreadable (the pipe never opened) and the rest is checked.
#[test]
fn links_that_lead_nowhere_and_pipes_in_a_folder_are_reported_and_skipped() {
    let tmp = scratch("special-entries");
    let dir = tmp.path();
    std::fs::write(dir.join("good.json"), committed(FIXTURE)).unwrap();
    std::os::unix::fs::symlink(dir.join("missing.json"), dir.join("dangling.json")).unwrap();
    std::os::unix::fs::symlink(dir.join("loop"), dir.join("loop")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(dir.join("pipe.json"))
        .status()
        .unwrap();
    assert!(made.success());
    conformance(&["check", path(dir)])
        .code(2)
        .stdout(contains("PASS good"))
        .stderr(
            contains("dangling.json")
                .and(contains("loop"))
                .and(contains("pipe.json")),
        )
        .stderr(contains("3 file(s) could not be checked"));
}

#[test]
fn closed_outputs_end_the_run_quietly_with_its_exit_code() {
    for (args, expected) in [
        (vec!["check".to_string(), fixtures()], 0),
        (vec!["check".to_string(), "/no/such/dir".to_string()], 2),
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let status = command(&args)
            .stdout(writer.try_clone().unwrap())
            .stderr(writer)
            .stdin(Stdio::null())
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(expected), "{args:?} (101 is a panic)");
    }
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let tmp = scratch("bom");
    let dir = tmp.path();
    let file = dir.join("bom.json");
    std::fs::write(&file, format!("\u{feff}{}", committed(FIXTURE))).unwrap();
    conformance(&["check", file.to_str().unwrap()])
        .success()
        .stdout(contains("PASS bom"));
}

/// `--timings` names every phase of the run on stderr and leaves the
/// verdicts on stdout as they are.
#[test]
fn timings_go_to_stderr_phase_by_phase() {
    let dir = fixtures();
    let plain = conformance(&["check", &dir]).stderr(contains("timings:").not());
    let code = plain.get_output().status.code().expect("an exit code");
    let timed = conformance(&["check", "--timings", &dir])
        .code(code)
        .stdout(plain.get_output().stdout.clone());
    let timings = stderr(&timed);
    for phase in [
        "spec load",
        "errata and validators",
        "file reading",
        "checks",
        "spec defects",
        "rendering",
        "writing",
        "total",
    ] {
        assert!(
            timings
                .lines()
                .any(|l| l.starts_with(&format!("timings: {phase} "))),
            "{phase}: {timings}"
        );
    }
}

/// Two links that lead back to the folder they are in (the loop that ran
/// for ever, growing): each folder and file is read once, so the one
/// exchange is checked once and the run ends.
#[test]
fn links_that_loop_through_folders_visit_each_file_once() {
    let tmp = scratch("folder-loops");
    let dir = tmp.path();
    let inner = dir.join("inner");
    std::fs::create_dir_all(&inner).unwrap();
    std::fs::write(inner.join("good.json"), committed(FIXTURE)).unwrap();
    std::os::unix::fs::symlink(dir, inner.join("up")).unwrap();
    std::os::unix::fs::symlink(dir, inner.join("up-again")).unwrap();
    std::os::unix::fs::symlink(inner.join("good.json"), dir.join("also-good.json")).unwrap();
    let run = conformance(&["check", path(dir)])
        .success()
        .stdout(contains("1 exchange(s): 1 passed"));
    let text = stdout(&run);
    assert_eq!(text.matches("PASS ").count(), 1, "{text}");
}
