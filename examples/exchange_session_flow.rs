//! The main job: the whole exchange-session flow.
//!
//! Obtains a token, lists the exchange partners, creates sessions for a
//! customer (Plaid on the web, Android and iOS, MX, and Checkout.com when the
//! account offers it), retrieves each and prints what the front end needs,
//! then creates re-authentication sessions for an exchange (mobile and web).
//!
//! By default it runs against the conformance crate's replay server on
//! 127.0.0.1, which answers with the recorded exchanges: no credentials, no
//! network. With `DWOLLA_KEY` and `DWOLLA_SECRET` set it runs against
//! Dwolla (`DWOLLA_ENVIRONMENT`: `sandbox`, the default, or `production`),
//! for the customer in `DWOLLA_CUSTOMER_ID` and, if set, the exchange in
//! `DWOLLA_EXCHANGE_ID`.
//!
//! Run with `cargo run --example exchange_session_flow`.

use std::error::Error;

use conformance::replay::ReplayServer;
use dwolla_exchange_sessions::auth::Credentials;
use dwolla_exchange_sessions::{
    ClientBuilder, DwollaClient, Environment, FrontEnd, NewExchangeSession,
};

/// The customer and exchange of Dwolla's documentation examples, which the
/// replay server knows.
const DOCS_CUSTOMER: &str = "74a207b2-b7b7-4efa-8bf8-582148e7b980";
const DOCS_EXCHANGE: &str = "74a207b2-b7b7-4efa-8bf8-582148e7b980";

fn describe(front_end: &FrontEnd) {
    match front_end {
        FrontEnd::Plaid { link_token } => println!(
            "    front end: initialize Plaid Link with the link token ({} characters, not printed)",
            link_token.expose().len()
        ),
        FrontEnd::Mx { redirect_url } => {
            let shown: String = redirect_url.chars().take(60).collect();
            println!("    front end: send the user to MX Connect at {shown}…");
        }
        FrontEnd::CheckoutCom {
            payment_session_id, ..
        } => println!(
            "    front end: start the Checkout.com Flow component with payment session {} (secret and token handed over, not printed)",
            payment_session_id.as_deref().unwrap_or("(no id)")
        ),
        FrontEnd::Unknown(raw) => println!("    front end: a session of an unknown kind: {raw}"),
        _ => println!("    front end: {front_end:?}"),
    }
}

async fn session(
    dwolla: &DwollaClient,
    label: &str,
    customer: &str,
    request: NewExchangeSession,
) -> Result<(), Box<dyn Error>> {
    println!("  {label}:");
    let (created, session) = dwolla
        .create_and_retrieve_exchange_session(customer, &request)
        .await?;
    println!("    created {}", created.url);
    describe(&session.front_end());
    Ok(())
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn Error>> {
    let live =
        std::env::var_os("DWOLLA_KEY").is_some() && std::env::var_os("DWOLLA_SECRET").is_some();
    let (dwolla, _replay, customer, exchange) = if live {
        let customer =
            std::env::var("DWOLLA_CUSTOMER_ID").map_err(|_| "DWOLLA_CUSTOMER_ID is not set")?;
        let exchange = std::env::var("DWOLLA_EXCHANGE_ID").ok();
        let dwolla = ClientBuilder::from_env()?.build()?;
        println!("Running against {}", dwolla.base_url());
        (dwolla, None, customer, exchange)
    } else {
        let replay = ReplayServer::start().await?;
        println!(
            "Running against the replay server on {} ({} recorded exchanges)",
            replay.base_url(),
            replay.exchange_count()
        );
        let dwolla = DwollaClient::builder()
            .environment(Environment::Custom(replay.base_url().parse()?))
            .credentials(Credentials::new("replay-key", "replay-secret"))
            .build()?;
        (
            dwolla,
            Some(replay),
            DOCS_CUSTOMER.to_string(),
            Some(DOCS_EXCHANGE.to_string()),
        )
    };

    let partners = dwolla.exchange_partners().await?;
    let names: Vec<String> = partners.iter().map(|p| p.name.to_string()).collect();
    println!("Exchange partners: {}", names.join(", "));

    println!("Exchange sessions for customer {customer}:");
    if let Some(plaid) = dwolla.partner("Plaid").await? {
        session(
            &dwolla,
            "Plaid, web",
            &customer,
            NewExchangeSession::web(&plaid.id),
        )
        .await?;
        session(
            &dwolla,
            "Plaid, Android",
            &customer,
            NewExchangeSession::with_redirect(&plaid.id, "com.example.app123"),
        )
        .await?;
        session(
            &dwolla,
            "Plaid, iOS",
            &customer,
            NewExchangeSession::with_redirect(&plaid.id, "https://example.com/app123"),
        )
        .await?;
    }
    if let Some(mx) = dwolla.partner("MX").await? {
        session(&dwolla, "MX", &customer, NewExchangeSession::web(&mx.id)).await?;
    }
    match dwolla.partner("Checkout.com").await? {
        Some(checkout) => {
            session(
                &dwolla,
                "Checkout.com",
                &customer,
                NewExchangeSession::web(&checkout.id),
            )
            .await?
        }
        None => println!("  Checkout.com: not offered to this account"),
    }

    match exchange {
        Some(exchange) => {
            println!(
                "Re-authentication for exchange {exchange} (after an UpdateCredentials error):"
            );
            for (label, redirect) in [
                ("mobile", Some("https://www.yourdomain.com/iav-callback")),
                ("web", None),
            ] {
                let created = dwolla
                    .create_re_auth_exchange_session(&exchange, redirect)
                    .await?;
                println!("  {label}: created {}", created.url);
                describe(
                    &dwolla
                        .retrieve_exchange_session(&created.id)
                        .await?
                        .front_end(),
                );
            }
        }
        None => println!("Re-authentication: set DWOLLA_EXCHANGE_ID to try it"),
    }
    Ok(())
}
