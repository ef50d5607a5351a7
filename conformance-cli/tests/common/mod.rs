//! Running the `conformance` binary from the tests: the one command runner
//! every CLI test uses.

#![allow(
    dead_code,
    reason = "each test binary that includes this module uses a part of it"
)]

use std::process::Command;

use assert_cmd::assert::Assert;
use assert_cmd::prelude::OutputAssertExt as _;
use tempfile::TempDir;

/// `conformance <args>`, not yet run, with no `DWOLLA_*` variable of the
/// caller's environment.
pub(crate) fn command(args: &[&str]) -> Command {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin!("conformance"));
    command.args(args);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("DWOLLA_") {
            command.env_remove(name);
        }
    }
    command
}

/// `conformance <args>`, run to its end, for assertions on its exit code
/// and output.
pub(crate) fn conformance(args: &[&str]) -> Assert {
    command(args).assert()
}

/// What a run printed on standard output.
pub(crate) fn stdout(run: &Assert) -> String {
    String::from_utf8_lossy(&run.get_output().stdout).into_owned()
}

/// What a run printed on standard error.
pub(crate) fn stderr(run: &Assert) -> String {
    String::from_utf8_lossy(&run.get_output().stderr).into_owned()
}

/// The committed fixtures' folder.
pub(crate) fn fixtures() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/../conformance/fixtures").into()
}

/// A fresh, empty folder for one test, removed when dropped.
pub(crate) fn scratch(name: &str) -> TempDir {
    tempfile::Builder::new()
        .prefix(&format!("conformance-cli-{name}-"))
        .tempdir()
        .unwrap()
}
