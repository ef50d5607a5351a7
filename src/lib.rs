//! A spec-exact client for Dwolla's exchange-sessions API.
//!
//! Three layers:
//! - [`generated`]: the operations of the vendored OpenAPI 3.1 spec
//!   (`openapi/dwolla.yml`), generated at build time by progenitor (see
//!   `build.rs` and the `dwolla-codegen` crate), their [`types`] (also at
//!   the root), and what the generated client runs on:
//!   [`generated::ClientState`] (credentials, token cache,
//!   [`generated::WireSettings`]);
//! - [`extras`]: operations Dwolla has but the spec leaves out (today the
//!   re-authentication exchange session), hand-written in the same style,
//!   left out when the spec the client is built from defines them;
//! - [`DwollaClient`]: one call per step of a flow, typed results and one
//!   [`Error`] type (feature `ergonomic`, on by default).
//!
//! Inside, from the bottom up: each module imports only from those above it
//! in this list, and from the generated layer (which names `auth::Secret`,
//! `error::DwollaErrorBody` and `wire::ClientState`, and whose hooks `wire`
//! implements).
//!
//! | module | what it holds |
//! | --- | --- |
//! | `operations` | one `&'static OperationMeta` per operation (method, path, auth, `Accept`), generated from the spec plus the extension's, found by the name progenitor hands the hooks |
//! | [`redact`] | the secret field names (the code generator's list), and redaction of JSON and text bodies |
//! | `error` | the error family: [`Error`], [`ApiError`], [`TokenError`], [`LocationError`], the bodies [`DwollaErrorBody`] and [`EmbeddedError`], bounded body excerpts |
//! | `auth` | [`Credentials`], [`Secret`], the shared token cache, the token fetch |
//! | `wire` | the hooks every request passes through: media types, credentials, path guard, [`RetryPolicy`], the replay after an expired token, the bounded body, tracing, the per-call context |
//! | [`extras`] | the hand-written operations and their OpenAPI fragment |
//! | `client` | [`DwollaClient`] and its builder, [`NewExchangeSession`], [`RetrievedSession`], [`FrontEnd`], [`CreatedResource`], the mapping of a call's outcome to [`Error`] |
//!
//! Public structs and enums that will grow are `#[non_exhaustive]`
//! ([`Error`], [`ApiError`], [`TokenError`], [`LocationError`],
//! [`CreatedResource`], [`FrontEnd`], [`ExchangePartner`], [`RetryPolicy`],
//! [`generated::WireSettings`]): match them with a `_` arm, and make a
//! policy or settings value from [`Default`], then set its public fields. A
//! field or variant added to them is not a breaking change.
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

mod auth;
#[cfg(feature = "ergonomic")]
mod client;
mod error;
pub mod extras;
pub mod generated;
mod operations;
pub mod redact;
mod wire;

pub use auth::{Credentials, Secret};
#[cfg(feature = "ergonomic")]
pub use client::{
    ClientBuilder, CreatedResource, DwollaClient, Environment, ExchangePartner, FrontEnd,
    NewExchangeSession, RetrievedSession,
};
#[cfg(feature = "ergonomic")]
pub use error::{ApiError, Error, LocationError};
pub use error::{DwollaErrorBody, EmbeddedError, TokenError};
pub use generated::types;
pub use wire::RetryPolicy;

/// Entry points of the cargo-fuzz targets in `fuzz/`, which reach parsers
/// the public API does not expose. Built only by cargo-fuzz (`--cfg
/// fuzzing`).
#[cfg(all(fuzzing, feature = "ergonomic"))]
#[doc(hidden)]
pub mod fuzzing {
    use crate::client::CreatedResource;

    /// The `Location` parser of a create's answer, on a base given as text.
    pub fn parse_created(
        location: Option<&[u8]>,
        base: &str,
        collection: &str,
    ) -> Option<CreatedResource> {
        let base = reqwest::Url::parse(base).ok()?;
        crate::client::parse_created(
            location,
            &base,
            "/customers/{id}/exchange-sessions",
            collection,
        )
        .ok()
    }
}

/// The README's examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
