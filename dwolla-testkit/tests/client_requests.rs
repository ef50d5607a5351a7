//! The requests the client really sends, captured by the replay server on
//! 127.0.0.1 and checked against the spec (body, content type, `Accept`,
//! credentials): every operation and every body variant, zero violations.

use std::collections::BTreeSet;

use dwolla_exchange_sessions::extras::{ClientExchangesExt, CreateReAuthExchangeSessionForWeb};
use dwolla_exchange_sessions::{Credentials, DwollaClient, Environment, NewExchangeSession};
use dwolla_testkit::replay::ReplayServer;

const CUSTOMER: &str = "74a207b2-b7b7-4efa-8bf8-582148e7b980";
const PLAID: &str = "f53ffb32-c84f-496a-9d9d-acd100d396ef";
const MX: &str = "2164407f-33c3-4555-a6a1-40d5e9e58744";
const CHECKOUT: &str = "d652517d-9c02-4ea4-87af-2977e6cf3850";

async fn client(server: &ReplayServer) -> DwollaClient {
    DwollaClient::builder()
        .environment(Environment::Custom(server.base_url().parse().unwrap()))
        .credentials(Credentials::new("replay-key", "replay-secret"))
        .build()
        .unwrap()
}

/// Every operation and body variant, through the ergonomic layer and the
/// generated one; each must succeed.
async fn send_every_operation_and_variant(dwolla: &DwollaClient) {
    dwolla.exchange_partners().await.unwrap();
    dwolla
        .api()
        .get_exchange_partner()
        .id(PLAID)
        .send()
        .await
        .unwrap();
    for request in [
        NewExchangeSession::web(PLAID),
        NewExchangeSession::with_redirect(PLAID, "com.example.app123"),
        NewExchangeSession::with_redirect(PLAID, "https://example.com/app123"),
        NewExchangeSession::web(MX),
        NewExchangeSession::web(CHECKOUT),
    ] {
        let (created, _) = dwolla
            .create_and_retrieve_exchange_session(CUSTOMER, &request)
            .await
            .unwrap_or_else(|e| panic!("{request:?}: {e}"));
        assert!(!created.id.is_empty());
    }
    dwolla
        .create_re_auth_exchange_session(CUSTOMER, None)
        .await
        .unwrap();
    dwolla
        .create_re_auth_exchange_session(CUSTOMER, Some("com.example.app123"))
        .await
        .unwrap();
    dwolla
        .api()
        .create_re_auth_exchange_session()
        .id(CUSTOMER)
        .send()
        .await
        .unwrap();
    dwolla
        .api()
        .create_re_auth_exchange_session()
        .id(CUSTOMER)
        .body(CreateReAuthExchangeSessionForWeb {})
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn every_operation_and_variant_the_client_sends_conforms() {
    let server = ReplayServer::start().await.unwrap();
    send_every_operation_and_variant(&client(&server).await).await;

    let served = server.served();
    let violations: Vec<String> = served
        .iter()
        .filter(|s| !s.violations.is_empty())
        .map(|s| {
            format!(
                "{} {}: {:?}",
                s.request.method, s.request.path, s.violations
            )
        })
        .collect();
    assert!(violations.is_empty(), "{violations:#?}");
    let exercised: BTreeSet<String> = served.iter().filter_map(|s| s.operation.clone()).collect();
    let documented: BTreeSet<String> = conformance::check::Suite::vendored()
        .unwrap()
        .operations()
        .iter()
        .map(|op| op.id.clone())
        .collect();
    assert_eq!(exercised, documented, "every operation was exercised");
    let tokens = served.iter().filter(|s| s.request.path == "/token").count();
    assert_eq!(
        (served.len(), tokens),
        (17, 1),
        "16 calls and one token for all of them"
    );
    assert!(
        served.iter().all(|s| (200..300).contains(&s.status)),
        "{served:#?}"
    );
}

#[tokio::test]
async fn a_request_that_breaks_the_spec_is_refused_with_its_violations() {
    let server = ReplayServer::start().await.unwrap();
    let http = reqwest::Client::new();
    let response = http
        .post(format!(
            "{}/customers/{CUSTOMER}/exchange-sessions",
            server.base_url()
        ))
        .header("authorization", "Bearer anything")
        .header("content-type", "application/json")
        .body(r#"{"_links":{}}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let served = server.served();
    let kinds: Vec<String> = served[0]
        .violations
        .iter()
        .map(|v| v.message.clone())
        .collect();
    assert!(kinds.iter().any(|m| m.contains("Accept")), "{kinds:?}");
    assert!(
        kinds.iter().any(|m| m.contains("content type")),
        "{kinds:?}"
    );

    let response = http
        .get(format!("{}/exchange-partners", server.base_url()))
        .header("accept", "application/vnd.dwolla.v1.hal+json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401, "no credentials");
}
