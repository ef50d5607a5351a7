//! The client against a server that attacks it, on 127.0.0.1: redirects
//! (never followed), secrets echoed back (never in an error), huge or
//! log-forging error text (bounded and escaped), and ids that would leave
//! their path or cannot be sent (refused before sending, never "retry").

mod support;

use base64::Engine as _;
use dwolla_exchange_sessions::{DwollaClient, Error, NewExchangeSession};
use dwolla_testkit::capture::{Captured, http};
use dwolla_testkit::faults::FaultServer;
use dwolla_testkit::server::Answer;
use reqwest::StatusCode;

use support::{
    CUSTOMER, HAL, KEY, PLAID_TOKEN, SECRET, TOKEN, builder_for, client_for, session_body,
    token_response,
};

fn create_target() -> String {
    format!("/customers/{CUSTOMER}/exchange-sessions")
}

fn host_of(request: &Captured) -> String {
    format!("http://{}", request.header("host").unwrap_or_default())
}

fn bearer_sent(server: &FaultServer, token: &str) -> bool {
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
fn with_callers_http_client(server: &FaultServer) -> DwollaClient {
    builder_for(server)
        .http_client(reqwest::Client::new())
        .build()
        .expect("client")
}

#[tokio::test]
async fn a_307_on_a_create_is_a_typed_error_and_the_create_is_sent_once() {
    let server = FaultServer::start(|request| match request.target.as_str() {
        "/token" => token_response(TOKEN, 3600),
        target => http(
            "307 Temporary Redirect",
            &[("location", &format!("{}{target}", host_of(request)))],
            "",
        ),
    })
    .await
    .expect("the test server starts");
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

/// Another host that hands out `token`, and a server whose `/token`
/// answers `status` with a redirect there (its other paths: no partners).
async fn token_redirected_to_another_host(
    status: &'static str,
    token: &'static str,
) -> (FaultServer, FaultServer) {
    let foreign = FaultServer::start(move |_| token_response(token, 3600))
        .await
        .expect("the other host starts");
    let to = format!("{}/token", foreign.base);
    let server = FaultServer::start(move |request| match request.target.as_str() {
        "/token" => http(status, &[("location", &to)], ""),
        _ => http(
            "200 OK",
            &[HAL],
            r#"{"_embedded":{"exchange-partners":[]}}"#,
        ),
    })
    .await
    .expect("the test server starts");
    (foreign, server)
}

#[tokio::test]
async fn a_302_on_the_token_endpoint_is_not_followed_to_another_host() {
    let (foreign, server) = token_redirected_to_another_host("302 Found", "foreign-token-1").await;
    let elsewhere = format!("{}/token", foreign.base);
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

/// A redirect the caller's HTTP client followed is refused, whether it led
/// off the operation's path or to another resource on it (another session:
/// the answer is not about what was asked for).
#[tokio::test]
async fn a_redirect_the_callers_http_client_followed_is_refused() {
    for (status, target) in [
        ("302 Found", "/exchange-sessions/s-2/elsewhere"),
        ("307 Temporary Redirect", "/exchange-sessions/s-2"),
    ] {
        let server = FaultServer::start(move |request| match request.target.as_str() {
            "/token" => token_response(TOKEN, 3600),
            "/exchange-sessions/s-1" => http(
                status,
                &[("location", &format!("{}{target}", host_of(request)))],
                "",
            ),
            _ => http(
                "200 OK",
                &[HAL],
                &session_body(&host_of(request), "s-2", serde_json::json!({}), None),
            ),
        })
        .await
        .expect("the test server starts");
        let result = with_callers_http_client(&server)
            .retrieve_exchange_session("s-1")
            .await;
        match result {
            Err(Error::Redirect {
                followed: true,
                location,
                ..
            }) => assert_eq!(location, Some(format!("{}{target}", server.base))),
            other => panic!("{target}: expected a followed redirect error, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_token_from_a_host_the_callers_http_client_was_redirected_to_is_never_used() {
    let (_foreign, server) =
        token_redirected_to_another_host("307 Temporary Redirect", "foreign-token-2").await;
    let error = with_callers_http_client(&server)
        .exchange_partners()
        .await
        .unwrap_err();
    assert!(!bearer_sent(&server, "foreign-token-2"));
    assert!(matches!(error, Error::Auth { .. }), "{error:?}");
}

/// Every secret the test client holds: token, key, secret, Basic credential.
fn held_secrets() -> [String; 4] {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:{SECRET}"));
    [TOKEN.into(), KEY.into(), SECRET.into(), basic]
}

/// `error` printed every way, without any of `secrets`.
fn assert_secret_free(error: &Error, secrets: &[String]) {
    let printed = format!("{error} {error:?}");
    for secret in secrets {
        assert!(!printed.contains(secret.as_str()), "{secret}: {printed}");
    }
}

/// A server that answers the token, then every other request with `answer`.
async fn answering(answer: impl Fn(&Captured) -> Answer + Send + Sync + 'static) -> FaultServer {
    FaultServer::start(move |request| match request.target.as_str() {
        "/token" => token_response(TOKEN, 3600),
        _ => answer(request),
    })
    .await
    .expect("the test server starts")
}

/// The error of retrieving a session from a server answering `200` with the
/// malformed `body`: a decode error.
async fn retrieve_decode_error(body: String) -> Error {
    let server = answering(move |_| http("200 OK", &[HAL], &body)).await;
    let error = client_for(&server)
        .retrieve_exchange_session("s-1")
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    error
}

#[tokio::test]
async fn a_bearer_token_echoed_in_an_html_500_never_reaches_the_error() {
    let server = answering(|request| {
        let echo = format!(
            "<html><pre>GET {} Authorization: {} (app {KEY})</pre></html>",
            request.target,
            request.header("authorization").unwrap_or_default()
        );
        http(
            "500 Internal Server Error",
            &[("content-type", "text/html")],
            &echo,
        )
    })
    .await;
    let error = client_for(&server).exchange_partners().await.unwrap_err();
    let snippet = error.api().and_then(|api| api.snippet.clone());
    assert!(
        snippet.is_some_and(|s| s.contains("Authorization")),
        "{error:?}"
    );
    assert_secret_free(&error, &held_secrets());
}

#[tokio::test]
async fn a_token_quoted_in_a_json_message_never_reaches_the_error() {
    let server = answering(|_| {
        let body = serde_json::json!({
            "code": "InvalidScope",
            "message": format!("token {TOKEN} may not read this"),
            "_embedded": { "errors": [{ "code": "Invalid", "message": format!("Bearer {TOKEN}"), "path": "/x" }] }
        });
        http("403 Forbidden", &[HAL], &body.to_string())
    })
    .await;
    let error = client_for(&server).exchange_partners().await.unwrap_err();
    assert!(
        error
            .api()
            .and_then(|api| api.message.as_deref())
            .is_some_and(|m| m.contains("may not read this")),
        "{error:?}"
    );
    assert_secret_free(&error, &held_secrets());
}

#[tokio::test]
async fn an_invalid_200_echoing_the_token_never_reaches_the_error() {
    let error = retrieve_decode_error(format!("{{\"created\": \"{TOKEN}\" oops")).await;
    assert_secret_free(&error, &held_secrets());
}

#[tokio::test]
async fn the_app_secret_echoed_by_the_token_endpoint_never_reaches_the_error() {
    let server = FaultServer::start(|request| {
        let basic = request.header("authorization").unwrap_or_default();
        let body = serde_json::json!({ "error": format!("invalid_client {basic} {SECRET}") });
        http(
            "401 Unauthorized",
            &[("content-type", "application/json")],
            &body.to_string(),
        )
    })
    .await
    .expect("the test server starts");
    let error = client_for(&server).exchange_partners().await.unwrap_err();
    assert!(matches!(error, Error::Auth { .. }), "{error:?}");
    assert_secret_free(&error, &held_secrets());
}

#[tokio::test]
async fn a_secret_field_named_with_json_escapes_is_still_redacted() {
    let error = retrieve_decode_error(format!(
        r#"{{"externalProviderSession\u0054oken": "{PLAID_TOKEN}", oops"#
    ))
    .await;
    assert_secret_free(&error, &[PLAID_TOKEN.to_string()]);
}

/// The longest `Display` of an error the tests accept.
const DISPLAY_BOUND: usize = 8 * 1024;

#[tokio::test]
async fn error_display_is_bounded_and_escapes_control_characters() {
    let forged = "ok\n2026-01-01T00:00:00Z ERROR forged entry\r\u{1b}[31mred\u{0}";
    let huge = format!("{forged}{}", "x".repeat(900 * 1024));
    let json = serde_json::json!({ "code": "ValidationError", "message": huge }).to_string();
    let server = answering(move |_| http("400 Bad Request", &[HAL], &json)).await;
    let error = client_for(&server).exchange_partners().await.unwrap_err();
    let printed = error.to_string();
    assert!(printed.len() <= DISPLAY_BOUND, "{} bytes", printed.len());
    assert!(printed.contains("bytes more"), "{printed}");
    assert!(
        !printed.contains(['\n', '\r', '\u{1b}', '\u{0}']),
        "{printed:?}"
    );
    assert!(printed.contains(r"ok\n2026"), "{printed}");

    let server = answering(|_| http("200 OK", &[HAL], "{\"created\":\n\u{1b}[2Jx")).await;
    let error = client_for(&server)
        .retrieve_exchange_session("s-1")
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert!(!error.to_string().contains(['\n', '\u{1b}']), "{error}");
}

#[tokio::test]
async fn ids_with_dot_segment_tricks_are_refused_before_sending() {
    let server = answering(|_| http("404 Not Found", &[HAL], "{}")).await;
    let client = client_for(&server);
    for id in ["..;", "..;x=1", ".;", "..;/", ".;a"] {
        let error = client.retrieve_exchange_session(id).await.unwrap_err();
        assert!(
            matches!(error, Error::InvalidRequest { .. }),
            "{id:?}: {error:?}"
        );
    }
    assert!(
        server.requests().iter().all(|r| r.target == "/token"),
        "{:?}",
        server.requests()
    );
}

#[tokio::test]
async fn a_two_megabyte_id_is_an_invalid_request_never_transient() {
    let server = answering(|_| http("404 Not Found", &[HAL], "{}")).await;
    let id = "a".repeat(2 * 1024 * 1024);
    let error = client_for(&server)
        .retrieve_exchange_session(&id)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
    assert!(!error.is_transient());
    assert!(error.to_string().len() <= DISPLAY_BOUND);
}
