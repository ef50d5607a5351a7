//! The conformance checker: recorded Dwolla exchanges, and requests on their
//! own, checked against an OpenAPI 3.1 spec (by default the one the client
//! implements). Pure and synchronous: no network, no async runtime, no
//! dependency on the client. The servers that replay and record exchanges
//! are in the test kit (`dwolla-testkit`), the command line in
//! `conformance-cli`.
//!
//! - [`vendored`]: the spec the client implements (the vendored spec plus the
//!   extension layer's committed fragment);
//! - [`validate`]: JSON Schema 2020-12 validators, compiled once;
//! - [`fixture`]: the recorded-exchange format and loader;
//! - [`har`]: HAR 1.2 recordings read into exchanges, and written;
//! - [`check`]: the checks of one exchange (or one request) and its verdict;
//! - [`exact`]: numbers a 64-bit read rounds, read from the raw text and
//!   judged as written;
//! - [`readers`]: the hook through which a client's own types join the
//!   checks ("the client reads every body the spec accepts");
//! - [`errata`] and [`defects`]: the spec's own defects, kept apart from
//!   verdicts on exchanges;
//! - [`report`]: coverage and the spec's surface;
//! - [`render`]: a run's results as text, JSON, JUnit XML, GitHub
//!   annotations or Markdown.
//!
//! ```
//! use conformance::check::{Outcome, Suite};
//!
//! let suite = Suite::vendored()?;
//! for loaded in conformance::fixture::committed()? {
//!     assert_eq!(suite.check_loaded(&loaded).outcome, Outcome::Pass);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod check;
pub mod defects;
pub mod errata;
pub mod exact;
pub mod fixture;
pub mod har;
pub mod readers;
pub mod render;
pub mod report;
pub mod validate;
pub mod vendored;
