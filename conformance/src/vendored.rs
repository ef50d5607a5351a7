//! The spec this project's client implements: Dwolla's spec as vendored in
//! `openapi/dwolla.yml`, plus the extension layer's own OpenAPI fragment
//! (the re-authentication endpoint the spec leaves out), committed as
//! `openapi/extras-fragment.json`.
//!
//! The fragment is generated from the client's hand-written types; the
//! checker does not depend on the client, so it reads the committed copy, and
//! a test of the test kit (`dwolla-testkit/tests/extras_fragment.rs`) keeps that copy
//! equal to what the client generates.
//!
//! Both are read through links in `conformance/spec/` to the files in
//! `openapi/`: one copy in the tree, and inside this crate's package (which
//! holds the files the links point to) when it is packaged.

use openapi_doc::spec::{Spec, SpecError};
use serde_json::Value;

/// The vendored spec, as committed.
pub const SPEC: &str = include_str!("../spec/dwolla.yml");

/// Where the vendored spec lives, relative to the workspace root.
pub const SPEC_PATH: &str = "openapi/dwolla.yml";

/// The extension layer's fragment, as committed.
pub const EXTRAS_FRAGMENT: &str = include_str!("../spec/extras-fragment.json");

/// Where the extension layer's fragment lives, relative to the workspace root.
pub const EXTRAS_FRAGMENT_PATH: &str = "openapi/extras-fragment.json";

/// The vendored spec as Dwolla published it, without the fragment.
pub fn published() -> Result<Spec, SpecError> {
    Spec::parse(SPEC, SPEC_PATH)
}

/// The extension layer's fragment: `{"paths": {...}, "components":
/// {"schemas": {...}}}`.
pub fn extras_fragment() -> Result<Value, SpecError> {
    openapi_doc::load::parse(EXTRAS_FRAGMENT).map_err(|source| SpecError::Parse {
        path: EXTRAS_FRAGMENT_PATH.into(),
        source,
    })
}

/// What the client implements: the vendored spec with the fragment merged in.
pub fn spec() -> Result<Spec, SpecError> {
    Ok(published()?.with_fragment(&extras_fragment()?))
}

/// The operationIds the client generates from the vendored spec (the
/// extension layer's operations are not among them).
pub fn bound_operations() -> Result<Vec<String>, SpecError> {
    Ok(published()?
        .operations()
        .into_iter()
        .map(|op| op.id)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vendored_spec_with_the_fragment_has_six_operations() {
        let ids: Vec<String> = spec()
            .unwrap()
            .operations()
            .into_iter()
            .map(|op| op.id)
            .collect();
        assert_eq!(
            ids,
            [
                "createCustomerExchangeSession",
                "listExchangePartners",
                "getExchangePartner",
                "retrieveCustomerExchangeSession",
                "createReAuthExchangeSession",
                "createApplicationAccessToken"
            ]
        );
        assert_eq!(
            bound_operations().unwrap(),
            [
                "createCustomerExchangeSession",
                "listExchangePartners",
                "getExchangePartner",
                "retrieveCustomerExchangeSession",
                "createApplicationAccessToken"
            ]
        );
    }
}
