//! Conformance of recorded Dwolla exchanges, and of the client's own
//! requests, with the vendored OpenAPI 3.1 spec.
//!
//! - [`spec`]: the spec as JSON (3.1, no down-conversion), with the
//!   extension layer's fragment merged in;
//! - [`validate`]: JSON Schema 2020-12 validators, compiled once;
//! - [`fixture`]: the recorded-exchange format and loader;
//! - [`check`]: the checks of one exchange and its verdict;
//! - [`errata`] and [`defects`]: the spec's own defects, kept apart from
//!   verdicts on exchanges;
//! - [`report`]: coverage and text/JSON output;
//! - [`replay`]: a 127.0.0.1 server that answers with the recorded exchanges;
//! - [`recorder`]: records a flow through a proxy into new fixtures, secrets
//!   redacted.

pub mod check;
pub mod client_types;
pub mod defects;
pub mod drift;
pub mod errata;
pub mod fixture;
pub mod flow;
pub mod recorder;
pub mod replay;
pub mod report;
pub mod spec;
pub mod validate;
