//! Requests as the client's tests inspect them: method, target, headers
//! (lower-cased names) and body; and the answers tests write.

use bytes::Bytes;

use crate::server::{Answer, Request};

/// One request as it arrived: method, target, headers (lower-cased names)
/// and body.
#[derive(Debug, Clone)]
pub struct Captured {
    /// The method, as sent.
    pub method: String,
    /// The request target (path and query), as sent.
    pub target: String,
    /// Headers by lower-cased name, those of one name in arrival order.
    pub headers: Vec<(String, String)>,
    /// The body as text.
    pub body: String,
    /// The body's bytes as they arrived.
    pub raw_body: Bytes,
}

impl Captured {
    /// The first header named `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every header name, sorted.
    pub fn header_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        names
    }
}

impl From<Request> for Captured {
    fn from(request: Request) -> Self {
        Self {
            method: request.method,
            target: request.target,
            headers: request.headers,
            body: String::from_utf8_lossy(&request.body).into_owned(),
            raw_body: request.body,
        }
    }
}

/// An answer: `status` is the status line's rest (`"200 OK"`; the reason is
/// hyper's own), then headers and body. A status that is not a number gives
/// an answer with status 0, which the server turns into a 500 naming it.
pub fn http(status: &str, headers: &[(&str, &str)], body: &str) -> Answer {
    Answer {
        status: status
            .split_whitespace()
            .next()
            .and_then(|code| code.parse().ok())
            .unwrap_or(0),
        headers: headers
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect(),
        body: Bytes::copy_from_slice(body.as_bytes()),
    }
}
