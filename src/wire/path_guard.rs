//! Refuses a request whose URL does not match its operation's path template.
//!
//! progenitor percent-encodes path parameters, but URL parsing still resolves
//! dot segments (`..`, and its encoded form `%2e%2e`) and treats `\` as `/`,
//! so an id can move a request to another path. Comparing the final URL with
//! the template, segment by segment, catches every such case whatever its
//! encoding.

use reqwest::Url;

/// Checks that `url` is `base` followed by `template`, each `{param}` standing
/// for exactly one non-empty segment.
#[cfg(test)]
pub(crate) fn check(base: &str, url: &Url, template: &str) -> Result<(), String> {
    check_parsed(&parse_base(base)?, url, template)
}

/// Parses the client's base URL (once per client: see `ClientState`).
pub(crate) fn parse_base(base: &str) -> Result<Url, String> {
    Url::parse(base).map_err(|e| format!("base URL {base:?} is not a URL: {e}"))
}

/// [`check`] with the base already parsed.
pub(crate) fn check_parsed(base: &Url, url: &Url, template: &str) -> Result<(), String> {
    if url.scheme() != base.scheme()
        || url.host_str() != base.host_str()
        || url.port_or_known_default() != base.port_or_known_default()
    {
        return Err(format!(
            "request URL {url} is not on the configured host {base}"
        ));
    }
    let base_path = base.path().trim_end_matches('/');
    let relative = url.path().strip_prefix(base_path).ok_or_else(|| {
        format!(
            "request path {} is outside the base path {base_path}",
            url.path()
        )
    })?;
    if matches_template(relative, template) {
        Ok(())
    } else {
        Err(format!(
            "a path parameter changed the request path to {} (template {template}); ids may not be empty or dot segments",
            url.path()
        ))
    }
}

/// Whether `path` has the segments of `template`, each `{param}` standing
/// for exactly one non-empty, non-dot segment. (Split as bytes: `/` is
/// ASCII, and the byte split is several times cheaper than the `str` one.)
fn matches_template(path: &str, template: &str) -> bool {
    let is_slash = |byte: &u8| *byte == b'/';
    let mut actual = path.as_bytes().split(is_slash);
    let mut expected = template.as_bytes().split(is_slash);
    loop {
        match (actual.next(), expected.next()) {
            (None, None) => return true,
            (Some(segment), Some(pattern)) => {
                let fits = if pattern.starts_with(b"{") && pattern.ends_with(b"}") {
                    !segment.is_empty() && !is_dot_segment(segment)
                } else {
                    segment == pattern
                };
                if !fits {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// Whether a server may read `segment` as `.` or `..`: once percent-decoded
/// and without its `;` parameters (`..;`, `.;x=1`), as Tomcat, Spring and
/// some proxies do.
fn is_dot_segment(segment: &[u8]) -> bool {
    // Only a segment starting with `.` or an escape can decode to a dot.
    if !segment.starts_with(b".") && !segment.starts_with(b"%") {
        return false;
    }
    let decoded = percent_decode(segment);
    let bare = decoded
        .split(|&byte| byte == b';')
        .next()
        .unwrap_or_default();
    matches!(bare, b"." | b"..")
}

/// `bytes` with each `%XY` decoded once (other bytes kept).
fn percent_decode(bytes: &[u8]) -> Vec<u8> {
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        let hex = bytes
            .get(at + 1..at + 3)
            .filter(|pair| pair.iter().all(u8::is_ascii_hexdigit))
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        if let (b'%', Some(value)) = (byte, hex) {
            decoded.push(value);
            at += 3;
        } else {
            decoded.push(byte);
            at += 1;
        }
    }
    decoded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url_for(base: &str, id: &str) -> Url {
        Url::parse(&format!(
            "{base}/exchange-sessions/{}",
            progenitor_client::encode_path(id)
        ))
        .unwrap()
    }

    const BASE: &str = "https://api.dwolla.com";
    const TEMPLATE: &str = "/exchange-sessions/{id}";

    #[test]
    fn a_fragment_progenitor_keeps_from_a_spec_key_is_not_part_of_the_path() {
        // A spec key `/md/{id}#again` is generated as a URL with the fragment;
        // the operation table holds the key without it (what is sent).
        let url =
            Url::parse("https://api.dwolla.com/funding-sources/f1/micro-deposits#again").unwrap();
        assert_eq!(
            check(BASE, &url, "/funding-sources/{id}/micro-deposits"),
            Ok(())
        );
    }

    #[test]
    fn ordinary_and_encoded_ids_pass() {
        for id in [
            "fcd15e5f-8d13-4570-a9b7-7fb49e55941d",
            "a/b",
            "a?b",
            "a#b",
            "a/../b",
            "%2e%2e",
            "...",
        ] {
            assert_eq!(check(BASE, &url_for(BASE, id), TEMPLATE), Ok(()), "{id}");
        }
    }

    #[test]
    fn dot_segments_empty_ids_and_backslashes_are_refused() {
        for id in [
            "..", ".", "", "a\\b", "\\..", ".\\..", "..;", ".;x=1", "..;/a",
        ] {
            assert!(
                check(BASE, &url_for(BASE, id), TEMPLATE).is_err(),
                "{id:?} -> {}",
                url_for(BASE, id)
            );
        }
    }

    #[test]
    fn percent_encoded_dot_segments_in_a_sent_url_are_refused() {
        for path in ["%2e%2e", "%2E.;a", ".%2e"] {
            let url = Url::parse(&format!("{BASE}/exchange-sessions/{path}")).unwrap();
            assert!(check(BASE, &url, TEMPLATE).is_err(), "{path} -> {url}");
        }
    }

    #[test]
    fn base_path_stems_are_respected() {
        let base = "http://127.0.0.1:8080/api";
        assert_eq!(check(base, &url_for(base, "x"), TEMPLATE), Ok(()));
        let elsewhere = Url::parse("http://127.0.0.1:8080/other/exchange-sessions/x").unwrap();
        assert!(check(base, &elsewhere, TEMPLATE).is_err());
    }

    #[test]
    fn another_host_is_refused() {
        let url = Url::parse("https://evil.example/exchange-sessions/x").unwrap();
        assert!(
            check(BASE, &url, TEMPLATE)
                .unwrap_err()
                .contains("configured host")
        );
    }
}
