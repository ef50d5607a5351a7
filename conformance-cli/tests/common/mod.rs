//! Running the `conformance` binary from the tests: the one command runner
//! every CLI test uses.

#![allow(
    dead_code,
    reason = "each test binary that includes this module uses a part of it"
)]

use std::process::Command;

use tempfile::TempDir;

/// What a run printed and how it ended.
pub(crate) struct Run {
    /// The exit code (-1: killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Both outputs, for assertion messages.
    pub(crate) fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// The command with no `DWOLLA_*` variable of the caller's environment.
pub(crate) fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_conformance"));
    command.args(args);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("DWOLLA_") {
            command.env_remove(name);
        }
    }
    command
}

/// Runs `command` to its end.
pub(crate) fn finish(command: &mut Command) -> Run {
    let output = command.output().expect("the binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `conformance <args>`, run to its end.
pub(crate) fn conformance(args: &[&str]) -> Run {
    finish(&mut command(args))
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
