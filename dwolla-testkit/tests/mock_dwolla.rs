//! `MockDwolla` as an application's tests use it: only its public API and the
//! client's.

use std::time::Duration;

use conformance::check::Outcome;
use conformance::fixture::{Exchange, Provenance};
use dwolla_exchange_sessions::{
    Credentials, DwollaClient, Error, FrontEnd, NewExchangeSession, RetryPolicy, Secret,
};
use dwolla_testkit::mock::{Injection, MockDwolla, MockFault, MockOptions};
use dwolla_testkit::readers::client_suite;

const CUSTOMER: &str = "74a207b2-b7b7-4efa-8bf8-582148e7b980";

fn client(dwolla: &MockDwolla) -> DwollaClient {
    DwollaClient::builder()
        .environment(dwolla.environment())
        .credentials(dwolla.credentials())
        .build()
        .expect("client")
}

fn plaid(dwolla: &MockDwolla) -> NewExchangeSession {
    NewExchangeSession::web(dwolla.partner_id("Plaid").expect("Plaid"))
}

#[tokio::test]
async fn each_create_mints_a_new_session_id() {
    let dwolla = MockDwolla::start().await.unwrap();
    let client = client(&dwolla);
    let first = client
        .create_exchange_session(CUSTOMER, &plaid(&dwolla))
        .await
        .unwrap();
    let second = client
        .create_exchange_session(CUSTOMER, &plaid(&dwolla))
        .await
        .unwrap();
    assert_ne!(first.id, second.id);
    assert!(
        first.url.as_str().starts_with(dwolla.base_url()),
        "{}",
        first.url
    );
    assert_eq!(dwolla.sessions_created(), 2);
    assert_eq!(dwolla.tokens_issued(), 1);
}

#[tokio::test]
async fn a_retrieved_session_has_its_partners_shape() {
    let dwolla = MockDwolla::start().await.unwrap();
    let client = client(&dwolla);
    for name in ["Plaid", "MX", "Checkout.com"] {
        let partner = client.partner(name).await.unwrap().expect(name);
        let (_, session) = client
            .create_and_retrieve_exchange_session(CUSTOMER, &NewExchangeSession::web(&partner.id))
            .await
            .unwrap();
        let front_end = session.front_end();
        let expected = match (name, &front_end) {
            ("Plaid", FrontEnd::Plaid { link_token }) => !link_token.expose().is_empty(),
            ("MX", FrontEnd::Mx { redirect_url }) => !redirect_url.is_empty(),
            ("Checkout.com", FrontEnd::CheckoutCom { .. }) => true,
            _ => false,
        };
        assert!(expected, "{name}: {front_end:?}");
    }
    let re_auth = client
        .create_re_auth_exchange_session("an-exchange", None)
        .await
        .unwrap();
    let session = client.retrieve_exchange_session(&re_auth.id).await.unwrap();
    assert!(matches!(session.front_end(), FrontEnd::Plaid { .. }));
}

#[tokio::test]
async fn an_unknown_session_is_not_found() {
    let dwolla = MockDwolla::start().await.unwrap();
    let error = client(&dwolla)
        .retrieve_exchange_session("5e5510c5-0000-4000-8000-00000000ffff")
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404), "{error}");
}

/// Fetches a token by hand and posts `body` as a customer's create, as an
/// application not using the client would: the status and the JSON answer.
async fn create_by_hand(dwolla: &MockDwolla, body: &'static str) -> (u16, serde_json::Value) {
    let http = reqwest::Client::new();
    let token = http
        .post(format!("{}/token", dwolla.base_url()))
        .basic_auth("app-key", Some("app-secret"))
        .header("accept", "application/json")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials")
        .send()
        .await
        .unwrap();
    assert_eq!(token.status().as_u16(), 200);
    let token: serde_json::Value = serde_json::from_str(&token.text().await.unwrap()).unwrap();
    let answer = http
        .post(format!(
            "{}/customers/{CUSTOMER}/exchange-sessions",
            dwolla.base_url()
        ))
        .header("accept", "application/vnd.dwolla.v1.hal+json")
        .header("content-type", "application/vnd.dwolla.v1.hal+json")
        .bearer_auth(token["access_token"].as_str().unwrap())
        .body(body)
        .send()
        .await
        .unwrap();
    let status = answer.status().as_u16();
    let body = serde_json::from_str(&answer.text().await.unwrap()).unwrap();
    (status, body)
}

async fn app_mock() -> MockDwolla {
    MockDwolla::start_with(MockOptions {
        key: "app-key".into(),
        secret: Secret::new("app-secret"),
        ..MockOptions::default()
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn a_request_the_spec_refuses_gets_a_validation_error_with_embedded_errors() {
    let dwolla = app_mock().await;
    let (status, body) = create_by_hand(&dwolla, r#"{"_links":{"exchange-partner":{}}}"#).await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], "ValidationError", "{body}");
    let errors = body["_embedded"]["errors"].as_array().expect("errors");
    assert!(!errors.is_empty(), "{body}");
    for error in errors {
        assert!(
            error["path"].is_string() && error["message"].is_string(),
            "{error}"
        );
    }
    let refused = dwolla.received_for("createCustomerExchangeSession");
    assert_eq!(refused.len(), 1);
    assert!(!refused[0].violations.is_empty());
    assert_eq!(
        refused[0].request.header("authorization"),
        Some("Bearer <redacted>")
    );
}

/// A body no branch of the request schema's `oneOf` accepts is refused with
/// the field that fails (the closest branch's deepest failure), and the
/// embedded errors describe the value instead of quoting the body, which
/// may carry secrets.
#[tokio::test]
async fn a_body_no_branch_accepts_is_refused_at_its_field_without_echoing_it() {
    let dwolla = app_mock().await;
    let (status, body) = create_by_hand(
        &dwolla,
        r#"{"_links":{"exchange-partner":{"href":"sekrit value, no uri"}}}"#,
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let errors = body["_embedded"]["errors"].as_array().expect("errors");
    assert!(!errors.is_empty(), "{body}");
    assert!(!body.to_string().contains("sekrit"), "{body}");
    let paths: Vec<&str> = errors.iter().filter_map(|e| e["path"].as_str()).collect();
    assert_eq!(paths, ["/_links/exchange-partner/href"], "{body}");
}

#[tokio::test]
async fn a_partner_the_account_lacks_is_a_validation_error_the_client_reports() {
    let dwolla = MockDwolla::start().await.unwrap();
    let unknown = NewExchangeSession::web("00000000-0000-4000-8000-000000000000");
    let error = client(&dwolla)
        .create_exchange_session(CUSTOMER, &unknown)
        .await
        .unwrap_err();
    let api = error.api().unwrap_or_else(|| panic!("{error}"));
    assert_eq!(api.status.as_u16(), 400);
    assert_eq!(api.code.as_deref(), Some("ValidationError"));
    assert_eq!(
        api.errors[0].path.as_deref(),
        Some("/_links/exchange-partner/href")
    );
}

#[tokio::test]
async fn wrong_credentials_get_no_token() {
    let dwolla = MockDwolla::start().await.unwrap();
    let client = DwollaClient::builder()
        .environment(dwolla.environment())
        .credentials(Credentials::new("mock-key", "not-the-secret"))
        .build()
        .unwrap();
    let error = client.exchange_partners().await.unwrap_err();
    assert!(matches!(error, Error::Auth { .. }), "{error:?}");
    assert!(dwolla.received_for("listExchangePartners").is_empty());
}

#[tokio::test]
async fn a_scripted_429_is_retried_after_the_wait_it_asks_for() {
    let dwolla = MockDwolla::start().await.unwrap();
    let client = client(&dwolla);
    let created = client
        .create_exchange_session(CUSTOMER, &plaid(&dwolla))
        .await
        .unwrap();
    dwolla.inject(
        Injection::new(MockFault::TooManyRequests {
            retry_after: Duration::from_secs(1),
        })
        .on("retrieveCustomerExchangeSession"),
    );
    client.retrieve_exchange_session(&created.id).await.unwrap();
    let retrieves = dwolla.received_for("retrieveCustomerExchangeSession");
    let statuses: Vec<u16> = retrieves.iter().map(|r| r.response.status).collect();
    assert_eq!(statuses, [429, 200]);
    assert_eq!(retrieves[0].response.header("retry-after"), Some("1"));
}

#[tokio::test]
async fn scripted_server_errors_apply_to_the_next_requests_then_stop() {
    let dwolla = MockDwolla::start().await.unwrap();
    let client = DwollaClient::builder()
        .environment(dwolla.environment())
        .credentials(dwolla.credentials())
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    client.exchange_partners().await.unwrap();
    dwolla.inject(Injection::new(MockFault::ServerError(503)).times(2));
    for _ in 0..2 {
        let error = client.exchange_partners().await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(503), "{error}");
    }
    client.exchange_partners().await.unwrap();
}

#[tokio::test]
async fn a_stall_outlasts_the_clients_timeout() {
    let dwolla = MockDwolla::start().await.unwrap();
    let client = DwollaClient::builder()
        .environment(dwolla.environment())
        .credentials(dwolla.credentials())
        .retry(RetryPolicy::disabled())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    client.exchange_partners().await.unwrap();
    dwolla.inject(
        Injection::new(MockFault::Stall(Duration::from_secs(5))).on("listExchangePartners"),
    );
    let error = client.exchange_partners().await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
}

#[tokio::test]
async fn an_expired_token_is_refreshed_by_the_client() {
    let dwolla = MockDwolla::start().await.unwrap();
    let client = client(&dwolla);
    client.exchange_partners().await.unwrap();
    dwolla.expire_tokens();
    client.exchange_partners().await.unwrap();
    let statuses: Vec<u16> = dwolla
        .received_for("listExchangePartners")
        .iter()
        .map(|r| r.response.status)
        .collect();
    assert_eq!(statuses, [200, 401, 200]);
    assert_eq!(dwolla.received_for("createApplicationAccessToken").len(), 2);
    assert_eq!(dwolla.tokens_issued(), 2);
    let expired = &dwolla.received_for("listExchangePartners")[1].response;
    assert_eq!(
        expired.body.as_ref().map(|b| b["code"].clone()),
        Some("ExpiredAccessToken".into())
    );
}

/// Every answer the mock gives with a documented status conforms to the
/// spec, the client's readers included: the mock is as exact as the
/// fixtures.
#[tokio::test]
async fn the_mocks_answers_conform_to_the_spec() {
    let dwolla = MockDwolla::start().await.unwrap();
    let client = client(&dwolla);
    for name in ["Plaid", "MX", "Checkout.com"] {
        let partner = client.partner(name).await.unwrap().expect(name);
        client
            .api()
            .get_exchange_partner()
            .id(&partner.id)
            .send()
            .await
            .unwrap();
        client
            .create_and_retrieve_exchange_session(CUSTOMER, &NewExchangeSession::web(&partner.id))
            .await
            .unwrap();
    }
    client
        .create_re_auth_exchange_session("an-exchange", Some("com.example.app123"))
        .await
        .unwrap();
    let suite = client_suite().unwrap();
    let received = dwolla.received();
    assert!(received.len() >= 10, "{}", received.len());
    for (n, received) in received.into_iter().enumerate() {
        let exchange = Exchange {
            operation: received.operation.expect("an operation"),
            description: None,
            provenance: Provenance {
                source: "mock".into(),
                reference: None,
                recorded: None,
            },
            request: received.request,
            response: received.response,
        };
        let verdict = suite.check(&format!("mock-{n}"), &exchange);
        assert_eq!(verdict.outcome, Outcome::Pass, "{verdict:#?}");
    }
}
