//! Reading the `Location` header of a `201 Created`: the URL of the new
//! resource, which must be on the configured host and name one resource of
//! the expected collection.

use reqwest::Url;

use crate::error::LocationError;

/// A resource the API created, as its `Location` header names it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CreatedResource {
    /// The resource's URL, e.g. `https://api.dwolla.com/exchange-sessions/9b7f…`.
    pub url: Url,
    /// The last path segment, percent-decoded: the resource's id.
    pub id: String,
}

/// Parses `location` as a URL under `base_url` of the form
/// `<base>/<collection>/<id>`, with a single, non-empty, non-dot id segment
/// and no query or fragment. A relative reference (RFC 9110 section 10.2.2
/// allows one) is resolved against the request's URL, `request_path` (the
/// operation's path template) under `base_url`, and then checked the same
/// way.
pub(crate) fn parse_created(
    location: Option<&[u8]>,
    base_url: &Url,
    request_path: &str,
    collection: &str,
) -> Result<CreatedResource, LocationError> {
    let raw = location.ok_or(LocationError::Missing)?;
    let text = std::str::from_utf8(raw)
        .map_err(|_| LocationError::NotAUrl(String::from_utf8_lossy(raw).into_owned()))?
        .trim();
    // A `Location` read under the base has the base's origin by construction.
    let (url, under) = match under_base(base_url, text) {
        Some(url) => (url, true),
        None => (absolute(text, base_url, request_path)?, false),
    };
    if !under && url.origin() != base_url.origin() {
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
    // The base's non-empty segments, the collection, the id, and nothing more.
    let mut segments = url.path_segments().ok_or_else(wrong_path)?;
    let prefix = base_url.path_segments().into_iter().flatten();
    for expected in prefix.filter(|s| !s.is_empty()).chain([collection]) {
        if segments.next() != Some(expected) {
            return Err(wrong_path());
        }
    }
    let raw_id = segments.next().ok_or_else(wrong_path)?;
    if segments.next().is_some() {
        return Err(wrong_path());
    }
    let id = percent_decode(raw_id).ok_or_else(wrong_path)?;
    if id.is_empty()
        || id == "."
        || id == ".."
        || id.contains(['/', '\\'])
        || id.chars().any(char::is_control)
    {
        return Err(wrong_path());
    }
    Ok(CreatedResource { url, id })
}

/// `text` read against `base` without parsing its host again, when it starts
/// with the base's scheme, credentials, host and port exactly as the base
/// writes them, followed by an absolute path (not `//` or `/\`, which would
/// name another host, and without the tabs and newlines the URL parser
/// drops, which could make one): the URL `Url::parse(text)` gives, at a
/// fraction of the cost, for the answer every create gets. `None` leaves
/// `text` to the full parse.
fn under_base(base: &Url, text: &str) -> Option<Url> {
    let path = text.strip_prefix(&base[..url::Position::BeforePath])?;
    let after_slash = path.strip_prefix('/')?;
    if after_slash.starts_with(['/', '\\']) || path.contains(['\t', '\n', '\r']) {
        return None;
    }
    base.join(path).ok()
}

/// `text` as an absolute URL: as it is, or, when it is a relative
/// reference, resolved against the request's URL (`request_path` under
/// `base`; its parameters' values do not change where a reference that
/// names the collection leads).
fn absolute(text: &str, base: &Url, request_path: &str) -> Result<Url, LocationError> {
    let not_a_url = || LocationError::NotAUrl(text.to_string());
    match Url::parse(text) {
        Ok(url) => Ok(url),
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            let template: String = request_path
                .split('/')
                .map(|segment| {
                    if segment.starts_with('{') {
                        "_"
                    } else {
                        segment
                    }
                })
                .collect::<Vec<_>>()
                .join("/");
            let mut request = base.clone();
            let prefix = base.path().trim_end_matches('/');
            request.set_path(&format!("{prefix}{template}"));
            request.join(text).map_err(|_| not_a_url())
        }
        Err(_) => Err(not_a_url()),
    }
}

/// Decodes `%XX` escapes; `None` for a malformed escape or non-UTF-8 result.
/// (The `percent-encoding` crate passes a malformed escape through as text,
/// which would let `%zz` through as an id.)
fn percent_decode(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            // Two hex digits (`from_str_radix` alone would take `+1`).
            let hex = segment
                .get(i + 1..i + 3)
                .filter(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))?;
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
    use proptest::prelude::*;

    const BASE: &str = "https://api.dwolla.com";

    /// `location` read as an exchange session under `base`.
    fn session_under(
        location: Option<&[u8]>,
        base: &str,
    ) -> Result<CreatedResource, LocationError> {
        parse_created(
            location,
            &Url::parse(base).unwrap(),
            "/customers/{id}/exchange-sessions",
            "exchange-sessions",
        )
    }

    fn parse(location: &str) -> Result<CreatedResource, LocationError> {
        session_under(Some(location.as_bytes()), BASE)
    }

    #[test]
    fn a_session_url_on_the_host_gives_its_id() {
        let created =
            parse("https://api.dwolla.com/exchange-sessions/fcd15e5f-8d13-4570-a9b7-7fb49e55941d")
                .unwrap();
        assert_eq!(created.id, "fcd15e5f-8d13-4570-a9b7-7fb49e55941d");
    }

    /// The URL parser drops tabs and newlines anywhere in a URL, so a tab
    /// after the base's `/` can turn what follows into `//host`: such a
    /// `Location` must not take the read-under-the-base path, which skips
    /// the origin check.
    #[test]
    fn a_tab_or_newline_cannot_turn_the_path_into_another_host() {
        for location in [
            "https://api.dwolla.com/\t\\evil.example/exchange-sessions/abc",
            "https://api.dwolla.com/\n/evil.example/exchange-sessions/abc",
            "https://api.dwolla.com/\r\n\\evil.example/exchange-sessions/abc",
        ] {
            if let Ok(created) = parse(location) {
                assert_eq!(
                    created.url.host_str(),
                    Some("api.dwolla.com"),
                    "{location:?} was read as {}",
                    created.url
                );
            }
        }
    }

    #[test]
    fn a_base_with_a_path_prefix_is_respected() {
        let created = session_under(
            Some(b"http://127.0.0.1:8080/dwolla/exchange-sessions/abc"),
            "http://127.0.0.1:8080/dwolla",
        )
        .unwrap();
        assert_eq!(created.id, "abc");
    }

    /// RFC 9110 section 10.2.2: a `Location` may be a relative reference,
    /// resolved against the request's URL, then checked as any other.
    #[test]
    fn a_relative_location_is_resolved_against_the_request_then_checked() {
        for location in ["/exchange-sessions/abc", "../../exchange-sessions/abc"] {
            let created = parse(location).unwrap_or_else(|e| panic!("{location}: {e:?}"));
            assert_eq!(created.id, "abc");
            assert_eq!(
                created.url.as_str(),
                "https://api.dwolla.com/exchange-sessions/abc"
            );
        }
        let prefixed = "http://127.0.0.1:8080/dwolla";
        let created = session_under(Some(b"/dwolla/exchange-sessions/abc"), prefixed).unwrap();
        assert_eq!(created.id, "abc");
        assert!(matches!(
            session_under(Some(b"/exchange-sessions/abc"), prefixed),
            Err(LocationError::WrongPath { .. })
        ));
    }

    #[test]
    fn missing_foreign_and_malformed_locations_are_refused() {
        assert_eq!(session_under(None, BASE), Err(LocationError::Missing));
        for (location, expected) in [
            ("http://[::1/exchange-sessions/abc", "NotAUrl"),
            ("not a url", "WrongPath"),
            ("exchange-sessions/abc", "WrongPath"),
            ("//evil.example/exchange-sessions/abc", "ForeignOrigin"),
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
            ("https://api.dwolla.com/exchange-sessions/%+1", "WrongPath"),
            (
                "https://api.dwolla.com/exchange-sessions/a%01b",
                "WrongPath",
            ),
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
            session_under(Some(&[0xff, 0xfe]), BASE),
            Err(LocationError::NotAUrl(_))
        ));
    }

    fn location_like() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            any::<Vec<u8>>(),
            "(https?|ftp|[a-z]{1,4}):(//)?([a-z.@]{0,12})(:[0-9]{0,6})?(/[a-zA-Z0-9%.\\\\-]{0,10}){0,4}(\\?[a-z=]{0,6})?(#[a-z]{0,3})?"
                .prop_map(String::into_bytes),
            "(/exchange-sessions/[a-z0-9%.-]{0,12}){1,2}".prop_map(|path| format!("https://api.dwolla.com{path}").into_bytes()),
        ]
    }

    proptest! {
        /// Reading a `Location` against the base gives the URL the full
        /// parse gives, whenever it applies.
        #[test]
        fn reading_under_the_base_agrees_with_the_full_parse(
            path in "[/\\\\a-z0-9%.?#@:\t\\x01\\x7f é\\[\\]^|{}-]{0,16}",
            base in prop_oneof![
                Just("https://api.dwolla.com"),
                Just("http://127.0.0.1:8080/prefix/"),
                Just("http://user:pw@127.0.0.1:8080"),
                Just("http://127.0.0.1:8080/prefix/?q=1#f"),
            ],
        ) {
            let base_url = Url::parse(base).unwrap();
            let text = format!("{}{path}", &base_url[..url::Position::BeforePath]);
            if let Some(url) = under_base(&base_url, &text) {
                prop_assert_eq!(Some(url), Url::parse(&text).ok());
            }
        }

        /// Whatever the server sends, the parser returns a value or an
        /// error, never panics, and accepts only a session on the base host.
        #[test]
        fn a_location_is_accepted_only_as_a_session_on_the_base_host(
            raw in location_like(),
            base in prop_oneof![
                Just("https://api.dwolla.com".to_string()),
                Just("http://127.0.0.1:8080/prefix".to_string()),
                "[a-z:/.]{0,20}",
            ],
        ) {
            let Ok(base_url) = Url::parse(&base) else {
                return Ok(());
            };
            if let Ok(created) = parse_created(
                Some(&raw),
                &base_url,
                "/customers/{id}/exchange-sessions",
                "exchange-sessions",
            ) {
                prop_assert_eq!(created.url.origin(), base_url.origin());
                prop_assert!(!created.id.is_empty() && !created.id.contains('/') && created.id != ".." && created.id != ".");
                prop_assert!(created.url.path().contains("/exchange-sessions/"));
            }
        }
    }
}
