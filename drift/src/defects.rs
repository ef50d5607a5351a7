//! Spec defects (conformance's `defects` checks) that NEW introduces or
//! fixes, one finding per kind and place.

use std::collections::{BTreeMap, BTreeSet};

use conformance::defects::{Defect, find};

use crate::generated::Side;
use crate::report::{Class, Finding};

/// Defects found in NEW and not in OLD, and the other way round.
pub fn diff(old: &Side, new: &Side) -> Vec<Finding> {
    let before: BTreeSet<Defect> = find(&old.spec).into_iter().collect();
    let after: BTreeSet<Defect> = find(&new.spec).into_iter().collect();
    let mut findings = grouped(after.difference(&before), "spec-defect-introduced");
    findings.extend(grouped(before.difference(&after), "spec-defect-fixed"));
    findings
}

/// One finding per `(kind, pointer)`: its first detail and how many more.
fn grouped<'a>(defects: impl Iterator<Item = &'a Defect>, rule: &'static str) -> Vec<Finding> {
    let mut by_place: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    for defect in defects {
        by_place
            .entry((&defect.kind, &defect.pointer))
            .or_default()
            .push(&defect.detail);
    }
    by_place
        .into_iter()
        .map(|((kind, pointer), details)| {
            let more = match details.len() {
                1 => String::new(),
                n => format!(" (and {} more of this kind here)", n - 1),
            };
            Finding::new(
                Class::Compatible,
                rule,
                pointer,
                format!("{kind}: {}{more}", details[0]),
            )
        })
        .collect()
}
