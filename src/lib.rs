//! A spec-exact client for Dwolla's exchange-sessions API.
//!
//! The client is generated at build time by progenitor from the vendored
//! OpenAPI 3.1 spec in `openapi/dwolla.yml` (see `build.rs` and the
//! `dwolla-codegen` crate). What the spec cannot say is written by hand:
//! - [`wire`]: the hook every request passes through, which puts Dwolla's
//!   media type, credentials and `User-Agent` on the wire and refuses a
//!   request whose path a parameter has changed;
//! - [`auth`]: application credentials and access tokens, never printed;
//! - [`DwollaError`]: the one error body type of every operation.
//!
//! ```no_run
//! use dwolla_exchange_sessions::{Client, ClientInfo, auth::Credentials, wire::ClientState};
//!
//! # async fn run() -> Result<(), dwolla_exchange_sessions::Error<dwolla_exchange_sessions::DwollaError>> {
//! let state = ClientState::new(Some(Credentials::new("key", "secret")));
//! let client = Client::new("https://api-sandbox.dwolla.com", state);
//! let token = client
//!     .create_application_access_token()
//!     .body_map(|body| body.grant_type("client_credentials"))
//!     .send()
//!     .await?;
//! client.inner().set_access_token(token.access_token.clone());
//! let partners = client.list_exchange_partners().send().await?;
//! println!("{} exchange partners", partners.total.unwrap_or_default());
//! # Ok(())
//! # }
//! ```

pub mod auth;
mod error_body;
mod generated;
pub mod wire;

pub use error_body::{DwollaError, EmbeddedError};
pub use generated::*;
