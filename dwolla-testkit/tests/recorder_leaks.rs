//! The recorder against an upstream that echoes what it is sent: no secret
//! value it has seen (bearer token, Basic credential, the application key and
//! secret, tokens handed out by `/token`) reaches what it records, wherever
//! the upstream put it; and a request target that is not a path is refused,
//! never forwarded.

use base64::Engine as _;
use dwolla_testkit::capture::{Captured, http};
use dwolla_testkit::faults::{Fault, FaultServer};
use dwolla_testkit::recorder::Recorder;
use dwolla_testkit::server::Limits;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

mod recording;
use recording::{recorded_text, recorder_to};
use tokio::net::TcpStream;

const KEY: &str = "echo-app-key-7d1";
const SECRET: &str = "echo-app-secret-5c2";
const ISSUED: &str = "issued-token-from-token-44e";
const LIVE: &str = "live-bearer-token-9b0";
const BARE: &str = "bare-credential-without-scheme-31f";

async fn capture<R: Into<Fault> + 'static>(
    respond: impl Fn(&Captured) -> R + Send + Sync + 'static,
) -> FaultServer {
    FaultServer::start(respond).await.unwrap()
}

/// An upstream that hands out [`ISSUED`] on `/token` and otherwise echoes
/// the request's `Authorization` in a header, a JSON body and its target.
async fn echoing_upstream() -> FaultServer {
    capture(|request| {
        let auth = request.header("authorization").unwrap_or_default();
        if request.target == "/token" {
            let body = format!(
                r#"{{"access_token":"{ISSUED}","token_type":"Bearer","expires_in":3600,"echo":"{auth}"}}"#
            );
            return http("200 OK", &[("content-type", "application/json"), ("x-echo", auth)], &body);
        }
        let body = serde_json::json!({
            "message": format!("you sent {auth} and {}", request.body),
            "_links": { "self": { "href": format!("https://api.example/{auth}") } },
        });
        http(
            "401 Unauthorized",
            &[("content-type", "application/json"), ("x-echo", auth), ("www-authenticate", auth)],
            &body.to_string(),
        )
    })
    .await
}

#[tokio::test]
async fn secrets_echoed_by_the_upstream_are_redacted_everywhere() {
    let upstream = echoing_upstream().await;
    let (recorder, dir) = recorder_to(&upstream.base, Limits::default()).await;
    let http = reqwest::Client::new();
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:{SECRET}"));
    let token = http
        .post(format!("{}/token", recorder.base_url()))
        .header("authorization", format!("Basic {basic}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "grant_type=client_credentials&client_id={KEY}&client_secret={SECRET}"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(token.status(), 200);
    for bearer in [ISSUED, LIVE] {
        let echoed = http
            .get(format!(
                "{}/exchange-partners?t={bearer}",
                recorder.base_url()
            ))
            .header("authorization", format!("Bearer {bearer}"))
            .body(format!("body with {bearer}"))
            .send()
            .await
            .unwrap();
        assert_eq!(echoed.status(), 401);
    }
    let text = recorded_text(&recorder, &dir);
    for secret in [KEY, SECRET, basic.as_str(), ISSUED, LIVE] {
        assert!(!text.contains(secret), "{secret} written in:\n{text}");
    }
    assert!(text.contains("Bearer <redacted>") && text.contains("Basic <redacted>"));
}

#[tokio::test]
async fn an_authorization_without_a_scheme_is_redacted_whole() {
    let upstream = echoing_upstream().await;
    let (recorder, dir) = recorder_to(&upstream.base, Limits::default()).await;
    let echoed = reqwest::Client::new()
        .get(format!("{}/exchange-partners", recorder.base_url()))
        .header("authorization", BARE)
        .send()
        .await
        .unwrap();
    assert_eq!(echoed.status(), 401);
    let text = recorded_text(&recorder, &dir);
    assert!(!text.contains(BARE), "{text}");
}

/// Sends `target` raw to the recorder and returns its status line.
async fn raw_status(recorder: &Recorder, method: &str, target: &str) -> String {
    let address = recorder.base_url().trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).await.unwrap();
    let request =
        format!("{method} {target} HTTP/1.1\r\nhost: {address}\r\nconnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer);
    answer.lines().next().unwrap_or_default().to_string()
}

#[tokio::test]
async fn a_target_that_is_not_a_path_is_refused_and_never_forwarded() {
    let upstream = echoing_upstream().await;
    let elsewhere = capture(|_| http("200 OK", &[], "elsewhere")).await;
    let recorder = Recorder::start(&upstream.base).await.unwrap();
    let other = elsewhere.base.trim_start_matches("http://");
    for (method, target) in [
        ("GET", format!("@{other}/steal")),
        ("GET", format!("http://{other}/steal")),
        ("CONNECT", other.to_string()),
        ("OPTIONS", "*".to_string()),
    ] {
        let status = raw_status(&recorder, method, &target).await;
        assert!(
            status.starts_with("HTTP/1.1 400"),
            "{method} {target}: {status}"
        );
    }
    assert!(
        elsewhere.requests().is_empty(),
        "{:?}",
        elsewhere.requests()
    );
    assert!(upstream.requests().is_empty(), "{:?}", upstream.requests());
    assert!(recorder.exchanges().is_empty());
}
