//! The client against a server that attacks it, on 127.0.0.1: redirects
//! (never followed), secrets echoed back (never in an error), huge or
//! log-forging error text (bounded and escaped), and ids that would leave
//! their path or cannot be sent (refused before sending, never "retry").

mod support;

use dwolla_exchange_sessions::{DwollaClient, Error, NewExchangeSession};
use dwolla_testkit::capture::{Captured, http};
use dwolla_testkit::faults::CaptureServer;
use reqwest::StatusCode;

use support::{CUSTOMER, HAL, TOKEN, builder_for, client_for, session_body, token_response};

fn create_target() -> String {
    format!("/customers/{CUSTOMER}/exchange-sessions")
}

fn host_of(request: &Captured) -> String {
    format!("http://{}", request.header("host").unwrap_or_default())
}

fn bearer_sent(server: &CaptureServer, token: &str) -> bool {
    let bearer = format!("Bearer {token}");
    server
        .requests()
        .iter()
        .any(|r| r.header("authorization") == Some(bearer.as_str()))
}

async fn create(client: &DwollaClient) -> Result<(), Error> {
    client
        .create_exchange_session(CUSTOMER, &NewExchangeSession::web("p-1"))
        .await
        .map(|_| ())
}

/// A client whose HTTP client is the caller's own, with reqwest's default
/// redirect policy (follow up to 10).
fn with_callers_http_client(server: &CaptureServer) -> DwollaClient {
    builder_for(server)
        .http_client(reqwest::Client::new())
        .build()
        .expect("client")
}

#[tokio::test]
async fn a_307_on_a_create_is_a_typed_error_and_the_create_is_sent_once() {
    let server = CaptureServer::start(|request| match request.target.as_str() {
        "/token" => token_response(TOKEN, 3600),
        target => http(
            "307 Temporary Redirect",
            &[("location", &format!("{}{target}", host_of(request)))],
            "",
        ),
    })
    .await;
    let error = create(&client_for(&server)).await.unwrap_err();
    assert_eq!(server.count("POST", &create_target()), 1, "{error}");
    match error {
        Error::Redirect {
            status,
            location,
            followed: false,
            ..
        } => {
            assert_eq!(status, StatusCode::TEMPORARY_REDIRECT);
            assert_eq!(
                location,
                Some(format!("{}{}", server.base, create_target()))
            );
        }
        other => panic!("expected a redirect error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_302_on_the_token_endpoint_is_not_followed_to_another_host() {
    let foreign = CaptureServer::start(|_| token_response("foreign-token-1", 3600)).await;
    let elsewhere = format!("{}/token", foreign.base);
    let to = elsewhere.clone();
    let server = CaptureServer::start(move |request| match request.target.as_str() {
        "/token" => http("302 Found", &[("location", &to)], ""),
        _ => http(
            "200 OK",
            &[HAL],
            r#"{"_embedded":{"exchange-partners":[]}}"#,
        ),
    })
    .await;
    let error = client_for(&server).exchange_partners().await.unwrap_err();
    assert!(foreign.requests().is_empty(), "the redirect was followed");
    assert!(!bearer_sent(&server, "foreign-token-1"));
    match error {
        Error::Auth { source, .. } => {
            assert_eq!(source.status, Some(302));
            assert!(source.message.contains(&elsewhere), "{}", source.message);
        }
        other => panic!("expected an auth error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_redirect_the_callers_http_client_followed_is_refused() {
    let server = CaptureServer::start(|request| match request.target.as_str() {
        "/token" => token_response(TOKEN, 3600),
        "/exchange-sessions/s-1" => http(
            "302 Found",
            &[(
                "location",
                &format!("{}/exchange-sessions/s-2/elsewhere", host_of(request)),
            )],
            "",
        ),
        _ => http(
            "200 OK",
            &[HAL],
            &session_body(&host_of(request), "s-2", serde_json::json!({}), None),
        ),
    })
    .await;
    let error = with_callers_http_client(&server)
        .retrieve_exchange_session("s-1")
        .await
        .unwrap_err();
    match error {
        Error::Redirect {
            followed: true,
            location,
            ..
        } => assert_eq!(
            location,
            Some(format!("{}/exchange-sessions/s-2/elsewhere", server.base))
        ),
        other => panic!("expected a followed redirect error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_token_from_a_host_the_callers_http_client_was_redirected_to_is_never_used() {
    let foreign = CaptureServer::start(|_| token_response("foreign-token-2", 3600)).await;
    let to = format!("{}/token", foreign.base);
    let server = CaptureServer::start(move |request| match request.target.as_str() {
        "/token" => http("307 Temporary Redirect", &[("location", &to)], ""),
        _ => http(
            "200 OK",
            &[HAL],
            r#"{"_embedded":{"exchange-partners":[]}}"#,
        ),
    })
    .await;
    let error = with_callers_http_client(&server)
        .exchange_partners()
        .await
        .unwrap_err();
    assert!(!bearer_sent(&server, "foreign-token-2"));
    assert!(matches!(error, Error::Auth { .. }), "{error:?}");
}
