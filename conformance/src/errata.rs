//! Corrections applied to the spec so that validation can go on past its
//! known defects. They all live in `conformance/errata.json`, each with its
//! reason; every report prints the ones it used. An erratum whose target is
//! gone from the spec is an error, so a fixed spec retires its errata loudly.

use openapi_doc::spec::Spec;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The committed errata.
pub const COMMITTED: &str = include_str!("../errata.json");

/// One correction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Erratum {
    /// A short stable name, used in verdicts.
    pub id: String,
    /// JSON pointer of the schema it corrects.
    pub pointer: String,
    /// Renames a keyword (e.g. `oneOf` to `anyOf`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rename_keyword: Option<Rename>,
    /// Sets keywords to new values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set: Option<Map<String, Value>>,
    /// Why the spec is wrong here, with the evidence.
    pub reason: String,
}

/// A keyword rename.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rename {
    /// The keyword in the spec.
    pub from: String,
    /// The keyword it becomes.
    pub to: String,
}

/// Why errata could not be read or applied.
#[derive(Debug, thiserror::Error)]
pub enum ErrataError {
    /// The errata file is malformed.
    #[error("errata: {0}")]
    Format(String),
    /// An erratum names a schema the spec does not have (any more).
    #[error("erratum {id}: {pointer} is not in the spec; remove the erratum if the spec was fixed")]
    Stale {
        /// The erratum.
        id: String,
        /// Its pointer.
        pointer: String,
    },
    /// An erratum's rename finds no such keyword.
    #[error("erratum {id}: {pointer} has no {keyword}; remove the erratum if the spec was fixed")]
    KeywordMissing {
        /// The erratum.
        id: String,
        /// Its pointer.
        pointer: String,
        /// The keyword.
        keyword: String,
    },
}

/// Parses an errata file.
pub fn parse(text: &str) -> Result<Vec<Erratum>, ErrataError> {
    serde_json::from_str(text).map_err(|why| ErrataError::Format(why.to_string()))
}

/// The committed errata.
pub fn committed() -> Result<Vec<Erratum>, ErrataError> {
    parse(COMMITTED)
}

/// A copy of `spec` with `errata` applied.
pub fn apply(spec: &Spec, errata: &[Erratum]) -> Result<Spec, ErrataError> {
    let mut corrected = spec.clone();
    for erratum in errata {
        let stale = || ErrataError::Stale {
            id: erratum.id.clone(),
            pointer: erratum.pointer.clone(),
        };
        let target = corrected
            .document
            .pointer_mut(&erratum.pointer)
            .and_then(Value::as_object_mut)
            .ok_or_else(stale)?;
        if let Some(rename) = &erratum.rename_keyword {
            let value = target
                .remove(&rename.from)
                .ok_or_else(|| ErrataError::KeywordMissing {
                    id: erratum.id.clone(),
                    pointer: erratum.pointer.clone(),
                    keyword: rename.from.clone(),
                })?;
            target.insert(rename.to.clone(), value);
        }
        for (keyword, value) in erratum.set.iter().flatten() {
            target.insert(keyword.clone(), value.clone());
        }
    }
    Ok(corrected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_errata_apply_to_the_vendored_spec() {
        let spec = crate::vendored::spec().unwrap();
        let errata = committed().unwrap();
        assert_eq!(errata.len(), 7);
        let corrected = apply(&spec, &errata).unwrap();
        let schema = corrected.document.pointer(&errata[0].pointer).unwrap();
        assert!(schema.get("anyOf").is_some() && schema.get("oneOf").is_none());
    }

    #[test]
    fn an_erratum_for_a_fixed_spec_is_an_error() {
        let spec = crate::vendored::spec().unwrap();
        let mut errata = committed().unwrap();
        let fixed = apply(&spec, &errata).unwrap();
        errata.truncate(1);
        assert!(matches!(
            apply(&fixed, &errata),
            Err(ErrataError::KeywordMissing { .. })
        ));
        errata[0].pointer = "/components/schemas/Gone".into();
        assert!(matches!(
            apply(&spec, &errata),
            Err(ErrataError::Stale { .. })
        ));
    }
}
