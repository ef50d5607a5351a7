//! HAR 1.2 (HTTP Archive) recordings, as browser devtools, mitmproxy,
//! Charles, Proxyman and Postman export them: read into exchanges to check,
//! and written from recorded exchanges.
//!
//! Reading is lenient (only what a check needs; every other field may be
//! missing): an entry is checked when its method and path map to an
//! operation of the spec, on a host where some entry does. Entries for other
//! hosts, with unknown paths, or answered with a redirect are listed as
//! skipped. Bodies in `content.text` with `encoding: base64` are decoded.
//! Writing produces every field HAR 1.2 requires.
//!
//! The types are our own: the `har` crate models every required field as
//! mandatory, so it rejects exports that leave some out, and it brings
//! `serde_with` along for two dozen structs.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use base64::Engine as _;
use openapi_doc::spec::Operation;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::fixture::{
    BodyNumbers, Exchange, FixtureError, Loaded, Provenance, RecordedRequest, RecordedResponse,
};
use crate::render::Skipped;

/// A HAR file: `{ "log": … }`.
#[derive(Debug, Deserialize)]
struct Har {
    log: Log,
}

#[derive(Debug, Deserialize)]
struct Log {
    #[serde(default)]
    entries: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
struct Entry {
    #[serde(default, rename = "startedDateTime")]
    started: Option<String>,
    request: Request,
    response: Response,
}

#[derive(Debug, Deserialize)]
struct Request {
    method: String,
    url: String,
    #[serde(default)]
    headers: Vec<Header>,
    #[serde(default, rename = "postData")]
    post_data: Option<PostData>,
}

#[derive(Debug, Deserialize)]
struct Header {
    name: String,
    value: String,
}

#[derive(Debug, Deserialize)]
struct PostData {
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    params: Vec<Param>,
}

#[derive(Debug, Deserialize)]
struct Param {
    name: String,
    #[serde(default)]
    value: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Response {
    status: u16,
    #[serde(default)]
    headers: Vec<Header>,
    #[serde(default)]
    content: Option<Content>,
}

#[derive(Debug, Deserialize)]
struct Content {
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    encoding: Option<String>,
}

/// What a HAR file holds: the exchanges to check and the entries skipped.
#[derive(Debug, Clone, Default)]
pub struct HarExchanges {
    /// One per entry that maps to an operation, named `<file stem>#<entry>`.
    pub loaded: Vec<Loaded>,
    /// The other entries, each with why.
    pub skipped: Vec<Skipped>,
}

/// Reads the HAR file at `path`, mapping entries to `operations`.
pub fn load(path: &Path, operations: &[Operation]) -> Result<HarExchanges, FixtureError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| FixtureError::Read {
        path: file.clone(),
        source,
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let har: Har = serde_json::from_str(text).map_err(|why| FixtureError::Format {
        path: file.clone(),
        message: format!("not a HAR file: {why}"),
    })?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let operation_of = |entry: &Entry, url: &url::Url| {
        operations.iter().find(|op| {
            op.method.eq_ignore_ascii_case(&entry.request.method) && op.matches_path(url.path())
        })
    };
    // Each entry with its URL and operation, found once; the hosts that
    // answer some operation of the spec, in a set (one look-up per entry).
    let parsed: Vec<(usize, Entry, Option<url::Url>, Option<&Operation>)> = har
        .log
        .entries
        .into_iter()
        .enumerate()
        .map(|(n, entry)| {
            let url = url::Url::parse(&entry.request.url).ok();
            let operation = url.as_ref().and_then(|url| operation_of(&entry, url));
            (n, entry, url, operation)
        })
        .collect();
    let api_hosts: HashSet<String> = parsed
        .iter()
        .filter_map(|(_, _, url, operation)| operation.and(url.as_ref()).map(authority))
        .collect();
    let mut out = HarExchanges::default();
    for (n, entry, url, operation) in parsed {
        let item = format!(
            "entry {n}: {} {}",
            entry.request.method,
            shown(&entry.request.url, url.as_ref())
        );
        let skip = |reason: &str| Skipped {
            file: file.clone(),
            item: item.clone(),
            reason: reason.to_string(),
        };
        let Some(url) = url else {
            out.skipped.push(skip("the URL cannot be parsed"));
            continue;
        };
        if !api_hosts.contains(&authority(&url)) {
            out.skipped
                .push(skip("another host: no entry there maps to the spec"));
            continue;
        }
        let Some(operation) = operation else {
            out.skipped
                .push(skip("no operation of the spec has this method and path"));
            continue;
        };
        if (300..400).contains(&entry.response.status) {
            out.skipped
                .push(skip("a redirect, not an answer of the operation"));
            continue;
        }
        let (exchange, numbers) = exchange(&entry, &url, &operation.id, &file);
        out.loaded.push(Loaded {
            name: format!("{stem}#{n}"),
            path: path.to_path_buf(),
            exchange,
            numbers,
        });
    }
    Ok(out)
}

/// A URL as a skipped entry is named: scheme, host and path only, since its
/// query, fragment or user info may carry a token (`?access_token=…`); only
/// the scheme of one without a host (`data:`); the text before any `?` or
/// `#` when it does not parse.
fn shown(raw: &str, url: Option<&url::Url>) -> String {
    match url {
        Some(url) if url.has_host() => {
            format!("{}://{}{}", url.scheme(), authority(url), url.path())
        }
        Some(url) => format!("{}:", url.scheme()),
        None => raw.split(['?', '#']).next().unwrap_or_default().to_string(),
    }
}

/// `host[:port]` of a URL.
fn authority(url: &url::Url) -> String {
    match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_string(),
    }
}

/// Headers by lower-cased name (the last of a repeated one), HTTP/2
/// pseudo-headers left out.
fn headers(headers: &[Header]) -> BTreeMap<String, String> {
    headers
        .iter()
        .filter(|h| !h.name.starts_with(':'))
        .map(|h| (h.name.to_ascii_lowercase(), h.value.clone()))
        .collect()
}

/// A JSON body parsed, any other kept as text; none when empty.
fn body(text: Option<String>) -> (Option<Value>, Option<String>) {
    match text {
        None => (None, None),
        Some(text) if text.is_empty() => (None, None),
        Some(text) => match serde_json::from_str(&text) {
            Ok(value) => (Some(value), None),
            Err(_) => (None, Some(text)),
        },
    }
}

/// The numbers a 64-bit read rounds in a body read as JSON from `text`.
fn numbers_of(body: Option<&Value>, text: Option<&String>) -> Vec<crate::exact::Literal> {
    match (body, text) {
        (Some(_), Some(text)) => crate::exact::literals(text),
        _ => Vec::new(),
    }
}

fn request_text(entry: &Entry) -> Option<String> {
    entry.request.post_data.as_ref().and_then(|post| {
        post.text.clone().or_else(|| {
            (!post.params.is_empty()).then(|| {
                url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(
                        post.params
                            .iter()
                            .map(|p| (p.name.as_str(), p.value.as_deref().unwrap_or_default())),
                    )
                    .finish()
            })
        })
    })
}

fn response_text(entry: &Entry) -> Option<String> {
    entry.response.content.as_ref().and_then(|content| {
        let text = content.text.clone()?;
        if content.encoding.as_deref() == Some("base64") {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(text.trim())
                .ok()?;
            Some(String::from_utf8_lossy(&bytes).into_owned())
        } else {
            Some(text)
        }
    })
}

/// The entry as an exchange, and the numbers of its bodies a 64-bit read
/// rounds.
fn exchange(entry: &Entry, url: &url::Url, operation: &str, file: &str) -> (Exchange, BodyNumbers) {
    let (request_raw, response_raw) = (request_text(entry), response_text(entry));
    let (request_body, request_text) = body(request_raw.clone());
    let (response_body, response_text) = body(response_raw.clone());
    let numbers = BodyNumbers {
        request: numbers_of(request_body.as_ref(), request_raw.as_ref()),
        response: numbers_of(response_body.as_ref(), response_raw.as_ref()),
    };
    let path = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_string(),
    };
    let exchange = Exchange {
        operation: operation.to_string(),
        description: None,
        provenance: Provenance {
            source: "har".into(),
            reference: Some(file.to_string()),
            recorded: entry.started.clone(),
        },
        request: RecordedRequest {
            method: entry.request.method.to_ascii_uppercase(),
            path,
            headers: headers(&entry.request.headers),
            body: request_body,
            body_text: request_text,
        },
        response: RecordedResponse {
            status: entry.response.status,
            headers: headers(&entry.response.headers),
            body: response_body,
            body_text: response_text,
        },
    };
    (exchange, numbers)
}

/// A body as HAR text with its media type.
fn text_of(body: Option<&Value>, text: Option<&str>) -> Option<String> {
    match (body, text) {
        (Some(body), _) => Some(body.to_string()),
        (None, Some(text)) => Some(text.to_string()),
        (None, None) => None,
    }
}

fn har_headers(headers: &BTreeMap<String, String>) -> Vec<Value> {
    headers
        .iter()
        .map(|(name, value)| json!({ "name": name, "value": value }))
        .collect()
}

/// `exchanges` as a HAR 1.2 document, each request's URL `base` followed by
/// its path. Timings are not recorded (zero); `startedDateTime` is the
/// exchange's recording date at midnight UTC, or the epoch.
pub fn to_har(exchanges: &[Exchange], base: &str, creator: &str) -> Value {
    let entries: Vec<Value> = exchanges.iter().map(|e| to_har_entry(e, base)).collect();
    json!({
        "log": {
            "version": "1.2",
            "creator": { "name": creator, "version": env!("CARGO_PKG_VERSION") },
            "entries": entries,
        }
    })
}

/// One exchange as a HAR 1.2 entry, its request's URL `base` followed by
/// its path (see [`to_har`]).
pub fn to_har_entry(exchange: &Exchange, base: &str) -> Value {
    let request = &exchange.request;
    let response = &exchange.response;
    let url = format!("{}{}", base.trim_end_matches('/'), request.path);
    let query: Vec<Value> = url::Url::parse(&url)
        .map(|u| {
            u.query_pairs()
                .map(|(name, value)| json!({ "name": name, "value": value }))
                .collect()
        })
        .unwrap_or_default();
    let mut har_request = json!({
        "method": request.method,
        "url": url,
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": har_headers(&request.headers),
        "queryString": query,
        "headersSize": -1,
        "bodySize": -1,
    });
    if let Some(text) = text_of(request.body.as_ref(), request.body_text.as_deref()) {
        har_request["postData"] = json!({
            "mimeType": request.header("content-type").unwrap_or_default(),
            "text": text,
        });
    }
    let content_text = text_of(response.body.as_ref(), response.body_text.as_deref());
    let mut content = json!({
        "size": content_text.as_ref().map_or(0, String::len),
        "mimeType": response.header("content-type").unwrap_or_default(),
    });
    if let Some(text) = content_text {
        content["text"] = json!(text);
    }
    let started = exchange
        .provenance
        .recorded
        .as_deref()
        .filter(|date| date.len() == 10)
        .map_or_else(
            || "1970-01-01T00:00:00.000Z".to_string(),
            |date| format!("{date}T00:00:00.000Z"),
        );
    json!({
        "startedDateTime": started,
        "time": 0,
        "request": har_request,
        "response": {
            "status": response.status,
            "statusText": "",
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": har_headers(&response.headers),
            "content": content,
            "redirectURL": response.header("location").unwrap_or_default(),
            "headersSize": -1,
            "bodySize": -1,
        },
        "cache": {},
        "timings": { "send": 0, "wait": 0, "receive": 0 },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_har_reads_back_as_the_same_exchanges() {
        let suite = crate::check::Suite::vendored().unwrap();
        let exchanges: Vec<Exchange> = crate::fixture::committed()
            .unwrap()
            .into_iter()
            .map(|l| l.exchange)
            .collect();
        let har = to_har(&exchanges, "https://api.dwolla.com", "test");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("all.har");
        std::fs::write(&file, har.to_string()).unwrap();
        let read = load(&file, suite.operations()).unwrap();
        assert!(read.skipped.is_empty(), "{:?}", read.skipped);
        assert_eq!(read.loaded.len(), exchanges.len());
        for (loaded, original) in read.loaded.iter().zip(&exchanges) {
            assert_eq!(loaded.exchange.operation, original.operation);
            assert_eq!(loaded.exchange.request, original.request);
            assert_eq!(loaded.exchange.response.body, original.response.body);
            assert_eq!(loaded.exchange.response.status, original.response.status);
        }
    }

    #[test]
    fn a_skipped_entry_is_named_without_its_query_or_credentials() {
        let suite = crate::check::Suite::vendored().unwrap();
        let url = |url: &str| json!({ "request": { "method": "GET", "url": url }, "response": { "status": 200 } });
        let har = json!({ "log": { "entries": [
            url("https://user:pw-9f1@cdn.example/app.js?access_token=tok-q-1#frag-2"),
            url("not a url?access_token=tok-q-3"),
        ] } });
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("browser.har");
        std::fs::write(&file, har.to_string()).unwrap();
        let read = load(&file, suite.operations()).unwrap();
        let items: Vec<&str> = read.skipped.iter().map(|s| s.item.as_str()).collect();
        assert_eq!(
            items,
            [
                "entry 0: GET https://cdn.example/app.js",
                "entry 1: GET not a url"
            ]
        );
    }
}
