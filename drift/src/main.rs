//! `spec-drift`: what a newer OpenAPI spec changes for the Dwolla client
//! generated from it.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use conformance::fixture;
use spec_drift::render;
use spec_drift::report::Class;

/// Exit codes, as `--help` lists them.
const EXIT_CODES: &str = "\
Exit codes:
  0  no finding at or above --fail-on
  1  a finding at or above --fail-on
  2  usage or input error (bad arguments, a spec that cannot be read or generated from)";

/// What a newer OpenAPI spec changes for the Dwolla client generated from
/// it: both specs go through the project's own generator, and each change is
/// wire-breaking, source-breaking, compatible or of no effect.
#[derive(Debug, Parser)]
#[command(name = "spec-drift", version, after_help = EXIT_CODES)]
struct Args {
    /// The spec the client is built from today (e.g. openapi/dwolla.yml).
    old: PathBuf,
    /// The newer spec.
    new: PathBuf,
    /// Recorded exchanges to check under both specs (files or folders;
    /// default: the conformance crate's fixtures, when present).
    #[arg(long, value_name = "DIR")]
    fixtures: Vec<PathBuf>,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The lowest class of finding that fails the run (exit 1).
    #[arg(long, value_enum, default_value_t = FailOn::Source)]
    fail_on: FailOn,
    /// Also report changes the client cannot observe (`no-effect`).
    #[arg(long)]
    verbose: bool,
}

/// Report formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// One line per finding, for people.
    Text,
    /// The whole report as JSON.
    Json,
    /// GitHub Actions annotations: an error per breaking finding, a notice
    /// per other one.
    Github,
    /// A Markdown summary for a pull-request comment or a job summary.
    Markdown,
}

/// Which findings fail the run.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum FailOn {
    /// Wire-breaking findings.
    Wire,
    /// Wire- or source-breaking findings.
    Source,
    /// Any finding but those of no effect.
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
    let fixtures = if !args.fixtures.is_empty() {
        fixture::load(&args.fixtures).map_err(|e| e.to_string())?
    } else if fixture::fixtures_dir().is_dir() {
        fixture::committed().map_err(|e| e.to_string())?
    } else {
        eprintln!(
            "spec-drift: notice: no fixtures (pass --fixtures DIR to check recorded exchanges)"
        );
        Vec::new()
    };
    let report = spec_drift::drift(&args.old, &args.new, &fixtures).map_err(|e| e.to_string())?;
    let threshold = match args.fail_on {
        FailOn::Wire => Some(Class::WireBreaking),
        FailOn::Source => Some(Class::SourceBreaking),
        FailOn::Compatible => Some(Class::Compatible),
        FailOn::None => None,
    };
    let failing = spec_drift::fails(&report, threshold);
    let shown = if args.verbose {
        report
    } else {
        report.without_no_effect()
    };
    let text = match args.format {
        Format::Text => render::to_text(&shown),
        Format::Json => serde_json::to_string_pretty(&shown).map_err(|e| e.to_string())? + "\n",
        Format::Github => render::to_github(&shown),
        Format::Markdown => render::to_markdown(&shown),
    };
    // A closed pipe (`spec-drift … | head`) is not an error worth a panic.
    let _ = std::io::stdout().write_all(text.as_bytes());
    Ok(if failing {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
