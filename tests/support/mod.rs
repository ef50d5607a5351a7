#![allow(
    dead_code,
    reason = "each test binary that includes this module uses a part of it"
)]

//! A Dwolla-like loopback server for the client's tests: tokens, partner
//! lists, created and retrieved sessions of every partner, made-up secrets
//! that tests then search for.

use std::time::Duration;

use dwolla_exchange_sessions::{
    ClientBuilder, Credentials, DwollaClient, Environment, RetryPolicy,
};
use dwolla_testkit::capture::http;
use dwolla_testkit::faults::FaultServer;
use dwolla_testkit::server::Answer;

pub(crate) const HAL: (&str, &str) = ("content-type", dwolla_testkit::DWOLLA_MEDIA_TYPE);
pub(crate) const KEY: &str = "behaviour-app-key";
pub(crate) const SECRET: &str = "behaviour-app-secret-8d1f";
pub(crate) const TOKEN: &str = "behaviour-access-token-77c2";
pub(crate) const PLAID_TOKEN: &str = "link-sandbox-secret-4b1e";
pub(crate) const CHECKOUT_SECRET: &str = "pss_behaviour_secret_e0a1";
pub(crate) const CHECKOUT_TOKEN: &str = "pst_behaviour_token_93fd";
pub(crate) const CUSTOMER: &str = "74a207b2-b7b7-4efa-8bf8-582148e7b980";

pub(crate) fn token_response(token: &str, expires_in: u64) -> Answer {
    http(
        "200 OK",
        &[("content-type", "application/json")],
        &format!(r#"{{"access_token":"{token}","token_type":"Bearer","expires_in":{expires_in}}}"#),
    )
}

/// When the sessions the tests serve were created.
const CREATED: &str = "2024-03-25T17:13:38.430Z";

/// An exchange session body; `extra` adds members, `link` an extra link.
pub(crate) fn session_body(
    base: &str,
    id: &str,
    extra: serde_json::Value,
    link: Option<serde_json::Value>,
) -> String {
    let mut body = dwolla_testkit::exchange_session(base, id, "p1", CREATED);
    if let Some(link) = link {
        body["_links"]["external-provider-session"] = link;
    }
    for (key, value) in extra.as_object().into_iter().flatten() {
        body[key] = value.clone();
    }
    body.to_string()
}

/// A Dwolla-like server: sessions s-plaid, s-mx, s-checkout, s-new.
pub(crate) async fn partner_server() -> FaultServer {
    FaultServer::start(|request| {
        let base = format!("http://{}", request.header("host").unwrap_or_default());
        let created = |id: &str| {
            http(
                "201 Created",
                &[("location", &format!("{base}/exchange-sessions/{id}"))],
                "",
            )
        };
        let none = serde_json::json!({});
        match (request.method.as_str(), request.target.as_str()) {
            ("POST", "/token") => token_response(TOKEN, 3600),
            ("POST", target) if target.starts_with("/exchanges/") => created("s-reauth"),
            ("POST", _) => created("s-plaid"),
            ("GET", "/exchange-sessions/s-plaid") => http(
                "200 OK",
                &[HAL],
                &session_body(
                    &base,
                    "s-plaid",
                    serde_json::json!({ "externalProviderSessionToken": PLAID_TOKEN }),
                    None,
                ),
            ),
            ("GET", "/exchange-sessions/s-mx") => http(
                "200 OK",
                &[HAL],
                &session_body(
                    &base,
                    "s-mx",
                    none,
                    Some(serde_json::json!({
                        "href": "https://int-widgets.moneydesktop.com/md/connect/x",
                        "type": "application/vnd.dwolla.v1.hal+json",
                        "resource-type": "text/html"
                    })),
                ),
            ),
            ("GET", "/exchange-sessions/s-checkout") => http(
                "200 OK",
                &[HAL],
                &session_body(
                    &base,
                    "s-checkout",
                    serde_json::json!({ "externalProviderSessionData": {
                    "id": "ps_1",
                    "payment_session_secret": CHECKOUT_SECRET,
                    "payment_session_token": CHECKOUT_TOKEN
                } }),
                    None,
                ),
            ),
            ("GET", "/exchange-sessions/s-new") => {
                http("200 OK", &[HAL], &session_body(&base, "s-new", none, None))
            }
            _ => http(
                "404 Not Found",
                &[HAL],
                r#"{"code":"NotFound","message":"not found"}"#,
            ),
        }
    })
    .await
    .expect("the test server starts")
}

/// A client for `server` with its credentials and fast retries.
pub(crate) fn client_for(server: &FaultServer) -> DwollaClient {
    builder_for(server).build().expect("client")
}

/// The builder [`client_for`] uses.
pub(crate) fn builder_for(server: &FaultServer) -> ClientBuilder {
    DwollaClient::builder()
        .environment(Environment::Custom(server.base.parse().expect("base URL")))
        .credentials(Credentials::new(KEY, SECRET))
        .retry(quick_retries())
}

/// The default retry policy with millisecond delays.
pub(crate) fn quick_retries() -> RetryPolicy {
    let mut retry = RetryPolicy::default();
    retry.base_delay = Duration::from_millis(1);
    retry.max_delay = Duration::from_millis(5);
    retry
}
