//! The client progenitor generates from the spec at build time.
//!
//! Nothing here is written by hand but the re-export of the state the
//! generated [`Client`] runs on ([`ClientState`], [`WireSettings`]): edit
//! `openapi/dwolla.yml` (or the normalization rules in `dwolla-codegen/`)
//! instead.

#![allow(missing_docs, unreachable_pub, clippy::all, clippy::pedantic)]

include!(concat!(env!("OUT_DIR"), "/client.rs"));

pub use crate::wire::{ClientState, WireSettings};

/// The type each generated operation's builder takes as `body`, named after
/// the builder (`request_bodies::CreateCustomerExchangeSession`). Code that
/// names request bodies through these aliases (the ergonomic layer does)
/// keeps compiling whatever names progenitor derives from a spec's schemas.
pub mod request_bodies {
    include!(concat!(env!("OUT_DIR"), "/request_bodies.rs"));
}
