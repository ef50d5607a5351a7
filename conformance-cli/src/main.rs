//! `conformance`: the conformance checker and the test kit's servers on the
//! command line. `conformance --help` lists the commands and exit codes.

mod offline;
mod online;
mod output;
mod timings;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Exit codes, as `--help` lists them.
const EXIT_CODES: &str = "\
Exit codes:
  0  every exchange conforms / every request was answered without violations
  1  findings: an exchange failed or is a client gap, or a request met a
     violation
  2  usage or input error (bad arguments, nothing to check, a file or spec
     that cannot be read or written, a server that cannot start, a recorded
     flow that stopped); `check` still prints the verdicts of the files it
     could read";

/// Checks recorded Dwolla exchanges and the client's own requests against the
/// OpenAPI 3.1 spec the client implements; replays and records exchanges.
#[derive(Debug, Parser)]
#[command(name = "conformance", version, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check recorded exchanges: one verdict per exchange and a summary
    /// (with --verbose, also the errata applied and the spec defects found).
    Check {
        /// Exchange files, HAR 1.2 recordings (`.har`: every entry that maps
        /// to an operation is checked, the others listed as skipped), or
        /// folders searched for both (at least one file must be found).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Check against this OpenAPI 3.1 spec instead of the vendored one
        /// (the extension layer's fragment is merged in either way).
        #[arg(long, value_name = "FILE")]
        spec: Option<PathBuf>,
        /// How to print the verdicts.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Text: also list the spec defects each exchange ran into, the
        /// errata applied and the spec defects found (by default one line
        /// counts them).
        #[arg(long, short)]
        verbose: bool,
        /// Print how long each phase took (spec load, errata and
        /// validators, file reading, checks, spec defects, rendering,
        /// writing) to stderr.
        #[arg(long)]
        timings: bool,
    },
    /// Run the replay server on 127.0.0.1: it answers with the committed
    /// exchanges, checking every request against the spec first.
    Serve {
        /// The port (0: any free port; the address is printed).
        #[arg(long, default_value_t = 0)]
        port: u16,
    },
    /// Record exchanges through the recording proxy, secrets redacted, as one
    /// fixture per exchange (and a HAR file with --har). Without --listen:
    /// runs the main flow against Dwolla; needs DWOLLA_KEY, DWOLLA_SECRET
    /// and DWOLLA_CUSTOMER_ID; optional DWOLLA_EXCHANGE_ID and
    /// DWOLLA_ENVIRONMENT (sandbox, the default; production; or a URL).
    /// With --listen and --upstream: a standalone reverse proxy any
    /// application can point its base URL at, until Ctrl-C.
    Record {
        /// The folder to write fixtures to.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Also write the exchanges as one HAR 1.2 file.
        #[arg(long, value_name = "FILE")]
        har: Option<PathBuf>,
        /// Run as a standalone proxy on this address (127.0.0.1:PORT; port
        /// 0: any free port, printed).
        #[arg(long, value_name = "ADDR", requires = "upstream")]
        listen: Option<std::net::SocketAddr>,
        /// The API the standalone proxy forwards to: `sandbox`,
        /// `production` or a URL.
        #[arg(long, value_name = "URL", requires = "listen")]
        upstream: Option<String>,
    },
    /// Write the spec the client implements (vendored spec plus the extension
    /// fragment) as JSON, for tools such as Prism.
    ExportSpec {
        /// The file to write.
        out: PathBuf,
        /// Apply the committed errata.
        #[arg(long)]
        errata: bool,
    },
    /// Send every operation and body variant through the recording proxy to
    /// a validating server (Stoplight Prism); exit 1 if an answer carries an
    /// `sl-violations` header or a request got no answer.
    SendAll {
        /// The validating server, e.g. http://127.0.0.1:4010.
        base_url: String,
    },
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One line per exchange, for people.
    Text,
    /// Verdicts, skipped items, errata and spec defects as one JSON document.
    Json,
    /// JUnit XML: one test case per exchange, for CI test reporters.
    Junit,
    /// GitHub Actions annotations, one per exchange that did not pass.
    Github,
    /// A Markdown summary, e.g. for `$GITHUB_STEP_SUMMARY`.
    Markdown,
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Check {
            paths,
            spec,
            format,
            verbose,
            timings,
        } => offline::check(&paths, spec.as_deref(), format, verbose, timings),
        Command::ExportSpec { out, errata } => offline::export_spec(&out, errata),
        Command::Serve { port } => online::serve(port),
        Command::Record {
            out,
            har,
            listen: Some(listen),
            upstream: Some(upstream),
        } => online::proxy(listen, &upstream, &out, har.as_deref()),
        Command::Record { out, har, .. } => online::record(&out, har.as_deref()),
        Command::SendAll { base_url } => online::send_all(&base_url),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            output::err(&format!("conformance: {message}"));
            ExitCode::from(2)
        }
    }
}
