//! The drift report: each finding with its class, rule, subject and reason,
//! the operations it concerns and where the team acts on it; the verdict
//! and counts. It is what `--format json` prints, and what `spec-drift
//! render` reads back to print the other formats.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What a change does to the client generated from the spec, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// A client built from OLD fails against a server that follows NEW: a
    /// request NEW refuses, a response it cannot decode, another auth scheme.
    WireBreaking,
    /// User code written against the client built from OLD stops compiling
    /// against the client built from NEW.
    SourceBreaking,
    /// Something new or different that breaks neither.
    Compatible,
    /// A change the client cannot observe (reported with `--verbose`).
    NoEffect,
}

impl Class {
    /// The class as the CLI and the reports spell it.
    pub fn label(self) -> &'static str {
        match self {
            Class::WireBreaking => "wire-breaking",
            Class::SourceBreaking => "source-breaking",
            Class::Compatible => "compatible",
            Class::NoEffect => "no-effect",
        }
    }

    /// Whether the class breaks the client (wire or source).
    pub fn is_breaking(self) -> bool {
        matches!(self, Class::WireBreaking | Class::SourceBreaking)
    }

    /// Every class, worst first.
    pub const ALL: [Class; 4] = [
        Class::WireBreaking,
        Class::SourceBreaking,
        Class::Compatible,
        Class::NoEffect,
    ];
}

/// A place in a file of the repository where the team acts on a finding:
/// the operation or schema in the vendored slice.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Anchor {
    /// The file, relative to where `spec-drift` ran.
    pub file: String,
    /// Its 1-based line.
    pub line: usize,
}

/// One finding: one rule on one subject, with each change it groups.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Finding {
    /// How bad it is.
    pub class: Class,
    /// The rule that found it, e.g. `response-undecodable`.
    pub rule: String,
    /// What it is about: an operationId, a generated type, a fixture.
    pub subject: String,
    /// What changed and why it matters to the client, in one sentence.
    pub message: String,
    /// Each change the finding groups (a field, a variant), when it groups
    /// more than one; `--verbose` lists them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
    /// The operations (operationIds) it concerns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<String>,
    /// Where the team acts on it, when the repository holds that place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<Anchor>,
}

impl Finding {
    /// A finding of `class` from `rule` about `subject`.
    pub fn new(
        class: Class,
        rule: &str,
        subject: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            class,
            rule: rule.to_string(),
            subject: subject.into(),
            message: message.into(),
            details: Vec::new(),
            operations: Vec::new(),
            anchor: None,
        }
    }

    /// The same finding, concerning `operations`.
    pub fn about(mut self, operations: impl IntoIterator<Item = String>) -> Self {
        self.operations.extend(operations);
        self.operations.sort();
        self.operations.dedup();
        self
    }
}

/// Which operations a report judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// The operations the client is built from (the vendored slice and the
    /// extension's), whatever else either spec holds.
    Client,
    /// Every operation of both specs.
    AllOperations,
}

/// What changed outside the judged operations, counted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Elsewhere {
    /// Findings about operations the client does not call (or types only
    /// they use), above no effect.
    pub findings: usize,
    /// The operations and types those findings are about.
    pub subjects: usize,
}

/// Whether the run passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// No finding at or above the threshold.
    Pass,
    /// A finding at or above the threshold.
    Fail,
}

/// The drift report between two specs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The spec compared from.
    pub old: String,
    /// The spec compared to.
    pub new: String,
    /// Which operations were judged.
    pub scope: Scope,
    /// The lowest class that fails the run (`None`: nothing fails it).
    pub fail_on: Option<Class>,
    /// Whether the run passes.
    pub verdict: Verdict,
    /// Findings per class (every finding, no-effect included).
    pub counts: BTreeMap<Class, usize>,
    /// What changed outside the scope, counted (`None` when every operation
    /// was judged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elsewhere: Option<Elsewhere>,
    /// Every finding, worst first.
    pub findings: Vec<Finding>,
}

impl Report {
    /// A report with `findings` sorted worst first (duplicates dropped), its
    /// counts, and its verdict against `fail_on`.
    pub fn new(
        (old, new): (String, String),
        scope: Scope,
        fail_on: Option<Class>,
        mut findings: Vec<Finding>,
        elsewhere: Option<Elsewhere>,
    ) -> Self {
        findings.sort();
        findings.dedup();
        let counts = Class::ALL
            .iter()
            .map(|class| {
                (
                    *class,
                    findings.iter().filter(|f| f.class == *class).count(),
                )
            })
            .collect();
        let fails = fail_on.is_some_and(|threshold| findings.iter().any(|f| f.class <= threshold));
        Self {
            old,
            new,
            scope,
            fail_on,
            verdict: if fails { Verdict::Fail } else { Verdict::Pass },
            counts,
            elsewhere,
            findings,
        }
    }

    /// How many findings of `class`.
    pub fn count(&self, class: Class) -> usize {
        self.counts.get(&class).copied().unwrap_or(0)
    }

    /// The worst class found, if any.
    pub fn worst(&self) -> Option<Class> {
        self.findings.iter().map(|f| f.class).min()
    }

    /// Whether the run fails.
    pub fn fails(&self) -> bool {
        self.verdict == Verdict::Fail
    }
}
