//! Reality: recorded exchanges that pass under OLD and fail under NEW, the
//! most concrete warning a team can get. Both specs are checked as
//! `conformance check --spec` checks them (the extension layer's fragment
//! merged in, the committed errata that apply).

use conformance::check::{Outcome, Suite, SuiteError};
use conformance::fixture::Loaded;

use crate::generated::Side;
use crate::report::{Class, Finding};

/// A finding per fixture of `fixtures` that passes under OLD and fails under
/// NEW, with what NEW says about it.
pub fn diff(old: &Side, new: &Side, fixtures: &[Loaded]) -> Result<Vec<Finding>, SuiteError> {
    let (before, _) = Suite::for_spec(old.spec.clone())?;
    let (after, _) = Suite::for_spec(new.spec.clone())?;
    Ok(fixtures
        .iter()
        .filter(|loaded| before.check_loaded(loaded).outcome == Outcome::Pass)
        .filter_map(|loaded| {
            let verdict = after.check_loaded(loaded);
            (verdict.outcome == Outcome::Fail).then(|| {
                let why: Vec<String> = verdict
                    .failures
                    .iter()
                    .map(|f| match f.instance_pointer.as_str() {
                        "" => f.message.clone(),
                        at => format!("{at}: {}", f.message),
                    })
                    .collect();
                Finding::new(
                    Class::WireBreaking,
                    "fixture-fails",
                    &loaded.name,
                    format!(
                        "this recorded {} exchange passes under OLD and fails under NEW: {}",
                        verdict.operation,
                        why.join("; ")
                    ),
                )
            })
        })
        .collect())
}
