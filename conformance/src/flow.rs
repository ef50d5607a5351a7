//! The exchange-session flow from start to end, as the main job runs it and
//! as the recorder drives it: partners, a session per partner and variant
//! (retrieved for what the front end needs), and re-authentication.

use std::fmt::Write as _;

use dwolla_exchange_sessions::{DwollaClient, Error, FrontEnd, NewExchangeSession};

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
            let shown: String = redirect_url.chars().take(60).collect();
            format!("send the user to MX Connect at {shown}…")
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
    let _ = writeln!(
        out,
        "  {label}: created {}\n    front end: {}",
        created.url,
        describe(&session.front_end())
    );
    Ok(())
}

/// Runs the flow and returns its report, one line per step.
pub async fn run(dwolla: &DwollaClient, target: &FlowTarget) -> Result<String, Error> {
    let mut out = String::new();
    let partners = dwolla.exchange_partners().await?;
    let names: Vec<String> = partners.iter().map(|p| p.name.to_string()).collect();
    let _ = writeln!(out, "Exchange partners: {}", names.join(", "));
    let find = |name: &str| {
        partners
            .iter()
            .find(|p| p.name.to_string().eq_ignore_ascii_case(name))
            .map(|p| p.id.clone())
    };

    let customer = &target.customer;
    let _ = writeln!(out, "Exchange sessions for customer {customer}:");
    if let Some(plaid) = find("Plaid") {
        session(
            dwolla,
            &mut out,
            "Plaid, web",
            customer,
            NewExchangeSession::web(&plaid),
        )
        .await?;
        session(
            dwolla,
            &mut out,
            "Plaid, Android",
            customer,
            NewExchangeSession::with_redirect(&plaid, "com.example.app123"),
        )
        .await?;
        session(
            dwolla,
            &mut out,
            "Plaid, iOS",
            customer,
            NewExchangeSession::with_redirect(&plaid, "https://example.com/app123"),
        )
        .await?;
    }
    if let Some(mx) = find("MX") {
        session(
            dwolla,
            &mut out,
            "MX",
            customer,
            NewExchangeSession::web(&mx),
        )
        .await?;
    }
    match find("Checkout.com") {
        Some(checkout) => {
            session(
                dwolla,
                &mut out,
                "Checkout.com",
                customer,
                NewExchangeSession::web(&checkout),
            )
            .await?
        }
        None => out.push_str("  Checkout.com: not offered to this account\n"),
    }

    match &target.exchange {
        Some(exchange) => {
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
                let _ = writeln!(
                    out,
                    "  {label}: created {}\n    front end: {}",
                    created.url,
                    describe(&session.front_end())
                );
            }
        }
        None => out.push_str("Re-authentication: no exchange given\n"),
    }
    Ok(out)
}

/// What one request of [`every_request`] was and how it was answered.
#[derive(Debug, Clone)]
pub struct Sent {
    /// The operation and variant, e.g. `createCustomerExchangeSession (Plaid Android)`.
    pub label: String,
    /// The HTTP status, or why nothing came back.
    pub outcome: Result<u16, String>,
}

/// Sends one request of every operation and body variant through the
/// generated client (and the extension), without reading `Location`s: for
/// checking the requests themselves against a validating server such as
/// Prism. Ids are the documentation's.
pub async fn every_request(api: &dwolla_exchange_sessions::generated::Client) -> Vec<Sent> {
    use dwolla_exchange_sessions::extras::{
        ClientExchangesExt, CreateReAuthExchangeSessionForWeb,
        CreateReAuthExchangeSessionWithRedirect,
    };
    use dwolla_exchange_sessions::generated::ClientInfo;
    use dwolla_exchange_sessions::generated::types::CreateCustomerExchangeSessionBody;

    const CUSTOMER: &str = "74a207b2-b7b7-4efa-8bf8-582148e7b980";
    const SESSION: &str = "fcd15e5f-8d13-4570-a9b7-7fb49e55941d";
    let partner = |id: &str| format!("{}/exchange-partners/{id}", api.baseurl());
    let body = |id: &str,
                redirect: Option<&str>|
     -> Result<CreateCustomerExchangeSessionBody, String> {
        let mut links = serde_json::json!({ "exchange-partner": { "href": partner(id) } });
        if let Some(redirect) = redirect {
            links["redirect-url"] = serde_json::json!({ "href": redirect });
        }
        serde_json::from_value(serde_json::json!({ "_links": links })).map_err(|e| e.to_string())
    };
    fn status<T, E: std::fmt::Debug>(
        result: Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>,
    ) -> Result<u16, String> {
        match result {
            Ok(response) => Ok(response.status().as_u16()),
            Err(error) => error
                .status()
                .map(|s| s.as_u16())
                .ok_or_else(|| format!("{error:?}")),
        }
    }
    let mut sent = Vec::new();
    let mut push = |label: &str, outcome| {
        sent.push(Sent {
            label: label.to_string(),
            outcome,
        })
    };
    push(
        "listExchangePartners",
        status(api.list_exchange_partners().send().await),
    );
    push(
        "getExchangePartner",
        status(
            api.get_exchange_partner()
                .id("f53ffb32-c84f-496a-9d9d-acd100d396ef")
                .send()
                .await,
        ),
    );
    for (label, partner_id, redirect) in [
        (
            "createCustomerExchangeSession (Plaid web)",
            "f53ffb32-c84f-496a-9d9d-acd100d396ef",
            None,
        ),
        (
            "createCustomerExchangeSession (Plaid Android)",
            "f53ffb32-c84f-496a-9d9d-acd100d396ef",
            Some("com.example.app123"),
        ),
        (
            "createCustomerExchangeSession (Plaid iOS)",
            "f53ffb32-c84f-496a-9d9d-acd100d396ef",
            Some("https://example.com/app123"),
        ),
        (
            "createCustomerExchangeSession (MX)",
            "2164407f-33c3-4555-a6a1-40d5e9e58744",
            None,
        ),
        (
            "createCustomerExchangeSession (Checkout.com)",
            "d652517d-9c02-4ea4-87af-2977e6cf3850",
            None,
        ),
    ] {
        let outcome = match body(partner_id, redirect) {
            Ok(body) => status(
                api.create_customer_exchange_session()
                    .id(CUSTOMER)
                    .body(body)
                    .send()
                    .await,
            ),
            Err(why) => Err(why),
        };
        push(label, outcome);
    }
    push(
        "retrieveCustomerExchangeSession",
        status(
            api.retrieve_customer_exchange_session()
                .id(SESSION)
                .send()
                .await,
        ),
    );
    push(
        "createReAuthExchangeSession (no body)",
        status(
            api.create_re_auth_exchange_session()
                .id(CUSTOMER)
                .send()
                .await,
        ),
    );
    push(
        "createReAuthExchangeSession (empty object)",
        status(
            api.create_re_auth_exchange_session()
                .id(CUSTOMER)
                .body(CreateReAuthExchangeSessionForWeb {})
                .send()
                .await,
        ),
    );
    push(
        "createReAuthExchangeSession (Plaid mobile)",
        status(
            api.create_re_auth_exchange_session()
                .id(CUSTOMER)
                .body(CreateReAuthExchangeSessionWithRedirect::new(
                    "com.example.app123",
                ))
                .send()
                .await,
        ),
    );
    sent
}
