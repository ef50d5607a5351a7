//! Spec drift: what a newer OpenAPI spec changes for the client this project
//! generates from it, judged by what the project's own generator produces.
//!
//! Both specs go through the normalizer and progenitor with the client's
//! profile ([`generated`]), and the comparison has four parts:
//!
//! - [`source`]: the generated source surface ([`surface`]), read with `syn`:
//!   a changed surface is source-breaking;
//! - [`wire`]: per operation, what the client built from OLD sends and reads
//!   against a server that follows NEW (bodies through [`decode`]);
//! - [`defects`]: spec defects introduced or fixed;
//! - [`reality`]: recorded exchanges that pass under OLD and fail under NEW.
//!
//! [`report`] holds the findings and their classes, [`render`] prints them.
//!
//! ```no_run
//! use std::path::Path;
//! use spec_drift::report::Class;
//!
//! let report = spec_drift::drift(Path::new("openapi/dwolla.yml"), Path::new("new.yml"), &[])?;
//! assert_eq!(report.count(Class::WireBreaking), 0);
//! # Ok::<(), spec_drift::DriftError>(())
//! ```

pub mod decode;
pub mod defects;
pub mod generated;
pub mod reality;
pub mod render;
pub mod report;
pub mod source;
pub mod surface;
pub mod wire;

use std::collections::BTreeMap;
use std::path::Path;

use conformance::check::SuiteError;
use conformance::fixture::Loaded;
use dwolla_codegen::profile;

use crate::generated::{Side, SideError};
use crate::report::{Class, Finding, Report};

/// Why the comparison could not run.
#[derive(Debug, thiserror::Error)]
pub enum DriftError {
    /// A spec could not be read or generated from.
    #[error(transparent)]
    Side(#[from] SideError),
    /// A spec could not be made into a conformance suite.
    #[error("cannot check the fixtures: {0}")]
    Suite(#[from] SuiteError),
}

/// Compares the specs at `old` and `new`, with the recorded exchanges
/// `fixtures` as evidence.
pub fn drift(old: &Path, new: &Path, fixtures: &[Loaded]) -> Result<Report, DriftError> {
    let before = Side::load(old)?;
    let after = Side::load(new)?;
    let names: BTreeMap<String, String> = before
        .generated
        .operations
        .iter()
        .chain(&after.generated.operations)
        .map(|o| (o.builder_name(), o.operation_id.clone()))
        .collect();
    let mut findings = source::diff(&before.surface, &after.surface, &names);
    findings.extend(build(&before, &after));
    findings.extend(wire::diff(&before, &after));
    findings.extend(defects::diff(&before, &after));
    findings.extend(reality::diff(&before, &after, fixtures)?);
    Ok(Report::new(
        old.display().to_string(),
        new.display().to_string(),
        findings,
    ))
}

/// What the client's build makes of NEW: what it cannot do without (the
/// default build fails), and the `dwolla_spec` cfgs that change.
fn build(old: &Side, new: &Side) -> Vec<Finding> {
    let before: Vec<String> = profile::unmet_needs(&old.generated, true)
        .iter()
        .map(|u| u.what.clone())
        .collect();
    let mut findings: Vec<Finding> = profile::unmet_needs(&new.generated, true)
        .into_iter()
        .filter(|u| !before.contains(&u.what))
        .map(|u| {
            Finding::new(
                Class::SourceBreaking,
                "client-need-unmet",
                u.pointer,
                format!("the default build fails against NEW: {}", u.what),
            )
        })
        .collect();
    let (was, is) = (
        profile::spec_cfgs(&old.generated),
        profile::spec_cfgs(&new.generated),
    );
    for cfg in profile::SPEC_CFGS {
        if was.contains(cfg) == is.contains(cfg) {
            continue;
        }
        let subject = format!("dwolla_spec=\"{cfg}\"");
        findings.push(if is.contains(cfg) {
            extras_replaced(cfg, subject, new)
        } else {
            Finding::new(
                Class::Compatible,
                "build-adapts",
                subject,
                "the client's build unsets this cfg against NEW: the hand-written extension items come back",
            )
        });
    }
    findings
}

/// NEW defines the operation the extension hand-writes, so the build sets
/// `cfg` and leaves the hand-written items out: source-breaking for code
/// that names them, with what replaces them.
fn extras_replaced(cfg: &str, subject: String, new: &Side) -> Finding {
    let leaving: Vec<String> = profile::extras_left_out(cfg)
        .iter()
        .map(|name| format!("extras::{name}"))
        .collect();
    let replacement = new
        .generated
        .operations
        .iter()
        .find(|op| op.operation_id == profile::RE_AUTH_OPERATION)
        .map(|op| {
            let body = op.body_type.as_deref().unwrap_or("no body");
            format!(
                "the generated `Client::{}()` (request body `{body}`)",
                op.method_name
            )
        })
        .unwrap_or_else(|| "the generated operation".into());
    Finding::new(
        Class::SourceBreaking,
        "extras-replaced",
        subject,
        format!(
            "NEW defines {}, so the client's build sets this cfg and leaves out {}; code that names them stops compiling: use {replacement} instead (the ergonomic layer, `DwollaClient`, switches over by itself)",
            profile::RE_AUTH_OPERATION,
            leaving.join(", ")
        ),
    )
}

/// Whether `report` has a finding at `threshold` or worse.
pub fn fails(report: &Report, threshold: Option<Class>) -> bool {
    match (report.worst(), threshold) {
        (Some(worst), Some(threshold)) => worst <= threshold,
        _ => false,
    }
}
