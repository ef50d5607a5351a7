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

use std::sync::OnceLock;

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

    #[derive(Debug, PartialEq, Serialize, serde::Deserialize)]
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
