//! `conformance check <files or folders> [--spec FILE] [--format text|json]`:
//! checks recorded exchanges against the vendored spec (or another 3.1
//! spec), prints one verdict per exchange and exits non-zero when any fails.
//!
//! `conformance serve [--port N]`: runs the replay server on 127.0.0.1.

use std::path::PathBuf;
use std::process::ExitCode;

use conformance::check::{Outcome, Suite};
use conformance::spec::Spec;
use conformance::{defects, errata, fixture, replay, report};

const USAGE: &str = "usage:
  conformance check <files or folders>... [--spec FILE] [--format text|json]
  conformance serve [--port N]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("check") => check(&args[1..]),
        Some("serve") => serve(&args[1..]),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

fn check(args: &[String]) -> Result<ExitCode, String> {
    let mut paths = Vec::new();
    let mut spec_path = None;
    let mut json = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--spec" => spec_path = Some(rest.next().ok_or("--spec needs a file")?.clone()),
            "--format" => match rest.next().map(String::as_str) {
                Some("json") => json = true,
                Some("text") => json = false,
                other => return Err(format!("--format must be text or json, not {other:?}")),
            },
            flag if flag.starts_with("--") => {
                return Err(format!("unknown option {flag}\n{USAGE}"));
            }
            path => paths.push(PathBuf::from(path)),
        }
    }
    if paths.is_empty() {
        return Err(format!("no files or folders to check\n{USAGE}"));
    }
    let spec = match spec_path {
        Some(path) => Spec::load(path.as_ref()).map_err(|e| e.to_string())?,
        None => Spec::vendored().map_err(|e| e.to_string())?,
    }
    .with_fragment(&dwolla_exchange_sessions::extras::openapi_fragment());
    let errata = errata::committed().map_err(|e| e.to_string())?;
    let suite = Suite::new(spec, errata).map_err(|e| e.to_string())?;
    let loaded = fixture::load(&paths).map_err(|e| e.to_string())?;
    let verdicts: Vec<_> = loaded.iter().map(|l| suite.check_loaded(l)).collect();
    let found = defects::find(&suite.spec);
    if json {
        let report = serde_json::json!({ "verdicts": verdicts, "errata": suite.errata, "spec_defects": found });
        println!(
            "{}",
            serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
        );
    } else {
        print!("{}", report::to_text(&verdicts, &suite.errata, &found));
    }
    let failed = verdicts.iter().any(|v| v.outcome == Outcome::Fail);
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn serve(args: &[String]) -> Result<ExitCode, String> {
    let port = match args {
        [] => 0,
        [flag, port] if flag == "--port" => port.parse().map_err(|_| format!("bad port {port}"))?,
        _ => return Err(USAGE.to_string()),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let server = replay::ReplayServer::start_on(port)
            .await
            .map_err(|e| e.to_string())?;
        println!(
            "replaying {} exchanges on {}",
            server.exchange_count(),
            server.base_url()
        );
        std::future::pending::<Result<ExitCode, String>>().await
    })
}
