//! Every error of the client, in one folder: [`Error`], what an ergonomic
//! call fails with, and its parts: [`ApiError`] (Dwolla answered an error),
//! [`TokenError`] (no access token could be had), [`LocationError`] (a
//! created resource's `Location` was refused); the error bodies Dwolla sends
//! ([`DwollaErrorBody`], with its [`EmbeddedError`]s); and the bounded,
//! secret-free body excerpts errors quote.
//!
//! This module builds no error from a call: the ergonomic layer maps a
//! generated call's outcome to [`Error`] (`client::call`).

mod body;
mod token;
// What only the ergonomic layer builds.
#[cfg(feature = "ergonomic")]
mod api;
#[cfg(feature = "ergonomic")]
mod client;
#[cfg(feature = "ergonomic")]
mod excerpt;
#[cfg(feature = "ergonomic")]
mod location;

pub use body::{DwollaErrorBody, EmbeddedError};
#[cfg(feature = "ergonomic")]
pub(crate) use excerpt::{decode_reason, snippet};
pub use token::TokenError;
#[cfg(feature = "ergonomic")]
pub use {api::ApiError, client::Error, location::LocationError};
