//! Redirects are refused, never followed.
//!
//! Dwolla's API does not redirect. Following a redirect would send a create
//! twice (a 307 repeats the POST), a body or the `/token` credentials to
//! another host, bring back a token from that host to be sent as Bearer to
//! the real API, or move a request past the path guard. The client's own
//! HTTP client follows none (`Policy::none()`), so a 3xx reaches the hooks
//! and is refused here. A caller-supplied HTTP client may have followed one
//! already: that is seen when the answer comes from a URL off the
//! operation's path, and the answer is refused too (what was sent cannot be
//! unsent).

use std::fmt;

use reqwest::header::LOCATION;
use reqwest::{Response, StatusCode};

use super::path_guard;
use crate::generated::{Client, ClientInfo};
use crate::operations::OperationMeta;
use crate::redact::printable;

/// A redirect the client refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Redirected {
    /// The 3xx status; for one the caller's client followed, the status of
    /// the answer it got at the end.
    pub(crate) status: StatusCode,
    /// The `Location`; for one the caller's client followed, the URL it
    /// ended at.
    pub(crate) location: Option<String>,
    /// Whether the caller's HTTP client had already followed it.
    pub(crate) followed: bool,
}

impl Redirected {
    /// The redirect `response` to a request of `operation` answers with, or
    /// that the HTTP client followed to get it.
    pub(crate) fn of(
        client: &Client,
        response: &Response,
        operation: &OperationMeta,
    ) -> Option<Self> {
        let status = response.status();
        if status.is_redirection() {
            let location = response
                .headers()
                .get(LOCATION)
                .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
            return Some(Self {
                status,
                location,
                followed: false,
            });
        }
        let base = client.inner().base_url(client.baseurl()).ok()?;
        path_guard::check_parsed(&base, response.url(), operation.path)
            .err()
            .map(|_| Self {
                status,
                location: Some(response.url().to_string()),
                followed: true,
            })
    }
}

impl fmt::Display for Redirected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let location = self.location.as_deref().unwrap_or("(no Location)");
        if self.followed {
            write!(
                f,
                "the HTTP client followed a redirect to {} (answered {}); the answer is refused, redirects are not followed",
                printable(location),
                self.status
            )
        } else {
            write!(
                f,
                "answered {} redirecting to {}; redirects are not followed",
                self.status,
                printable(location)
            )
        }
    }
}
