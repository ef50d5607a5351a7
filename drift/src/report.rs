//! The drift report: each finding with its class, rule, subject and reason.

use serde::Serialize;

/// What a change does to the client generated from the spec, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
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

    /// Every class, worst first.
    pub const ALL: [Class; 4] = [
        Class::WireBreaking,
        Class::SourceBreaking,
        Class::Compatible,
        Class::NoEffect,
    ];
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    /// How bad it is.
    pub class: Class,
    /// The rule that found it, e.g. `response-undecodable`.
    pub rule: &'static str,
    /// What it is about: an operationId, a generated type, a fixture.
    pub subject: String,
    /// What changed and why it matters to the client.
    pub message: String,
}

impl Finding {
    /// A finding of `class` from `rule` about `subject`.
    pub fn new(
        class: Class,
        rule: &'static str,
        subject: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            class,
            rule,
            subject: subject.into(),
            message: message.into(),
        }
    }
}

/// The drift report between two specs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The spec the client is built from today.
    pub old: String,
    /// The newer spec.
    pub new: String,
    /// Every finding, worst first.
    pub findings: Vec<Finding>,
}

impl Report {
    /// A report with `findings` sorted worst first (and duplicates dropped).
    pub fn new(old: String, new: String, mut findings: Vec<Finding>) -> Self {
        findings.sort();
        findings.dedup();
        Self { old, new, findings }
    }

    /// How many findings of `class`.
    pub fn count(&self, class: Class) -> usize {
        self.findings.iter().filter(|f| f.class == class).count()
    }

    /// The worst class found, if any.
    pub fn worst(&self) -> Option<Class> {
        self.findings.iter().map(|f| f.class).min()
    }

    /// The report without its no-effect findings (what is printed without
    /// `--verbose`).
    pub fn without_no_effect(mut self) -> Self {
        self.findings.retain(|f| f.class != Class::NoEffect);
        self
    }
}
