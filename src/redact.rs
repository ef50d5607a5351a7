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

/// Whether `text` names any of the [`SECRET_FIELDS`]: as written, after
/// percent-decoding (a form), or inside a JSON string after unescaping (so
/// `"externalProviderSession\u0054oken"` names one even where the text is
/// not valid JSON).
pub fn names_a_secret(text: &str) -> bool {
    let names = |text: &str| SECRET_FIELDS.iter().any(|field| text.contains(field));
    names(text)
        || (text.contains('%') || text.contains('+'))
            && url::form_urlencoded::parse(text.as_bytes())
                .any(|(key, value)| names(&key) || names(&value))
        || text.contains('\\') && escaped_json_strings(text).any(|literal| names(&literal))
}

/// The JSON string literals of `text` that hold an escape, unescaped; text
/// that is not JSON (or cut short) is read as far as its literals go.
fn escaped_json_strings(text: &str) -> impl Iterator<Item = String> + '_ {
    let mut rest = text;
    std::iter::from_fn(move || {
        loop {
            let start = rest.find('"')?;
            let after = &rest[start + 1..];
            let mut escaped = false;
            let end = after.char_indices().find_map(|(at, c)| {
                let closes = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                closes.then_some(at)
            });
            let Some(end) = end else {
                rest = "";
                return None;
            };
            let literal = &rest[start..start + end + 2];
            rest = &after[end + 1..];
            if literal.contains('\\')
                && let Ok(unescaped) = serde_json::from_str::<String>(literal)
            {
                return Some(unescaped);
            }
        }
    })
}

/// The shortest value [`SecretValues`] scrubs: a shorter one would match
/// everywhere and protects nothing.
pub const MIN_SECRET_LEN: usize = 4;

/// Secret values a client holds (its access token, application key and
/// secret, the Basic credential made of them), scrubbed from any text it
/// prints, wherever a server echoed them, whatever field they are in.
///
/// ```
/// use dwolla_exchange_sessions::redact::SecretValues;
///
/// let secrets = SecretValues::new(["tok-123"]);
/// assert_eq!(secrets.scrub("Bearer tok-123 refused"), "Bearer <redacted> refused");
/// ```
#[derive(Clone, Default)]
pub struct SecretValues(Vec<String>);

impl SecretValues {
    /// The values to scrub, as given and percent-encoded (as a form or URL
    /// would carry them); values shorter than [`MIN_SECRET_LEN`] are left
    /// out.
    pub fn new<S: Into<String>>(values: impl IntoIterator<Item = S>) -> Self {
        let mut kept: Vec<String> = values
            .into_iter()
            .map(Into::into)
            .filter(|value| value.len() >= MIN_SECRET_LEN)
            .flat_map(|value| {
                let encoded: String =
                    url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
                [value, encoded]
            })
            .collect();
        // Longest first, so that a value holding another is replaced whole.
        kept.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        kept.dedup();
        Self(kept)
    }

    /// `text` with every value replaced by [`REDACTED`].
    pub fn scrub<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut scrubbed = Cow::Borrowed(text);
        for value in &self.0 {
            if scrubbed.contains(value.as_str()) {
                scrubbed = Cow::Owned(scrubbed.replace(value.as_str(), REDACTED));
            }
        }
        scrubbed
    }

    /// Scrubs `text` in place.
    pub fn scrub_in_place(&self, text: &mut String) {
        if let Cow::Owned(scrubbed) = self.scrub(text) {
            *text = scrubbed;
        }
    }

    /// Scrubs every string (and key) of `value`, at any depth.
    pub fn scrub_json(&self, value: &mut Value) {
        match value {
            Value::String(text) => self.scrub_in_place(text),
            Value::Array(items) => items.iter_mut().for_each(|item| self.scrub_json(item)),
            Value::Object(object) => {
                let entries = std::mem::take(object);
                for (mut key, mut inner) in entries {
                    self.scrub_in_place(&mut key);
                    self.scrub_json(&mut inner);
                    object.insert(key, inner);
                }
            }
            _ => {}
        }
    }
}

impl std::fmt::Debug for SecretValues {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretValues({} forms)", self.0.len())
    }
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
    fn field_names_are_found_escaped_and_percent_encoded() {
        assert!(names_a_secret(
            r#"{"externalProviderSession\u0054oken": "x", oops"#
        ));
        assert!(names_a_secret(r#"["a\"b", "access\u005ftoken""#));
        assert!(names_a_secret("client%5Fsecret=s3"));
        assert!(!names_a_secret(r#"{"created\u0041t": "x""#));
        assert_eq!(
            redact_text("client%5Fsecret=s3&a=1"),
            "client_secret=%3Credacted%3E&a=1"
        );
    }

    #[test]
    fn secret_values_are_scrubbed_in_every_form_longest_first() {
        let secrets = SecretValues::new(["a+b/c", "tok", "token-1", "token-1-long"]);
        assert_eq!(secrets.scrub("x token-1-long y"), "x <redacted> y");
        assert_eq!(secrets.scrub("a+b/c a%2Bb%2Fc"), "<redacted> <redacted>");
        assert_eq!(secrets.scrub("tok stays"), "tok stays");
        let mut json = json!({ "token-1": ["token-1"], "n": 1 });
        secrets.scrub_json(&mut json);
        assert_eq!(json, json!({ REDACTED: [REDACTED], "n": 1 }));
        assert!(!format!("{secrets:?}").contains("token"));
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
