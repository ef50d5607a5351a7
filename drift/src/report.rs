//! The drift report: each change with its class and rule, the extension
//! layer's status against the new spec, and the report as text or GitHub
//! Actions annotations.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

/// How a change affects the generated client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// The client stops compiling, or fails on a request or response it
    /// handled before.
    Breaking,
    /// Nothing the client does changes.
    Compatible,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// Breaking or compatible.
    pub class: Class,
    /// The rule that classified it, e.g. `response-property-removed`.
    pub rule: &'static str,
    /// The operationId.
    pub operation: String,
    /// Where in the old spec (empty when the thing is new).
    pub old_pointer: String,
    /// Where in the new spec (empty when the thing is gone).
    pub new_pointer: String,
    /// What changed and why it matters.
    pub message: String,
}

/// Whether a hand-written operation can retire now that the spec defines it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExtensionStatus {
    /// The operationId.
    pub operation: String,
    /// `not-in-spec`, `can-retire` or `differs`.
    pub status: &'static str,
    /// Where the extension and the spec differ.
    pub differences: Vec<Change>,
}

/// The drift report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Every change, breaking first.
    pub changes: Vec<Change>,
    /// The extension layer's operations against the new spec.
    pub extensions: Vec<ExtensionStatus>,
}

impl Report {
    /// How many changes of `class`.
    pub fn count(&self, class: Class) -> usize {
        self.changes.iter().filter(|c| c.class == class).count()
    }
}

/// The report for people.
pub fn to_text(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} breaking, {} compatible",
        report.count(Class::Breaking),
        report.count(Class::Compatible)
    );
    let mut described: BTreeMap<&str, usize> = BTreeMap::new();
    for change in &report.changes {
        if change.rule == "description-changed" {
            *described.entry(change.operation.as_str()).or_default() += 1;
            continue;
        }
        let class = match change.class {
            Class::Breaking => "BREAKING",
            Class::Compatible => "compatible",
        };
        let _ = writeln!(
            out,
            "{class:<10} {:<34} {}: {}",
            change.rule, change.operation, change.message
        );
        let _ = writeln!(
            out,
            "           old {}  new {}",
            or_dash(&change.old_pointer),
            or_dash(&change.new_pointer)
        );
    }
    for (operation, count) in described {
        let _ = writeln!(
            out,
            "compatible description-changed                   {operation}: {count} description, title or example change(s) (see --format json)"
        );
    }
    for extension in &report.extensions {
        let verdict = match extension.status {
            "not-in-spec" => "the new spec does not define it; keep the extension".to_string(),
            "can-retire" => {
                "the new spec defines it as the extension does; the extension can be retired"
                    .to_string()
            }
            _ => format!(
                "the new spec defines it differently ({} difference(s)):",
                extension.differences.len()
            ),
        };
        let _ = writeln!(out, "extension {}: {verdict}", extension.operation);
        for difference in &extension.differences {
            let _ = writeln!(
                out,
                "    {} {}: extension {} spec {}",
                difference.rule,
                difference.message,
                or_dash(&difference.old_pointer),
                or_dash(&difference.new_pointer)
            );
        }
    }
    out
}

fn or_dash(pointer: &str) -> &str {
    if pointer.is_empty() { "-" } else { pointer }
}

/// GitHub Actions annotations: an error per breaking change, a notice per
/// compatible one.
pub fn to_github(report: &Report) -> String {
    let escape = |text: &str| {
        text.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    report
        .changes
        .iter()
        .map(|change| {
            let level = match change.class {
                Class::Breaking => "error",
                Class::Compatible => "notice",
            };
            format!(
                "::{level} title=spec drift: {} ({})::{} [old {} new {}]\n",
                change.rule,
                change.operation,
                escape(&change.message),
                or_dash(&change.old_pointer),
                or_dash(&change.new_pointer)
            )
        })
        .collect()
}
