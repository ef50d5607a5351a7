//! What the mock remembers: the tokens it minted (and which expired), the
//! exchange partners of the account, and every exchange session created.

use std::collections::HashMap;
use std::sync::Mutex;

/// An exchange partner of the mock's account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MockPartner {
    /// Its id (Dwolla's documentation ids).
    pub id: &'static str,
    /// Its name as Dwolla spells it.
    pub name: &'static str,
    /// The shape of its sessions.
    pub kind: PartnerKind,
}

/// The shape a partner's session has when retrieved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartnerKind {
    /// Plaid: a link token for Plaid Link (`externalProviderSessionToken`).
    Plaid,
    /// MX: a page to send the user to (`_links.external-provider-session`).
    Mx,
    /// Checkout.com: a payment session (`externalProviderSessionData`).
    CheckoutCom,
}

/// The partners every mock account has: Plaid, MX and Checkout.com, with the
/// ids of Dwolla's documentation examples.
pub const PARTNERS: &[MockPartner] = &[
    MockPartner {
        id: "f53ffb32-c84f-496a-9d9d-acd100d396ef",
        name: "Plaid",
        kind: PartnerKind::Plaid,
    },
    MockPartner {
        id: "2164407f-33c3-4555-a6a1-40d5e9e58744",
        name: "MX",
        kind: PartnerKind::Mx,
    },
    MockPartner {
        id: "d652517d-9c02-4ea4-87af-2977e6cf3850",
        name: "Checkout.com",
        kind: PartnerKind::CheckoutCom,
    },
];

/// The partner with this id.
pub(crate) fn partner(id: &str) -> Option<&'static MockPartner> {
    PARTNERS.iter().find(|p| p.id == id)
}

/// One exchange session created.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub(crate) partner: &'static MockPartner,
    pub(crate) created: String,
}

/// How a bearer token stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenState {
    Valid,
    Expired,
    Unknown,
}

#[derive(Debug, Default)]
struct Inner {
    /// Token → still valid.
    tokens: HashMap<String, bool>,
    sessions: HashMap<String, Session>,
    minted: u64,
}

/// Tokens and sessions, shared by every connection.
#[derive(Debug, Default)]
pub(crate) struct Store {
    inner: Mutex<Inner>,
}

impl Store {
    /// A new token.
    pub(crate) fn mint_token(&self) -> String {
        let mut inner = self.lock();
        let token = format!("mock-access-token-{:016x}", next(&mut inner));
        inner.tokens.insert(token.clone(), true);
        token
    }

    /// How many tokens were minted.
    pub(crate) fn token_count(&self) -> usize {
        self.lock().tokens.len()
    }

    /// Whether `token` was minted here and has not expired.
    pub(crate) fn token(&self, token: &str) -> TokenState {
        match self.lock().tokens.get(token) {
            Some(true) => TokenState::Valid,
            Some(false) => TokenState::Expired,
            None => TokenState::Unknown,
        }
    }

    /// Expires every token minted so far.
    pub(crate) fn expire_tokens(&self) {
        for valid in self.lock().tokens.values_mut() {
            *valid = false;
        }
    }

    /// Remembers a new session and returns its id.
    pub(crate) fn create_session(&self, session: Session) -> String {
        let mut inner = self.lock();
        let n = next(&mut inner);
        let id = format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            0x5e55_10c5_u32,
            (n >> 48) & 0xffff,
            (n >> 36) & 0xfff,
            (n >> 24) & 0xfff,
            n & 0xffff_ffff_ffff
        );
        inner.sessions.insert(id.clone(), session);
        id
    }

    /// The session with this id.
    pub(crate) fn session(&self, id: &str) -> Option<Session> {
        self.lock().sessions.get(id).cloned()
    }

    /// How many sessions were created.
    pub(crate) fn session_count(&self) -> usize {
        self.lock().sessions.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The next number of the mock's sequence (tokens and ids share it).
fn next(inner: &mut Inner) -> u64 {
    inner.minted = inner.minted.wrapping_add(1);
    inner.minted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_differ_and_tokens_expire() {
        let store = Store::default();
        let session = || Session {
            partner: &PARTNERS[0],
            created: String::new(),
        };
        let (a, b) = (
            store.create_session(session()),
            store.create_session(session()),
        );
        assert_ne!(a, b);
        assert_eq!(a.len(), 36, "{a}");
        let token = store.mint_token();
        assert_eq!(store.token(&token), TokenState::Valid);
        store.expire_tokens();
        assert_eq!(store.token(&token), TokenState::Expired);
        assert_eq!(store.token("other"), TokenState::Unknown);
        assert_eq!(store.session_count(), 2);
    }
}
