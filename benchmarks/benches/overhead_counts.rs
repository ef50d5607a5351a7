//! The client's own work per create-then-retrieve sequence against the floor
//! (bare `reqwest`), counted rather than timed: the server runs in a child
//! process, so the client process's CPU time (`getrusage`) is the client's
//! work alone, and the server reports its own CPU time beside it.
//!
//! - `cargo bench -p benchmarks --bench overhead_counts`: alternating rounds of both sides,
//!   sequential and 64 tasks; prints wall time, client CPU and server CPU per
//!   sequence, and the client-to-floor ratios (medians of the rounds' ratios).
//! - `overhead_counts serve`: the server alone; prints its base URL, stops
//!   when its standard input closes.
//! - `overhead_counts run <floor|client> <sequential|tasks> <sequences> <base>`:
//!   one side against a running server, for `valgrind --tool=callgrind`
//!   (see `scripts/overhead-instructions.sh`, which subtracts a run of 0
//!   sequences to get instructions per sequence).

mod support;
mod workload;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Instant;

use dwolla_exchange_sessions::{DwollaClient, NewExchangeSession};

/// Concurrent tasks of the `tasks` shape.
const TASKS: usize = 64;

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Floor,
    Client,
}

#[derive(Clone, Copy, PartialEq)]
enum Shape {
    Sequential,
    Tasks,
}

/// What one side costs per sequence, in microseconds.
#[derive(Clone, Copy)]
struct PerSequence {
    wall: f64,
    cpu: f64,
    server_cpu: f64,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("serve") => serve(),
        Some("run") => run(&args[1..]),
        _ => compare(),
    }
}

/// Process CPU time (user and system, every thread) in microseconds.
fn cpu_micros() -> u64 {
    // SAFETY: `getrusage` writes a `rusage` into the zeroed value it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        assert_eq!(libc::getrusage(libc::RUSAGE_SELF, &mut usage), 0);
        usage
    };
    let micros = |t: libc::timeval| {
        u64::try_from(t.tv_sec).unwrap_or(0) * 1_000_000 + u64::try_from(t.tv_usec).unwrap_or(0)
    };
    micros(usage.ru_utime) + micros(usage.ru_stime)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn serve() {
    let runtime = runtime();
    let server = runtime.block_on(workload::server(|path| {
        (path == "/_cpu").then(|| cpu_micros().to_string())
    }));
    println!("{}", server.base);
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    // Whoever started the server may have stopped listening.
    let _ = writeln!(std::io::stdout(), "{}", server.count("/token"));
}

/// The server's CPU time so far, in microseconds.
async fn server_cpu(http: &reqwest::Client, base: &str) -> u64 {
    let text = http
        .get(format!("{base}/_cpu"))
        .send()
        .await
        .expect("server CPU")
        .text()
        .await
        .expect("server CPU");
    text.parse().expect("server CPU in microseconds")
}

/// Runs `sequences` sequences of `side` in `shape`.
async fn sequences(
    side: Side,
    shape: Shape,
    sequences: usize,
    http: &reqwest::Client,
    dwolla: &DwollaClient,
    base: &str,
) {
    let per_task = match shape {
        Shape::Sequential => sequences,
        Shape::Tasks => sequences / TASKS,
    };
    let one_task = move |http: reqwest::Client, dwolla: DwollaClient, base: String| async move {
        let request = NewExchangeSession::web("p-1");
        for _ in 0..per_task {
            match side {
                Side::Floor => workload::through_reqwest(&http, &base).await,
                Side::Client => workload::through_client(&dwolla, &request).await,
            }
        }
    };
    match shape {
        Shape::Sequential => one_task(http.clone(), dwolla.clone(), base.to_string()).await,
        Shape::Tasks => {
            support::concurrently(TASKS, || {
                one_task(http.clone(), dwolla.clone(), base.to_string())
            })
            .await;
        }
    }
}

fn parse_args(args: &[String]) -> (Side, Shape, usize, String) {
    let usage = "run <floor|client> <sequential|tasks> <sequences> <base URL>";
    let [side, shape, count, base] = args else {
        panic!("usage: {usage}");
    };
    let side = match side.as_str() {
        "floor" => Side::Floor,
        "client" => Side::Client,
        _ => panic!("usage: {usage}"),
    };
    let shape = match shape.as_str() {
        "sequential" => Shape::Sequential,
        "tasks" => Shape::Tasks,
        _ => panic!("usage: {usage}"),
    };
    (side, shape, count.parse().expect(usage), base.clone())
}

/// One side against a running server: a warm-up sequence (the client gets
/// its token), then the sequences asked for.
fn run(args: &[String]) {
    let (side, shape, count, base) = parse_args(args);
    let runtime = runtime();
    let http = reqwest::Client::new();
    let dwolla = support::client(&base, &http);
    runtime.block_on(async {
        sequences(side, shape, 1, &http, &dwolla, &base).await;
        sequences(side, shape, count, &http, &dwolla, &base).await;
    });
}

/// Measures `count` sequences of one side.
async fn measure(
    side: Side,
    shape: Shape,
    count: usize,
    http: &reqwest::Client,
    dwolla: &DwollaClient,
    base: &str,
) -> PerSequence {
    let server_before = server_cpu(http, base).await;
    let (cpu_before, started) = (cpu_micros(), Instant::now());
    sequences(side, shape, count, http, dwolla, base).await;
    let (wall, cpu) = (started.elapsed(), cpu_micros() - cpu_before);
    let server = server_cpu(http, base).await - server_before;
    let per = |micros: f64| micros / count as f64;
    PerSequence {
        wall: per(wall.as_secs_f64() * 1e6),
        cpu: per(cpu as f64),
        server_cpu: per(server as f64),
    }
}

/// The server process, and its base URL.
struct ServerProcess {
    child: Child,
    output: BufReader<ChildStdout>,
    base: String,
}

impl ServerProcess {
    fn start() -> Self {
        let mut child = Command::new(std::env::current_exe().expect("this program"))
            .arg("serve")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("server process");
        let mut output = BufReader::new(child.stdout.take().expect("server output"));
        let mut base = String::new();
        output.read_line(&mut base).expect("server base URL");
        let base = base.trim().to_string();
        Self {
            child,
            output,
            base,
        }
    }

    /// Stops the server; returns how many tokens it issued.
    fn stop(mut self) -> usize {
        drop(self.child.stdin.take());
        let mut count = String::new();
        self.output.read_line(&mut count).expect("token count");
        let _ = self.child.wait();
        count.trim().parse().expect("token count")
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Alternating rounds of both sides in both shapes; prints medians and the
/// medians of the rounds' ratios.
fn compare() {
    let rounds: usize = std::env::var("OVERHEAD_ROUNDS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(7);
    let server = ServerProcess::start();
    let base = server.base.clone();
    let runtime = runtime();
    let http = reqwest::Client::new();
    let dwolla = support::client(&base, &http);
    println!("per sequence (create + retrieve), medians of {rounds} alternating rounds");
    println!(
        "{:<11} {:<7} {:>9} {:>9} {:>11} {:>10} {:>9}",
        "shape", "side", "wall µs", "CPU µs", "server µs", "CPU ratio", "wall ratio"
    );
    for (shape, label, count) in [
        (Shape::Sequential, "sequential", 2000),
        (Shape::Tasks, "64 tasks", TASKS * 40),
    ] {
        let mut figures: [Vec<PerSequence>; 2] = [Vec::new(), Vec::new()];
        runtime.block_on(async {
            for side in [Side::Floor, Side::Client] {
                measure(side, shape, count / 4, &http, &dwolla, &base).await;
            }
            for round in 0..rounds {
                let mut order = [Side::Floor, Side::Client];
                if round % 2 == 1 {
                    order.reverse();
                }
                for side in order {
                    let figure = measure(side, shape, count, &http, &dwolla, &base).await;
                    figures[usize::from(side == Side::Client)].push(figure);
                }
            }
        });
        report(label, &figures);
    }
    assert_eq!(server.stop(), 1, "one token serves every sequence");
}

fn report(label: &str, [floor, client]: &[Vec<PerSequence>; 2]) {
    let ratio = |of: fn(&PerSequence) -> f64| {
        median(
            floor
                .iter()
                .zip(client)
                .map(|(f, c)| of(c) / of(f))
                .collect(),
        )
    };
    let (cpu_ratio, wall_ratio) = (ratio(|p| p.cpu), ratio(|p| p.wall));
    for (side, figures) in [("floor", floor), ("client", client)] {
        let of = |field: fn(&PerSequence) -> f64| median(figures.iter().map(field).collect());
        let ratios = if side == "client" {
            format!("{cpu_ratio:>10.3} {wall_ratio:>9.3}")
        } else {
            String::new()
        };
        println!(
            "{label:<11} {side:<7} {:>9.1} {:>9.1} {:>11.1} {ratios}",
            of(|p| p.wall),
            of(|p| p.cpu),
            of(|p| p.server_cpu),
        );
    }
}
