//! `spec-drift`: what a newer OpenAPI spec changes for the Dwolla client
//! generated from it.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use conformance::fixture;
use spec_drift::anchor::Anchors;
use spec_drift::lock::Lock;
use spec_drift::report::{Class, Report, Scope};
use spec_drift::{Options, render};

/// Exit codes, as `--help` lists them.
const EXIT_CODES: &str = "\
Exit codes:
  0  no finding at or above --fail-on (render: the report was printed)
  1  a finding at or above --fail-on
  2  usage or input error (bad arguments, a spec that cannot be read or generated from)";

/// Where the fixtures and the slice are looked for when not given, relative
/// to the working directory.
const DEFAULT_FIXTURES: &str = "conformance/fixtures";
const DEFAULT_ANCHOR: &str = "openapi/dwolla.yml";
const DEFAULT_LOCK: &str = "openapi/upstream-lock.json";

/// What a newer OpenAPI spec changes for the Dwolla client generated from
/// it: both specs go through the project's own generator, and each change
/// to the operations the client is built from is wire-breaking,
/// source-breaking, compatible or of no effect.
#[derive(Debug, Parser)]
#[command(
    name = "spec-drift",
    version,
    after_help = EXIT_CODES,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    compare: CompareArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Prints a saved JSON report (`--format json`) in another format, so a
    /// CI job compares once and renders each format from the report.
    Render(RenderArgs),
    /// The upstream lock (`openapi/upstream-lock.json`): which published
    /// spec the vendored slice was last reconciled with.
    #[command(subcommand)]
    Lock(LockCommand),
}

#[derive(Debug, Subcommand)]
enum LockCommand {
    /// Whether SPEC is the locked spec, byte for byte (exit 0), or another
    /// (exit 1).
    Check {
        /// A downloaded spec.
        spec: PathBuf,
        /// The lock.
        #[arg(long, default_value = DEFAULT_LOCK)]
        lock: PathBuf,
    },
    /// Moves the lock to SPEC, published at COMMIT.
    Update {
        /// The spec the slice is now reconciled with.
        spec: PathBuf,
        /// Its upstream commit (short id).
        #[arg(long)]
        commit: String,
        /// Where it was published.
        #[arg(long)]
        url: Option<String>,
        /// When it was published (YYYY-MM-DD).
        #[arg(long)]
        date: Option<String>,
        /// The lock.
        #[arg(long, default_value = DEFAULT_LOCK)]
        lock: PathBuf,
    },
}

#[derive(Debug, Args)]
struct CompareArgs {
    /// The spec compared from (Dwolla's spec the slice was reconciled
    /// with: see `openapi/upstream-lock.json`).
    #[arg(required = true)]
    old: Option<PathBuf>,
    /// The newer spec.
    #[arg(required = true)]
    new: Option<PathBuf>,
    /// Exchanges to check under both specs (files or folders; default:
    /// `conformance/fixtures` under the working directory, when present).
    #[arg(long, value_name = "DIR")]
    fixtures: Vec<PathBuf>,
    /// Judge every operation of both specs, not only those the client is
    /// built from (for a client built from the full spec with
    /// `DWOLLA_OPENAPI`).
    #[arg(long)]
    all_operations: bool,
    /// The slice whose lines findings are anchored to in annotations
    /// (default: `openapi/dwolla.yml` under the working directory, when
    /// present).
    #[arg(long, value_name = "FILE")]
    anchor: Option<PathBuf>,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The lowest class of finding that fails the run (exit 1).
    #[arg(long, value_enum, default_value_t = FailOn::Source)]
    fail_on: FailOn,
    /// Also print changes of no effect, and each change a finding groups.
    #[arg(long)]
    verbose: bool,
}

#[derive(Debug, Args)]
struct RenderArgs {
    /// A report written by `spec-drift OLD NEW --format json`.
    report: PathBuf,
    /// How to print it.
    #[arg(long, value_enum)]
    format: Format,
    /// Also print changes of no effect, and each change a finding groups.
    #[arg(long)]
    verbose: bool,
}

/// Report formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// For people: a verdict line, then a finding per line (a screen of
    /// them unless --verbose).
    Text,
    /// The whole report, every finding included.
    Json,
    /// GitHub Actions annotations: up to 10 errors (breaking) and 10
    /// warnings (compatible), then a summary notice.
    Github,
    /// A Markdown summary for a pull request or a job summary (under
    /// 60,000 characters).
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

impl FailOn {
    fn threshold(self) -> Option<Class> {
        match self {
            FailOn::Wire => Some(Class::WireBreaking),
            FailOn::Source => Some(Class::SourceBreaking),
            FailOn::Compatible => Some(Class::Compatible),
            FailOn::None => None,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match &cli.command {
        Some(Command::Render(args)) => render_saved(args),
        Some(Command::Lock(command)) => lock(command),
        None => compare(&cli.compare),
    };
    match outcome {
        Ok(code) => code,
        Err(message) => {
            eprintln!("spec-drift: {}", untrusted_text::line(&message));
            ExitCode::from(2)
        }
    }
}

fn compare(args: &CompareArgs) -> Result<ExitCode, String> {
    let (Some(old), Some(new)) = (&args.old, &args.new) else {
        return Err("OLD and NEW are required".into());
    };
    let options = Options {
        scope: if args.all_operations {
            Scope::AllOperations
        } else {
            Scope::Client
        },
        fixtures: fixtures(&args.fixtures)?,
        anchors: anchors(args.anchor.as_deref())?,
        fail_on: args.fail_on.threshold(),
    };
    let report = spec_drift::drift(old, new, &options).map_err(|e| e.to_string())?;
    print(&report, args.format, args.verbose)?;
    Ok(if report.fails() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn fixtures(given: &[PathBuf]) -> Result<Vec<fixture::Loaded>, String> {
    if !given.is_empty() {
        return fixture::load(given).map_err(|e| e.to_string());
    }
    let default = Path::new(DEFAULT_FIXTURES);
    if default.is_dir() {
        return fixture::load(&[default.to_path_buf()]).map_err(|e| e.to_string());
    }
    eprintln!(
        "spec-drift: notice: no {DEFAULT_FIXTURES} here, no fixtures checked (--fixtures DIR checks recorded exchanges)"
    );
    Ok(Vec::new())
}

fn anchors(given: Option<&Path>) -> Result<Option<Anchors>, String> {
    match given {
        Some(path) => Anchors::read(path)
            .map(Some)
            .ok_or_else(|| format!("cannot read the slice {}", path.display())),
        None => Ok(Anchors::read(Path::new(DEFAULT_ANCHOR))),
    }
}

fn render_saved(args: &RenderArgs) -> Result<ExitCode, String> {
    let text = std::fs::read_to_string(&args.report)
        .map_err(|e| format!("cannot read {}: {e}", args.report.display()))?;
    let report: Report = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{} is not a spec-drift JSON report: {e}",
            args.report.display()
        )
    })?;
    print(&report, args.format, args.verbose)?;
    Ok(ExitCode::SUCCESS)
}

fn lock(command: &LockCommand) -> Result<ExitCode, String> {
    match command {
        LockCommand::Check { spec, lock } => {
            let locked = Lock::read(lock).map_err(|e| e.to_string())?;
            let (same, digest) = locked.matches(spec).map_err(|e| e.to_string())?;
            if same {
                println!(
                    "{} is the locked spec ({}, sha256 {digest})",
                    spec.display(),
                    untrusted_text::line(&locked.commit)
                );
                return Ok(ExitCode::SUCCESS);
            }
            println!(
                "{} differs from the locked spec: sha256 {digest}, lock {} ({})",
                spec.display(),
                untrusted_text::line(&locked.sha256),
                untrusted_text::line(&locked.commit)
            );
            Ok(ExitCode::FAILURE)
        }
        LockCommand::Update {
            spec,
            commit,
            url,
            date,
            lock,
        } => {
            let moved = Lock::for_spec(spec, commit, url.clone(), date.clone())
                .map_err(|e| e.to_string())?;
            moved.write(lock).map_err(|e| e.to_string())?;
            println!(
                "{} now locks {commit} (sha256 {})",
                lock.display(),
                moved.sha256
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn print(report: &Report, format: Format, verbose: bool) -> Result<(), String> {
    let text = match format {
        Format::Text => render::to_text(report, verbose),
        Format::Json => serde_json::to_string_pretty(report).map_err(|e| e.to_string())? + "\n",
        Format::Github => render::to_github(report),
        Format::Markdown => render::to_markdown(report, verbose),
    };
    // A closed pipe (`spec-drift … | head`) is not an error worth a panic.
    let _ = std::io::stdout().write_all(text.as_bytes());
    Ok(())
}
