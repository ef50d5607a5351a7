//! Secret values in Dwolla bodies, and how to keep them out of what you log
//! or record.
//!
//! Some bodies carry secrets: the access token of `POST /token`, Plaid's link
//! token, Checkout.com's payment session secret and token. The client never
//! prints them (their generated fields are [`Secret`](crate::Secret)s, and its
//! error excerpts go through this module); the test kit's recorder redacts
//! them before writing a fixture. Do the same before you log a Dwolla body
//! yourself:
//!
//! ```
//! use dwolla_exchange_sessions::redact::{REDACTED, redact_json, redact_text};
//!
//! let mut body = serde_json::json!({ "access_token": "tok-1", "expires_in": 3600 });
//! redact_json(&mut body);
//! assert_eq!(body["access_token"], REDACTED);
//!
//! let form = redact_text("grant_type=client_credentials&client_secret=s3");
//! assert!(!form.contains("s3"));
//! ```

use std::borrow::Cow;

use serde_json::Value;

/// Body fields whose values are secrets: access and refresh tokens, client
/// secrets, Plaid's link token, Checkout.com's payment session secret and
/// token. Error excerpts and recorded fixtures never show their values, and
/// the generated types hold them as [`Secret`](crate::Secret)s: this is the
/// code generator's list (`dwolla_codegen::profile::SECRET_FIELDS`), the
/// project's one.
pub const SECRET_FIELDS: &[&str] = include!(concat!(env!("OUT_DIR"), "/secret_fields.rs"));

/// What a redacted value becomes.
pub const REDACTED: &str = "<redacted>";

/// Replaces the value of every [`SECRET_FIELDS`] member, at any depth.
pub fn redact_json(value: &mut Value) {
    match value {
        Value::Object(object) => {
            for (key, inner) in object.iter_mut() {
                if SECRET_FIELDS.contains(&key.as_str()) {
                    *inner = Value::String(REDACTED.into());
                } else {
                    redact_json(inner);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_json),
        _ => {}
    }
}

/// Whether `text` names any of the [`SECRET_FIELDS`].
pub fn names_a_secret(text: &str) -> bool {
    SECRET_FIELDS.iter().any(|field| text.contains(field))
}

/// A body that is not JSON, safe to print: unchanged when it names no secret
/// field; a form (`a=1&b=2`) with the values of secret fields replaced; any
/// other text naming a secret field withheld whole.
pub fn redact_text(text: &str) -> Cow<'_, str> {
    if !names_a_secret(text) {
        return Cow::Borrowed(text);
    }
    if text.contains('=') && !text.contains(char::is_whitespace) {
        let pairs = url::form_urlencoded::parse(text.as_bytes()).map(|(key, value)| {
            let value = if SECRET_FIELDS.contains(&key.as_ref()) {
                Cow::Borrowed(REDACTED)
            } else {
                value
            };
            (key, value)
        });
        return Cow::Owned(
            url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(pairs)
                .finish(),
        );
    }
    Cow::Owned(format!("{REDACTED} (a body naming a secret field)"))
}

/// The most of one piece of server-given text an error prints, in bytes.
pub const PRINT_LIMIT: usize = 1024;

/// Text from a server as an error prints it: control and bidirectional
/// formatting characters escaped (so a body cannot forge log lines or
/// recolour a terminal), and at most [`PRINT_LIMIT`] bytes, the rest
/// counted (`… (N bytes more)`).
///
/// ```
/// use dwolla_exchange_sessions::redact::printable;
///
/// assert_eq!(printable("a\nb\u{1b}[31m").to_string(), r"a\nb\u{1b}[31m");
/// ```
pub fn printable(text: &str) -> Printable<'_> {
    Printable(text)
}

/// What [`printable`] returns: it formats the text when displayed.
#[derive(Debug, Clone, Copy)]
pub struct Printable<'a>(&'a str);

impl std::fmt::Display for Printable<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use std::fmt::Write as _;
        let mut written = 0;
        for (at, c) in self.0.char_indices() {
            if written >= PRINT_LIMIT {
                return write!(f, "… ({} bytes more)", self.0.len() - at);
            }
            if is_unprintable(c) {
                let escaped = c.escape_default().to_string();
                written += escaped.len();
                f.write_str(&escaped)?;
            } else {
                written += c.len_utf8();
                f.write_char(c)?;
            }
        }
        Ok(())
    }
}

/// Control characters, and the Unicode ones that reorder or hide text or
/// break lines.
fn is_unprintable(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secret_fields_are_redacted_at_any_depth() {
        let mut body =
            json!({ "access_token": "t", "a": [{ "payment_session_token": "p" }], "keep": "k" });
        redact_json(&mut body);
        assert_eq!(
            body,
            json!({ "access_token": REDACTED, "a": [{ "payment_session_token": REDACTED }], "keep": "k" })
        );
    }

    #[test]
    fn forms_keep_their_other_fields_and_other_text_is_withheld() {
        assert_eq!(
            redact_text("grant_type=client_credentials&client_secret=s3"),
            "grant_type=client_credentials&client_secret=%3Credacted%3E"
        );
        assert_eq!(
            redact_text("grant_type=client_credentials"),
            "grant_type=client_credentials"
        );
        let withheld = redact_text(r#"{"access_token":"tok-123","#);
        assert!(!withheld.contains("tok-123"), "{withheld}");
    }

    #[test]
    fn printable_text_is_escaped_and_bounded() {
        assert_eq!(
            printable("x\r\n\u{0}\u{202e}é").to_string(),
            r"x\r\n\u{0}\u{202e}é"
        );
        let long = "y".repeat(PRINT_LIMIT + 10);
        let printed = printable(&long).to_string();
        assert!(printed.ends_with("… (10 bytes more)"), "{printed}");
        assert_eq!(printed.len(), PRINT_LIMIT + "… (10 bytes more)".len());
    }
}
