//! The bodies the mock answers with, shaped as Dwolla's: HAL links to the
//! mock's own address.

use serde_json::{Value, json};

use super::state::{MockPartner, PartnerKind, Session};
use crate::answers::{exchange_session, hal_link as link};

/// When Dwolla's documentation says the partners were added.
const PARTNERS_CREATED: &str = "2022-08-30T19:31:59.106Z";

/// A token answer.
pub(crate) fn token(access_token: &str) -> Value {
    json!({ "access_token": access_token, "token_type": "Bearer", "expires_in": 3599 })
}

/// One partner.
pub(crate) fn partner(base: &str, partner: &MockPartner) -> Value {
    json!({
        "_links": { "self": link(&format!("{base}/exchange-partners/{}", partner.id), "exchange-partner") },
        "id": partner.id,
        "name": partner.name,
        "status": "active",
        "created": PARTNERS_CREATED,
    })
}

/// The list of `partners`.
pub(crate) fn partners(base: &str, partners: &[MockPartner]) -> Value {
    let items: Vec<Value> = partners.iter().map(|p| partner(base, p)).collect();
    json!({
        "_links": { "self": link(&format!("{base}/exchange-partners"), "exchange-partner") },
        "_embedded": { "exchange-partners": items },
        "total": partners.len(),
    })
}

/// A retrieved session in its partner's shape: Plaid's link token, MX's
/// page, Checkout.com's payment session.
pub(crate) fn session(base: &str, id: &str, session: &Session) -> Value {
    let mut body = exchange_session(base, id, session.partner.id, &session.created);
    match session.partner.kind {
        PartnerKind::Plaid => {
            body["externalProviderSessionToken"] = json!(format!("link-mock-{id}"));
        }
        PartnerKind::Mx => {
            body["_links"]["external-provider-session"] =
                link(&format!("{base}/mock-mx-connect/{id}"), "text/html");
        }
        PartnerKind::CheckoutCom => {
            body["externalProviderSessionData"] = json!({
                "id": format!("ps_mock_{}", id.replace('-', "")),
                "payment_session_secret": format!("pss_mock_{id}"),
                "payment_session_token": format!("pst_mock_{id}"),
            });
        }
    }
    body
}
