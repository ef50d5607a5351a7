//! Reading the `Location` header of a `201 Created`: the URL of the new
//! resource, which must be on the configured host and name one resource of
//! the expected collection.

use reqwest::Url;

/// A resource the API created, as its `Location` header names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedResource {
    /// The resource's URL, e.g. `https://api.dwolla.com/exchange-sessions/9b7f…`.
    pub url: Url,
    /// The last path segment, percent-decoded: the resource's id.
    pub id: String,
}

/// Why a `Location` header was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LocationError {
    /// The `201` answer had no `Location` header.
    #[error("the response has no Location header")]
    Missing,
    /// The header is not valid UTF-8 or not an absolute URL.
    #[error("Location is not an absolute URL: {0}")]
    NotAUrl(String),
    /// The URL points at a different scheme, host or port than the client's.
    #[error("Location {found} is not on the client's host {expected}")]
    ForeignOrigin {
        /// The client's base URL.
        expected: String,
        /// What the header said.
        found: String,
    },
    /// The URL is on the right host but not `<base>/<collection>/<id>`.
    #[error("Location {found} is not a {collection} URL of the form <base>/{collection}/<id>")]
    WrongPath {
        /// The collection expected, e.g. `exchange-sessions`.
        collection: String,
        /// What the header said.
        found: String,
    },
}

/// Parses `location` as a URL under `base` of the form
/// `<base>/<collection>/<id>`, with a single, non-empty, non-dot id segment
/// and no query or fragment.
pub fn parse_created(
    location: Option<&[u8]>,
    base: &str,
    collection: &str,
) -> Result<CreatedResource, LocationError> {
    let base_url = Url::parse(base).map_err(|_| LocationError::NotAUrl(base.to_string()))?;
    parse_created_under(location, &base_url, collection)
}

/// [`parse_created`] with the base already parsed.
pub fn parse_created_under(
    location: Option<&[u8]>,
    base_url: &Url,
    collection: &str,
) -> Result<CreatedResource, LocationError> {
    let raw = location.ok_or(LocationError::Missing)?;
    let text = std::str::from_utf8(raw)
        .map_err(|_| LocationError::NotAUrl(String::from_utf8_lossy(raw).into_owned()))?
        .trim();
    let url = Url::parse(text).map_err(|_| LocationError::NotAUrl(text.to_string()))?;
    if url.origin() != base_url.origin() {
        return Err(LocationError::ForeignOrigin {
            expected: base_url.origin().ascii_serialization(),
            found: text.to_string(),
        });
    }
    let wrong_path = || LocationError::WrongPath {
        collection: collection.to_string(),
        found: text.to_string(),
    };
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err(wrong_path());
    }
    let prefix: Vec<&str> = base_url
        .path_segments()
        .map(|segments| segments.filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    let segments: Vec<&str> = url.path_segments().ok_or_else(wrong_path)?.collect();
    let expected_len = prefix.len() + 2;
    if segments.len() != expected_len
        || segments[..prefix.len()] != prefix[..]
        || segments[prefix.len()] != collection
    {
        return Err(wrong_path());
    }
    let raw_id = segments[prefix.len() + 1];
    let id = percent_decode(raw_id).ok_or_else(wrong_path)?;
    if id.is_empty() || id == "." || id == ".." || id.contains(['/', '\\']) {
        return Err(wrong_path());
    }
    Ok(CreatedResource { url, id })
}

/// Decodes `%XX` escapes; `None` for a malformed escape or non-UTF-8 result.
fn percent_decode(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = segment.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://api.dwolla.com";

    fn parse(location: &str) -> Result<CreatedResource, LocationError> {
        parse_created(Some(location.as_bytes()), BASE, "exchange-sessions")
    }

    #[test]
    fn a_session_url_on_the_host_gives_its_id() {
        let created =
            parse("https://api.dwolla.com/exchange-sessions/fcd15e5f-8d13-4570-a9b7-7fb49e55941d")
                .unwrap();
        assert_eq!(created.id, "fcd15e5f-8d13-4570-a9b7-7fb49e55941d");
    }

    #[test]
    fn a_base_with_a_path_prefix_is_respected() {
        let created = parse_created(
            Some(b"http://127.0.0.1:8080/dwolla/exchange-sessions/abc"),
            "http://127.0.0.1:8080/dwolla",
            "exchange-sessions",
        )
        .unwrap();
        assert_eq!(created.id, "abc");
    }

    #[test]
    fn missing_foreign_and_malformed_locations_are_refused() {
        assert_eq!(
            parse_created(None, BASE, "exchange-sessions"),
            Err(LocationError::Missing)
        );
        for (location, expected) in [
            ("/exchange-sessions/abc", "NotAUrl"),
            ("not a url", "NotAUrl"),
            (
                "https://evil.example/exchange-sessions/abc",
                "ForeignOrigin",
            ),
            (
                "http://api.dwolla.com/exchange-sessions/abc",
                "ForeignOrigin",
            ),
            (
                "https://api.dwolla.com:444/exchange-sessions/abc",
                "ForeignOrigin",
            ),
            ("https://api.dwolla.com/customers/abc", "WrongPath"),
            ("https://api.dwolla.com/exchange-sessions/", "WrongPath"),
            ("https://api.dwolla.com/exchange-sessions/a/b", "WrongPath"),
            (
                "https://api.dwolla.com/exchange-sessions/abc?x=1",
                "WrongPath",
            ),
            (
                "https://api.dwolla.com/exchange-sessions/abc#f",
                "WrongPath",
            ),
            (
                "https://api.dwolla.com/exchange-sessions/%2e%2e",
                "WrongPath",
            ),
            (
                "https://api.dwolla.com/exchange-sessions/a%2Fb",
                "WrongPath",
            ),
            ("https://api.dwolla.com/exchange-sessions/%zz", "WrongPath"),
            (
                "https://user@api.dwolla.com/exchange-sessions/abc",
                "WrongPath",
            ),
        ] {
            let error = parse(location).unwrap_err();
            let kind = format!("{error:?}");
            assert!(kind.starts_with(expected), "{location}: {kind}");
        }
        assert!(matches!(
            parse_created(Some(&[0xff, 0xfe]), BASE, "exchange-sessions"),
            Err(LocationError::NotAUrl(_))
        ));
    }
}
