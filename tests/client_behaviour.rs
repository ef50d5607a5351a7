//! The ergonomic client against servers on 127.0.0.1: token lifecycle,
//! replay after an expired token, retries, errors, `Location` checks, the
//! front-end value of every partner, and secret-free logs.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use dwolla_exchange_sessions::{Error, FrontEnd, LocationError, NewExchangeSession, RetryPolicy};
use dwolla_testkit::capture::{Captured, http};
use dwolla_testkit::faults::FaultServer;

use support::{
    CHECKOUT_SECRET, CHECKOUT_TOKEN, CUSTOMER, HAL, PLAID_TOKEN, TOKEN, builder_for, client_for,
    partner_server, token_response,
};

fn count(requests: &[Captured], method: &str, target: &str) -> usize {
    requests
        .iter()
        .filter(|r| r.method == method && r.target == target)
        .count()
}

const EMPTY_LIST: &str = r#"{"_links":{},"_embedded":{"exchange-partners":[]},"total":0}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_callers_cause_one_token_request() {
    let server = FaultServer::start(|request| match request.target.as_str() {
        "/token" => {
            std::thread::sleep(Duration::from_millis(50));
            token_response(TOKEN, 3600)
        }
        _ => http("200 OK", &[HAL], EMPTY_LIST),
    })
    .await
    .expect("the test server starts");
    let client = client_for(&server);
    let gate = Arc::new(tokio::sync::Barrier::new(200));
    let mut tasks = Vec::new();
    for _ in 0..200 {
        let (client, gate) = (client.clone(), gate.clone());
        tasks.push(tokio::spawn(async move {
            gate.wait().await;
            client.exchange_partners().await
        }));
    }
    for task in tasks {
        task.await.expect("task").expect("call");
    }
    let requests = server.requests();
    assert_eq!(count(&requests, "POST", "/token"), 1);
    assert_eq!(count(&requests, "GET", "/exchange-partners"), 200);
}

#[tokio::test]
async fn a_token_inside_the_leeway_is_refreshed_before_use() {
    let server = FaultServer::start(|request| match request.target.as_str() {
        "/token" => token_response(TOKEN, 30),
        _ => http("200 OK", &[HAL], EMPTY_LIST),
    })
    .await
    .expect("the test server starts");
    let client = client_for(&server);
    client.exchange_partners().await.unwrap();
    client.exchange_partners().await.unwrap();
    assert_eq!(count(&server.requests(), "POST", "/token"), 2);
}

#[tokio::test]
async fn a_failed_token_fetch_is_not_cached() {
    let fetches = Arc::new(AtomicUsize::new(0));
    let seen = fetches.clone();
    let server = FaultServer::start(move |request| match request.target.as_str() {
        "/token" if seen.fetch_add(1, Ordering::SeqCst) == 0 => http(
            "401 Unauthorized",
            &[("content-type", "application/json")],
            r#"{"error":"invalid_client"}"#,
        ),
        "/token" => token_response(TOKEN, 3600),
        _ => http("200 OK", &[HAL], EMPTY_LIST),
    })
    .await
    .expect("the test server starts");
    let client = client_for(&server);
    let first = client.exchange_partners().await.unwrap_err();
    match &first {
        Error::Auth { source, .. } => {
            assert_eq!(source.status, Some(401));
            assert_eq!(source.code.as_deref(), Some("invalid_client"));
        }
        other => panic!("expected an auth error, got {other:?}"),
    }
    client
        .exchange_partners()
        .await
        .expect("the next call fetches again");
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

/// A server whose `/token` answers `body` and whose partner list is empty.
async fn token_server(body: &'static str) -> FaultServer {
    FaultServer::start(move |request| match request.target.as_str() {
        "/token" => http("200 OK", &[("content-type", "application/json")], body),
        _ => http("200 OK", &[HAL], EMPTY_LIST),
    })
    .await
    .expect("the test server starts")
}

/// The client reads the token answer `body` and reuses the token for a
/// second call: one token request in all.
async fn assert_token_read_and_reused(body: &'static str) {
    let server = token_server(body).await;
    let client = client_for(&server);
    client.exchange_partners().await.expect("first call");
    client
        .exchange_partners()
        .await
        .expect("a later call reuses the token");
    assert_eq!(count(&server.requests(), "POST", "/token"), 1);
}

#[tokio::test]
async fn an_absurd_token_lifetime_is_capped_not_a_panic() {
    assert_token_read_and_reused(
        r#"{"access_token":"t-1","token_type":"bearer","expires_in":9223372036854775807}"#,
    )
    .await;
}

#[tokio::test]
async fn a_token_lifetime_written_as_a_float_is_read() {
    assert_token_read_and_reused(
        r#"{"access_token":"t-1","token_type":"bearer","expires_in":3600.0}"#,
    )
    .await;
}

/// Two calls against a `/token` answering `body`: each must fail with an
/// auth error naming the 200, fetch again (nothing cached), and send no
/// API request.
async fn assert_refused_token(body: &'static str) {
    let server = token_server(body).await;
    let client = client_for(&server);
    for _ in 0..2 {
        match client.exchange_partners().await.unwrap_err() {
            Error::Auth { source, .. } => assert_eq!(source.status, Some(200), "{body}"),
            other => panic!("{body}: expected an auth error, got {other:?}"),
        }
    }
    let requests = server.requests();
    assert_eq!(count(&requests, "POST", "/token"), 2, "{body}");
    assert_eq!(count(&requests, "GET", "/exchange-partners"), 0, "{body}");
}

#[tokio::test]
async fn a_token_that_cannot_be_a_header_value_is_a_failed_fetch_never_cached() {
    for body in [
        r#"{"access_token":"t-1\r\nX-Injected: yes","token_type":"bearer","expires_in":3600}"#,
        r#"{"access_token":"t-1\n","token_type":"bearer","expires_in":3600}"#,
        r#"{"access_token":"t-\u00001","token_type":"bearer","expires_in":3600}"#,
    ] {
        assert_refused_token(body).await;
    }
}

#[tokio::test]
async fn an_empty_or_whitespace_token_is_a_failed_fetch() {
    for body in [
        r#"{"access_token":"","token_type":"bearer","expires_in":3600}"#,
        r#"{"access_token":"   ","token_type":"bearer","expires_in":3600}"#,
        r#"{"access_token":"t 1","token_type":"bearer","expires_in":3600}"#,
    ] {
        assert_refused_token(body).await;
    }
}

#[tokio::test]
async fn an_expired_token_is_refreshed_and_the_request_replayed_once() {
    let tokens = Arc::new(AtomicUsize::new(0));
    let issued = tokens.clone();
    let server = FaultServer::start(move |request| match request.target.as_str() {
        "/token" => {
            let n = issued.fetch_add(1, Ordering::SeqCst);
            token_response(&format!("{TOKEN}-{n}"), 3600)
        }
        _ if request.header("authorization") == Some(&format!("Bearer {TOKEN}-0")) => http(
            "401 Unauthorized",
            &[HAL],
            r#"{"code":"ExpiredAccessToken","message":"Access token is expired."}"#,
        ),
        _ => http("200 OK", &[HAL], EMPTY_LIST),
    })
    .await
    .expect("the test server starts");
    let client = client_for(&server);
    client
        .exchange_partners()
        .await
        .expect("replayed with a new token");
    let requests = server.requests();
    assert_eq!(count(&requests, "POST", "/token"), 2);
    assert_eq!(count(&requests, "GET", "/exchange-partners"), 2);
}

#[tokio::test]
async fn a_second_401_is_returned_not_looped() {
    let server = FaultServer::start(|request| match request.target.as_str() {
        "/token" => token_response(TOKEN, 3600),
        _ => http(
            "401 Unauthorized",
            &[HAL],
            r#"{"code":"InvalidAccessToken","message":"Invalid access token."}"#,
        ),
    })
    .await
    .expect("the test server starts");
    let client = client_for(&server);
    let error = client.exchange_partners().await.unwrap_err();
    assert_eq!(error.status(), Some(reqwest::StatusCode::UNAUTHORIZED));
    assert_eq!(error.code(), Some("InvalidAccessToken"));
    assert_eq!(count(&server.requests(), "GET", "/exchange-partners"), 2);
}

#[tokio::test]
async fn a_401_for_another_reason_is_not_replayed() {
    let server = FaultServer::start(|request| match request.target.as_str() {
        "/token" => token_response(TOKEN, 3600),
        _ => http(
            "401 Unauthorized",
            &[HAL],
            r#"{"code":"InvalidScope","message":"Missing or invalid scopes for requested endpoint"}"#,
        ),
    })
    .await
        .expect("the test server starts");
    let error = client_for(&server).exchange_partners().await.unwrap_err();
    assert_eq!(error.code(), Some("InvalidScope"));
    assert_eq!(count(&server.requests(), "GET", "/exchange-partners"), 1);
}

/// A server that answers the first `failures` partner lists with `status`
/// and `retry_after`, then succeeds.
async fn flaky(
    failures: usize,
    status: &'static str,
    retry_after: Option<&'static str>,
) -> FaultServer {
    let served = Arc::new(AtomicUsize::new(0));
    FaultServer::start(move |request| match request.target.as_str() {
        "/token" => token_response(TOKEN, 3600),
        _ if served.fetch_add(1, Ordering::SeqCst) < failures => {
            let mut headers = vec![HAL];
            if let Some(value) = retry_after {
                headers.push(("retry-after", value));
            }
            http(
                status,
                &headers,
                r#"{"code":"TooManyRequests","message":"slow down"}"#,
            )
        }
        _ => http("200 OK", &[HAL], EMPTY_LIST),
    })
    .await
    .expect("the test server starts")
}

#[tokio::test]
async fn reads_are_retried_on_429_and_5xx_honouring_retry_after() {
    for (status, retry_after) in [
        ("429 Too Many Requests", Some("0")),
        (
            "429 Too Many Requests",
            Some("Thu, 01 Jan 1970 00:00:00 GMT"),
        ),
        ("502 Bad Gateway", None),
        ("503 Service Unavailable", Some("0")),
        ("504 Gateway Timeout", None),
    ] {
        let server = flaky(2, status, retry_after).await;
        client_for(&server)
            .exchange_partners()
            .await
            .unwrap_or_else(|e| panic!("{status}: {e}"));
        assert_eq!(
            count(&server.requests(), "GET", "/exchange-partners"),
            3,
            "{status}"
        );
    }
}

/// `Retry-After: 30` holds the retry back 30 seconds, measured on tokio's
/// paused clock (it jumps ahead when only timers are left to wait for): the
/// second request reaches the server no sooner than 30 s of virtual time
/// after the first (no upper bound: while the runtime waits on a socket the
/// paused clock may jump to another timer).
#[tokio::test(start_paused = true)]
async fn a_retry_waits_the_seconds_retry_after_asks_for() {
    let arrivals = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = arrivals.clone();
    let server = FaultServer::start(move |request| {
        if request.target.as_str() == "/token" {
            token_response(TOKEN, 3600)
        } else {
            let mut seen = seen.lock().unwrap();
            seen.push(tokio::time::Instant::now());
            if seen.len() == 1 {
                http(
                    "429 Too Many Requests",
                    &[HAL, ("retry-after", "30")],
                    r#"{"code":"TooManyRequests","message":"slow down"}"#,
                )
            } else {
                http("200 OK", &[HAL], EMPTY_LIST)
            }
        }
    })
    .await
    .expect("the test server starts");
    client_for(&server).exchange_partners().await.unwrap();
    let arrivals = arrivals.lock().unwrap().clone();
    assert_eq!(arrivals.len(), 2, "{arrivals:?}");
    let waited = arrivals[1] - arrivals[0];
    assert!(
        waited >= Duration::from_secs(30),
        "the retry came {waited:?} after the 429"
    );
}

#[tokio::test]
async fn a_retry_after_beyond_the_limit_ends_the_retries() {
    let server = flaky(1, "429 Too Many Requests", Some("3600")).await;
    let error = client_for(&server).exchange_partners().await.unwrap_err();
    assert!(error.is_rate_limited(), "{error}");
    assert_eq!(count(&server.requests(), "GET", "/exchange-partners"), 1);
}

#[tokio::test]
async fn retries_are_bounded_and_can_be_turned_off() {
    let server = flaky(100, "503 Service Unavailable", None).await;
    let error = client_for(&server).exchange_partners().await.unwrap_err();
    assert_eq!(
        error.status(),
        Some(reqwest::StatusCode::SERVICE_UNAVAILABLE)
    );
    assert_eq!(count(&server.requests(), "GET", "/exchange-partners"), 4);

    let server = flaky(100, "503 Service Unavailable", None).await;
    let client = builder_for(&server)
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    client.exchange_partners().await.unwrap_err();
    assert_eq!(count(&server.requests(), "GET", "/exchange-partners"), 1);
}

fn create_target() -> String {
    format!("/customers/{CUSTOMER}/exchange-sessions")
}

async fn unavailable_creates() -> FaultServer {
    let served = Arc::new(AtomicUsize::new(0));
    FaultServer::start(
        move |request| match (request.method.as_str(), request.target.as_str()) {
            ("POST", "/token") => token_response(TOKEN, 3600),
            ("POST", _) if served.fetch_add(1, Ordering::SeqCst) == 0 => http(
                "503 Service Unavailable",
                &[HAL],
                r#"{"code":"ServiceUnavailable"}"#,
            ),
            ("POST", _) => http(
                "201 Created",
                &[(
                    "location",
                    &format!(
                        "http://{}/exchange-sessions/s-1",
                        request.header("host").unwrap_or_default()
                    ),
                )],
                "",
            ),
            _ => http("404 Not Found", &[HAL], "{}"),
        },
    )
    .await
    .expect("the test server starts")
}

#[tokio::test]
async fn a_create_without_an_idempotency_key_is_never_sent_twice() {
    let server = unavailable_creates().await;
    let error = client_for(&server)
        .create_exchange_session(CUSTOMER, &NewExchangeSession::web("p1"))
        .await
        .unwrap_err();
    assert_eq!(
        error.status(),
        Some(reqwest::StatusCode::SERVICE_UNAVAILABLE)
    );
    let creates: Vec<Captured> = server
        .requests()
        .into_iter()
        .filter(|r| r.target == create_target())
        .collect();
    assert_eq!(creates.len(), 1);
    assert_eq!(creates[0].header("idempotency-key"), None);
}

#[tokio::test]
async fn a_create_with_an_idempotency_key_is_retried_with_the_same_key() {
    let server = unavailable_creates().await;
    let client = builder_for(&server).idempotency_keys(true).build().unwrap();
    let created = client
        .create_exchange_session(CUSTOMER, &NewExchangeSession::web("p1"))
        .await
        .expect("retried create");
    assert_eq!(created.id, "s-1");
    let keys: Vec<String> = server
        .requests()
        .iter()
        .filter(|r| r.target == create_target())
        .map(|r| r.header("idempotency-key").expect("key sent").to_string())
        .collect();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0], keys[1]);
    assert_eq!(keys[0].len(), 36, "a UUID: {}", keys[0]);
}

/// The token fetched during a create is a request of its own: the create's
/// idempotency key stays on the create (a server keying answers by it would
/// otherwise hand the create the token's answer).
#[tokio::test]
async fn the_token_fetched_inside_a_create_does_not_carry_its_idempotency_key() {
    let server = unavailable_creates().await;
    let client = builder_for(&server).idempotency_keys(true).build().unwrap();
    client
        .create_exchange_session(CUSTOMER, &NewExchangeSession::web("p1"))
        .await
        .expect("retried create");
    let requests = server.requests();
    let token = requests
        .iter()
        .find(|r| r.target == "/token")
        .expect("the token was fetched during the create");
    assert_eq!(token.header("idempotency-key"), None);
}

#[tokio::test]
async fn an_html_500_is_an_api_error_with_status_and_snippet() {
    let server = FaultServer::start(|request| match request.target.as_str() {
        "/token" => token_response(TOKEN, 3600),
        _ => http(
            "500 Internal Server Error",
            &[
                ("content-type", "text/html"),
                ("x-request-id", "req-html-1"),
            ],
            "<html><body><h1>500 Internal Server Error</h1>cloudflare</body></html>",
        ),
    })
    .await
    .expect("the test server starts");
    let error = client_for(&server).exchange_partners().await.unwrap_err();
    let api = error.api().expect("an API error");
    assert_eq!(api.status, reqwest::StatusCode::INTERNAL_SERVER_ERROR);
    assert!(
        api.snippet
            .as_deref()
            .unwrap_or_default()
            .contains("cloudflare")
    );
    assert_eq!(error.request_id(), Some("req-html-1"));
    assert!(error.is_transient());
}

#[tokio::test]
async fn an_html_500_from_the_token_endpoint_is_an_auth_error_with_status() {
    let server = FaultServer::start(|_| {
        http(
            "500 Internal Server Error",
            &[("content-type", "text/html")],
            "<html>oops</html>",
        )
    })
    .await
    .expect("the test server starts");
    let error = client_for(&server).exchange_partners().await.unwrap_err();
    match error {
        Error::Auth { source, .. } => assert_eq!(source.status, Some(500)),
        other => panic!("expected an auth error, got {other:?}"),
    }
}

#[tokio::test]
async fn update_credentials_and_validation_errors_are_recognised() {
    let server = FaultServer::start(|request| match request.target.as_str() {
        "/token" => token_response(TOKEN, 3600),
        _ => http(
            "400 Bad Request",
            &[HAL, ("x-request-id", "req-42")],
            r#"{"code":"ValidationError","message":"Validation error(s) present.",
                "_embedded":{"errors":[{"code":"Invalid","message":"Invalid parameter.","path":"/_links/redirect-url/href","_links":{}}]}}"#,
        ),
    })
    .await
        .expect("the test server starts");
    let error = client_for(&server)
        .create_exchange_session(
            CUSTOMER,
            &NewExchangeSession::with_redirect("p1", "bad url"),
        )
        .await
        .unwrap_err();
    assert!(error.is_validation_error(), "{error}");
    let api = error.api().unwrap();
    assert_eq!(
        api.errors[0].path.as_deref(),
        Some("/_links/redirect-url/href")
    );
    assert!(error.to_string().contains("req-42"), "{error}");
}

async fn created_with(location: Option<&'static str>) -> Result<(), Error> {
    let server = FaultServer::start(move |request| match request.target.as_str() {
        "/token" => token_response(TOKEN, 3600),
        _ => match location {
            Some(location) => http("201 Created", &[("location", location)], ""),
            None => http("201 Created", &[], ""),
        },
    })
    .await
    .expect("the test server starts");
    client_for(&server)
        .create_exchange_session(CUSTOMER, &NewExchangeSession::web("p1"))
        .await
        .map(|_| ())
}

#[tokio::test]
async fn missing_and_foreign_locations_are_errors() {
    match created_with(None).await {
        Err(Error::InvalidLocation {
            source: LocationError::Missing,
            ..
        }) => {}
        other => panic!("expected a missing Location, got {other:?}"),
    }
    match created_with(Some("https://evil.example/exchange-sessions/s-1")).await {
        Err(Error::InvalidLocation {
            source: LocationError::ForeignOrigin { .. },
            ..
        }) => {}
        other => panic!("expected a foreign Location, got {other:?}"),
    }
}

#[tokio::test]
async fn every_partner_variant_gives_its_front_end_value() {
    let server = partner_server().await;
    let client = client_for(&server);
    let (created, plaid) = client
        .create_and_retrieve_exchange_session(
            CUSTOMER,
            &NewExchangeSession::with_redirect("p1", "com.example.app123"),
        )
        .await
        .expect("create and retrieve");
    assert_eq!(created.id, "s-plaid");
    match plaid.front_end() {
        FrontEnd::Plaid { link_token } => assert_eq!(link_token.expose(), PLAID_TOKEN),
        other => panic!("Plaid expected, got {other:?}"),
    }
    match client
        .retrieve_exchange_session("s-mx")
        .await
        .unwrap()
        .front_end()
    {
        FrontEnd::Mx { redirect_url } => assert!(redirect_url.starts_with("https://int-widgets")),
        other => panic!("MX expected, got {other:?}"),
    }
    match client
        .retrieve_exchange_session("s-checkout")
        .await
        .unwrap()
        .front_end()
    {
        FrontEnd::CheckoutCom {
            payment_session_id,
            payment_session_secret,
            payment_session_token,
        } => {
            assert_eq!(payment_session_id.as_deref(), Some("ps_1"));
            assert_eq!(payment_session_secret.unwrap().expose(), CHECKOUT_SECRET);
            assert_eq!(payment_session_token.unwrap().expose(), CHECKOUT_TOKEN);
        }
        other => panic!("Checkout.com expected, got {other:?}"),
    }
    assert!(matches!(
        client
            .retrieve_exchange_session("s-new")
            .await
            .unwrap()
            .front_end(),
        FrontEnd::Unknown(_)
    ));
    let error = client
        .retrieve_exchange_session("missing")
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error}");
}

#[tokio::test]
async fn the_re_auth_session_is_created_through_the_extension() {
    let server = partner_server().await;
    let client = client_for(&server);
    let web = client
        .create_re_auth_exchange_session("e-1", None)
        .await
        .expect("web re-auth");
    assert_eq!(web.id, "s-reauth");
    client
        .create_re_auth_exchange_session("e-1", Some("https://example.com/app123"))
        .await
        .expect("mobile re-auth");
    let bodies: Vec<String> = server
        .requests()
        .iter()
        .filter(|r| r.target == "/exchanges/e-1/exchange-sessions")
        .map(|r| r.body.clone())
        .collect();
    assert_eq!(
        bodies,
        [
            "{}",
            r#"{"_links":{"redirect-url":{"href":"https://example.com/app123"}}}"#
        ]
    );
}
