//! Redirects are refused, never followed.
//!
//! Dwolla's API does not redirect. Following a redirect would send a create
//! twice (a 307 repeats the POST), a body or the `/token` credentials to
//! another host, bring back a token from that host to be sent as Bearer to
//! the real API, or move a request past the path guard. The client's own
//! HTTP client follows none (`Policy::none()`), so a 3xx reaches the hooks
//! and is refused here. A caller-supplied HTTP client may have followed one
//! already: that is seen when the answer comes from another URL than the
//! one sent (the transport marks it, see [`mark_if_followed`]), and the
//! answer is refused too (what was sent cannot be unsent).

use std::fmt;

use reqwest::header::LOCATION;
use reqwest::{Response, StatusCode, Url};
use url::Position;

use crate::redact::printable;

/// The mark on an answer that came from another URL than the one sent: the
/// HTTP client followed a redirect to get it.
#[derive(Debug, Clone, Copy)]
struct FollowedRedirect;

/// Marks `response` when it came from another URL than `sent`: another
/// scheme, host, port, path or query. (Credentials and the fragment are not
/// compared: the answer's URL is rebuilt from the request's URI, which
/// drops the fragment.)
pub(crate) fn mark_if_followed(response: &mut Response, sent: &Url) {
    if resource(response.url()) != resource(sent) {
        response.extensions_mut().insert(FollowedRedirect);
    }
}

/// What names the resource a URL is of: its scheme, and its host, port,
/// path and query.
fn resource(url: &Url) -> (&str, &str) {
    (
        url.scheme(),
        &url[Position::BeforeHost..Position::AfterQuery],
    )
}

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
    /// The redirect `response` answers with, or that the HTTP client
    /// followed to get it (marked by [`mark_if_followed`]).
    pub(crate) fn of(response: &Response) -> Option<Self> {
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
        response
            .extensions()
            .get::<FollowedRedirect>()
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

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::ResponseBuilderExt;

    /// Whether an answer from `answered` to a request sent to `sent` is
    /// refused as a followed redirect.
    fn refused(sent: &str, answered: &str) -> bool {
        let answer = http::Response::builder()
            .url(Url::parse(answered).unwrap())
            .body(String::new())
            .unwrap();
        let mut response = Response::from(answer);
        mark_if_followed(&mut response, &Url::parse(sent).unwrap());
        Redirected::of(&response).is_some_and(|redirect| redirect.followed)
    }

    #[test]
    fn only_an_answer_from_another_resource_is_a_followed_redirect() {
        let sent = "https://user:pw@api.dwolla.com/exchange-sessions/s-1?x=1#part";
        for same in [
            sent,
            "https://user:pw@api.dwolla.com/exchange-sessions/s-1?x=1",
            "https://api.dwolla.com/exchange-sessions/s-1?x=1",
        ] {
            assert!(!refused(sent, same), "{same}");
        }
        for other in [
            "https://api.dwolla.com/exchange-sessions/s-2?x=1",
            "https://api.dwolla.com/exchange-sessions/s-1",
            "https://api.dwolla.com:8443/exchange-sessions/s-1?x=1",
            "http://api.dwolla.com/exchange-sessions/s-1?x=1",
            "https://evil.example/exchange-sessions/s-1?x=1",
        ] {
            assert!(refused(sent, other), "{other}");
        }
    }
}
