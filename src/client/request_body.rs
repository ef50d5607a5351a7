//! Request bodies in the spec's generated types, built from the JSON Dwolla
//! documents for them.
//!
//! The ergonomic layer writes each body as Dwolla's wire shape and reads it
//! into the type the spec's builder takes (named through
//! `generated::request_bodies`), so it compiles whatever names a spec's
//! schemas give those types. A type that cannot carry the body exactly (it
//! refuses it, or would send something else) is an error before sending,
//! never a silently changed request.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::Error;
use crate::operations::OperationMeta;

/// `body` as the request type `T` of `operation`, if `T` sends it unchanged.
pub(super) fn typed_body<T: Serialize + DeserializeOwned>(
    operation: &'static OperationMeta,
    body: Value,
) -> Result<T, Error> {
    let refused = |message: String| Error::InvalidRequest {
        operation: operation.operation_id,
        message,
    };
    let typed = T::deserialize(&body).map_err(|why| {
        refused(format!(
            "the spec's request type cannot hold the body Dwolla documents: {why}"
        ))
    })?;
    match serde_json::to_value(&typed) {
        Ok(sent) if sent == body => Ok(typed),
        _ => Err(refused(
            "the spec's request type would not send the body Dwolla documents as it is".into(),
        )),
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
        let typed: OnlyName = typed_body(operation, json!({ "name": "a" })).unwrap();
        assert_eq!(typed, OnlyName { name: "a".into() });
    }

    #[test]
    fn a_body_the_type_refuses_or_changes_is_an_invalid_request() {
        let operation = spec::CREATE_CUSTOMER_EXCHANGE_SESSION;
        for body in [json!({ "id": 1 }), json!({ "name": "a", "dropped": true })] {
            match typed_body::<OnlyName>(operation, body.clone()) {
                Err(Error::InvalidRequest { operation, .. }) => {
                    assert_eq!(operation, "createCustomerExchangeSession");
                }
                other => panic!("{body}: {other:?}"),
            }
        }
    }
}
