//! OpenAPI 3.1 documents as plain JSON, and the few things every reader of
//! one needs: the code generator, the conformance checker and the drift tool
//! all use this crate, so each of these is written once.
//!
//! - [`load`]: YAML or JSON text into a [`serde_json::Value`] (mapping keys
//!   YAML reads as numbers or booleans, such as an unquoted `200:` status,
//!   become strings, as in the JSON form of the document), JSON by
//!   `serde_json` and YAML by [`yaml`], both bounded so that a hostile
//!   document is refused, never expanded;
//! - [`pointer`](mod@pointer): JSON pointers (RFC 6901): escaping, joining, local `$ref`s;
//! - [`resolve`]: following local `$ref` chains, bounded so that cycles end;
//! - [`media`]: a media type's essence, and whether it is JSON-like;
//! - [`spec`]: a 3.1 document with an index of its operations (parameters,
//!   request body, responses with media types and headers, each with the
//!   JSON pointer of its schema);
//! - [`security`]: an operation's effective security requirement, its
//!   schemes resolved (or found undefined).
//!
//! No down-conversion happens here: schemas stay JSON Schema 2020-12.
//!
//! ```
//! use openapi_doc::spec::Spec;
//!
//! let spec = Spec::parse(
//!     "openapi: 3.1.0\npaths:\n  /things/{id}:\n    get:\n      operationId: getThing\n      responses:\n        200: {description: ok}\n",
//!     "example",
//! )?;
//! let operation = spec.operation_by_id("getThing").expect("indexed");
//! assert!(operation.matches_path("/things/42"));
//! assert_eq!(operation.response(200).map(|(status, _)| status), Some("200"));
//! # Ok::<(), openapi_doc::spec::SpecError>(())
//! ```

pub mod load;
pub mod media;
pub mod pointer;
pub mod resolve;
pub mod security;
pub mod spec;
pub mod yaml;
