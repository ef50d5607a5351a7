//! `spec-drift OLD NEW [--all] [--format text|json|github] [--fail-on breaking|compatible|none]`:
//! what changes between two OpenAPI 3.1 specs for the operations the client
//! binds (or all of them), classified as breaking or compatible for the
//! generated client; and whether the extension layer can retire.
//!
//! Exit code: 1 when a change at or above `--fail-on` (default `breaking`)
//! exists, 2 on a usage or file error, else 0.

use std::path::PathBuf;
use std::process::ExitCode;

use conformance::drift::{self, Class, Scope};
use conformance::spec::Spec;

const USAGE: &str = "usage: spec-drift OLD NEW [--all] [--format text|json|github] [--fail-on breaking|compatible|none]";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<ExitCode, String> {
    let mut files = Vec::new();
    let mut all = false;
    let mut format = "text".to_string();
    let mut fail_on = "breaking".to_string();
    let mut rest = args.into_iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--all" => all = true,
            "--format" => format = rest.next().ok_or(USAGE)?,
            "--fail-on" => fail_on = rest.next().ok_or(USAGE)?,
            flag if flag.starts_with("--") => {
                return Err(format!("unknown option {flag}\n{USAGE}"));
            }
            file => files.push(PathBuf::from(file)),
        }
    }
    let [old, new] = files.as_slice() else {
        return Err(USAGE.to_string());
    };
    let old = Spec::load(old).map_err(|e| e.to_string())?;
    let new = Spec::load(new).map_err(|e| e.to_string())?;
    let bound = drift::bound_operations();
    let scope = if all {
        Scope::All
    } else {
        Scope::Bound(&bound)
    };
    let report = drift::compare(
        &old,
        &new,
        scope,
        &dwolla_exchange_sessions::extras::openapi_fragment(),
    );
    match format.as_str() {
        "text" => print!("{}", drift::to_text(&report)),
        "json" => println!(
            "{}",
            serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
        ),
        "github" => print!("{}", drift::to_github(&report)),
        other => {
            return Err(format!(
                "--format must be text, json or github, not {other}"
            ));
        }
    }
    let failing = match fail_on.as_str() {
        "breaking" => report.count(Class::Breaking) > 0,
        "compatible" => !report.changes.is_empty(),
        "none" => false,
        other => {
            return Err(format!(
                "--fail-on must be breaking, compatible or none, not {other}"
            ));
        }
    };
    Ok(if failing {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
