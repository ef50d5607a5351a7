//! One finding per subject and rule: the changes a rule finds on one type
//! or operation (113 fields made required, say) are one finding that names
//! the first few and counts the rest; `--verbose` lists each.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::report::{Class, Finding};

/// How many items a grouped finding names in its message.
const NAMED: usize = 5;

/// One change a rule found on a subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Its class.
    pub class: Class,
    /// The rule that found it.
    pub rule: &'static str,
    /// What it touches, short (`` `name` ``), empty when it is the whole
    /// subject.
    pub item: String,
    /// The whole sentence.
    pub message: String,
}

impl Change {
    /// A change of `class` found by `rule`.
    pub fn new(
        class: Class,
        rule: &'static str,
        item: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            class,
            rule,
            item: item.into(),
            message: message.into(),
        }
    }
}

/// The findings of `changes` on `subject`: one per class and rule.
pub fn grouped(subject: &str, changes: Vec<Change>) -> impl Iterator<Item = Finding> + '_ {
    let mut by_rule: BTreeMap<(Class, &'static str), Vec<Change>> = BTreeMap::new();
    for change in changes {
        by_rule
            .entry((change.class, change.rule))
            .or_default()
            .push(change);
    }
    by_rule.into_iter().map(move |((class, rule), changes)| {
        if let [only] = changes.as_slice() {
            return Finding::new(class, rule, subject, only.message.clone());
        }
        let items: Vec<&str> = changes
            .iter()
            .map(|c| {
                if c.item.is_empty() {
                    c.message.as_str()
                } else {
                    c.item.as_str()
                }
            })
            .collect();
        let mut message = format!(
            "{} {}: {}",
            changes.len(),
            heading(rule),
            items[..NAMED.min(items.len())].join(", ")
        );
        if items.len() > NAMED {
            let _ = write!(message, " and {} more", items.len() - NAMED);
        }
        let mut finding = Finding::new(class, rule, subject, message);
        finding.details = changes.into_iter().map(|c| c.message).collect();
        finding
    })
}

/// What a group of a rule's changes is called.
fn heading(rule: &str) -> &str {
    match rule {
        "field-removed" => "fields gone",
        "field-made-required" => "fields now required",
        "field-made-optional" => "fields now optional",
        "field-type-changed" => "fields of another type",
        "field-added" => "new fields",
        "required-field-added" => "new required fields",
        "variant-removed" => "variants gone",
        "variant-added" => "new variants",
        "variant-renamed" => "variants renamed",
        "variant-changed" => "variants carrying another type",
        "argument-removed" => "builder methods gone",
        "argument-added" => "new builder methods",
        "argument-type-changed" => "builder methods taking another type",
        "request-refused" => "arguments NEW refuses",
        "type-removed" => "generated types gone",
        "type-added" => "new generated types",
        "type-renamed" => "generated types renamed",
        "token-fetch-unaffected" => "wire changes the hand-written token fetch does not see",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_finding_per_rule_naming_five_and_counting_the_rest() {
        let changes: Vec<Change> = (0..8)
            .map(|i| {
                Change::new(
                    Class::SourceBreaking,
                    "field-made-required",
                    format!("`f{i}`"),
                    format!("field `f{i}` is now `String`, was `Option<String>`"),
                )
            })
            .chain([Change::new(
                Class::Compatible,
                "field-added",
                "`g`",
                "new field `g` (`String`)",
            )])
            .collect();
        let findings: Vec<Finding> = grouped("types::T", changes).collect();
        assert_eq!(findings.len(), 2);
        assert_eq!(
            findings[0].message,
            "8 fields now required: `f0`, `f1`, `f2`, `f3`, `f4` and 3 more"
        );
        assert_eq!(findings[0].details.len(), 8);
        assert_eq!(findings[1].message, "new field `g` (`String`)");
        assert!(findings[1].details.is_empty());
    }
}
