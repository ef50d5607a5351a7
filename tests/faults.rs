//! The client against a server that misbehaves: for each fault, the right
//! typed error (never a panic), retries only where repeating is safe, and no
//! create sent twice without an idempotency key.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use dwolla_exchange_sessions::{
    Credentials, DwollaClient, Environment, Error, LocationError, NewExchangeSession, RetryPolicy,
};
use dwolla_testkit::capture::{Captured, http};
use dwolla_testkit::faults::{Fault, FaultServer};

const HAL: (&str, &str) = ("content-type", dwolla_testkit::DWOLLA_MEDIA_TYPE);
const CUSTOMER: &str = "c-1";
const SESSION: &str = "/exchange-sessions/s-1";
const CREATE: &str = "/customers/c-1/exchange-sessions";

fn token() -> Fault {
    Fault::Answer(http(
        "200 OK",
        &[("content-type", "application/json")],
        r#"{"access_token":"fault-token","token_type":"Bearer","expires_in":3600}"#,
    ))
}

/// A server answering the token normally and every other request with `fault`.
async fn server(fault: impl Fn(&Captured) -> Fault + Send + Sync + 'static) -> FaultServer {
    FaultServer::start(move |request| {
        if request.target == "/token" {
            token()
        } else {
            fault(request)
        }
    })
    .await
    .expect("the test server starts")
}

fn client(server: &FaultServer) -> DwollaClient {
    DwollaClient::builder()
        .environment(Environment::Custom(server.base.parse().unwrap()))
        .credentials(Credentials::new("key", "secret"))
        .timeout(Duration::from_millis(400))
        .connect_timeout(Duration::from_millis(400))
        .max_body_bytes(2048)
        .retry(quick_retries())
        .build()
        .unwrap()
}

async fn retrieve(server: &FaultServer) -> Result<(), Error> {
    client(server)
        .retrieve_exchange_session("s-1")
        .await
        .map(|_| ())
}

async fn create(server: &FaultServer) -> Result<(), Error> {
    client(server)
        .create_exchange_session(CUSTOMER, &NewExchangeSession::web("p-1"))
        .await
        .map(|_| ())
}

fn session_json() -> String {
    dwolla_testkit::exchange_session("http://x", "s-1", "p-1", "2024-03-25T17:13:38.430Z")
        .to_string()
}

#[tokio::test]
async fn a_reset_before_headers_is_retried_for_reads_and_never_for_creates() {
    let s = server(|_| Fault::ResetBeforeHeaders).await;
    assert!(matches!(retrieve(&s).await, Err(Error::Transport { .. })));
    assert_eq!(s.count("GET", SESSION), 4, "one try and three retries");
    let s = server(|_| Fault::ResetBeforeHeaders).await;
    assert!(matches!(create(&s).await, Err(Error::Transport { .. })));
    assert_eq!(s.count("POST", CREATE), 1);
}

#[tokio::test]
async fn a_reset_after_headers_is_a_transport_error() {
    let s = server(|_| Fault::ResetAfterHeaders).await;
    assert!(matches!(retrieve(&s).await, Err(Error::Transport { .. })));
    assert_eq!(s.count("GET", SESSION), 1);
}

#[tokio::test]
async fn a_stall_past_the_timeout_is_a_timeout_and_not_retried() {
    let s = server(|_| Fault::Stall(Duration::from_secs(5))).await;
    assert!(matches!(retrieve(&s).await, Err(Error::Timeout { .. })));
    assert_eq!(s.count("GET", SESSION), 1);
    let s = server(|_| Fault::Stall(Duration::from_secs(5))).await;
    assert!(matches!(create(&s).await, Err(Error::Timeout { .. })));
    assert_eq!(s.count("POST", CREATE), 1);
}

#[tokio::test]
async fn a_truncated_body_is_a_transport_error() {
    let s = server(|_| Fault::Truncated).await;
    assert!(matches!(retrieve(&s).await, Err(Error::Transport { .. })));
}

#[tokio::test]
async fn invalid_json_with_200_is_a_decode_error_with_status_and_snippet() {
    let s = server(|_| Fault::Answer(http("200 OK", &[HAL], "{\"created\": oops"))).await;
    match retrieve(&s).await {
        Err(Error::Decode {
            status, snippet, ..
        }) => {
            assert_eq!(status, Some(reqwest::StatusCode::OK));
            assert!(snippet.contains("oops"), "{snippet}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn invalid_json_from_the_token_endpoint_is_an_auth_error() {
    let s = FaultServer::start(|_| {
        Fault::Answer(http(
            "200 OK",
            &[("content-type", "application/json")],
            "{\"access_token\": \"leak\"",
        ))
    })
    .await
    .expect("the test server starts");
    match retrieve(&s).await {
        Err(Error::Auth { source, .. }) => {
            assert!(!source.message.contains("leak"), "{}", source.message);
        }
        other => panic!("expected an auth error, got {other:?}"),
    }
}

#[tokio::test]
async fn invalid_json_with_201_is_ignored_because_201_has_no_body() {
    let s = server(|request| {
        let host = request.header("host").unwrap_or_default().to_string();
        Fault::Answer(http(
            "201 Created",
            &[HAL, ("location", &format!("http://{host}{SESSION}"))],
            "{not json",
        ))
    })
    .await;
    create(&s)
        .await
        .expect("the Location is what a 201 carries");
}

#[tokio::test]
async fn html_500_and_502_are_api_errors_and_only_502_on_reads_is_retried() {
    let html = |status: &'static str| {
        move |_: &Captured| {
            Fault::Answer(http(
                status,
                &[("content-type", "text/html")],
                "<html><h1>Bad things</h1></html>",
            ))
        }
    };
    let s = server(html("500 Internal Server Error")).await;
    let error = retrieve(&s).await.unwrap_err();
    assert_eq!(
        error.status(),
        Some(reqwest::StatusCode::INTERNAL_SERVER_ERROR)
    );
    assert!(
        error
            .api()
            .unwrap()
            .snippet
            .as_deref()
            .unwrap()
            .contains("Bad things")
    );
    assert_eq!(s.count("GET", SESSION), 1);

    let s = server(html("502 Bad Gateway")).await;
    assert_eq!(
        retrieve(&s).await.unwrap_err().status(),
        Some(reqwest::StatusCode::BAD_GATEWAY)
    );
    assert_eq!(s.count("GET", SESSION), 4);

    let s = server(html("502 Bad Gateway")).await;
    assert_eq!(
        create(&s).await.unwrap_err().status(),
        Some(reqwest::StatusCode::BAD_GATEWAY)
    );
    assert_eq!(
        s.count("POST", CREATE),
        1,
        "a create without a key is sent once"
    );
}

#[tokio::test]
async fn a_body_over_the_limit_is_dropped_and_reported() {
    let padded = format!(
        "{{\"pad\":\"{}\",{}",
        "x".repeat(4096),
        &session_json()[1..]
    );
    let s = server(move |_| Fault::Answer(http("200 OK", &[HAL], &padded))).await;
    match retrieve(&s).await {
        Err(Error::Decode { reason, .. }) => {
            assert!(reason.contains("limit of 2048 bytes"), "{reason}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_429_with_retry_after_in_seconds_or_as_a_date_is_retried() {
    for retry_after in ["0", "Thu, 01 Jan 1970 00:00:00 GMT"] {
        let served = Arc::new(AtomicUsize::new(0));
        let seen = served.clone();
        let s = server(move |_| {
            if seen.fetch_add(1, Ordering::SeqCst) == 0 {
                Fault::Answer(http(
                    "429 Too Many Requests",
                    &[HAL, ("retry-after", retry_after)],
                    r#"{"code":"TooManyRequests"}"#,
                ))
            } else {
                Fault::Answer(http("200 OK", &[HAL], &session_json()))
            }
        })
        .await;
        retrieve(&s)
            .await
            .unwrap_or_else(|e| panic!("{retry_after}: {e}"));
        assert_eq!(s.count("GET", SESSION), 2, "{retry_after}");
    }
}

#[tokio::test]
async fn a_201_without_location_is_an_invalid_location_error() {
    let s = server(|_| Fault::Answer(http("201 Created", &[], ""))).await;
    match create(&s).await {
        Err(Error::InvalidLocation {
            source: LocationError::Missing,
            ..
        }) => {}
        other => panic!("expected a missing Location, got {other:?}"),
    }
    assert_eq!(s.count("POST", CREATE), 1);
}

/// The default retry policy with millisecond delays.
fn quick_retries() -> RetryPolicy {
    let mut retry = RetryPolicy::default();
    retry.base_delay = Duration::from_millis(1);
    retry.max_delay = Duration::from_millis(4);
    retry
}
