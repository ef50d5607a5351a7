//! The exchange partners, read from the list's JSON as Dwolla sent it.
//!
//! Not from the generated type: specs differ in it (Dwolla's 2025 specs
//! type the list's items as the list itself, `ExchangePartners`, and make
//! `name` optional; the January 2026 one types them `ExchangePartner` with
//! `name` an open enum), and the client needs each partner's id and name
//! whatever the spec it was built from says.

use serde::Deserialize;

/// An exchange partner (`_embedded.exchange-partners[]` of
/// `listExchangePartners`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExchangePartner {
    /// Its id, what a new exchange session names it by.
    pub id: String,
    /// Its name as Dwolla sends it (`Plaid`, `MX`, `Checkout.com`...; empty
    /// when Dwolla sent none).
    pub name: String,
    /// Its status (`active`), when Dwolla sent one.
    pub status: Option<String>,
    /// When it was created (RFC 3339 text), when Dwolla sent it.
    pub created: Option<String>,
}

#[derive(Deserialize)]
struct List {
    #[serde(rename = "_embedded")]
    embedded: Option<Embedded>,
}

#[derive(Deserialize)]
struct Embedded {
    /// Each item read on its own: one of another shape is left out, not
    /// the whole list.
    #[serde(rename = "exchange-partners", default)]
    partners: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
struct Item {
    id: Option<String>,
    name: Option<String>,
    status: Option<String>,
    created: Option<String>,
}

/// The partners of a list body; an item without a string id (which no
/// session can name), or of another shape, is left out, and a body of
/// another shape has none.
pub(crate) fn partners(body: &[u8]) -> Vec<ExchangePartner> {
    let Ok(list) = serde_json::from_slice::<List>(body) else {
        return Vec::new();
    };
    list.embedded
        .map(|embedded| embedded.partners)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|item| {
            let item = Item::deserialize(item).ok()?;
            Some(ExchangePartner {
                id: item.id?,
                name: item.name.unwrap_or_default(),
                status: item.status,
                created: item.created,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partners_are_read_whatever_the_spec_typed_them() {
        let body = br#"{"_links":{},"_embedded":{"exchange-partners":[
            {"id":"p-1","name":"Visa","status":"active","created":"2025-01-01T00:00:00Z","_links":{}},
            {"id":"p-2"},
            {"name":"no id"},
            {"id":5,"name":"an id of another type"},
            {"id":"p-3","name":["not a string"]},
            "not an object"
        ]},"total":6}"#;
        let found = partners(body);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].name, "Visa");
        assert_eq!(found[0].status.as_deref(), Some("active"));
        assert_eq!((found[1].id.as_str(), found[1].name.as_str()), ("p-2", ""));
        assert!(partners(b"[]").is_empty());
        assert!(partners(br#"{"total":0}"#).is_empty());
    }
}
