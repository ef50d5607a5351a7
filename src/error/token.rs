//! Why no access token could be had: the failure of `POST /token`, shared by
//! every caller that waited for the same fetch.

use crate::redact::{SecretValues, printable};

/// Why no access token could be obtained from `POST /token`.
///
/// It never holds the credentials or a token, so it can be logged; its
/// message prints bounded, control characters escaped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", printable(message))]
#[non_exhaustive]
pub struct TokenError {
    /// HTTP status of the token response, when one arrived.
    pub status: Option<u16>,
    /// The error code of the answer: OAuth's `error` (e.g. `invalid_client`)
    /// or Dwolla's `code`.
    pub code: Option<String>,
    /// What went wrong, for a person.
    pub message: String,
}

impl TokenError {
    /// Scrubs `secrets` from the code and message (a server may echo the
    /// credentials it was sent).
    pub(crate) fn scrub(&mut self, secrets: &SecretValues) {
        secrets.scrub_in_place(&mut self.message);
        if let Some(code) = &mut self.code {
            secrets.scrub_in_place(code);
        }
    }
}
