//! Every server of the kit keeps accepting after `accept` fails: a child
//! process with a low descriptor limit uses up its descriptors while a
//! connection waits, so the server's `accept` fails (EMFILE); once
//! descriptors are free again the same port must answer. The child
//! captures the server's logs and waits for its "accept failed" warning
//! naming EMFILE, so the test proves the failure happened.

mod log_buffer;

use std::process::Command;
use std::time::Duration;

use dwolla_testkit::capture::http;
use dwolla_testkit::faults::FaultServer;
use dwolla_testkit::recorder::Recorder;
use dwolla_testkit::replay::ReplayServer;
use log_buffer::LogBuffer;
use tokio::net::TcpStream;

/// Set in the child process to the kind of server it runs.
const CHILD: &str = "TESTKIT_ACCEPT_ERRORS_CHILD";
const TEST: &str = "every_server_keeps_accepting_after_running_out_of_descriptors";
/// Guards the request that must be answered, so that a dead port fails the
/// test instead of hanging it; the duration is not what is tested.
const HANG_GUARD: Duration = Duration::from_secs(60);

#[test]
fn every_server_keeps_accepting_after_running_out_of_descriptors() {
    if let Ok(kind) = std::env::var(CHILD) {
        return child(&kind);
    }
    let exe = std::env::current_exe().unwrap();
    for kind in ["replay", "recorder", "capture"] {
        let output = Command::new("sh")
            .args(["-c", "ulimit -n 256 && exec \"$0\" \"$@\""])
            .arg(&exe)
            .args([TEST, "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD, kind)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{kind}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// Runs one server, starves it of descriptors while a connection waits, then
/// asks it something.
fn child(kind: &str) {
    let logs = LogBuffer::default();
    let writer = logs.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .try_init()
        .expect("the only subscriber of the child");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let upstream = ReplayServer::start().await.unwrap();
        let (base, expected, _server): (String, u16, Box<dyn std::any::Any>) = match kind {
            "replay" => (upstream.base_url().to_string(), 401, Box::new(())),
            "recorder" => {
                let recorder = Recorder::start(upstream.base_url()).await.unwrap();
                (recorder.base_url().to_string(), 401, Box::new(recorder))
            }
            _ => {
                let capture = FaultServer::start(|_| http("200 OK", &[], "ok"))
                    .await
                    .unwrap();
                (capture.base.clone(), 200, Box::new(capture))
            }
        };
        starve(base.trim_start_matches("http://"), &logs).await;
        let logged = logs.text();
        assert!(
            logged.contains("accept failed") && logged.contains("os error 24"),
            "no EMFILE from accept: {logged}"
        );
        let answered = tokio::time::timeout(
            HANG_GUARD,
            reqwest::get(format!("{base}/exchange-partners")),
        )
        .await
        .expect("the port answers")
        .expect("the port accepts connections");
        assert_eq!(answered.status(), expected);
    });
}

/// Opens files until none can be opened, connects once with the last free
/// descriptor (the server then fails to accept it), waits until the server
/// logs that its `accept` failed (or the hang guard ends), and frees
/// everything.
async fn starve(address: &str, logs: &LogBuffer) {
    let mut hoard = Vec::new();
    while let Ok(file) = std::fs::File::open("/dev/null") {
        hoard.push(file);
    }
    hoard.pop();
    let waiting = TcpStream::connect(address).await;
    let _ = tokio::time::timeout(HANG_GUARD, async {
        while !logs.text().contains("accept failed") {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    drop(hoard);
    drop(waiting);
}
