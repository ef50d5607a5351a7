//! The commands that run the test kit's servers: `serve`, `record` and
//! `send-all`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::process::ExitCode;

use dwolla_exchange_sessions::generated::{self, ClientState};
use dwolla_exchange_sessions::{ClientBuilder, Credentials, Environment};
use dwolla_testkit::flow::{self, FlowTarget};
use dwolla_testkit::recorder::Recorder;
use dwolla_testkit::replay::ReplayServer;

use crate::output;

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
}

/// Runs the replay server on `port` until the process is stopped.
pub(crate) fn serve(port: u16) -> Result<ExitCode, String> {
    runtime()?.block_on(async {
        let server = ReplayServer::start_on(port)
            .await
            .map_err(|e| e.to_string())?;
        output::out(&format!(
            "replaying {} exchanges on {}\n",
            server.exchange_count(),
            server.base_url()
        ));
        std::future::pending::<Result<ExitCode, String>>().await
    })
}

/// A recorder to `upstream` writing its fixtures to `out` (and a HAR file to
/// `har`) as each exchange completes.
fn recorder_to(
    upstream: &str,
    out: &Path,
    har: Option<&Path>,
) -> dwolla_testkit::recorder::RecorderBuilder {
    let builder = Recorder::builder(upstream).fixtures_to(out);
    match har {
        Some(har) => builder.har_to(har),
        None => builder,
    }
}

/// Ends the recording and says where it is.
fn finish(recorder: &Recorder, out: &Path, har: Option<&Path>) -> Result<(), String> {
    let written = recorder.finish().map_err(|e| e.to_string())?;
    output::out(&format!(
        "{written} exchanges written to {}\n",
        untrusted_text::line(&out.display().to_string())
    ));
    if let Some(har) = har {
        output::out(&format!(
            "HAR written to {}\n",
            untrusted_text::line(&har.display().to_string())
        ));
    }
    Ok(())
}

/// Waits for SIGINT (Ctrl-C) or SIGTERM.
async fn stopped() -> Result<(), String> {
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .map_err(|e| format!("cannot wait for SIGTERM: {e}"))?;
    tokio::select! {
        interrupted = tokio::signal::ctrl_c() => interrupted.map_err(|e| format!("cannot wait for Ctrl-C: {e}")),
        _ = terminate.recv() => Ok(()),
    }
}

/// The standalone recording proxy: forwards what comes to `listen` (on
/// 127.0.0.1) to `upstream`, writing each exchange as it completes, until
/// SIGINT (Ctrl-C) or SIGTERM.
pub(crate) fn proxy(
    listen: SocketAddr,
    upstream: &str,
    out: &Path,
    har: Option<&Path>,
) -> Result<ExitCode, String> {
    if listen.ip() != IpAddr::from(Ipv4Addr::LOCALHOST) {
        return Err(format!(
            "--listen {listen}: the proxy listens on 127.0.0.1 only"
        ));
    }
    let upstream = match upstream {
        "sandbox" | "production" => upstream
            .parse::<Environment>()
            .map_err(|e| e.to_string())?
            .base_url(),
        url => url.to_string(),
    };
    runtime()?.block_on(async {
        let recorder = recorder_to(&upstream, out, har)
            .port(listen.port())
            .start()
            .await
            .map_err(|e| e.to_string())?;
        output::out(&format!(
            "recording on {} for {}; each exchange is written as it completes; Ctrl-C or SIGTERM ends the recording\n",
            recorder.base_url(),
            untrusted_text::line(recorder.upstream())
        ));
        stopped().await?;
        finish(&recorder, out, har)?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Runs the flow against Dwolla (or `DWOLLA_ENVIRONMENT`) through the
/// recording proxy and writes the fixtures to `out` (and a HAR file to
/// `har`).
pub(crate) fn record(out: &Path, har: Option<&Path>) -> Result<ExitCode, String> {
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
    runtime()?.block_on(async {
        let recorder = recorder_to(&upstream, out, har)
            .start()
            .await
            .map_err(|e| e.to_string())?;
        let proxy = recorder.base_url().parse().map_err(|e| format!("{e}"))?;
        let dwolla = builder
            .environment(Environment::Custom(proxy))
            .build()
            .map_err(|e| e.to_string())?;
        let outcome = flow::run(&dwolla, &target).await;
        finish(&recorder, out, har)?;
        match outcome {
            Ok(report) => {
                output::out(&report);
                Ok(ExitCode::SUCCESS)
            }
            Err(error) => Err(format!("the flow stopped: {error}")),
        }
    })
}

/// Sends every request through the recording proxy to `base` and reports
/// the answers that carry `sl-violations`.
pub(crate) fn send_all(base: &str) -> Result<ExitCode, String> {
    runtime()?.block_on(async {
        let recorder = Recorder::start(base).await.map_err(|e| e.to_string())?;
        let state = ClientState::new(Some(Credentials::new("prism-key", "prism-secret")));
        let api = generated::Client::new(recorder.base_url(), state);
        let sent = flow::every_request(&api).await;
        let exchanges = recorder.exchanges();
        let mut violations = 0;
        for exchange in &exchanges {
            if let Some(found) = exchange.response.header("sl-violations") {
                violations += 1;
                output::out(&format!(
                    "VIOLATION {} {}: {}\n",
                    untrusted_text::line(&exchange.request.method),
                    untrusted_text::line(&exchange.request.path),
                    untrusted_text::line(found)
                ));
            }
        }
        for request in &sent {
            output::out(&format!("{:<48} {:?}\n", request.label, request.outcome));
        }
        output::out(&format!(
            "{} requests sent ({} calls), {violations} with violations\n",
            exchanges.len(),
            sent.len()
        ));
        let unanswered = sent.iter().filter(|s| s.outcome.is_err()).count();
        Ok(if violations == 0 && unanswered == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        })
    })
}
