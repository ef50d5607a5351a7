//! `conformance check <files or folders> [--spec FILE] [--format text|json]`:
//! checks recorded exchanges against the vendored spec (or another 3.1
//! spec), prints one verdict per exchange and exits non-zero when any fails.
//!
//! `conformance serve [--port N]`: runs the replay server on 127.0.0.1.
//!
//! `conformance export-spec <out.json> [--errata]`: writes the spec the
//! client implements (vendored spec plus the extension fragment), with the
//! errata applied if asked, for tools such as Prism.
//!
//! `conformance send-all <base URL>`: sends every operation and body variant
//! through a recording proxy to a validating server (Stoplight Prism), and
//! exits non-zero if any answer carries an `sl-violations` header.
//!
//! `conformance record --out DIR`: runs the flow against Dwolla (sandbox by
//! default) through the recording proxy and writes redacted fixtures.

use std::path::PathBuf;
use std::process::ExitCode;

use conformance::check::{Outcome, Suite};
use conformance::flow::{self, FlowTarget};
use conformance::recorder::Recorder;
use conformance::spec::Spec;
use conformance::{defects, errata, fixture, replay, report};
use dwolla_exchange_sessions::{ClientBuilder, Environment};

const USAGE: &str = "usage:
  conformance check <files or folders>... [--spec FILE] [--format text|json]
  conformance serve [--port N]
  conformance export-spec <out.json> [--errata]   (vendored spec + extension fragment)
  conformance send-all <base URL>   (every operation and variant; reports `sl-violations`)
  conformance record --out DIR   (needs DWOLLA_KEY, DWOLLA_SECRET, DWOLLA_CUSTOMER_ID;
                                  optional DWOLLA_ENVIRONMENT, DWOLLA_EXCHANGE_ID)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("check") => check(&args[1..]),
        Some("serve") => serve(&args[1..]),
        Some("record") => record(&args[1..]),
        Some("send-all") => send_all(&args[1..]),
        Some("export-spec") => export_spec(&args[1..]),
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

fn record(args: &[String]) -> Result<ExitCode, String> {
    let out = match args {
        [flag, dir] if flag == "--out" => PathBuf::from(dir),
        _ => return Err(USAGE.to_string()),
    };
    let builder = ClientBuilder::from_env().map_err(|e| e.to_string())?;
    let target = FlowTarget {
        customer: std::env::var("DWOLLA_CUSTOMER_ID")
            .map_err(|_| "DWOLLA_CUSTOMER_ID is not set".to_string())?,
        exchange: std::env::var("DWOLLA_EXCHANGE_ID").ok(),
    };
    let upstream = match std::env::var("DWOLLA_ENVIRONMENT") {
        Ok(value) if !value.is_empty() => {
            value.parse::<Environment>().map_err(|e| e.to_string())?
        }
        _ => Environment::Sandbox,
    }
    .base_url();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let recorder = Recorder::start(&upstream)
            .await
            .map_err(|e| e.to_string())?;
        let proxy = recorder.base_url().parse().map_err(|e| format!("{e}"))?;
        let dwolla = builder
            .environment(Environment::Custom(proxy))
            .build()
            .map_err(|e| e.to_string())?;
        let outcome = flow::run(&dwolla, &target).await;
        let written = recorder.write_to(&out).map_err(|e| e.to_string())?;
        println!("{} exchanges written to {}", written.len(), out.display());
        match outcome {
            Ok(report) => {
                print!("{report}");
                Ok(ExitCode::SUCCESS)
            }
            Err(error) => Err(format!("the flow stopped: {error}")),
        }
    })
}

fn send_all(args: &[String]) -> Result<ExitCode, String> {
    let [base] = args else {
        return Err(USAGE.to_string());
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let recorder = Recorder::start(base).await.map_err(|e| e.to_string())?;
        let state = dwolla_exchange_sessions::wire::ClientState::new(Some(
            dwolla_exchange_sessions::auth::Credentials::new("prism-key", "prism-secret"),
        ));
        let api = dwolla_exchange_sessions::generated::Client::new(recorder.base_url(), state);
        let sent = flow::every_request(&api).await;
        let exchanges = recorder.exchanges();
        let mut violations = 0;
        for exchange in &exchanges {
            let found = exchange.response.header("sl-violations");
            if let Some(found) = found {
                violations += 1;
                println!(
                    "VIOLATION {} {}: {found}",
                    exchange.request.method, exchange.request.path
                );
            }
        }
        for request in &sent {
            println!("{:<48} {:?}", request.label, request.outcome);
        }
        println!(
            "{} requests sent ({} calls), {violations} with violations",
            exchanges.len(),
            sent.len()
        );
        let unanswered = sent.iter().filter(|s| s.outcome.is_err()).count();
        Ok(if violations == 0 && unanswered == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        })
    })
}

fn export_spec(args: &[String]) -> Result<ExitCode, String> {
    let (out, with_errata) = match args {
        [out] => (out, false),
        [out, flag] if flag == "--errata" => (out, true),
        _ => return Err(USAGE.to_string()),
    };
    let spec = Spec::vendored().map_err(|e| e.to_string())?;
    let spec = if with_errata {
        errata::apply(&spec, &errata::committed().map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?
    } else {
        spec
    };
    let text = serde_json::to_string_pretty(&spec.document).map_err(|e| e.to_string())?;
    std::fs::write(out, text).map_err(|e| format!("cannot write {out}: {e}"))?;
    Ok(ExitCode::SUCCESS)
}
