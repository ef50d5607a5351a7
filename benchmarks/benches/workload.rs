//! The workload every overhead benchmark runs: a neutral keep-alive server
//! on 127.0.0.1 that answers Dwolla's token, create and retrieve, and the
//! create-then-retrieve sequence through `DwollaClient` and through bare
//! `reqwest` with hand-built requests (same headers, same `reqwest::Client`,
//! decoding into the same generated type), so the difference between the
//! two is the client's own work.

use std::sync::{Arc, OnceLock};

use dwolla_exchange_sessions::generated::types::ExchangeSession;
use dwolla_exchange_sessions::{DwollaClient, NewExchangeSession};
use dwolla_testkit::{DWOLLA_MEDIA_TYPE, exchange_session};

use crate::support::{Answer, Server};

/// The access token the server issues, which the floor sends as it is.
const TOKEN: &str = "bench-token";
const BEARER: &str = "Bearer bench-token";

/// A retrieved Plaid session, as Dwolla answers it.
fn session(base: &str) -> String {
    let mut session = exchange_session(base, "s-1", "p-1", "2024-03-25T17:13:38.430Z");
    session["externalProviderSessionToken"] = "link-sandbox-token".into();
    session.to_string()
}

/// Starts the server; `extra` answers a path the workload does not use (the
/// counting harness asks the server for its CPU time that way).
pub(crate) async fn server(extra: fn(&str) -> Option<String>) -> Server {
    let base = Arc::new(OnceLock::<String>::new());
    let known = base.clone();
    // Written once, when the first retrieve arrives (the base is known by then).
    let body = OnceLock::<String>::new();
    let server = Server::start(move |method, path, _| {
        let base = known.get().cloned().unwrap_or_default();
        if let Some(body) = extra(path) {
            return Answer {
                status: "200 OK",
                headers: vec![("content-type", "text/plain".into())],
                body,
            };
        }
        match (method, path) {
            ("POST", "/token") => Answer {
                status: "200 OK",
                headers: vec![("content-type", "application/json".into())],
                body: format!(
                    r#"{{"access_token":"{TOKEN}","token_type":"Bearer","expires_in":3600}}"#
                ),
            },
            ("POST", _) => Answer {
                status: "201 Created",
                headers: vec![("location", format!("{base}/exchange-sessions/s-1"))],
                body: String::new(),
            },
            _ => Answer {
                status: "200 OK",
                headers: vec![("content-type", DWOLLA_MEDIA_TYPE.into())],
                body: body.get_or_init(|| session(&base)).clone(),
            },
        }
    })
    .await;
    let _ = base.set(server.base.clone());
    server
}

/// One sequence through the client.
pub(crate) async fn through_client(dwolla: &DwollaClient, request: &NewExchangeSession) {
    let created = dwolla
        .create_exchange_session("c-1", request)
        .await
        .expect("create");
    dwolla
        .retrieve_exchange_session(&created.id)
        .await
        .expect("retrieve");
}

/// The same sequence through bare `reqwest`: the floor.
pub(crate) async fn through_reqwest(http: &reqwest::Client, base: &str) {
    let created = http
        .post(format!("{base}/customers/c-1/exchange-sessions"))
        .header("accept", DWOLLA_MEDIA_TYPE)
        .header("content-type", DWOLLA_MEDIA_TYPE)
        .header("authorization", BEARER)
        .body(format!(
            r#"{{"_links":{{"exchange-partner":{{"href":"{base}/exchange-partners/p-1"}}}}}}"#
        ))
        .send()
        .await
        .expect("create");
    let location = created.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    let id = location.rsplit('/').next().expect("id");
    let body = http
        .get(format!("{base}/exchange-sessions/{id}"))
        .header("accept", DWOLLA_MEDIA_TYPE)
        .header("authorization", BEARER)
        .send()
        .await
        .expect("retrieve")
        .bytes()
        .await
        .expect("body");
    let _: ExchangeSession = serde_json::from_slice(&body).expect("session");
}
