//! The recorder as a transparent proxy that never loses a recording: bytes
//! forwarded and answered untouched (bodies, encodings, repeated headers),
//! hop-by-hop headers dropped, targets that climb out of the upstream's
//! base path refused, an upstream slower than the idle guard answered with
//! 502, every exchange on disk as it completes however many there are, and
//! secrets gone from the recording in whatever form they were echoed.

use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use dwolla_testkit::capture::{Captured, http};
use dwolla_testkit::faults::{Fault, FaultServer};
use dwolla_testkit::server::{Answer, Limits};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

mod recording;
use recording::{HAR, fixture_files, recorded_text, recorder_to};

async fn capture<R: Into<Fault> + 'static>(
    respond: impl Fn(&Captured) -> R + Send + Sync + 'static,
) -> FaultServer {
    FaultServer::start(respond).await.unwrap()
}

fn gzip(text: &str) -> Vec<u8> {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(text.as_bytes()).unwrap();
    encoder.finish().unwrap()
}

const ODD_JSON: &str = r#"{"z":1,"a":1,"a":2,"n":12345678901234567890123,"f":1.10}"#;

#[tokio::test]
async fn bytes_and_headers_go_through_as_they_came() {
    let answer = gzip(ODD_JSON);
    let sent = answer.clone();
    let upstream = capture(move |_| Answer {
        status: 200,
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("content-encoding".into(), "gzip".into()),
            ("set-cookie".into(), "a=1".into()),
            ("set-cookie".into(), "b=2".into()),
        ],
        body: Bytes::from(sent.clone()),
    })
    .await;
    let (recorder, dir) = recorder_to(&upstream.base, Limits::default()).await;
    let address = recorder
        .base_url()
        .trim_start_matches("http://")
        .to_string();
    let body = ODD_JSON
        .as_bytes()
        .iter()
        .chain(&[0xff, 0xfe])
        .copied()
        .collect::<Vec<u8>>();
    let mut request = format!(
        "POST /things HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close, x-hop\r\nx-hop: 1\r\nte: trailers\r\nupgrade: h2c\r\nproxy-authorization: Basic cHJveHk6cHc=\r\naccept-encoding: gzip\r\nx-kept: 1\r\nx-kept: 2\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(&body);
    let mut stream = TcpStream::connect(&address).await.unwrap();
    stream.write_all(&request).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();

    let forwarded = &upstream.requests()[0];
    assert_eq!(
        forwarded.raw_body,
        Bytes::from(body),
        "the request body, byte for byte"
    );
    let names = forwarded.header_names();
    for dropped in [
        "x-hop",
        "te",
        "upgrade",
        "proxy-authorization",
        "connection",
    ] {
        assert!(!names.contains(&dropped), "{dropped} forwarded: {names:?}");
    }
    assert_eq!(
        names.iter().filter(|n| **n == "x-kept").count(),
        2,
        "{names:?}"
    );

    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    assert_eq!(
        &raw[split..],
        answer.as_slice(),
        "the gzip answer, byte for byte"
    );
    assert!(head.contains("content-encoding: gzip"), "{head}");
    assert_eq!(head.matches("set-cookie:").count(), 2, "{head}");

    recorder.finish().unwrap();
    let fixture = std::fs::read_to_string(&fixture_files(&dir)[0]).unwrap();
    let exchange: serde_json::Value = serde_json::from_str(&fixture).unwrap();
    assert_eq!(
        exchange["response"]["body_text"], ODD_JSON,
        "the answer recorded decoded, as the text it was"
    );
    assert!(
        exchange["request"]["body_text"]
            .as_str()
            .unwrap()
            .starts_with(ODD_JSON)
    );
}

#[tokio::test]
async fn a_target_that_climbs_out_of_the_base_path_is_refused_never_forwarded() {
    let upstream = capture(|_| http("200 OK", &[], "ok")).await;
    let (recorder, _dir) =
        recorder_to(&format!("{}/api/v1", upstream.base), Limits::default()).await;
    let address = recorder.base_url().trim_start_matches("http://");
    for target in [
        "/%2e%2e/%2e%2e/admin",
        "/%2E%2e/admin",
        "/a/..;x/admin",
        "/a\\..\\admin",
    ] {
        let mut stream = TcpStream::connect(address).await.unwrap();
        let request =
            format!("GET {target} HTTP/1.1\r\nhost: {address}\r\nconnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer).await;
        let status = String::from_utf8_lossy(&answer);
        assert!(status.starts_with("HTTP/1.1 400"), "{target}: {status}");
    }
    assert!(upstream.requests().is_empty(), "{:?}", upstream.requests());
    let fine = reqwest::get(format!("{}/things", recorder.base_url()))
        .await
        .unwrap();
    assert_eq!(fine.status(), 200);
    assert_eq!(upstream.requests()[0].target, "/api/v1/things");
}

#[tokio::test]
async fn an_upstream_slower_than_the_idle_guard_gets_a_502_before_the_guard() {
    let upstream = capture(|_| Fault::Stall(Duration::from_secs(8))).await;
    let limits = Limits {
        idle_timeout: Duration::from_secs(2),
        ..Limits::default()
    };
    let (recorder, _dir) = recorder_to(&upstream.base, limits).await;
    let answer = reqwest::get(format!("{}/slow", recorder.base_url()))
        .await
        .expect("an answer, not an empty reply");
    assert_eq!(answer.status(), 502);
}

#[tokio::test]
async fn every_exchange_is_on_disk_past_the_in_memory_log() {
    let upstream = capture(|request| {
        http(
            "200 OK",
            &[("content-type", "application/json")],
            &format!("{{\"n\":\"{}\"}}", request.target),
        )
    })
    .await;
    let (recorder, dir) = recorder_to(&upstream.base, Limits::default()).await;
    let client = reqwest::Client::new();
    let total = dwolla_testkit::server::log::LOG_ENTRIES + 30;
    for n in 0..total {
        let answer = client
            .get(format!("{}/exchange-partners?n={n}", recorder.base_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
    }
    assert_eq!(
        recorder.exchanges().len(),
        dwolla_testkit::server::log::LOG_ENTRIES
    );
    assert_eq!(recorder.written(), total, "written as each completed");
    assert_eq!(fixture_files(&dir).len(), total);
    let har: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join(HAR)).unwrap())
            .expect("the HAR file is a whole document");
    assert_eq!(har["log"]["entries"].as_array().unwrap().len(), total);
}

const TOKEN: &str = "tok+en/1 of the issuer";
const QUERY_SECRET: &str = "query-secret-3e9";

#[tokio::test]
async fn secrets_are_gone_in_every_form_an_upstream_echoes_them() {
    let upstream = capture(|request| {
        if request.target == "/token" {
            let issued = format!(r#"{{"access_token":"{TOKEN}","expires_in":3600}}"#);
            return http("200 OK", &[("content-type", "application/json")], &issued);
        }
        let lower: String = url::form_urlencoded::byte_serialize(TOKEN.as_bytes())
            .collect::<String>()
            .to_ascii_lowercase();
        let base64 = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(TOKEN);
        let hex: String = TOKEN.bytes().map(|b| format!("{b:02X}")).collect();
        let escaped: String = TOKEN.chars().map(|c| format!("\\u{:04x}", c as u32)).collect();
        let body = format!(
            r#"{{"lower":"{lower}","b64":"{base64}","hex":"{hex}","escaped":"{escaped}","query":"{QUERY_SECRET}","target":"{}"}}"#,
            request.target.replace('"', "")
        );
        http("400 Bad Request", &[("content-type", "application/json"), ("x-echo", &lower)], &body)
    })
    .await;
    let upstream_with_user = upstream
        .base
        .replacen("http://", "http://someone:pass-word-1@", 1);
    let (recorder, dir) = recorder_to(&upstream_with_user, Limits::default()).await;
    let client = reqwest::Client::new();
    client
        .post(format!("{}/token", recorder.base_url()))
        .send()
        .await
        .unwrap();
    let echoed = client
        .get(format!(
            "{}/exchange-partners?client_secret={QUERY_SECRET}&access_token=abcd1234",
            recorder.base_url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(echoed.status(), 400);
    assert!(
        upstream
            .requests()
            .iter()
            .all(|r| r.header("authorization").is_none()),
        "the upstream URL's user info is never sent"
    );
    assert!(!recorder.upstream().contains("pass-word-1"));
    let mut text = recorded_text(&recorder, &dir);
    for file in fixture_files(&dir) {
        let exchange: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        strings(&exchange, &mut text);
    }
    let base64 = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(TOKEN);
    for secret in [
        TOKEN,
        "tok%2ben%2f1",
        base64.as_str(),
        "746F6B2B656E2F31",
        "\\u0074\\u006f\\u006b",
        QUERY_SECRET,
        "abcd1234",
        "pass-word-1",
        "someone",
    ] {
        assert!(
            !text
                .to_ascii_lowercase()
                .contains(&secret.to_ascii_lowercase()),
            "{secret} in:\n{text}"
        );
    }
}

/// Every string of `value` (the texts a fixture holds, unescaped once).
fn strings(value: &serde_json::Value, out: &mut String) {
    match value {
        serde_json::Value::String(text) => {
            out.push('\n');
            out.push_str(text);
        }
        serde_json::Value::Array(items) => items.iter().for_each(|item| strings(item, out)),
        serde_json::Value::Object(object) => object.values().for_each(|item| strings(item, out)),
        _ => {}
    }
}
