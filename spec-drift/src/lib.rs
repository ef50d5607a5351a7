//! Spec drift: what a newer OpenAPI spec changes for the client this project
//! generates from it, judged by what the project's own generator produces
//! and by what the client really sends and reads.
//!
//! Both specs go through the normalizer and progenitor with the client's
//! profile ([`generated`]), operations are paired by operationId or path
//! shape ([`pairing`]), and the comparison has these parts:
//!
//! - [`source`]: the generated source surface ([`surface`]), read with `syn`:
//!   a changed surface is source-breaking;
//! - [`wire`]: per operation, what the client built from OLD sends and reads
//!   against a server that follows NEW (bodies through [`decode`], security
//!   named by [`security`], `POST /token` judged by the hand-written fetch in
//!   [`token`]);
//! - [`defects`]: spec defects introduced or fixed;
//! - [`reality`]: exchanges that pass under OLD and fail under NEW;
//! - the client's build: what it cannot do without, and the cfgs it sets.
//!
//! [`scope`] keeps the findings about the client's operations (or all),
//! [`group`] makes one finding per subject and rule, [`anchor`] places each
//! where the team acts, [`report`] holds them and [`render`] prints them.
//!
//! ```no_run
//! use std::path::Path;
//! use spec_drift::Options;
//! use spec_drift::report::Class;
//!
//! let report = spec_drift::drift(Path::new("old.yml"), Path::new("new.yml"), &Options::default())?;
//! assert_eq!(report.count(Class::WireBreaking), 0);
//! # Ok::<(), spec_drift::DriftError>(())
//! ```

pub mod anchor;
pub mod decode;
pub mod defects;
pub mod generated;
pub mod group;
pub mod lock;
pub mod pairing;
pub mod reality;
pub mod render;
pub mod report;
pub mod scope;
pub mod security;
pub mod source;
pub mod surface;
pub mod token;
pub mod wire;

use std::path::Path;

use conformance::check::SuiteError;
use conformance::fixture::Loaded;
use dwolla_codegen::profile;

use crate::anchor::Anchors;
use crate::generated::{Side, SideError};
use crate::report::{Class, Finding, Report, Scope};

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

/// How to compare.
#[derive(Debug, Clone)]
pub struct Options {
    /// Which operations to judge.
    pub scope: Scope,
    /// Exchanges to check under both specs.
    pub fixtures: Vec<Loaded>,
    /// Where findings are anchored (the vendored slice), if anywhere.
    pub anchors: Option<Anchors>,
    /// The lowest class that fails the run (`None`: nothing does).
    pub fail_on: Option<Class>,
}

impl Default for Options {
    /// The client's operations, no fixtures, no anchors, failing on
    /// source-breaking findings.
    fn default() -> Self {
        Self {
            scope: Scope::Client,
            fixtures: Vec::new(),
            anchors: None,
            fail_on: Some(Class::SourceBreaking),
        }
    }
}

/// The most stack a spec's generation may use: typify recurses once per
/// level of a schema's nesting.
const GENERATION_STACK: usize = 256 << 20;

/// Compares the specs at `old` and `new`.
pub fn drift(old: &Path, new: &Path, options: &Options) -> Result<Report, DriftError> {
    let (before, after) = load_both(old, new);
    compare(
        &before?,
        &after?,
        (old.display().to_string(), new.display().to_string()),
        options,
    )
}

/// Generates both sides at once, one thread each, with stack for deep
/// schemas (on this thread if a thread cannot be started).
fn load_both(old: &Path, new: &Path) -> (Result<Side, SideError>, Result<Side, SideError>) {
    std::thread::scope(|scope| {
        let spawn = |path: &Path| {
            let owned = path.to_path_buf();
            std::thread::Builder::new()
                .name("spec-drift generate".into())
                .stack_size(GENERATION_STACK)
                .spawn_scoped(scope, move || Side::load(&owned))
        };
        let (a, b) = (spawn(old), spawn(new));
        let finish = |handle: std::io::Result<std::thread::ScopedJoinHandle<'_, _>>, path| {
            handle.map_or_else(
                |_| Side::load(path),
                |handle| {
                    handle
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                },
            )
        };
        (finish(a, old), finish(b, new))
    })
}

/// Compares two generated sides, named `names` in the report.
pub fn compare(
    before: &Side,
    after: &Side,
    names: (String, String),
    options: &Options,
) -> Result<Report, DriftError> {
    let pairs = pairing::pairs(&before.generated.operations, &after.generated.operations);
    let usage = source::Usage::of(before, after);
    let mut findings = source::diff(before, after, &pairs, &usage);
    findings.extend(build(before, after));
    findings.extend(wire::diff(before, after, &pairs));
    findings.extend(defects::diff(before, after));
    findings.extend(reality::diff(before, after, &options.fixtures)?);
    let client = scope::client_operation_ids(&pairs);
    let (mut findings, elsewhere) = scope::partition(findings, options.scope, &client);
    if let Some(anchors) = &options.anchors {
        for finding in &mut findings {
            finding.anchor = anchors.place(finding);
        }
    }
    Ok(Report::new(
        names,
        options.scope,
        options.fail_on,
        findings,
        elsewhere,
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
    let replacement = new.operation(profile::RE_AUTH_OPERATION).map_or_else(
        || "the generated operation".into(),
        |op| {
            let body = op.body_type.as_deref().unwrap_or("no body");
            format!(
                "the generated `Client::{}()` (request body `{body}`)",
                op.method_name
            )
        },
    );
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
