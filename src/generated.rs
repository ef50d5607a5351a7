//! The client progenitor generates from the spec at build time.
//!
//! Nothing here is written by hand: edit `openapi/dwolla.yml` (or the
//! normalization rules in `codegen/`) instead.

#![allow(missing_docs, unreachable_pub, clippy::all, clippy::pedantic)]

include!(concat!(env!("OUT_DIR"), "/client.rs"));
