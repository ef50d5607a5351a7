//! Forwarding one request upstream as it came and reading the answer as it
//! was sent: the bytes of both bodies untouched (no re-encoding, no
//! decompression), every header with repeated ones kept, only the
//! hop-by-hop headers of RFC 9110 section 7.6.1 (and those a `Connection`
//! header names) dropped. A target that could climb out of the upstream's
//! base path is refused before anything is sent.

use bytes::Bytes;
use percent_encoding::percent_decode_str;
use reqwest::header::{HeaderName, HeaderValue};

use crate::server::Request;

/// Headers that concern one connection, never forwarded (RFC 9110 section
/// 7.6.1 and 11.7; `proxy-connection` and `keep-alive` of older practice),
/// and those the proxy's own connections set (`host`, `content-length`).
const HOP_BY_HOP: &[&str] = &[
    "connection",
    "proxy-connection",
    "keep-alive",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "proxy-authorization",
    "proxy-authenticate",
    "host",
    "content-length",
];

/// The upstream's answer as it was sent.
pub(crate) struct Upstream {
    pub(crate) status: u16,
    /// Every end-to-end header, repeated ones kept, in order.
    pub(crate) headers: Vec<(String, String)>,
    /// The body's bytes as sent (still in its content encoding).
    pub(crate) body: Bytes,
}

/// Why `target` may not be forwarded, if it may not: it must be a path,
/// and none of its segments may be `.` or `..` once percent-decoded (in any
/// case), with `\` taken as a separator and `;` parameters left out, as the
/// client's own path guard reads them.
pub(crate) fn refused_target(target: &str) -> Option<String> {
    if !target.starts_with('/') {
        return Some(format!(
            "the request target must be a path, not {}",
            untrusted_text::bounded_line(target, 200)
        ));
    }
    let path = target.split(['?', '#']).next().unwrap_or_default();
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    let climbs = decoded.split(['/', '\\']).any(|segment| {
        let segment = segment.split(';').next().unwrap_or_default();
        segment == "." || segment == ".."
    });
    climbs.then(|| {
        format!(
            "the request target {} has a dot segment, which would leave the upstream's base path",
            untrusted_text::bounded_line(target, 200)
        )
    })
}

/// The headers of `headers` that are forwarded: all but the hop-by-hop
/// ones, including those a `Connection` header names.
pub(crate) fn end_to_end(headers: &[(String, String)]) -> Vec<(String, String)> {
    let named: Vec<String> = headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("connection"))
        .flat_map(|(_, value)| value.split(','))
        .map(|name| name.trim().to_ascii_lowercase())
        .collect();
    headers
        .iter()
        .filter(|(name, _)| {
            let name = name.to_ascii_lowercase();
            !HOP_BY_HOP.contains(&name.as_str()) && !named.contains(&name)
        })
        .cloned()
        .collect()
}

/// Sends `request` to `url` (the upstream followed by its target) and
/// reads the whole answer, at most `limit` bytes of body.
pub(crate) async fn forward(
    http: &reqwest::Client,
    url: &str,
    request: &Request,
    limit: usize,
) -> Result<Upstream, String> {
    let method = reqwest::Method::from_bytes(request.method.as_bytes())
        .map_err(|_| format!("unknown method {}", request.method))?;
    let mut outgoing = http.request(method, url);
    for (name, value) in end_to_end(&request.headers) {
        let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) else {
            continue;
        };
        outgoing = outgoing.header(name, value);
    }
    if !request.body.is_empty() {
        outgoing = outgoing.body(request.body.clone());
    }
    let response = outgoing.send().await.map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let raw: Vec<(String, String)> = response
        .headers()
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            (name.as_str().to_string(), value)
        })
        .collect();
    let body = read_bounded(response, limit).await?;
    Ok(Upstream {
        status,
        headers: end_to_end(&raw),
        body,
    })
}

/// Reads an upstream answer's body chunk by chunk, giving up (and dropping
/// the connection) once it passes `limit` bytes.
async fn read_bounded(mut response: reqwest::Response, limit: usize) -> Result<Bytes, String> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| e.to_string())? {
        if body.len().saturating_add(chunk.len()) > limit {
            return Err(format!("the answer's body is over {limit} bytes"));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_that_climb_are_refused_however_encoded() {
        for target in [
            "/../admin",
            "/%2e%2e/%2E%2e/admin",
            "/a/.%2e/b",
            "/a/..;x/b",
            "/a\\..\\b",
            "/a/%2e/b",
            "https://elsewhere/x",
            "*",
        ] {
            assert!(refused_target(target).is_some(), "{target}");
        }
        for target in ["/a/b", "/a/..b", "/a?x=/../y", "/a/%2e%2ex"] {
            assert_eq!(refused_target(target), None, "{target}");
        }
    }

    #[test]
    fn hop_by_hop_headers_and_those_connection_names_stay_behind() {
        let headers: Vec<(String, String)> = [
            ("connection", "close, x-private"),
            ("x-private", "1"),
            ("te", "trailers"),
            ("upgrade", "h2c"),
            ("proxy-authorization", "Basic abc"),
            ("set-cookie", "a=1"),
            ("set-cookie", "b=2"),
            ("accept-encoding", "gzip"),
        ]
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
        let forwarded = end_to_end(&headers);
        let kept: Vec<&str> = forwarded.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(kept, ["set-cookie", "set-cookie", "accept-encoding"]);
    }
}
