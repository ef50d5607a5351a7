//! What to create an exchange session with, as the spec's request body.

use crate::generated::types;

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

    /// The request body, naming the partner under `base_url`.
    pub(super) fn body(&self, base_url: &str) -> types::CreateCustomerExchangeSessionBody {
        let href = format!(
            "{base_url}/exchange-partners/{}",
            progenitor_client::encode_path(&self.partner_id)
        );
        match &self.redirect_url {
            Some(redirect) => types::CreateCustomerExchangeSessionWithRedirect {
                links: types::CreateCustomerExchangeSessionWithRedirectLinks {
                    exchange_partner:
                        types::CreateCustomerExchangeSessionWithRedirectLinksExchangePartner {
                            href,
                        },
                    redirect_url:
                        types::CreateCustomerExchangeSessionWithRedirectLinksRedirectUrl {
                            href: redirect.clone(),
                        },
                },
            }
            .into(),
            None => types::CreateCustomerExchangeSessionForWeb {
                links: types::CreateCustomerExchangeSessionForWebLinks {
                    exchange_partner:
                        types::CreateCustomerExchangeSessionForWebLinksExchangePartner { href },
                },
            }
            .into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_bodies_are_the_spec_variants() {
        let web =
            serde_json::to_value(NewExchangeSession::web("p1").body("https://x.test")).unwrap();
        assert_eq!(
            web,
            serde_json::json!({ "_links": { "exchange-partner": { "href": "https://x.test/exchange-partners/p1" } } })
        );
        let mobile = serde_json::to_value(
            NewExchangeSession::with_redirect("p/1", "com.example.app123").body("https://x.test"),
        )
        .unwrap();
        assert_eq!(
            mobile["_links"]["exchange-partner"]["href"],
            "https://x.test/exchange-partners/p%2F1"
        );
        assert_eq!(
            mobile["_links"]["redirect-url"]["href"],
            "com.example.app123"
        );
    }
}
