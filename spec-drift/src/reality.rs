//! Reality: exchanges that pass under OLD and fail under NEW. Both specs
//! are checked as `conformance check --spec` checks them (the extension
//! layer's fragment merged in, the committed errata that apply).
//!
//! How much a failure weighs depends on what the exchange stands for
//! (`provenance.source`): one recorded in the sandbox, taken from Dwolla's
//! docs or derived from them shows what the API sends, so it failing is
//! wire-breaking; an exchange built from the spec's own examples failing
//! says the spec's example no longer conforms, a notice. An exchange of
//! `POST /token` fails the wire only where the client's hand-written fetch
//! looks: the request, `access_token`, `expires_in`.
//!
//! Security is not judged here: an exchange's credentials are redacted, or
//! absent from one built from the spec's examples, and what the client
//! sends against what a spec asks for is the security rule's
//! (`crate::security`), which knows the client.

use conformance::check::{Check, Failure, Outcome, Suite, SuiteError, Verdict};
use conformance::fixture::Loaded;
use dwolla_codegen::profile::TOKEN_FETCH_READS;

use crate::generated::Side;
use crate::report::{Class, Finding};

/// A finding per exchange of `fixtures` that passes under OLD and fails
/// under NEW, with what NEW says about it.
pub fn diff(old: &Side, new: &Side, fixtures: &[Loaded]) -> Result<Vec<Finding>, SuiteError> {
    if fixtures.is_empty() {
        return Ok(Vec::new());
    }
    let (before, _) = Suite::for_spec(old.spec.clone())?;
    let (after, _) = Suite::for_spec(new.spec.clone())?;
    let token_operation = old
        .generated
        .operations
        .iter()
        .find(|op| dwolla_codegen::profile::is_token_operation(op))
        .map(|op| op.operation_id.clone());
    Ok(fixtures
        .iter()
        .filter(|loaded| judged_failures(&before.check_loaded(loaded)).is_empty())
        .filter_map(|loaded| {
            let verdict = after.check_loaded(loaded);
            let failures = judged_failures(&verdict);
            if failures.is_empty() {
                return None;
            }
            let token = token_operation.as_deref() == Some(verdict.operation.as_str());
            let why: Vec<String> = failures.iter().map(|f| describe(f)).collect();
            let (class, rule, what) = weigh(&loaded.exchange.provenance.source, token, &failures);
            Some(
                Finding::new(
                    class,
                    rule,
                    &loaded.name,
                    format!(
                        "{what} ({}) passes under OLD and fails under NEW: {}",
                        verdict.operation,
                        why.join("; ")
                    ),
                )
                .about([verdict.operation.clone()]),
            )
        })
        .collect())
}

/// The failures of a failing verdict this rule judges: all but security.
fn judged_failures(verdict: &Verdict) -> Vec<&Failure> {
    if verdict.outcome != Outcome::Fail {
        return Vec::new();
    }
    verdict
        .failures
        .iter()
        .filter(|failure| failure.check != Check::Security)
        .collect()
}

fn describe(failure: &Failure) -> String {
    match failure.instance_pointer.as_str() {
        "" => failure.message.clone(),
        at => format!("{at}: {}", failure.message),
    }
}

/// The class, rule and description of a failing exchange.
fn weigh(source: &str, token: bool, failures: &[&Failure]) -> (Class, &'static str, String) {
    let what = match source {
        "sandbox" => "this exchange recorded in the sandbox",
        "docs" => "this exchange from Dwolla's docs",
        "derived" => "this exchange derived from Dwolla's docs",
        "spec-example" => {
            return (
                Class::Compatible,
                "spec-example-fails",
                "the spec's own example no longer conforms: this exchange built from OLD's examples".into(),
            );
        }
        _ => "this exchange",
    };
    if token && !failures.iter().any(|f| fetch_looks_at(f)) {
        return (
            Class::NoEffect,
            "fixture-fails-unread",
            format!("{what}, where only what the client's hand-written token fetch ignores fails,"),
        );
    }
    (Class::WireBreaking, "fixture-fails", what.to_string())
}

/// Whether the hand-written token fetch sends or reads what `failure` is
/// about: the request, the status, and the answer's members it reads (not
/// the answer's media type or headers, nor its other members).
fn fetch_looks_at(failure: &Failure) -> bool {
    let pointer = failure.instance_pointer.as_str();
    match failure.check {
        Check::ContentType | Check::Headers => false,
        Check::ResponseBody => {
            pointer.is_empty()
                || TOKEN_FETCH_READS.iter().any(|(name, _)| {
                    pointer == format!("/{name}") || pointer.starts_with(&format!("/{name}/"))
                })
        }
        _ => true,
    }
}
