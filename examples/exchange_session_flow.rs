//! The exchange-session flow end to end, against a loopback server on
//! 127.0.0.1 that answers the way Dwolla's documentation shows (no
//! credentials, no network): get a token, find the partners, create a Plaid
//! web, a Plaid Android and an MX session for a customer, and retrieve each
//! to see what the front end needs.
//!
//! Run with `cargo run --example exchange_session_flow`.

#[path = "../tests/support/mod.rs"]
#[allow(dead_code, reason = "the example uses only part of the test server")]
mod support;

use dwolla_exchange_sessions::auth::Credentials;
use dwolla_exchange_sessions::generated::types::{CreateCustomerExchangeSessionBody, ExchangeSession};
use dwolla_exchange_sessions::wire::ClientState;
use dwolla_exchange_sessions::DwollaError;
use dwolla_exchange_sessions::generated::{Client, Error};
use serde_json::json;
use support::{CaptureServer, Captured, http};

const CUSTOMER: &str = "74a207b2-b7b7-4efa-8bf8-582148e7b980";
const HAL: (&str, &str) = ("content-type", "application/vnd.dwolla.v1.hal+json");

/// Answers like Dwolla: partner f53f… is Plaid, 2164… is MX; the session id
/// says which partner it was created for.
fn dwolla_like(request: &Captured) -> String {
    let base = "https://api-sandbox.dwolla.com";
    match (request.method.as_str(), request.target.as_str()) {
        ("POST", "/token") => http(
            "200 OK",
            &[("content-type", "application/json")],
            r#"{"access_token":"demo-access-token","token_type":"Bearer","expires_in":3599}"#,
        ),
        ("GET", "/exchange-partners") => http(
            "200 OK",
            &[HAL],
            &json!({
                "_links": { "self": { "href": format!("{base}/exchange-partners") } },
                "_embedded": { "exchange-partners": [
                    { "_links": { "self": { "href": format!("{base}/exchange-partners/f53ffb32-c84f-496a-9d9d-acd100d396ef") } },
                      "id": "f53ffb32-c84f-496a-9d9d-acd100d396ef", "name": "Plaid", "status": "active", "created": "2022-08-30T19:31:59.106Z" },
                    { "_links": { "self": { "href": format!("{base}/exchange-partners/2164407f-33c3-4555-a6a1-40d5e9e58744") } },
                      "id": "2164407f-33c3-4555-a6a1-40d5e9e58744", "name": "MX", "status": "active", "created": "2022-08-30T19:31:59.106Z" }
                ] },
                "total": 2
            })
            .to_string(),
        ),
        ("POST", _) => {
            let session = if request.body.contains("2164407f") { "mx-session" } else { "plaid-session" };
            http("201 Created", &[("location", &format!("{base}/exchange-sessions/{session}"))], "")
        }
        ("GET", "/exchange-sessions/plaid-session") => http(
            "200 OK",
            &[HAL],
            &json!({
                "created": "2024-03-25T17:13:38.430Z",
                "_links": {
                    "self": { "href": format!("{base}/exchange-sessions/plaid-session"), "type": HAL.1, "resource-type": "exchange-sessions" },
                    "exchange-partner": { "href": format!("{base}/exchange-partners/f53ffb32-c84f-496a-9d9d-acd100d396ef"), "type": HAL.1, "resource-type": "exchange-partner" }
                },
                "externalProviderSessionToken": "link-sandbox-b41e8ed3-0874-4c64-b07d-a77088979d5f"
            })
            .to_string(),
        ),
        ("GET", "/exchange-sessions/mx-session") => http(
            "200 OK",
            &[HAL],
            &json!({
                "created": "2024-03-25T17:13:38.430Z",
                "_links": {
                    "self": { "href": format!("{base}/exchange-sessions/mx-session"), "type": HAL.1, "resource-type": "exchange-sessions" },
                    "exchange-partner": { "href": format!("{base}/exchange-partners/2164407f-33c3-4555-a6a1-40d5e9e58744"), "type": HAL.1, "resource-type": "exchange-partner" },
                    "external-provider-session": { "href": "https://int-widgets.moneydesktop.com/md/connect/demo", "type": HAL.1, "resource-type": "text/html" }
                }
            })
            .to_string(),
        ),
        _ => http("404 Not Found", &[HAL], r#"{"code":"NotFound","message":"The requested resource was not found."}"#),
    }
}

fn session_body(
    partner_href: &str,
    redirect: Option<&str>,
) -> Result<CreateCustomerExchangeSessionBody, serde_json::Error> {
    let mut links = json!({ "exchange-partner": { "href": partner_href } });
    if let Some(redirect) = redirect {
        links["redirect-url"] = json!({ "href": redirect });
    }
    serde_json::from_value(json!({ "_links": links }))
}

async fn create_and_retrieve(
    client: &Client,
    body: CreateCustomerExchangeSessionBody,
) -> Result<ExchangeSession, Box<dyn std::error::Error>> {
    let created = client
        .create_customer_exchange_session()
        .id(CUSTOMER)
        .body(body)
        .send()
        .await?;
    let location = created
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok())
        .ok_or("201 without a Location header")?;
    let id = location.rsplit('/').next().unwrap_or_default().to_string();
    println!("  created {location}");
    Ok(client
        .retrieve_customer_exchange_session()
        .id(id)
        .send()
        .await?
        .into_inner())
}

fn describe(session: &ExchangeSession) {
    if let Some(token) = &session.external_provider_session_token {
        println!(
            "  front end: initialize Plaid Link with the session token ({} characters, not printed)",
            token.expose().len()
        );
    } else if let Some(link) = &session.links.external_provider_session {
        println!("  front end: send the user to {}", link.href);
    } else if session.external_provider_session_data.is_some() {
        println!("  front end: start the Checkout.com Flow component with the payment session");
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = CaptureServer::start(dwolla_like).await;
    println!("Dwolla-like server on {}", server.base);
    let client = Client::new(
        &server.base,
        ClientState::new(Some(Credentials::new("demo-key", "demo-secret"))),
    );

    let token = client
        .create_application_access_token()
        .body_map(|body| body.grant_type("client_credentials"))
        .send()
        .await
        .map_err(|e: Error<DwollaError>| format!("token: {e}"))?;
    println!("token obtained, valid for {} s", token.expires_in);

    let partners = client.list_exchange_partners().send().await?.into_inner();
    let listed = partners
        .embedded
        .map(|e| e.exchange_partners)
        .unwrap_or_default();
    let href = |name: &str| {
        listed
            .iter()
            .find(|p| p.name.to_string() == name)
            .and_then(|p| p.links.get("self"))
            .and_then(|link| link.href.clone())
            .ok_or(format!("no {name} partner listed"))
    };
    let plaid = href("Plaid")?;
    let mx = href("MX")?;
    println!("partners: Plaid at {plaid}, MX at {mx}");

    println!("Plaid, web:");
    describe(&create_and_retrieve(&client, session_body(&plaid, None)?).await?);
    println!("Plaid, Android:");
    describe(
        &create_and_retrieve(&client, session_body(&plaid, Some("com.example.app123"))?).await?,
    );
    println!("MX:");
    describe(&create_and_retrieve(&client, session_body(&mx, None)?).await?);
    println!("{} requests sent", server.requests().len());
    Ok(())
}
