//! A spec-exact client for Dwolla's exchange-sessions API.
//!
//! Three layers, each in its own module:
//! - [`generated`]: the operations of the vendored OpenAPI 3.1 spec
//!   (`openapi/dwolla.yml`), generated at build time by progenitor (see
//!   `build.rs` and the `dwolla-codegen` crate);
//! - [`extras`]: operations Dwolla has but the spec leaves out (today the
//!   re-authentication exchange session), hand-written in the same style;
//! - [`DwollaClient`]: one call per step of a flow, typed results and one
//!   [`Error`] type (feature `ergonomic`, on by default).
//!
//! Every request of every layer passes through [`wire`]: Dwolla's media
//! type, credentials and access tokens (cached, refreshed, single-flight),
//! retries, a bounded body and a tracing span.
//!
//! ```no_run
//! use dwolla_exchange_sessions::{DwollaClient, FrontEnd, NewExchangeSession};
//!
//! # async fn run() -> Result<(), dwolla_exchange_sessions::Error> {
//! let dwolla = DwollaClient::from_env()?;
//! let mx = dwolla.partner("MX").await?.expect("MX is a partner");
//! let created = dwolla
//!     .create_exchange_session("c1e7a7a4-2bd0-4a5c-9d44-0e8f1d0f6d1a", &NewExchangeSession::web(&mx.id))
//!     .await?;
//! if let FrontEnd::Mx { redirect_url } = dwolla.retrieve_exchange_session(&created.id).await?.front_end() {
//!     println!("send the user to {redirect_url}");
//! }
//! # Ok(())
//! # }
//! ```

pub mod auth;
#[cfg(feature = "ergonomic")]
mod client;
mod error;
mod error_body;
pub mod extras;
pub mod generated;
pub mod location;
pub mod wire;

#[cfg(feature = "ergonomic")]
pub use client::{ClientBuilder, DwollaClient, Environment, FrontEnd, NewExchangeSession};
pub use error::{ApiError, DisplayStatus, Error, SNIPPET_LIMIT};
pub use error_body::{DwollaError, EmbeddedError};
pub use location::{CreatedResource, LocationError};

/// The README's examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
