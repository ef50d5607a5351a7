//! Corrections applied to the spec so that validation can go on past its
//! known defects. They all live in `conformance/errata.json`, each with its
//! reason; every report prints the ones it used. They are written for the
//! vendored spec's pointers: there, an erratum whose target is gone is an
//! error, so a fixed spec retires its errata loudly; another spec (`check
//! --spec`) gets the errata whose targets it has, and a notice for each other.

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

/// An erratum left out of a check against a spec other than the vendored
/// one, because that spec lacks its target.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "notice: erratum {id} skipped: {pointer} {missing} in this spec (the errata are written for the vendored spec)"
)]
pub struct Skipped {
    /// The erratum.
    pub id: String,
    /// Its pointer.
    pub pointer: String,
    /// What the spec lacks there: `is not`, or `has no oneOf`.
    pub missing: String,
}

/// The errata to apply to `spec`, and the ones left out.
///
/// For the vendored spec (`vendored`), every erratum applies and one whose
/// target is gone is an error. Another spec was not the one they were
/// written for: an erratum whose target it lacks is left out and the check
/// goes on.
pub fn applicable(
    spec: &Spec,
    errata: Vec<Erratum>,
    vendored: bool,
) -> Result<(Vec<Erratum>, Vec<Skipped>), ErrataError> {
    if vendored {
        apply(spec, &errata)?;
        return Ok((errata, Vec::new()));
    }
    let mut kept = Vec::new();
    let mut skipped = Vec::new();
    for erratum in errata {
        let missing = match apply(spec, std::slice::from_ref(&erratum)) {
            Ok(_) => {
                kept.push(erratum);
                continue;
            }
            Err(ErrataError::Stale { .. }) => "is not".to_string(),
            Err(ErrataError::KeywordMissing { keyword, .. }) => format!("has no {keyword}"),
            Err(other) => return Err(other),
        };
        skipped.push(Skipped {
            id: erratum.id,
            pointer: erratum.pointer,
            missing,
        });
    }
    Ok((kept, skipped))
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

    #[test]
    fn another_spec_skips_the_errata_it_has_no_target_for() {
        let spec = crate::vendored::spec().unwrap();
        let errata = committed().unwrap();
        let mut other = apply(&spec, &errata[..1]).unwrap();
        let partner = "/components/schemas/ExchangePartner/properties";
        other
            .document
            .pointer_mut(partner)
            .and_then(Value::as_object_mut)
            .unwrap()
            .remove("name");
        let (kept, skipped) = applicable(&other, errata.clone(), false).unwrap();
        assert_eq!(kept.len(), errata.len() - 2);
        let skipped: Vec<(&str, &str)> = skipped
            .iter()
            .map(|s| (s.id.as_str(), s.missing.as_str()))
            .collect();
        assert_eq!(
            skipped,
            [
                ("create-request-oneof-overlap", "has no oneOf"),
                ("partner-name-enum-incomplete", "is not")
            ]
        );
        assert!(matches!(
            applicable(&other, errata.clone(), true),
            Err(ErrataError::KeywordMissing { .. })
        ));
        let (kept, skipped) = applicable(&spec, errata.clone(), true).unwrap();
        assert_eq!((kept, skipped.len()), (errata, 0));
    }
}
