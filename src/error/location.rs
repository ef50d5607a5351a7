//! Why the `Location` of a `201 Created` was not accepted.

use crate::redact::{SecretValues, printable};

/// Why a `Location` header was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LocationError {
    /// The `201` answer had no `Location` header.
    #[error("the response has no Location header")]
    Missing,
    /// The header is not valid UTF-8 or not an absolute URL.
    #[error("Location is not an absolute URL: {}", printable(.0))]
    NotAUrl(String),
    /// The URL points at a different scheme, host or port than the client's.
    #[error(
        "Location {} is not on the client's host {}",
        printable(found),
        printable(expected)
    )]
    ForeignOrigin {
        /// The client's base URL.
        expected: String,
        /// What the header said.
        found: String,
    },
    /// The URL is on the right host but not `<base>/<collection>/<id>`.
    #[error(
        "Location {} is not a {collection} URL of the form <base>/{collection}/<id>",
        printable(found)
    )]
    WrongPath {
        /// The collection expected, e.g. `exchange-sessions`.
        collection: String,
        /// What the header said.
        found: String,
    },
}

impl LocationError {
    /// Scrubs `secrets` from the URLs the error quotes.
    pub(crate) fn scrub(&mut self, secrets: &SecretValues) {
        match self {
            Self::Missing => {}
            Self::NotAUrl(found)
            | Self::ForeignOrigin { found, .. }
            | Self::WrongPath { found, .. } => secrets.scrub_in_place(found),
        }
    }
}
