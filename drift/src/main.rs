//! `spec-drift`: what changes between two OpenAPI 3.1 specs for the operations
//! the client binds, and whether the extension layer can retire.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use conformance::vendored;
use openapi_doc::spec::Spec;
use spec_drift::compare::{Scope, compare};
use spec_drift::report::{self, Class};

/// Exit codes, as `--help` lists them.
const EXIT_CODES: &str = "\
Exit codes:
  0  no change at or above --fail-on
  1  a change at or above --fail-on (findings)
  2  usage or input error (bad arguments, a spec that cannot be read)";

/// What changes between two OpenAPI 3.1 specs for the operations the Dwolla
/// client binds (or all of them), classified as breaking or compatible for
/// the generated client; and whether the extension layer can retire.
#[derive(Debug, Parser)]
#[command(name = "spec-drift", version, after_help = EXIT_CODES)]
struct Args {
    /// The spec the client is built from today (e.g. openapi/dwolla.yml).
    old: PathBuf,
    /// The newer spec.
    new: PathBuf,
    /// Compare every operation of either spec, not only the bound ones.
    #[arg(long)]
    all: bool,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The lowest class of change that fails the run (exit 1).
    #[arg(long, value_enum, default_value_t = FailOn::Breaking)]
    fail_on: FailOn,
}

/// Report formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// One line per change, for people.
    Text,
    /// The whole report as JSON.
    Json,
    /// GitHub Actions annotations: an error per breaking change, a notice
    /// per compatible one.
    Github,
}

/// Which changes fail the run.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum FailOn {
    /// Breaking changes.
    Breaking,
    /// Any change.
    Compatible,
    /// Nothing: report only.
    None,
}

fn main() -> ExitCode {
    match run(&Args::parse()) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("spec-drift: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> Result<ExitCode, String> {
    let old = Spec::load(&args.old).map_err(|e| e.to_string())?;
    let new = Spec::load(&args.new).map_err(|e| e.to_string())?;
    let bound = vendored::bound_operations().map_err(|e| e.to_string())?;
    let fragment = vendored::extras_fragment().map_err(|e| e.to_string())?;
    let scope = if args.all {
        Scope::All
    } else {
        Scope::Bound(&bound)
    };
    let report = compare(&old, &new, scope, &fragment);
    let text = match args.format {
        Format::Text => report::to_text(&report),
        Format::Json => serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n",
        Format::Github => report::to_github(&report),
    };
    // A closed pipe (`spec-drift … | head`) is not an error worth a panic.
    let _ = std::io::stdout().write_all(text.as_bytes());
    let failing = match args.fail_on {
        FailOn::Breaking => report.count(Class::Breaking) > 0,
        FailOn::Compatible => !report.changes.is_empty(),
        FailOn::None => false,
    };
    Ok(if failing {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
