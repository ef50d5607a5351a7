//! The bodies the mock answers with, shaped as Dwolla's: HAL links to the
//! mock's own address.

use serde_json::{Value, json};

use super::state::{MockPartner, PartnerKind, Session};
use crate::answers::HAL;

/// A HAL link to `href`.
fn link(href: &str, resource_type: &str) -> Value {
    json!({ "href": href, "type": HAL, "resource-type": resource_type })
}

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
    let mut body = json!({
        "created": session.created,
        "_links": {
            "self": link(&format!("{base}/exchange-sessions/{id}"), "exchange-sessions"),
            "exchange-partner": link(&format!("{base}/exchange-partners/{}", session.partner.id), "exchange-partner"),
        },
    });
    match session.partner.kind {
        PartnerKind::Plaid => {
            body["externalProviderSessionToken"] = json!(format!("link-mock-{id}"));
        }
        PartnerKind::Mx => {
            body["_links"]["external-provider-session"] = json!({
                "href": format!("{base}/mock-mx-connect/{id}"),
                "type": HAL,
                "resource-type": "text/html",
            });
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
