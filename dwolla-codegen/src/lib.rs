//! Code generation for the Dwolla client: an OpenAPI 3.1 document in, a
//! progenitor-generated Rust client out.
//!
//! progenitor 0.15 reads only OpenAPI 3.0, types only `application/json`
//! bodies and allows one success and one error type per operation; Dwolla's
//! spec is 3.1, speaks `application/vnd.dwolla.v1.hal+json` and documents a
//! different error body per status. [`normalize`] bridges the two with general
//! rules (each unit-tested in its module), and [`generate`] runs progenitor,
//! turning its errors and panics into skipped operations or a
//! [`CodegenError`] that names the file and the JSON pointer at fault.
//!
//! Reading the document, JSON pointers, `$ref` resolution and media types
//! come from the `openapi-doc` crate, which the conformance checker and
//! `spec-drift` share.
//!
//! [`profile`] holds the options the project generates its client with, the
//! one list of secret field names and what the client cannot do without.
//!
//! The crate is a build-dependency of the client (see its `build.rs`).

pub mod builders;
mod error;
mod generate;
pub mod normalize;
pub mod profile;
mod report;

pub use error::CodegenError;
pub use generate::{GenerateOptions, Generated, generate, generate_file, panic_message};
pub use normalize::{NormalizeOptions, Normalized};
pub use report::{AuthScheme, Note, OperationSummary, SkippedOperation};
