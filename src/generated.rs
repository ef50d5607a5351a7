//! The client progenitor generates from the spec at build time.
//!
//! Nothing here is written by hand: edit `openapi/dwolla.yml` (or the
//! normalization rules in `codegen/`) instead.

#![allow(missing_docs, unreachable_pub, clippy::all, clippy::pedantic)]

include!(concat!(env!("OUT_DIR"), "/client.rs"));

/// The type each generated operation's builder takes as `body`, named after
/// the builder (`request_bodies::CreateCustomerExchangeSession`), so that
/// the ergonomic layer names request bodies without depending on the names
/// progenitor derives from a spec's schemas.
#[allow(
    dead_code,
    unused_imports,
    reason = "one alias per operation with a body; the ergonomic layer uses a few"
)]
pub(crate) mod request_bodies {
    use super::types;

    include!(concat!(env!("OUT_DIR"), "/request_bodies.rs"));
}
