//! What a retrieved exchange session gives the front end, by partner.

use serde_json::Value;

use crate::auth::Secret;
use crate::generated::types::ExchangeSession;

/// What the front end needs to continue an exchange session.
///
/// The secrets inside are [`Secret`]s: hand them to the front end with
/// [`Secret::expose`], never log them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FrontEnd {
    /// Plaid: initialize Plaid Link with this token.
    Plaid {
        /// `externalProviderSessionToken`.
        link_token: Secret,
    },
    /// MX: send the user to this page (MX Connect).
    Mx {
        /// `_links.external-provider-session.href`.
        redirect_url: String,
    },
    /// Checkout.com: initialize the Flow component with this payment session.
    CheckoutCom {
        /// `externalProviderSessionData.id`.
        payment_session_id: Option<String>,
        /// `externalProviderSessionData.payment_session_secret`.
        payment_session_secret: Option<Secret>,
        /// `externalProviderSessionData.payment_session_token`.
        payment_session_token: Option<Secret>,
    },
    /// A session of a shape this client does not know (a new partner): the
    /// session as the client read it, so nothing is lost and nothing fails.
    Unknown(Value),
}

impl ExchangeSession {
    /// What to hand to the front end: Plaid's link token, MX's redirect URL,
    /// Checkout.com's payment session, or the session as it is.
    pub fn front_end(&self) -> FrontEnd {
        if let Some(token) = &self.external_provider_session_token {
            return FrontEnd::Plaid {
                link_token: token.clone(),
            };
        }
        if let Some(link) = &self.links.external_provider_session {
            return FrontEnd::Mx {
                redirect_url: link.href.clone(),
            };
        }
        if let Some(data) = &self.external_provider_session_data {
            return FrontEnd::CheckoutCom {
                payment_session_id: data.id.clone(),
                payment_session_secret: data.payment_session_secret.clone(),
                payment_session_token: data.payment_session_token.clone(),
            };
        }
        FrontEnd::Unknown(serde_json::to_value(self).unwrap_or(Value::Null))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn session(extra: Value) -> ExchangeSession {
        let mut value = json!({
            "created": "2024-03-25T17:13:38.430Z",
            "_links": {
                "self": { "href": "https://api.dwolla.com/exchange-sessions/s1", "type": "application/vnd.dwolla.v1.hal+json", "resource-type": "exchange-sessions" },
                "exchange-partner": { "href": "https://api.dwolla.com/exchange-partners/p1", "type": "application/vnd.dwolla.v1.hal+json", "resource-type": "exchange-partner" }
            }
        });
        for (key, inner) in extra.as_object().unwrap() {
            if key == "_links" {
                for (link, target) in inner.as_object().unwrap() {
                    value["_links"][link] = target.clone();
                }
            } else {
                value[key] = inner.clone();
            }
        }
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn each_partner_gives_its_own_front_end_value() {
        assert_eq!(
            session(json!({ "externalProviderSessionToken": "link-sandbox-1" })).front_end(),
            FrontEnd::Plaid {
                link_token: Secret::new("link-sandbox-1")
            }
        );
        assert_eq!(
            session(json!({ "_links": { "external-provider-session": {
                "href": "https://int-widgets.moneydesktop.com/md/connect/x",
                "type": "text/html", "resource-type": "text/html" } } }))
            .front_end(),
            FrontEnd::Mx {
                redirect_url: "https://int-widgets.moneydesktop.com/md/connect/x".into()
            }
        );
        assert_eq!(
            session(json!({ "externalProviderSessionData": {
                "id": "ps_1", "payment_session_secret": "pss_1", "payment_session_token": "pst_1" } }))
            .front_end(),
            FrontEnd::CheckoutCom {
                payment_session_id: Some("ps_1".into()),
                payment_session_secret: Some(Secret::new("pss_1")),
                payment_session_token: Some(Secret::new("pst_1")),
            }
        );
        let FrontEnd::Unknown(raw) = session(json!({})).front_end() else {
            panic!("a bare session is of no known partner");
        };
        assert_eq!(
            raw["_links"]["self"]["href"],
            "https://api.dwolla.com/exchange-sessions/s1"
        );
    }
}
