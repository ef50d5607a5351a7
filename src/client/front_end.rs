//! What a retrieved exchange session gives the front end, by partner.
//!
//! It is read from the session's JSON as Dwolla sent it, not from the
//! generated type: specs differ in what that type holds (Dwolla's January
//! 2026 spec has no `externalProviderSessionData`, which Checkout.com
//! sessions carry), and the front end needs what Dwolla sends whatever the
//! spec the client was built from says.

use std::fmt;
use std::sync::OnceLock;

use bytes::Bytes;
use serde::Deserialize;
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

/// The fields of a session that name its front end, read without building
/// the session's whole JSON tree. A session these cannot read (a field of
/// another shape, a key given twice) is read as [`Value`] instead, so the
/// outcome is the same as reading the whole tree.
#[derive(Deserialize)]
struct Fields {
    #[serde(rename = "externalProviderSessionToken")]
    token: Option<Value>,
    #[serde(rename = "_links")]
    links: Option<Links>,
    #[serde(rename = "externalProviderSessionData")]
    data: Option<Value>,
}

#[derive(Deserialize)]
struct Links {
    #[serde(rename = "external-provider-session")]
    session: Option<Link>,
}

#[derive(Deserialize)]
struct Link {
    href: Option<Value>,
}

impl Fields {
    /// The front end of a known partner, as [`FrontEnd::of_session`] reads it.
    fn known(self) -> Option<FrontEnd> {
        if let Some(Value::String(token)) = self.token {
            return Some(FrontEnd::Plaid {
                link_token: Secret::new(token),
            });
        }
        let href = self.links.and_then(|links| links.session?.href);
        if let Some(Value::String(redirect_url)) = href {
            return Some(FrontEnd::Mx { redirect_url });
        }
        self.data
            .filter(Value::is_object)
            .map(|data| FrontEnd::checkout_com(&data))
    }
}

impl FrontEnd {
    /// What the body of a retrieved session gives the front end (see
    /// [`of_session`](Self::of_session)); a body that is not JSON gives
    /// `Unknown(null)`. Known partners' fields are read alone; only a session
    /// of no known partner is read whole.
    pub(crate) fn of_body(body: Option<&[u8]>) -> Self {
        let Some(body) = body else {
            return Self::of_session(&Value::Null);
        };
        if let Some(known) = serde_json::from_slice::<Fields>(body)
            .ok()
            .and_then(Fields::known)
        {
            return known;
        }
        Self::of_session(&serde_json::from_slice(body).unwrap_or_default())
    }

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
            return Self::checkout_com(data);
        }
        let mut unknown = session.clone();
        redact_json(&mut unknown);
        Self::Unknown(unknown)
    }

    /// Checkout.com's payment session, from `externalProviderSessionData`.
    fn checkout_com(data: &Value) -> Self {
        let text = |key: &str| data.get(key).and_then(Value::as_str).map(str::to_string);
        Self::CheckoutCom {
            payment_session_id: text("id"),
            payment_session_secret: text("payment_session_secret").map(Secret::new),
            payment_session_token: text("payment_session_token").map(Secret::new),
        }
    }
}

/// An exchange session as retrieved: the spec's type, and what the session
/// gives the front end (read from the body Dwolla sent when first asked for,
/// so a caller that does not ask does not pay for it).
#[derive(Clone)]
pub struct RetrievedSession {
    session: types::ExchangeSession,
    body: Option<Bytes>,
    front_end: OnceLock<FrontEnd>,
}

impl RetrievedSession {
    /// The session read as the spec's `ExchangeSession`, and the body Dwolla
    /// sent, for its front-end value.
    pub(crate) fn new(session: types::ExchangeSession, body: Option<Bytes>) -> Self {
        Self {
            session,
            body,
            front_end: OnceLock::new(),
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
        self.front_end_ref().clone()
    }

    fn front_end_ref(&self) -> &FrontEnd {
        self.front_end
            .get_or_init(|| FrontEnd::of_body(self.body.as_deref()))
    }
}

/// The session and its front end, never the body (it holds the secrets the
/// front end's `Secret`s hide).
impl fmt::Debug for RetrievedSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetrievedSession")
            .field("session", &self.session)
            .field("front_end", self.front_end_ref())
            .finish()
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
    fn reading_the_body_gives_what_reading_the_whole_json_gives() {
        let bodies = [
            session(json!({ "externalProviderSessionToken": "link-sandbox-1" })).to_string(),
            session(json!({ "_links": { "external-provider-session": { "href": "https://mx.test/x" } } }))
                .to_string(),
            session(json!({ "externalProviderSessionData": { "id": "ps_1", "payment_session_token": 7 } }))
                .to_string(),
            session(json!({ "externalProviderSessionToken": 5, "externalProviderSessionData": "x" }))
                .to_string(),
            session(json!({ "_links": { "external-provider-session": "not an object" } })).to_string(),
            r#"{"externalProviderSessionToken":"first","externalProviderSessionToken":"last"}"#.into(),
            r#"{"_links":null,"externalProviderSessionToken":null}"#.into(),
            r#"{"_links":[1]}"#.into(),
            "[]".into(),
            "not json".into(),
            session(json!({ "newPartner": { "client_secret": "cs_1" } })).to_string(),
        ];
        for body in bodies {
            let whole = serde_json::from_str(&body).unwrap_or_default();
            assert_eq!(
                FrontEnd::of_body(Some(body.as_bytes())),
                FrontEnd::of_session(&whole),
                "{body}"
            );
        }
        assert_eq!(FrontEnd::of_body(None), FrontEnd::Unknown(Value::Null));
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

    #[test]
    fn a_retrieved_session_reads_its_front_end_when_asked_and_never_shows_its_body() {
        let body = session(json!({ "externalProviderSessionToken": "link-sandbox-1" })).to_string();
        let typed = serde_json::from_str(&body).unwrap();
        let retrieved = RetrievedSession::new(typed, Some(Bytes::from(body)));
        let printed = format!("{retrieved:?}");
        assert!(printed.contains("Plaid"), "{printed}");
        assert!(!printed.contains("link-sandbox-1"), "{printed}");
        assert_eq!(
            retrieved.front_end(),
            FrontEnd::Plaid {
                link_token: Secret::new("link-sandbox-1")
            }
        );
    }
}
