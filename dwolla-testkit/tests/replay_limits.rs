//! The replay server under abuse: oversized heads are refused with 431 while
//! a normal request is answered, a slowloris connection is closed once the
//! header-read timeout passes, and the log of served requests stays bounded
//! however many large bodies arrive.

use std::time::Duration;

use conformance::fixture;
use dwolla_testkit::readers::client_suite;
use dwolla_testkit::replay::ReplayServer;
use dwolla_testkit::server::Limits;
use dwolla_testkit::server::log::LOG_BYTES;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Guards a step that must end, so that a server that never answers fails
/// the test instead of hanging it; the duration is not what is tested.
const HANG_GUARD: Duration = Duration::from_secs(60);

async fn server(limits: Limits) -> ReplayServer {
    ReplayServer::start_with(
        client_suite().unwrap(),
        fixture::committed().unwrap(),
        0,
        limits,
    )
    .await
    .unwrap()
}

fn address(server: &ReplayServer) -> String {
    server.base_url().trim_start_matches("http://").to_string()
}

/// Sends a 1 MiB request head and returns what the server answered before
/// closing (read while the head is still being written).
async fn oversized_head(address: String) -> String {
    let stream = TcpStream::connect(address).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    let writing = tokio::spawn(async move {
        let mut head = b"GET /exchange-partners HTTP/1.1\r\nhost: x\r\nx-pad: ".to_vec();
        head.resize(1 << 20, b'a');
        let _ = writer.write_all(&head).await;
        writer
    });
    let mut answer = Vec::new();
    let _ = reader.read_to_end(&mut answer).await;
    drop(writing.await);
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_oversized_heads_are_refused_while_a_normal_request_is_answered() {
    let server = server(Limits::default()).await;
    let attackers: Vec<_> = (0..60)
        .map(|_| tokio::spawn(oversized_head(address(&server))))
        .collect();
    let normal = reqwest::get(format!("{}/exchange-partners", server.base_url()));
    let answered = tokio::time::timeout(HANG_GUARD, normal)
        .await
        .expect("the normal request is answered")
        .unwrap();
    assert_eq!(answered.status(), 401, "no token: the spec's refusal");
    for attacker in attackers {
        let answer = tokio::time::timeout(HANG_GUARD, attacker)
            .await
            .expect("the oversized head is refused")
            .unwrap();
        assert!(
            answer.starts_with("HTTP/1.1 431"),
            "refused as too large: {answer:.80}"
        );
    }
}

#[tokio::test]
async fn a_slowloris_connection_is_closed_after_the_header_read_timeout() {
    let limits = Limits {
        header_read_timeout: Duration::from_millis(300),
        ..Limits::default()
    };
    let server = server(limits).await;
    let mut stream = TcpStream::connect(address(&server)).await.unwrap();
    stream
        .write_all(b"GET /exchange-partners HTTP/1.1\r\nhost: x\r\nx-slow: ")
        .await
        .unwrap();
    let trickle = async {
        let mut byte = [0u8; 1];
        loop {
            tokio::select! {
                read = stream.read(&mut byte) => match read {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                },
                () = tokio::time::sleep(Duration::from_millis(50)) => {
                    if stream.write_all(b"a").await.is_err() {
                        return;
                    }
                }
            }
        }
    };
    tokio::time::timeout(HANG_GUARD, trickle)
        .await
        .expect("the server closes a connection that never finishes its head");
}

#[tokio::test]
async fn the_served_log_stays_bounded_after_many_large_bodies() {
    let server = server(Limits::default()).await;
    let http = reqwest::Client::new();
    let body = "x".repeat(900 << 10);
    for _ in 0..40 {
        let sent = http
            .post(format!(
                "{}/customers/c-1/exchange-sessions",
                server.base_url()
            ))
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert!(sent.status().is_client_error(), "{}", sent.status());
    }
    let served = server.served();
    let kept: usize = served
        .iter()
        .map(|s| s.request.body_text.as_deref().map_or(0, str::len))
        .sum();
    assert!(kept <= LOG_BYTES, "{kept} bytes of bodies kept in the log");
    assert!(!served.is_empty() && served.len() < 40, "{}", served.len());
    assert_eq!(server.served_total(), 40, "every request was answered");
}
