//! What a retrieved exchange session gives the front end, by partner.
//!
//! It is read from the session's JSON as Dwolla sent it, not from the
//! generated type: specs differ in what that type holds (Dwolla's January
//! 2026 spec has no `externalProviderSessionData`, which Checkout.com
//! sessions carry), and the front end needs what Dwolla sends whatever the
//! spec the client was built from says.

use serde_json::Value;

use crate::auth::Secret;
use crate::generated::types;
use crate::redact::redact_json;

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
    /// session as Dwolla sent it, so nothing fails, with the values of
    /// [`SECRET_FIELDS`](crate::redact::SECRET_FIELDS) redacted.
    Unknown(Value),
}

impl FrontEnd {
    /// What the JSON of a retrieved session gives the front end: Plaid's
    /// link token, MX's redirect URL, Checkout.com's payment session, or the
    /// session itself.
    pub(crate) fn of_session(session: &Value) -> Self {
        let text = |value: Option<&Value>| value.and_then(Value::as_str).map(str::to_string);
        if let Some(token) = text(session.get("externalProviderSessionToken")) {
            return Self::Plaid {
                link_token: Secret::new(token),
            };
        }
        if let Some(redirect_url) = text(session.pointer("/_links/external-provider-session/href"))
        {
            return Self::Mx { redirect_url };
        }
        if let Some(data) = session
            .get("externalProviderSessionData")
            .filter(|data| data.is_object())
        {
            return Self::CheckoutCom {
                payment_session_id: text(data.get("id")),
                payment_session_secret: text(data.get("payment_session_secret")).map(Secret::new),
                payment_session_token: text(data.get("payment_session_token")).map(Secret::new),
            };
        }
        let mut unknown = session.clone();
        redact_json(&mut unknown);
        Self::Unknown(unknown)
    }
}

/// An exchange session as retrieved: the spec's type, and what the session
/// gives the front end.
#[derive(Debug, Clone)]
pub struct RetrievedSession {
    session: types::ExchangeSession,
    front_end: FrontEnd,
}

impl RetrievedSession {
    /// The session read as the spec's `ExchangeSession` and, from the JSON
    /// Dwolla sent, its front-end value.
    pub(crate) fn new(session: types::ExchangeSession, json: &Value) -> Self {
        Self {
            session,
            front_end: FrontEnd::of_session(json),
        }
    }

    /// The session as the spec's generated type reads it.
    pub fn session(&self) -> &types::ExchangeSession {
        &self.session
    }

    /// The session as the spec's generated type reads it, by value.
    pub fn into_session(self) -> types::ExchangeSession {
        self.session
    }

    /// What to hand to the front end: Plaid's link token, MX's redirect URL,
    /// Checkout.com's payment session, or the session as it is.
    pub fn front_end(&self) -> FrontEnd {
        self.front_end.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn session(extra: Value) -> Value {
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
        value
    }

    #[test]
    fn each_partner_gives_its_own_front_end_value() {
        assert_eq!(
            FrontEnd::of_session(&session(
                json!({ "externalProviderSessionToken": "link-sandbox-1" })
            )),
            FrontEnd::Plaid {
                link_token: Secret::new("link-sandbox-1")
            }
        );
        assert_eq!(
            FrontEnd::of_session(&session(json!({ "_links": { "external-provider-session": {
                "href": "https://int-widgets.moneydesktop.com/md/connect/x",
                "type": "text/html", "resource-type": "text/html" } } }))),
            FrontEnd::Mx {
                redirect_url: "https://int-widgets.moneydesktop.com/md/connect/x".into()
            }
        );
        assert_eq!(
            FrontEnd::of_session(&session(json!({ "externalProviderSessionData": {
                "id": "ps_1", "payment_session_secret": "pss_1", "payment_session_token": "pst_1" } }))),
            FrontEnd::CheckoutCom {
                payment_session_id: Some("ps_1".into()),
                payment_session_secret: Some(Secret::new("pss_1")),
                payment_session_token: Some(Secret::new("pst_1")),
            }
        );
    }

    #[test]
    fn an_unknown_session_is_kept_with_its_secrets_redacted() {
        let FrontEnd::Unknown(raw) = FrontEnd::of_session(&session(
            json!({ "newPartner": { "client_secret": "cs_1" } }),
        )) else {
            panic!("a bare session is of no known partner");
        };
        assert_eq!(
            raw["_links"]["self"]["href"],
            "https://api.dwolla.com/exchange-sessions/s1"
        );
        assert_eq!(raw["newPartner"]["client_secret"], crate::redact::REDACTED);
    }
}
