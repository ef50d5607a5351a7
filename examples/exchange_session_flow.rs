//! The main job: the whole exchange-session flow, one client call per step.
//!
//! Lists the exchange partners, creates a session for a customer with each
//! partner the account offers (Plaid on the web, in an Android and an iOS
//! app; MX; Checkout.com), retrieves each and prints what the front end
//! needs (never a secret), then creates re-authentication sessions for an
//! exchange whose bank connection expired (in an app, on the web).
//!
//! By default it runs against the test kit's `MockDwolla` on 127.0.0.1,
//! which behaves as Dwolla does (new session ids, each partner's shape,
//! every request checked against the spec): no credentials, no network.
//! With `DWOLLA_KEY` and `DWOLLA_SECRET` set it runs against Dwolla
//! (`DWOLLA_ENVIRONMENT`: `sandbox`, the default, or `production`) for the
//! customer in `DWOLLA_CUSTOMER_ID` and, if set, the exchange in
//! `DWOLLA_EXCHANGE_ID`.
//!
//! Run with `cargo run --example exchange_session_flow`.

use std::error::Error;
use std::process::ExitCode;

use dwolla_exchange_sessions::{
    ClientBuilder, CreatedResource, DwollaClient, ExchangePartner, FrontEnd, NewExchangeSession,
};
use dwolla_testkit::mock::MockDwolla;

/// The customer (and exchange) of Dwolla's documentation examples, which
/// the mock knows.
const DOCS_CUSTOMER: &str = "74a207b2-b7b7-4efa-8bf8-582148e7b980";

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn Error>> {
    let live =
        std::env::var_os("DWOLLA_KEY").is_some() && std::env::var_os("DWOLLA_SECRET").is_some();
    if live {
        let customer =
            std::env::var("DWOLLA_CUSTOMER_ID").map_err(|_| "DWOLLA_CUSTOMER_ID is not set")?;
        let exchange = std::env::var("DWOLLA_EXCHANGE_ID").ok();
        let dwolla = ClientBuilder::from_env()?.build()?;
        return flow(&dwolla, &customer, exchange.as_deref()).await;
    }
    println!("No DWOLLA_KEY/DWOLLA_SECRET: using the test kit's MockDwolla");
    let mock = MockDwolla::start().await?;
    let dwolla = DwollaClient::builder()
        .environment(mock.environment())
        .credentials(mock.credentials())
        .build()?;
    flow(&dwolla, DOCS_CUSTOMER, Some(DOCS_CUSTOMER)).await?;
    let served = mock.received();
    let broke = served.iter().filter(|s| !s.violations.is_empty()).count();
    println!("{} requests sent; {broke} broke the spec", served.len());
    Ok(())
}

/// The flow for `customer`, and re-authentication for `exchange`.
async fn flow(
    dwolla: &DwollaClient,
    customer: &str,
    exchange: Option<&str>,
) -> Result<(), Box<dyn Error>> {
    println!("Running against {}", dwolla.base_url());
    // The token is fetched, cached and renewed by the client.
    let partners = dwolla.exchange_partners().await?;
    let names: Vec<&str> = partners.iter().map(|p| p.name.as_str()).collect();
    println!("Exchange partners: {}", names.join(", "));

    println!("Exchange sessions for customer {customer}:");
    for (label, request) in sessions_for(&partners) {
        let (created, session) = dwolla
            .create_and_retrieve_exchange_session(customer, &request)
            .await?;
        report(label, &created, &session.front_end());
    }

    let Some(exchange) = exchange else {
        println!("Re-authentication: no exchange given");
        return Ok(());
    };
    println!("Re-authentication for exchange {exchange} (after an UpdateCredentials error):");
    for (label, redirect) in [
        ("mobile", Some("https://www.yourdomain.com/iav-callback")),
        ("web", None),
    ] {
        let created = dwolla
            .create_re_auth_exchange_session(exchange, redirect)
            .await?;
        let session = dwolla.retrieve_exchange_session(&created.id).await?;
        report(label, &created, &session.front_end());
    }
    Ok(())
}

/// A session per partner the account offers: Plaid on the web and in apps
/// (the redirect is the app's), MX and Checkout.com on the web.
fn sessions_for(partners: &[ExchangePartner]) -> Vec<(&'static str, NewExchangeSession)> {
    let id = |name: &str| {
        partners
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .map(|p| p.id.clone())
    };
    let mut sessions = Vec::new();
    if let Some(plaid) = id("Plaid") {
        sessions.push(("Plaid, web", NewExchangeSession::web(&plaid)));
        sessions.push((
            "Plaid, Android",
            NewExchangeSession::with_redirect(&plaid, "com.example.app123"),
        ));
        sessions.push((
            "Plaid, iOS",
            NewExchangeSession::with_redirect(&plaid, "https://example.com/app123"),
        ));
    }
    if let Some(mx) = id("MX") {
        sessions.push(("MX", NewExchangeSession::web(&mx)));
    }
    if let Some(checkout) = id("Checkout.com") {
        sessions.push(("Checkout.com", NewExchangeSession::web(&checkout)));
    }
    sessions
}

/// Where a session is and what the front end does with it; secrets are
/// handed over with `expose()`, never printed.
fn report(label: &str, created: &CreatedResource, front_end: &FrontEnd) {
    let next = match front_end {
        FrontEnd::Plaid { link_token } => format!(
            "initialize Plaid Link with the link token ({} characters, not printed)",
            link_token.expose().len()
        ),
        // MX's URL holds the session: only its origin is printed.
        FrontEnd::Mx { redirect_url } => format!(
            "send the user to MX Connect at {}/… (the URL holds the session, not printed)",
            origin(redirect_url)
        ),
        FrontEnd::CheckoutCom {
            payment_session_id, ..
        } => format!(
            "start the Checkout.com Flow component with payment session {} (secret and token handed over, not printed)",
            payment_session_id.as_deref().unwrap_or("(no id)")
        ),
        FrontEnd::Unknown(raw) => format!("a session of an unknown kind: {raw}"),
        other => format!("{other:?}"),
    };
    println!("  {label}: created {}\n    front end: {next}", created.url);
}

/// `scheme://host[:port]` of `url`.
fn origin(url: &str) -> &str {
    let host_start = url.find("://").map_or(0, |at| at + 3);
    match url[host_start..].find('/') {
        Some(end) => &url[..host_start + end],
        None => url,
    }
}
