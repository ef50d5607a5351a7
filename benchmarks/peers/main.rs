//! The Rust side of `peers/run.sh`, which compares this client with
//! Dwolla's Node SDKs on one workload (Linux only: CPU and memory are read
//! from `/proc`).
//!
//! - `peers serve`: a neutral keep-alive server on 127.0.0.1 (the test kit's
//!   HTTP/1.1 server) that answers Dwolla's token, create and retrieve for
//!   any credentials and body, so that every SDK's way of sending them is
//!   served alike (`dwolla-v2` posts its credentials in the form, which
//!   Dwolla accepts and its spec, hence `MockDwolla`, does not); prints its
//!   base URL and the partner id, one a line, and when its standard input
//!   closes, one line with how many tokens it issued, how many sessions
//!   were created and its own CPU time.
//! - `peers client <base> <partner> <sequences> <tasks>`: the client's
//!   create-then-retrieve sequence, `sequences` in all, spread over `tasks`
//!   concurrent tasks (1: one after the other), on a fresh client that
//!   fetches its token on the first call; prints one JSON line of figures,
//!   in the form the Node driver (`peers/run.mjs`) prints too.

use std::io::{BufRead as _, Write as _};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use dwolla_exchange_sessions::{Credentials, DwollaClient, Environment, NewExchangeSession};
use dwolla_testkit::server::{self, Answer, Limits, Outcome, Request};
use dwolla_testkit::{DWOLLA_MEDIA_TYPE, exchange_session};

/// The partner every create names (Plaid's id in Dwolla's documentation).
const PARTNER: &str = "f53ffb32-c84f-496a-9d9d-acd100d396ef";
/// The session every create makes.
const SESSION: &str = "5e5510c5-0000-4000-8000-000000000001";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["serve"] => serve(),
        ["client", base, partner, sequences, tasks] => {
            client(base, partner, sequences.parse()?, tasks.parse()?)
        }
        _ => Err("usage: peers serve | peers client <base> <partner> <sequences> <tasks>".into()),
    }
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
}

fn serve() -> Result<(), Box<dyn std::error::Error>> {
    let runtime = runtime()?;
    let tokens = Arc::new(AtomicUsize::new(0));
    let sessions = Arc::new(AtomicUsize::new(0));
    let (counted_tokens, counted_sessions) = (Arc::clone(&tokens), Arc::clone(&sessions));
    let listening = runtime.block_on(async {
        let listener = server::bind(0).await?;
        let base = format!("http://{}", listener.local_addr()?);
        let session = session(&base);
        server::serve(listener, Limits::default(), move |request| {
            let answer = answer(
                &request,
                &base,
                &session,
                &counted_tokens,
                &counted_sessions,
            );
            async move { Outcome::Answer(answer) }
        })
    })?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}\n{PARTNER}", listening.base_url())?;
    out.flush()?;
    for line in std::io::stdin().lock().lines() {
        line?;
    }
    writeln!(
        out,
        "tokens={} sessions={} server_cpu_ms={:.0}",
        tokens.load(Ordering::Relaxed),
        sessions.load(Ordering::Relaxed),
        cpu_seconds() * 1000.0
    )?;
    Ok(())
}

/// The neutral server's answer: a token for any credentials, `201` with a
/// `Location` for any create, `session` for any other request.
fn answer(
    request: &Request,
    base: &str,
    session: &str,
    tokens: &AtomicUsize,
    sessions: &AtomicUsize,
) -> Answer {
    let (status, headers, body) = match (request.method.as_str(), request.target.as_str()) {
        ("POST", "/token") => {
            tokens.fetch_add(1, Ordering::Relaxed);
            (
                200,
                vec![("content-type", "application/json".to_string())],
                r#"{"access_token":"peers-token","token_type":"Bearer","expires_in":3600}"#
                    .to_string(),
            )
        }
        ("POST", _) => {
            sessions.fetch_add(1, Ordering::Relaxed);
            (
                201,
                vec![("location", format!("{base}/exchange-sessions/{SESSION}"))],
                String::new(),
            )
        }
        _ => (
            200,
            vec![("content-type", DWOLLA_MEDIA_TYPE.to_string())],
            session.to_string(),
        ),
    };
    Answer {
        status,
        headers: headers
            .into_iter()
            .map(|(name, value)| (name.to_string(), value))
            .collect(),
        body: body.into(),
    }
}

/// A retrieved Plaid session, as Dwolla answers it.
fn session(base: &str) -> String {
    let mut session = exchange_session(base, SESSION, PARTNER, "2024-03-25T17:13:38.430Z");
    session["externalProviderSessionToken"] = "link-sandbox-peers".into();
    session.to_string()
}

fn client(
    base: &str,
    partner: &str,
    sequences: usize,
    tasks: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    let runtime = runtime()?;
    let dwolla = DwollaClient::builder()
        .environment(Environment::Custom(base.parse()?))
        .credentials(Credentials::new("bench-key", "bench-secret"))
        .build()?;
    let request = NewExchangeSession::web(partner);
    let tasks = tasks.max(1);
    let per_task = sequences.div_ceil(tasks);
    let first_done = Arc::new(OnceLock::new());
    let started = Instant::now();
    let cpu_before = cpu_seconds();
    runtime.block_on(async {
        let handles: Vec<_> = (0..tasks)
            .map(|_| {
                let (dwolla, request) = (dwolla.clone(), request.clone());
                let first_done = Arc::clone(&first_done);
                tokio::spawn(async move {
                    for _ in 0..per_task {
                        let created = dwolla.create_exchange_session("c-1", &request).await?;
                        dwolla.retrieve_exchange_session(&created.id).await?;
                        let _ = first_done.set(epoch_millis());
                    }
                    Ok::<_, dwolla_exchange_sessions::Error>(())
                })
            })
            .collect();
        for handle in handles {
            handle.await.map_err(|e| e.to_string())??;
        }
        Ok::<_, Box<dyn std::error::Error>>(())
    })?;
    let wall = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu_before;
    let done = per_task * tasks;
    println!(
        "{{\"sequences\":{done},\"seq_per_s\":{:.0},\"cpu_us_per_seq\":{:.1},\"peak_rss_mib\":{:.1},\"first_sequence_epoch_ms\":{}}}",
        done as f64 / wall,
        cpu * 1e6 / done as f64,
        peak_rss_mib(),
        first_done.get().copied().unwrap_or_default()
    );
    Ok(())
}

/// Milliseconds since the Unix epoch, for a cold start measured across
/// processes.
fn epoch_millis() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}

/// This process's CPU time (user and system, all threads), from
/// `/proc/self/stat` (clock ticks of 1/100 s); 0 when it cannot be read.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name (which may hold spaces) start at
    // the state; utime and stime are the 12th and 13th of them.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok());
    match (ticks(11), ticks(12)) {
        (Some(user), Some(system)) => (user + system) / 100.0,
        _ => 0.0,
    }
}

/// The peak resident set (`VmHWM`) in MiB; 0 when it cannot be read.
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|kib| kib.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0)
}
