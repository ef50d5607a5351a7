//! What an error may quote of a body: a bounded excerpt with secrets
//! redacted, and serde's reason without the values it would quote.

use serde_json::Value;

use crate::redact::{names_a_secret, redact_json, redact_text};

/// The longest body excerpt an error carries, in bytes.
pub(crate) const SNIPPET_LIMIT: usize = 512;

/// The start of `body` for an error message: at most [`SNIPPET_LIMIT`]
/// bytes, cut on a character boundary; JSON with secret fields has their
/// values replaced, and other text is redacted as
/// [`redact_text`] does.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = match serde_json::from_slice::<Value>(body) {
        Ok(mut value) => {
            redact_json(&mut value);
            value.to_string()
        }
        Err(_) => redact_text(&String::from_utf8_lossy(body)).into_owned(),
    };
    if text.len() <= SNIPPET_LIMIT {
        return text;
    }
    let mut end = SNIPPET_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// Why a body did not decode, without quoting values from it when it names
/// a secret field (serde's messages quote the offending value).
pub(crate) fn decode_reason(why: &serde_json::Error, body: &[u8]) -> String {
    if names_a_secret(&String::from_utf8_lossy(body)) {
        format!(
            "{:?} error at line {} column {}",
            why.classify(),
            why.line(),
            why.column()
        )
    } else {
        why.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_are_bounded_and_cut_on_a_character_boundary() {
        let body = "é".repeat(600);
        let cut = snippet(body.as_bytes());
        assert!(cut.len() <= SNIPPET_LIMIT + '…'.len_utf8());
        assert!(cut.ends_with('…'));
        assert_eq!(
            snippet(b"<html>bad gateway</html>"),
            "<html>bad gateway</html>"
        );
    }

    #[test]
    fn snippets_never_show_secret_fields() {
        let json = br#"{"access_token":"tok-123","expires_in":"soon","nested":{"payment_session_secret":"pss"}}"#;
        let cut = snippet(json);
        assert!(!cut.contains("tok-123") && !cut.contains("pss\""), "{cut}");
        assert!(cut.contains("soon"));
        let broken = br#"{"access_token":"tok-123","#;
        assert!(!snippet(broken).contains("tok-123"));
    }
}
