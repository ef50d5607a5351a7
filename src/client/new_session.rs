//! What to create an exchange session with, and its request body as Dwolla
//! documents it.

use serde::Serialize;

use super::request_body::ShapeCheck;

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

    /// The request body as Dwolla documents it, as JSON text, naming the
    /// partner under `base_url`: `_links.exchange-partner`, and
    /// `_links.redirect-url` for a session that returns to an app.
    pub(super) fn body(&self, base_url: &str) -> String {
        let partner = format!(
            "{base_url}/exchange-partners/{}",
            progenitor_client::encode_path(&self.partner_id)
        );
        let body = WireBody {
            links: Links {
                exchange_partner: Href { href: &partner },
                redirect_url: self.redirect_url.as_deref().map(|href| Href { href }),
            },
        };
        // Strings only: writing them cannot fail (and an empty body would be
        // refused as not JSON before sending).
        serde_json::to_string(&body).unwrap_or_default()
    }

    /// The check of this request's body shape: with or without a redirect.
    pub(super) fn shape_check(&self) -> &'static ShapeCheck {
        static SHAPES: [ShapeCheck; 2] = [ShapeCheck::new(), ShapeCheck::new()];
        &SHAPES[usize::from(self.redirect_url.is_some())]
    }
}

/// The body of a create, as Dwolla documents it.
#[derive(Serialize)]
struct WireBody<'a> {
    #[serde(rename = "_links")]
    links: Links<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Links<'a> {
    exchange_partner: Href<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    redirect_url: Option<Href<'a>>,
}

#[derive(Serialize)]
struct Href<'a> {
    href: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::request_body::typed_body;
    use crate::generated::request_bodies::CreateCustomerExchangeSession as Body;
    use crate::operations::spec::CREATE_CUSTOMER_EXCHANGE_SESSION as OPERATION;

    #[test]
    fn session_bodies_are_the_spec_variants() {
        let read = |text: String| -> serde_json::Value { serde_json::from_str(&text).unwrap() };
        let web = NewExchangeSession::web("p1");
        assert_eq!(
            read(web.body("https://x.test")),
            serde_json::json!({ "_links": { "exchange-partner": { "href": "https://x.test/exchange-partners/p1" } } })
        );
        let mobile = NewExchangeSession::with_redirect("p/1", "com.example.app123");
        let mobile_body = read(mobile.body("https://x.test"));
        assert_eq!(
            mobile_body["_links"]["exchange-partner"]["href"],
            "https://x.test/exchange-partners/p%2F1"
        );
        assert_eq!(
            mobile_body["_links"]["redirect-url"]["href"],
            "com.example.app123"
        );
        for request in [web, mobile] {
            let body = request.body("https://x.test");
            typed_body::<Body>(OPERATION, &body, &ShapeCheck::new())
                .unwrap_or_else(|error| panic!("{body}: {error}"));
        }
    }

    #[test]
    fn each_shape_has_its_own_check() {
        let web = NewExchangeSession::web("p1");
        let mobile = NewExchangeSession::with_redirect("p1", "com.example.app123");
        assert!(std::ptr::eq(
            web.shape_check(),
            NewExchangeSession::web("p2").shape_check()
        ));
        assert!(!std::ptr::eq(web.shape_check(), mobile.shape_check()));
    }
}
