//! The exchange-session flow from start to end, as the recorder drives it
//! (the example makes the same calls, written out for a reader): partners, a session per
//! partner and variant (retrieved for what the front end needs), and
//! re-authentication. And [`every_request`]: one request of every operation
//! and body variant, for checking the requests alone against a validating
//! server.

use std::fmt::Write as _;

use dwolla_exchange_sessions::extras::{
    ClientExchangesExt, CreateReAuthExchangeSessionForWeb, CreateReAuthExchangeSessionWithRedirect,
};
use dwolla_exchange_sessions::generated::types::CreateCustomerExchangeSessionBody;
use dwolla_exchange_sessions::generated::{Client, ClientInfo};
use dwolla_exchange_sessions::{
    DwollaClient, Error, ExchangePartner, FrontEnd, NewExchangeSession,
};
use progenitor_client::ResponseValue;

/// What the flow runs for.
#[derive(Debug, Clone)]
pub struct FlowTarget {
    /// The customer to create sessions for.
    pub customer: String,
    /// An exchange to re-authenticate, if any.
    pub exchange: Option<String>,
}

/// One line of what the front end gets, never printing a secret.
pub fn describe(front_end: &FrontEnd) -> String {
    match front_end {
        FrontEnd::Plaid { link_token } => format!(
            "initialize Plaid Link with the link token ({} characters, not printed)",
            link_token.expose().len()
        ),
        FrontEnd::Mx { redirect_url } => {
            // The URL holds the session: only its origin is printed.
            let origin = url::Url::parse(redirect_url)
                .map(|url| url.origin().ascii_serialization())
                .unwrap_or_default();
            format!(
                "send the user to MX Connect at {origin}/… (the URL holds the session, not printed)"
            )
        }
        FrontEnd::CheckoutCom {
            payment_session_id, ..
        } => format!(
            "start the Checkout.com Flow component with payment session {} (secret and token handed over, not printed)",
            payment_session_id.as_deref().unwrap_or("(no id)")
        ),
        FrontEnd::Unknown(raw) => format!("a session of an unknown kind: {raw}"),
        other => format!("{other:?}"),
    }
}

async fn session(
    dwolla: &DwollaClient,
    out: &mut String,
    label: &str,
    customer: &str,
    request: NewExchangeSession,
) -> Result<(), Error> {
    let (created, session) = dwolla
        .create_and_retrieve_exchange_session(customer, &request)
        .await?;
    report_created(out, label, &created.url, &session.front_end());
    Ok(())
}

/// The report's two lines for a created session: where it is, and what the
/// front end gets.
fn report_created(
    out: &mut String,
    label: &str,
    url: &dyn std::fmt::Display,
    front_end: &FrontEnd,
) {
    let _ = writeln!(
        out,
        "  {label}: created {url}\n    front end: {}",
        describe(front_end)
    );
}

/// The id of the partner called `name` (any case), if the account has it.
fn partner_id(partners: &[ExchangePartner], name: &str) -> Option<String> {
    partners
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(name))
        .map(|p| p.id.clone())
}

/// The sessions the flow creates for the partners the account has: Plaid on
/// the web, Android and iOS, MX, and Checkout.com.
fn sessions_for(partners: &[ExchangePartner]) -> Vec<(&'static str, NewExchangeSession)> {
    let mut sessions = Vec::new();
    if let Some(plaid) = partner_id(partners, "Plaid") {
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
    if let Some(mx) = partner_id(partners, "MX") {
        sessions.push(("MX", NewExchangeSession::web(&mx)));
    }
    if let Some(checkout) = partner_id(partners, "Checkout.com") {
        sessions.push(("Checkout.com", NewExchangeSession::web(&checkout)));
    }
    sessions
}

/// Runs the flow and returns its report, one line per step.
pub async fn run(dwolla: &DwollaClient, target: &FlowTarget) -> Result<String, Error> {
    let mut out = String::new();
    let partners = dwolla.exchange_partners().await?;
    let names: Vec<String> = partners.iter().map(|p| p.name.clone()).collect();
    let _ = writeln!(out, "Exchange partners: {}", names.join(", "));

    let customer = &target.customer;
    let _ = writeln!(out, "Exchange sessions for customer {customer}:");
    for (label, request) in sessions_for(&partners) {
        session(dwolla, &mut out, label, customer, request).await?;
    }
    if partner_id(&partners, "Checkout.com").is_none() {
        out.push_str("  Checkout.com: not offered to this account\n");
    }
    match &target.exchange {
        Some(exchange) => re_authenticate(dwolla, exchange, &mut out).await?,
        None => out.push_str("Re-authentication: no exchange given\n"),
    }
    Ok(out)
}

/// Re-authentication sessions for `exchange`, mobile and web, each retrieved.
async fn re_authenticate(
    dwolla: &DwollaClient,
    exchange: &str,
    out: &mut String,
) -> Result<(), Error> {
    let _ = writeln!(
        out,
        "Re-authentication for exchange {exchange} (after an UpdateCredentials error):"
    );
    for (label, redirect) in [
        ("mobile", Some("https://www.yourdomain.com/iav-callback")),
        ("web", None),
    ] {
        let created = dwolla
            .create_re_auth_exchange_session(exchange, redirect)
            .await?;
        let session = dwolla.retrieve_exchange_session(&created.id).await?;
        report_created(out, label, &created.url, &session.front_end());
    }
    Ok(())
}

/// What one request of [`every_request`] was and how it was answered.
#[derive(Debug, Clone)]
pub struct Sent {
    /// The operation and variant, e.g. `createCustomerExchangeSession (Plaid Android)`.
    pub label: String,
    /// The HTTP status, or why nothing came back.
    pub outcome: Result<u16, String>,
}

/// The customer of Dwolla's documentation examples.
const DOCS_CUSTOMER: &str = "74a207b2-b7b7-4efa-8bf8-582148e7b980";
/// The exchange session of Dwolla's documentation examples.
const DOCS_SESSION: &str = "fcd15e5f-8d13-4570-a9b7-7fb49e55941d";
/// Plaid's partner id in Dwolla's documentation examples.
const DOCS_PLAID: &str = "f53ffb32-c84f-496a-9d9d-acd100d396ef";
/// MX's partner id in Dwolla's documentation examples.
const DOCS_MX: &str = "2164407f-33c3-4555-a6a1-40d5e9e58744";
/// Checkout.com's partner id in Dwolla's documentation examples.
const DOCS_CHECKOUT: &str = "d652517d-9c02-4ea4-87af-2977e6cf3850";

/// The HTTP status of a generated call's answer, success or error; why there
/// is none otherwise.
fn status<T, E: std::fmt::Debug>(
    result: Result<ResponseValue<T>, progenitor_client::Error<E>>,
) -> Result<u16, String> {
    match result {
        Ok(response) => Ok(response.status().as_u16()),
        Err(error) => error
            .status()
            .map(|s| s.as_u16())
            .ok_or_else(|| format!("{error:?}")),
    }
}

fn sent(label: &str, outcome: Result<u16, String>) -> Sent {
    Sent {
        label: label.to_string(),
        outcome,
    }
}

/// Sends one request of every operation and body variant through the
/// generated client (and the extension), without reading `Location`s: for
/// checking the requests themselves against a validating server such as
/// Prism. Ids are the documentation's.
pub async fn every_request(api: &Client) -> Vec<Sent> {
    let mut all = partner_requests(api).await;
    all.extend(create_session_requests(api).await);
    all.push(sent(
        "retrieveCustomerExchangeSession",
        status(
            api.retrieve_customer_exchange_session()
                .id(DOCS_SESSION)
                .send()
                .await,
        ),
    ));
    all.extend(re_auth_requests(api).await);
    all
}

/// Listing the partners and reading one.
async fn partner_requests(api: &Client) -> Vec<Sent> {
    vec![
        sent(
            "listExchangePartners",
            status(api.list_exchange_partners().send().await),
        ),
        sent(
            "getExchangePartner",
            status(api.get_exchange_partner().id(DOCS_PLAID).send().await),
        ),
    ]
}

/// A create request body for the partner `id`, with a redirect URL if given.
fn create_body(
    api: &Client,
    id: &str,
    redirect: Option<&str>,
) -> Result<CreateCustomerExchangeSessionBody, String> {
    let partner = format!("{}/exchange-partners/{id}", api.baseurl());
    let mut links = serde_json::json!({ "exchange-partner": { "href": partner } });
    if let Some(redirect) = redirect {
        links["redirect-url"] = serde_json::json!({ "href": redirect });
    }
    serde_json::from_value(serde_json::json!({ "_links": links })).map_err(|e| e.to_string())
}

/// A session created for every partner and platform variant.
async fn create_session_requests(api: &Client) -> Vec<Sent> {
    let variants = [
        (
            "createCustomerExchangeSession (Plaid web)",
            DOCS_PLAID,
            None,
        ),
        (
            "createCustomerExchangeSession (Plaid Android)",
            DOCS_PLAID,
            Some("com.example.app123"),
        ),
        (
            "createCustomerExchangeSession (Plaid iOS)",
            DOCS_PLAID,
            Some("https://example.com/app123"),
        ),
        ("createCustomerExchangeSession (MX)", DOCS_MX, None),
        (
            "createCustomerExchangeSession (Checkout.com)",
            DOCS_CHECKOUT,
            None,
        ),
    ];
    let mut all = Vec::new();
    for (label, partner, redirect) in variants {
        let outcome = match create_body(api, partner, redirect) {
            Ok(body) => status(
                api.create_customer_exchange_session()
                    .id(DOCS_CUSTOMER)
                    .body(body)
                    .send()
                    .await,
            ),
            Err(why) => Err(why),
        };
        all.push(sent(label, outcome));
    }
    all
}

/// Re-authentication with no body, an empty object and a redirect URL.
async fn re_auth_requests(api: &Client) -> Vec<Sent> {
    let create = || api.create_re_auth_exchange_session().id(DOCS_CUSTOMER);
    vec![
        sent(
            "createReAuthExchangeSession (no body)",
            status(create().send().await),
        ),
        sent(
            "createReAuthExchangeSession (empty object)",
            status(
                create()
                    .body(CreateReAuthExchangeSessionForWeb {})
                    .send()
                    .await,
            ),
        ),
        sent(
            "createReAuthExchangeSession (Plaid mobile)",
            status(
                create()
                    .body(CreateReAuthExchangeSessionWithRedirect::new(
                        "com.example.app123",
                    ))
                    .send()
                    .await,
            ),
        ),
    ]
}
