//! Operations Dwolla's API has but the vendored spec leaves out, written by
//! hand in the generated client's style.
//!
//! Each is an extension trait on the generated [`Client`](crate::generated::Client)
//! whose method returns a builder with the same `id(..)`, `body(..)`,
//! `send()` shape, passes through the same hooks (credentials, retries,
//! tracing) and returns the same `ResponseValue` and
//! [`Error`](crate::generated::Error) as a generated operation. Each also
//! exports its own OpenAPI 3.1 definition ([`openapi_fragment`]), so the
//! conformance suite can check it like the rest and the drift tool can tell
//! when Dwolla's spec defines it and the hand-written version can retire.
//! How each goes on the wire (method, path, authentication) is its entry in
//! `crate::operations::extension`, which the hooks look up like a generated
//! one.
//!
//! An operation steps aside when the spec the client is built from defines
//! it (a newer Dwolla spec with `DWOLLA_OPENAPI`): the generated one is then
//! the only one, and this module leaves its hand-written one out.
//!
//! ```no_run
//! use dwolla_exchange_sessions::extras::{ClientExchangesExt, CreateReAuthExchangeSessionWithRedirect};
//! # async fn run(client: dwolla_exchange_sessions::generated::Client) -> Result<(), dwolla_exchange_sessions::generated::Error<dwolla_exchange_sessions::DwollaErrorBody>> {
//! let created = client
//!     .create_re_auth_exchange_session()
//!     .id("74a207b2-b7b7-4efa-8bf8-582148e7b980")
//!     .body(CreateReAuthExchangeSessionWithRedirect::new("https://example.com/app123"))
//!     .send()
//!     .await?;
//! println!("{:?}", created.headers().get("location"));
//! # Ok(())
//! # }
//! ```

#[cfg(not(dwolla_spec = "re_auth_operation"))]
mod fragment;
#[cfg(not(dwolla_spec = "re_auth_operation"))]
mod reauth;

#[cfg(not(dwolla_spec = "re_auth_operation"))]
pub use fragment::openapi_fragment;
#[cfg(not(dwolla_spec = "re_auth_operation"))]
pub use reauth::{
    ClientExchangesExt, CreateReAuthExchangeSession, CreateReAuthExchangeSessionBody,
    CreateReAuthExchangeSessionForWeb, CreateReAuthExchangeSessionWithRedirect,
    ExchangeSessionErrorBody, Href, RedirectLinks,
};
