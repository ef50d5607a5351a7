//! Spec drift: what changes between two versions of an OpenAPI 3.1 spec for
//! the operations the Dwolla client binds, classified by what it does to the
//! generated client, and whether the hand-written extension layer can retire
//! because the new spec defines its operations the same way.
//!
//! - [`compare`]: the comparison of two specs (operations by operationId,
//!   schemas with `$ref`s followed, judged by the direction a body travels);
//! - [`report`]: the changes, their classes and rules, as text or GitHub
//!   Actions annotations.
//!
//! The `spec-drift` binary runs it from the command line (see the README).
//!
//! ```
//! use openapi_doc::spec::Spec;
//! use spec_drift::compare::{Scope, compare};
//! use spec_drift::report::Class;
//!
//! let spec = conformance::vendored::published()?;
//! let report = compare(&spec, &spec, Scope::All, &serde_json::json!({}));
//! assert_eq!(report.count(Class::Breaking), 0);
//! # Ok::<(), openapi_doc::spec::SpecError>(())
//! ```

pub mod compare;
pub mod report;
