//! The exact requests the client puts on the wire, captured raw by a server
//! on 127.0.0.1: method, path, every header and the body of each bound
//! operation, and the refusal of ids that would change the path.

use dwolla_exchange_sessions::generated::ClientState;
use dwolla_exchange_sessions::generated::types::{
    CreateCustomerExchangeSessionBody, CreateCustomerExchangeSessionForWeb,
    CreateCustomerExchangeSessionWithRedirect, ExchangePartner, ExchangePartnerName,
    ExchangePartnerNameKnown, ExchangePartners,
};
use dwolla_exchange_sessions::generated::{Client, ClientInfo, Error, ResponseValue};
use dwolla_exchange_sessions::{Credentials, Secret};
use dwolla_testkit::DWOLLA_MEDIA_TYPE;
use dwolla_testkit::capture::{Captured, http};
use dwolla_testkit::faults::FaultServer;
use dwolla_testkit::server::Answer;

const KEY: &str = "test-app-key";
const SECRET: &str = "test-app-secret";
const TOKEN: &str = "test-access-token-value";
const PARTNER: &str =
    "https://api-sandbox.dwolla.com/exchange-partners/f53ffb32-c84f-496a-9d9d-acd100d396ef";
/// Every header of a request with a body, sorted.
const HEADERS_WITH_BODY: [&str; 6] = [
    "accept",
    "authorization",
    "content-length",
    "content-type",
    "host",
    "user-agent",
];
const USER_AGENT: &str = concat!("dwolla-exchange-sessions/", env!("CARGO_PKG_VERSION"));

fn respond(request: &Captured) -> Answer {
    let hal = [("content-type", DWOLLA_MEDIA_TYPE)];
    match (request.method.as_str(), request.target.as_str()) {
        ("POST", "/token") => http(
            "200 OK",
            &[("content-type", "application/json")],
            &format!(r#"{{"access_token":"{TOKEN}","token_type":"Bearer","expires_in":3599}}"#),
        ),
        ("GET", "/exchange-partners") => http(
            "200 OK",
            &hal,
            r#"{"_links":{"self":{"href":"https://api-sandbox.dwolla.com/exchange-partners"}},
               "_embedded":{"exchange-partners":[
                 {"_links":{},"id":"f53ffb32-c84f-496a-9d9d-acd100d396ef","name":"Plaid","status":"active","created":"2022-08-30T19:31:59.106Z"},
                 {"_links":{},"id":"d652517d-9c02-4ea4-87af-2977e6cf3850","name":"Checkout.com","status":"active","created":"2024-01-01T00:00:00.000Z"}]},
               "total":2}"#,
        ),
        ("GET", t) if t.starts_with("/exchange-partners/") => http(
            "200 OK",
            &hal,
            r#"{"_links":{},"id":"d652517d-9c02-4ea4-87af-2977e6cf3850","name":"Visa","status":"paused","created":"2024-01-01T00:00:00.000Z"}"#,
        ),
        ("POST", t) if t.ends_with("/exchange-sessions") => http(
            "201 Created",
            &[(
                "location",
                "https://api-sandbox.dwolla.com/exchange-sessions/fcd15e5f-8d13-4570-a9b7-7fb49e55941d",
            )],
            "",
        ),
        ("GET", t) if t.starts_with("/exchange-sessions/") => http(
            "200 OK",
            &hal,
            r#"{"created":"2024-03-25T17:13:38.430Z","_links":{
                 "self":{"href":"https://api-sandbox.dwolla.com/exchange-sessions/fcd15e5f-8d13-4570-a9b7-7fb49e55941d","type":"application/vnd.dwolla.v1.hal+json","resource-type":"exchange-sessions"},
                 "exchange-partner":{"href":"https://api-sandbox.dwolla.com/exchange-partners/f53ffb32-c84f-496a-9d9d-acd100d396ef","type":"application/vnd.dwolla.v1.hal+json","resource-type":"exchange-partner"}},
               "externalProviderSessionToken":"link-sandbox-token"}"#,
        ),
        _ => http(
            "404 Not Found",
            &hal,
            r#"{"code":"NotFound","message":"The requested resource was not found."}"#,
        ),
    }
}

fn client(server: &FaultServer) -> Client {
    Client::new(
        &server.base,
        ClientState::new(Some(Credentials::new(KEY, SECRET))),
    )
}

fn web_body() -> CreateCustomerExchangeSessionBody {
    let body: CreateCustomerExchangeSessionForWeb = serde_json::from_value(serde_json::json!({
        "_links": { "exchange-partner": { "href": PARTNER } }
    }))
    .expect("valid web body");
    body.into()
}

fn mobile_body() -> CreateCustomerExchangeSessionBody {
    let body: CreateCustomerExchangeSessionWithRedirect = serde_json::from_value(serde_json::json!({
        "_links": { "exchange-partner": { "href": PARTNER }, "redirect-url": { "href": "com.example.app123" } }
    }))
    .expect("valid mobile body");
    body.into()
}

/// The headers every authenticated, bodiless request carries, exactly.
fn assert_bearer_get(request: &Captured, target: &str) {
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, target);
    assert_eq!(
        request.header_names(),
        ["accept", "authorization", "host", "user-agent"]
    );
    assert_eq!(request.header("accept"), Some(DWOLLA_MEDIA_TYPE));
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(request.header("user-agent"), Some(USER_AGENT));
    assert_eq!(request.body, "");
}

fn assert_bearer_post(request: &Captured, target: &str, body: serde_json::Value) {
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, target);
    assert_eq!(request.header_names(), HEADERS_WITH_BODY);
    assert_eq!(request.header("accept"), Some(DWOLLA_MEDIA_TYPE));
    assert_eq!(request.header("content-type"), Some(DWOLLA_MEDIA_TYPE));
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(request.header("user-agent"), Some(USER_AGENT));
    let sent: serde_json::Value = serde_json::from_str(&request.body).expect("JSON body");
    assert_eq!(sent, body);
}

/// The token request: a form with the client credentials as HTTP Basic.
fn assert_token_request(token_request: &Captured) {
    assert_eq!(token_request.method, "POST");
    assert_eq!(token_request.target, "/token");
    assert_eq!(token_request.header_names(), HEADERS_WITH_BODY);
    assert_eq!(token_request.header("accept"), Some("application/json"));
    assert_eq!(
        token_request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        token_request.header("authorization"),
        Some("Basic dGVzdC1hcHAta2V5OnRlc3QtYXBwLXNlY3JldA==")
    );
    assert_eq!(token_request.header("user-agent"), Some(USER_AGENT));
    assert_eq!(token_request.body, "grant_type=client_credentials");
}

/// A 201 whose `Location` is the new session.
fn assert_created(created: &ResponseValue<()>) {
    assert_eq!(created.status(), 201);
    assert_eq!(
        created
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok()),
        Some(
            "https://api-sandbox.dwolla.com/exchange-sessions/fcd15e5f-8d13-4570-a9b7-7fb49e55941d"
        )
    );
}

/// The spec's enums lag the API: unlisted values decode and keep their text.
fn assert_open_partner_enums(partners: &ExchangePartners, partner: &ExchangePartner) {
    let names: Vec<String> = partners
        .embedded
        .as_ref()
        .map(|e| {
            e.exchange_partners
                .iter()
                .map(|p| p.name.to_string())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(names, ["Plaid", "Checkout.com"]);
    let listed = &partners.embedded.as_ref().unwrap().exchange_partners;
    assert!(matches!(
        listed[0].name,
        ExchangePartnerName::Known(ExchangePartnerNameKnown::Plaid)
    ));
    assert!(matches!(&listed[1].name, ExchangePartnerName::Unknown(raw) if raw == "Checkout.com"));
    assert!(matches!(&partner.name, ExchangePartnerName::Unknown(raw) if raw == "Visa"));
    assert_eq!(partner.status.to_string(), "paused");
}

#[tokio::test]
async fn every_bound_operation_sends_dwollas_wire_format() {
    let server = FaultServer::start(respond).await.unwrap();
    let client = client(&server);

    let token = client
        .create_application_access_token()
        .body_map(|body| body.grant_type("client_credentials"))
        .send()
        .await
        .expect("token");
    assert_eq!(token.access_token.expose(), TOKEN);
    client.inner().set_access_token(token.access_token.clone());

    let partners = client
        .list_exchange_partners()
        .send()
        .await
        .expect("partners");
    let partner = client
        .get_exchange_partner()
        .id("d652517d")
        .send()
        .await
        .expect("partner");
    let created_web = client
        .create_customer_exchange_session()
        .id("74a207b2-b7b7-4efa-8bf8-582148e7b980")
        .body(web_body())
        .send()
        .await
        .expect("web session");
    let created_mobile = client
        .create_customer_exchange_session()
        .id("74a207b2-b7b7-4efa-8bf8-582148e7b980")
        .body(mobile_body())
        .send()
        .await
        .expect("mobile session");
    let session = client
        .retrieve_customer_exchange_session()
        .id("fcd15e5f-8d13-4570-a9b7-7fb49e55941d")
        .send()
        .await
        .expect("session");

    let requests = server.requests();
    assert_eq!(requests.len(), 6);

    assert_token_request(&requests[0]);
    assert_bearer_get(&requests[1], "/exchange-partners");
    assert_bearer_get(&requests[2], "/exchange-partners/d652517d");
    let web = serde_json::json!({ "_links": { "exchange-partner": { "href": PARTNER } } });
    assert_bearer_post(
        &requests[3],
        "/customers/74a207b2-b7b7-4efa-8bf8-582148e7b980/exchange-sessions",
        web,
    );
    let mobile = serde_json::json!({ "_links": {
        "exchange-partner": { "href": PARTNER }, "redirect-url": { "href": "com.example.app123" }
    } });
    assert_bearer_post(
        &requests[4],
        "/customers/74a207b2-b7b7-4efa-8bf8-582148e7b980/exchange-sessions",
        mobile,
    );
    assert_bearer_get(
        &requests[5],
        "/exchange-sessions/fcd15e5f-8d13-4570-a9b7-7fb49e55941d",
    );

    for created in [&created_web, &created_mobile] {
        assert_created(created);
    }
    assert_eq!(
        session
            .external_provider_session_token
            .as_ref()
            .map(Secret::expose),
        Some("link-sandbox-token")
    );

    assert_open_partner_enums(&partners, &partner);
}

#[tokio::test]
async fn hostile_ids_are_encoded_or_refused_never_change_the_path() {
    let server = FaultServer::start(respond).await.unwrap();
    let client = client(&server);
    client.inner().set_access_token(Secret::new(TOKEN));

    for (id, target) in [
        ("a/../../token", "/exchange-sessions/a%2F..%2F..%2Ftoken"),
        ("x?admin=1#frag", "/exchange-sessions/x%3Fadmin=1%23frag"),
        ("%2e%2e", "/exchange-sessions/%252e%252e"),
    ] {
        let before = server.requests().len();
        let _ = client
            .retrieve_customer_exchange_session()
            .id(id)
            .send()
            .await;
        let requests = server.requests();
        assert_eq!(requests.len(), before + 1, "{id} was sent");
        assert_eq!(requests[before].target, target, "{id}");
    }

    for id in ["..", ".", "", "..\\token", "a\\..\\..\\token"] {
        let before = server.requests().len();
        let result = client
            .retrieve_customer_exchange_session()
            .id(id)
            .send()
            .await;
        match result {
            Err(Error::InvalidRequest(message)) => {
                assert!(
                    message.contains("retrieveCustomerExchangeSession"),
                    "{message}"
                );
            }
            other => panic!("id {id:?} was not refused: {other:?}"),
        }
        assert_eq!(
            server.requests().len(),
            before,
            "id {id:?} reached the server"
        );
    }
}

#[tokio::test]
async fn errors_decode_into_the_one_error_body_with_status_and_headers() {
    let server = FaultServer::start(|_| {
        http(
            "404 Not Found",
            &[("content-type", DWOLLA_MEDIA_TYPE), ("x-request-id", "req-123")],
            r#"{"code":"NotFound","message":"The requested resource was not found.","unexpected":true}"#,
        )
    })
    .await
        .expect("the test server starts");
    let client = client(&server);
    client.inner().set_access_token(Secret::new(TOKEN));
    match client.get_exchange_partner().id("missing").send().await {
        Err(Error::ErrorResponse(response)) => {
            assert_eq!(response.status(), 404);
            assert_eq!(response.headers().get("x-request-id").unwrap(), "req-123");
            assert_eq!(response.code(), Some("NotFound"));
        }
        other => panic!("expected a typed error response, got {other:?}"),
    }
}

#[tokio::test]
async fn oauth_error_of_the_token_endpoint_decodes() {
    let server = FaultServer::start(|_| {
        http(
            "401 Unauthorized",
            &[("content-type", "application/json")],
            r#"{"error":"invalid_client"}"#,
        )
    })
    .await
    .expect("the test server starts");
    let result = client(&server)
        .create_application_access_token()
        .body_map(|body| body.grant_type("client_credentials"))
        .send()
        .await;
    match result {
        Err(Error::ErrorResponse(response)) => {
            assert_eq!(response.status(), 401);
            assert_eq!(response.oauth_error.as_deref(), Some("invalid_client"));
        }
        other => panic!("expected the OAuth error, got {other:?}"),
    }
}

#[tokio::test]
async fn requests_without_credentials_are_refused_before_sending() {
    let server = FaultServer::start(respond).await.unwrap();
    let anonymous = Client::new(&server.base, ClientState::new(None));
    let result = anonymous.list_exchange_partners().send().await;
    assert!(
        matches!(result, Err(Error::InvalidRequest(ref m)) if m.contains("access token")),
        "{result:?}"
    );
    let result = anonymous
        .create_application_access_token()
        .body_map(|body| body.grant_type("client_credentials"))
        .send()
        .await;
    assert!(
        matches!(result, Err(Error::InvalidRequest(ref m)) if m.contains("credentials")),
        "{result:?}"
    );
    assert!(server.requests().is_empty());
}
