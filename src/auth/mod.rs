//! Application credentials and access tokens.
//!
//! - [`Secret`]: a string that never prints (`Debug` shows `<redacted>`, and
//!   there is no `Display`);
//! - [`Credentials`]: the application key and secret, sent as HTTP Basic to
//!   `POST /token`;
//! - `cache`: the one access token every clone of a client shares, refreshed
//!   before it expires, fetched by one caller at a time;
//! - `fetch`: obtaining a token through the generated `POST /token` operation.

mod cache;
mod credentials;
mod fetch;
mod secret;

pub(crate) use cache::{TokenCache, bearer_header};
pub use credentials::Credentials;
pub(crate) use fetch::{NoBearer, bearer_token};
pub use secret::Secret;
