//! Request bodies in the spec's generated types, built from the JSON Dwolla
//! documents for them.
//!
//! The ergonomic layer writes each body as Dwolla's wire shape and reads it
//! into the type the spec's builder takes (named through
//! `generated::request_bodies`), so it compiles whatever names a spec's
//! schemas give those types. A type that cannot carry the body exactly (it
//! refuses it, or would send something else) is an error before sending,
//! never a silently changed request.
//!
//! Whether a type refuses a body depends on its values (a pattern, a
//! length), so every body is read into the type. Whether it would send
//! something else (a key it does not have, dropped) depends on the type
//! and the body's shape, its set of keys: the fields of these bodies are
//! strings, which a generated type holds as strings (sent back as they
//! came) or as a parsed value that refuses a URL or a package name. So
//! that is checked once per shape, on the first body of that shape, and
//! remembered in the shape's [`ShapeCheck`].
//!
//! Reading a body into a generated untagged enum is most of the client's
//! own work on a create, and a platform sends the same few bodies again
//! and again (one partner, one redirect). So each operation remembers the
//! typed bodies of its last few distinct requests in [`RecentBodies`].

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Mutex, OnceLock};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::Error;
use crate::operations::OperationMeta;

/// Whether the request type sends bodies of one shape unchanged, once known.
pub(super) struct ShapeCheck(OnceLock<bool>);

impl ShapeCheck {
    /// A shape not checked yet.
    pub(super) const fn new() -> Self {
        Self(OnceLock::new())
    }
}

/// How many distinct requests an operation remembers the typed body of:
/// more than the partners and redirects a platform uses.
const REMEMBERED: usize = 8;

/// The typed bodies of an operation's last few distinct requests (`K`
/// names a request; the least recently used is forgotten first), so that a
/// request made again is neither written as JSON nor read into the spec's
/// type `T` again. Only bodies the type took are kept: a refusal is judged
/// again every time.
pub(super) struct RecentBodies<K, T> {
    entries: Mutex<VecDeque<(K, T)>>,
}

impl<K, T> Default for RecentBodies<K, T> {
    fn default() -> Self {
        Self {
            entries: Mutex::new(VecDeque::with_capacity(REMEMBERED)),
        }
    }
}

impl<K, T> fmt::Debug for RecentBodies<K, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let remembered = self.entries.lock().map_or(0, |entries| entries.len());
        f.debug_struct("RecentBodies")
            .field("remembered", &remembered)
            .finish()
    }
}

impl<K: PartialEq + Clone, T: Clone> RecentBodies<K, T> {
    /// The typed body of `request`: remembered, or made by `make` (and
    /// remembered when `make` succeeds, the least recently used forgotten).
    pub(super) fn get_or_make(
        &self,
        request: &K,
        make: impl FnOnce() -> Result<T, Error>,
    ) -> Result<T, Error> {
        if let Some(typed) = self.remembered(request) {
            return Ok(typed);
        }
        // Made outside the lock: other calls need not wait for it.
        let typed = make()?;
        let mut entries = self.lock();
        // Another call may have made the same body meanwhile.
        if !entries.iter().any(|(known, _)| known == request) {
            entries.truncate(REMEMBERED - 1);
            entries.push_front((request.clone(), typed.clone()));
        }
        Ok(typed)
    }

    /// The remembered body of `request`, now the most recently used.
    fn remembered(&self, request: &K) -> Option<T> {
        let mut entries = self.lock();
        let at = entries.iter().position(|(known, _)| known == request)?;
        let entry = entries.remove(at)?;
        let typed = entry.1.clone();
        entries.push_front(entry);
        Some(typed)
    }

    /// The entries; a panic elsewhere while they were held leaves them
    /// whole (each change is one push or pop), so poisoning is ignored.
    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<(K, T)>> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// `json` as the request type `T` of `operation`, if `T` sends bodies of
/// its shape unchanged (checked on the first body of `shape`).
pub(super) fn typed_body<T: Serialize + DeserializeOwned>(
    operation: &'static OperationMeta,
    json: &str,
    shape: &ShapeCheck,
) -> Result<T, Error> {
    let refused = |message: String| Error::InvalidRequest {
        operation: operation.operation_id,
        message,
    };
    let typed = serde_json::from_str(json).map_err(|why| {
        refused(format!(
            "the spec's request type cannot hold the body Dwolla documents: {why}"
        ))
    })?;
    if *shape.0.get_or_init(|| sends_unchanged(&typed, json)) {
        Ok(typed)
    } else {
        Err(refused(
            "the spec's request type would not send the body Dwolla documents as it is".into(),
        ))
    }
}

/// Whether `typed` is sent as the JSON `json` it was read from.
fn sends_unchanged<T: Serialize>(typed: &T, json: &str) -> bool {
    match (
        serde_json::to_value(typed),
        serde_json::from_str::<Value>(json),
    ) {
        (Ok(sent), Ok(body)) => sent == body,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operations::spec;
    use serde_json::json;

    #[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
    struct OnlyName {
        name: String,
    }

    #[test]
    fn a_body_the_type_carries_exactly_is_accepted() {
        let operation = spec::CREATE_CUSTOMER_EXCHANGE_SESSION;
        let body = json!({ "name": "a" }).to_string();
        let typed: OnlyName = typed_body(operation, &body, &ShapeCheck::new()).unwrap();
        assert_eq!(typed, OnlyName { name: "a".into() });
    }

    #[test]
    fn a_body_the_type_refuses_or_changes_is_an_invalid_request() {
        let operation = spec::CREATE_CUSTOMER_EXCHANGE_SESSION;
        for body in [json!({ "id": 1 }), json!({ "name": "a", "dropped": true })] {
            match typed_body::<OnlyName>(operation, &body.to_string(), &ShapeCheck::new()) {
                Err(Error::InvalidRequest { operation, .. }) => {
                    assert_eq!(operation, "createCustomerExchangeSession");
                }
                other => panic!("{body}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_request_made_again_reuses_its_typed_body_and_a_refusal_is_not_kept() {
        let operation = spec::CREATE_CUSTOMER_EXCHANGE_SESSION;
        let recent = RecentBodies::<String, OnlyName>::default();
        let shape = ShapeCheck::new();
        let made = std::cell::Cell::new(0);
        let body = |name: &str| {
            made.set(made.get() + 1);
            typed_body::<OnlyName>(operation, &json!({ "name": name }).to_string(), &shape)
        };
        for _ in 0..3 {
            let typed = recent.get_or_make(&"a".to_string(), || body("a")).unwrap();
            assert_eq!(typed, OnlyName { name: "a".into() });
        }
        assert_eq!(made.get(), 1, "made once, then remembered");

        let refused = || typed_body::<OnlyName>(operation, r#"{"name":7}"#, &shape);
        for _ in 0..2 {
            assert!(recent.get_or_make(&"bad".to_string(), refused).is_err());
        }
        assert_eq!(format!("{recent:?}"), "RecentBodies { remembered: 1 }");
    }

    #[test]
    fn the_least_recently_used_request_is_forgotten_first() {
        let recent = RecentBodies::<usize, usize>::default();
        // Whether `request` had to be made (was not remembered).
        let made = |request: usize| {
            let made = std::cell::Cell::new(false);
            let typed = recent
                .get_or_make(&request, || {
                    made.set(true);
                    Ok(request)
                })
                .unwrap();
            assert_eq!(typed, request);
            made.get()
        };
        for request in 0..REMEMBERED {
            assert!(made(request), "{request} is new");
        }
        assert!(!made(0), "0 is remembered, and now the most recently used");
        assert!(
            made(REMEMBERED),
            "a new one forgets the least recently used"
        );
        assert!(!made(0), "so 0 is still remembered");
        assert!(made(1), "and 1 was forgotten");
        assert_eq!(
            format!("{recent:?}"),
            format!("RecentBodies {{ remembered: {REMEMBERED} }}")
        );
    }

    #[test]
    fn a_shape_is_judged_on_its_first_body_and_values_on_every_body() {
        let operation = spec::CREATE_CUSTOMER_EXCHANGE_SESSION;
        let dropping = ShapeCheck::new();
        for name in ["a", "b"] {
            let body = json!({ "name": name, "dropped": true }).to_string();
            assert!(typed_body::<OnlyName>(operation, &body, &dropping).is_err());
        }
        let exact = ShapeCheck::new();
        let first = json!({ "name": "a" }).to_string();
        assert!(typed_body::<OnlyName>(operation, &first, &exact).is_ok());
        let refused = json!({ "name": 7 }).to_string();
        assert!(typed_body::<OnlyName>(operation, &refused, &exact).is_err());
    }
}
