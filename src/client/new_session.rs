//! What to create an exchange session with, and its request body as Dwolla
//! documents it.

use serde_json::{Value, json};

/// What to create an exchange session with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewExchangeSession {
    partner_id: String,
    redirect_url: Option<String>,
}

impl NewExchangeSession {
    /// A session needing no redirect: MX, Plaid on the web, Checkout.com.
    pub fn web(partner_id: impl Into<String>) -> Self {
        Self {
            partner_id: partner_id.into(),
            redirect_url: None,
        }
    }

    /// A session that returns the user to an app: Plaid on Android (the
    /// package name, e.g. `com.example.app123`) or iOS (an HTTPS URL).
    pub fn with_redirect(partner_id: impl Into<String>, redirect_url: impl Into<String>) -> Self {
        Self {
            partner_id: partner_id.into(),
            redirect_url: Some(redirect_url.into()),
        }
    }

    /// The request body as Dwolla documents it, naming the partner under
    /// `base_url`: `_links.exchange-partner`, and `_links.redirect-url` for
    /// a session that returns to an app.
    pub(super) fn body(&self, base_url: &str) -> Value {
        let partner = format!(
            "{base_url}/exchange-partners/{}",
            progenitor_client::encode_path(&self.partner_id)
        );
        let mut links = json!({ "exchange-partner": { "href": partner } });
        if let Some(redirect) = &self.redirect_url {
            links["redirect-url"] = json!({ "href": redirect });
        }
        json!({ "_links": links })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::request_body::typed_body;
    use crate::generated::request_bodies::CreateCustomerExchangeSession as Body;
    use crate::operations::spec::CREATE_CUSTOMER_EXCHANGE_SESSION as OPERATION;

    #[test]
    fn session_bodies_are_the_spec_variants() {
        let web = NewExchangeSession::web("p1").body("https://x.test");
        assert_eq!(
            web,
            serde_json::json!({ "_links": { "exchange-partner": { "href": "https://x.test/exchange-partners/p1" } } })
        );
        let mobile =
            NewExchangeSession::with_redirect("p/1", "com.example.app123").body("https://x.test");
        assert_eq!(
            mobile["_links"]["exchange-partner"]["href"],
            "https://x.test/exchange-partners/p%2F1"
        );
        assert_eq!(
            mobile["_links"]["redirect-url"]["href"],
            "com.example.app123"
        );
        for body in [web, mobile] {
            typed_body::<Body>(OPERATION, body.clone())
                .unwrap_or_else(|error| panic!("{body}: {error}"));
        }
    }
}
