//! The copy of an exchange the recorder keeps, made from the bytes that
//! went through (which are forwarded untouched): headers by lower-cased
//! name (repeated ones combined with `, `, as RFC 9110 section 5.3 allows),
//! a body as the text it was sent as (a gzip or deflate answer decoded
//! first, within the body limit), never parsed and written again, so its
//! keys, their order and its numbers stay exactly as sent.

use std::collections::BTreeMap;
use std::io::Read as _;

use bytes::Bytes;
use conformance::fixture::{RecordedRequest, RecordedResponse};

use super::forward::Upstream;
use crate::server::Request;

/// Headers as the fixtures keep them: by lower-cased name, repeated ones
/// combined.
fn combined(headers: &[(String, String)]) -> BTreeMap<String, String> {
    let mut kept: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in headers {
        kept.entry(name.to_ascii_lowercase())
            .and_modify(|joined| {
                joined.push_str(", ");
                joined.push_str(value);
            })
            .or_insert_with(|| value.clone());
    }
    kept
}

/// A body as text: `None` when empty.
fn text(body: &[u8]) -> Option<String> {
    (!body.is_empty()).then(|| String::from_utf8_lossy(body).into_owned())
}

/// The request as recorded.
pub(crate) fn request(request: &Request) -> RecordedRequest {
    RecordedRequest {
        method: request.method.clone(),
        path: request.target.clone(),
        headers: combined(&request.headers),
        body: None,
        body_text: text(&request.body),
    }
}

/// The answer as recorded: its body decoded when it came gzip or deflate
/// encoded (the `content-encoding` header then left out of the copy), at
/// most `limit` bytes of it.
pub(crate) fn response(upstream: &Upstream, limit: usize) -> RecordedResponse {
    let mut headers = combined(&upstream.headers);
    let body = match headers
        .get("content-encoding")
        .map(|e| e.trim().to_ascii_lowercase())
    {
        Some(encoding) => match decoded(&encoding, &upstream.body, limit) {
            Some(plain) => {
                headers.remove("content-encoding");
                Bytes::from(plain)
            }
            None => upstream.body.clone(),
        },
        None => upstream.body.clone(),
    };
    RecordedResponse {
        status: upstream.status,
        headers,
        body: None,
        body_text: text(&body),
    }
}

/// `body` decoded from `encoding` (gzip, deflate), if it is one of those
/// and decodes within `limit` bytes.
fn decoded(encoding: &str, body: &[u8], limit: usize) -> Option<Vec<u8>> {
    let reader: Box<dyn std::io::Read + '_> = match encoding {
        "gzip" | "x-gzip" => Box::new(flate2::read::GzDecoder::new(body)),
        "deflate" => Box::new(flate2::read::ZlibDecoder::new(body)),
        _ => return None,
    };
    let mut plain = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    reader.take(cap).read_to_end(&mut plain).ok()?;
    (plain.len() <= limit).then_some(plain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    #[test]
    fn a_gzip_answer_is_recorded_decoded_and_its_text_kept_exactly() {
        let text = r#"{"z":1,"a":1,"a":2,"n":12345678901234567890123,"f":1.10}"#;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(text.as_bytes()).unwrap();
        let upstream = Upstream {
            status: 200,
            headers: vec![
                ("content-encoding".into(), "gzip".into()),
                ("set-cookie".into(), "a=1".into()),
                ("set-cookie".into(), "b=2".into()),
            ],
            body: Bytes::from(encoder.finish().unwrap()),
        };
        let recorded = response(&upstream, 1 << 20);
        assert_eq!(recorded.body_text.as_deref(), Some(text));
        assert!(!recorded.headers.contains_key("content-encoding"));
        assert_eq!(recorded.headers["set-cookie"], "a=1, b=2");
        let bomb = response(&upstream, 10);
        assert_eq!(
            bomb.headers["content-encoding"], "gzip",
            "past the limit: kept as sent"
        );
    }
}
