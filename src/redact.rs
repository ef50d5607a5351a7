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

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use serde_json::Value;

/// Body fields whose values are secrets: access and refresh tokens, client
/// secrets, Plaid's link token, Checkout.com's payment session secret and
/// token. Error excerpts and recorded fixtures never show their values, and
/// the generated types hold them as [`Secret`](crate::Secret)s: this is the
/// code generator's list (`dwolla_codegen::profile::SECRET_FIELDS`), the
/// project's one.
pub const SECRET_FIELDS: &[&str] = include!(concat!(env!("OUT_DIR"), "/secret_fields.rs"));

/// The application's credentials as forms, queries and bodies name them:
/// its key and secret.
pub const CREDENTIAL_FIELDS: &[&str] = &["client_id", "client_secret"];

/// Headers whose value is a credential: its scheme (`Basic`, `Bearer`) is
/// kept, the rest redacted.
pub const CREDENTIAL_HEADERS: &[&str] = &["authorization", "proxy-authorization"];

/// Headers redacted whole (a session is in them).
pub const SESSION_HEADERS: &[&str] = &["cookie", "set-cookie"];

/// What a redacted value becomes.
pub const REDACTED: &str = "<redacted>";

/// Whether a body field, form field or query parameter of this name holds a
/// secret: one of [`SECRET_FIELDS`] or [`CREDENTIAL_FIELDS`]. The one list
/// the client, the test kit's recorder, MockDwolla and the replay server
/// redact by.
pub fn is_secret_name(name: &str) -> bool {
    SECRET_FIELDS.contains(&name) || CREDENTIAL_FIELDS.contains(&name)
}

/// Replaces the value of every member [`is_secret_name`] names, at any
/// depth.
pub fn redact_json(value: &mut Value) {
    match value {
        Value::Object(object) => {
            for (key, inner) in object.iter_mut() {
                if is_secret_name(key) {
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

/// A header's value safe to keep: a credential header with its scheme kept
/// (`Bearer <redacted>`; a value without one goes whole), a cookie whole;
/// any other header as it is.
pub fn redact_header<'a>(name: &str, value: &'a str) -> Cow<'a, str> {
    let name = name.to_ascii_lowercase();
    if CREDENTIAL_HEADERS.contains(&name.as_str()) {
        return Cow::Owned(match split_auth_scheme(value) {
            Some((scheme, _)) => format!("{scheme} {REDACTED}"),
            None => REDACTED.into(),
        });
    }
    if SESSION_HEADERS.contains(&name.as_str()) {
        return Cow::Borrowed(REDACTED);
    }
    Cow::Borrowed(value)
}

/// The scheme and credential of an `Authorization` value, if it has a
/// scheme (a token of letters, digits and `-`, then whitespace).
pub fn split_auth_scheme(value: &str) -> Option<(&str, &str)> {
    let (scheme, credential) = value.trim().split_once(char::is_whitespace)?;
    let is_scheme = !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    is_scheme.then(|| (scheme, credential.trim()))
}

/// A request target (`/path?query`) with the value of every query
/// parameter [`is_secret_name`] names replaced.
pub fn redact_target(target: &str) -> Cow<'_, str> {
    let Some((path, query)) = target.split_once('?') else {
        return Cow::Borrowed(target);
    };
    let (query, fragment) = match query.split_once('#') {
        Some((query, fragment)) => (query, Some(fragment)),
        None => (query, None),
    };
    if secret_query_values(query).next().is_none() {
        return Cow::Borrowed(target);
    }
    let pairs = query.split('&').map(|pair| {
        let name = pair.split('=').next().unwrap_or_default();
        let decoded: String = url::form_urlencoded::parse(name.as_bytes())
            .map(|(key, _)| key.into_owned())
            .next()
            .unwrap_or_default();
        if is_secret_name(&decoded) {
            format!("{name}={}", "%3Credacted%3E")
        } else {
            pair.to_string()
        }
    });
    let mut redacted = format!("{path}?{}", pairs.collect::<Vec<_>>().join("&"));
    if let Some(fragment) = fragment {
        redacted.push('#');
        redacted.push_str(fragment);
    }
    Cow::Owned(redacted)
}

/// The values of the secret parameters of a query string (`a=1&b=2`).
pub fn secret_query_values(query: &str) -> impl Iterator<Item = String> + '_ {
    url::form_urlencoded::parse(query.as_bytes())
        .filter(|(key, _)| is_secret_name(key))
        .map(|(_, value)| value.into_owned())
}

/// Whether `text` names a secret ([`is_secret_name`]): as written, after
/// percent-decoding (a form), or inside a JSON string after unescaping (so
/// `"externalProviderSession\u0054oken"` names one even where the text is
/// not valid JSON).
pub(crate) fn names_a_secret(text: &str) -> bool {
    let names = |text: &str| {
        SECRET_FIELDS
            .iter()
            .chain(CREDENTIAL_FIELDS)
            .any(|field| text.contains(field))
    };
    names(text)
        || (text.contains('%') || text.contains('+'))
            && url::form_urlencoded::parse(text.as_bytes())
                .any(|(key, value)| names(&key) || names(&value))
        || text.contains('\\') && json_string_literals(text).any(|(_, literal)| names(&literal))
}

/// The JSON string literals of `text` that hold an escape, with where each
/// lies, unescaped; text that is not JSON (or cut short) is read as far as
/// its literals go.
fn json_string_literals(text: &str) -> impl Iterator<Item = (std::ops::Range<usize>, String)> + '_ {
    let mut offset = 0;
    std::iter::from_fn(move || {
        loop {
            let rest = &text[offset..];
            let start = rest.find('"')?;
            let after = &rest[start + 1..];
            let mut escaped = false;
            let end = after.char_indices().find_map(|(at, c)| {
                let closes = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                closes.then_some(at)
            });
            let Some(end) = end else {
                offset = text.len();
                return None;
            };
            let range = offset + start..offset + start + end + 2;
            offset = range.end;
            let literal = &text[range.clone()];
            if literal.contains('\\')
                && let Ok(unescaped) = serde_json::from_str::<String>(literal)
            {
                return Some((range, unescaped));
            }
        }
    })
}

/// The shortest value [`SecretValues`] scrubs: a shorter one would match
/// everywhere and protects nothing.
pub(crate) const MIN_SECRET_LEN: usize = 4;

/// One form a secret value may take in text.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Form {
    /// The text, lower case when the form is matched in any case.
    text: String,
    /// Whether it matches in any ASCII case (percent-encoding and hex).
    any_case: bool,
}

/// Secret values a client holds (its access token, application key and
/// secret, the Basic credential made of them), or a recorder has seen,
/// scrubbed from any text wherever a server echoed them, in whatever form:
/// as given, percent-encoded (any case of hex, `+` or `%20` for a space),
/// base64 (standard or URL-safe, padded or not), hex (any case), or inside
/// a JSON string however its characters are escaped.
///
/// ```
/// use dwolla_exchange_sessions::redact::SecretValues;
///
/// let secrets = SecretValues::new(["tok-123"]);
/// assert_eq!(secrets.scrub("Bearer tok-123 refused"), "Bearer <redacted> refused");
/// assert_eq!(secrets.scrub("echo dG9rLTEyMw=="), "echo <redacted>");
/// ```
#[derive(Clone, Default)]
pub struct SecretValues {
    values: Vec<String>,
    forms: Vec<Form>,
}

impl SecretValues {
    /// The values to scrub, in every form they may take; values shorter
    /// than 4 bytes are left out.
    pub fn new<S: Into<String>>(values: impl IntoIterator<Item = S>) -> Self {
        let mut kept: Vec<String> = values
            .into_iter()
            .map(Into::into)
            .filter(|value| value.len() >= MIN_SECRET_LEN)
            .collect();
        kept.sort();
        kept.dedup();
        let mut forms: Vec<Form> = kept.iter().flat_map(|value| forms_of(value)).collect();
        // Longest first, so that a value holding another is replaced whole.
        forms.sort_by(|a, b| b.text.len().cmp(&a.text.len()).then_with(|| a.cmp(b)));
        forms.dedup();
        Self {
            values: kept,
            forms,
        }
    }

    /// `text` with every form of every value replaced by [`REDACTED`].
    pub fn scrub<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut scrubbed = Cow::Borrowed(text);
        for form in &self.forms {
            if let Some(replaced) = replace(&scrubbed, form) {
                scrubbed = Cow::Owned(replaced);
            }
        }
        if scrubbed.contains('\\')
            && let Some(replaced) = self.scrub_escaped_literals(&scrubbed)
        {
            scrubbed = Cow::Owned(replaced);
        }
        scrubbed
    }

    /// JSON string literals whose unescaped text holds a value, written
    /// again with the value redacted (their other escapes resolved).
    fn scrub_escaped_literals(&self, text: &str) -> Option<String> {
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        for (range, literal) in json_string_literals(text) {
            let cleaned = self.values.iter().fold(literal.clone(), |acc, value| {
                acc.replace(value.as_str(), REDACTED)
            });
            if cleaned != literal {
                out.push_str(&text[copied..range.start]);
                out.push_str(&Value::String(cleaned).to_string());
                copied = range.end;
            }
        }
        (copied > 0).then(|| {
            out.push_str(&text[copied..]);
            out
        })
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

    /// Whether there is nothing to scrub.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// The forms `value` may take in text.
fn forms_of(value: &str) -> Vec<Form> {
    let exact = |text: String| Form {
        text,
        any_case: false,
    };
    let any_case = |text: String| Form {
        text: text.to_ascii_lowercase(),
        any_case: true,
    };
    let bytes = value.as_bytes();
    let form_encoded: String = url::form_urlencoded::byte_serialize(bytes).collect();
    let path_encoded = form_encoded.replace('+', "%20");
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let json_escaped: String = value
        .encode_utf16()
        .map(|unit| format!("\\u{unit:04x}"))
        .collect();
    let mut forms = vec![
        exact(value.to_string()),
        exact(STANDARD.encode(bytes)),
        exact(STANDARD_NO_PAD.encode(bytes)),
        exact(URL_SAFE.encode(bytes)),
        exact(URL_SAFE_NO_PAD.encode(bytes)),
        any_case(hex),
        any_case(json_escaped),
    ];
    for encoded in [form_encoded, path_encoded] {
        if encoded.contains('%') {
            forms.push(any_case(encoded));
        } else {
            forms.push(exact(encoded));
        }
    }
    forms.retain(|form| form.text.len() >= MIN_SECRET_LEN);
    forms
}

/// `text` with `form` replaced, if it holds it.
fn replace(text: &str, form: &Form) -> Option<String> {
    if !form.any_case {
        return text
            .contains(form.text.as_str())
            .then(|| text.replace(form.text.as_str(), REDACTED));
    }
    // ASCII lower-casing keeps every byte offset, so the matches found in
    // the lower-cased text are where they are in `text`.
    let lower = text.to_ascii_lowercase();
    let mut found = lower.match_indices(form.text.as_str()).peekable();
    found.peek()?;
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (at, matched) in found {
        out.push_str(&text[copied..at]);
        out.push_str(REDACTED);
        copied = at + matched.len();
    }
    out.push_str(&text[copied..]);
    Some(out)
}

impl std::fmt::Debug for SecretValues {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "SecretValues({} values, {} forms)",
            self.values.len(),
            self.forms.len()
        )
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
            let value = if is_secret_name(&key) {
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
pub(crate) const PRINT_LIMIT: usize = 1024;

/// Text from a server as an error prints it: on one line, control and
/// bidirectional formatting characters escaped (so a body cannot forge log
/// lines or recolour a terminal), and at most [`PRINT_LIMIT`] bytes, the
/// rest counted (`… (N bytes more)`).
pub(crate) fn printable(text: &str) -> untrusted_text::Line<'_> {
    untrusted_text::bounded_line(text, PRINT_LIMIT)
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
        assert!(SecretValues::new(["abc"]).is_empty());
    }

    #[test]
    fn a_value_is_found_in_every_form_a_server_may_echo() {
        let secrets = SecretValues::new(["a+b/c d", "tok-123"]);
        for echoed in [
            "a+b/c d",
            "a%2Bb%2Fc+d",
            "a%2bb%2fc%20d",
            "YStiL2MgZA==",
            "YStiL2MgZA",
            "YStiL2MgZA",
            "612b622f632064",
            "612B622F632064",
            r"\u0061\u002b\u0062\u002f\u0063\u0020\u0064",
            "dG9rLTEyMw",
            "746F6B2D313233",
        ] {
            let scrubbed = secrets.scrub(echoed);
            assert_eq!(scrubbed, REDACTED, "{echoed}");
        }
        let mixed = r#"{"echo": "t\u006fk-1\u00323 and more"}"#;
        let scrubbed = secrets.scrub(mixed);
        assert_eq!(scrubbed, r#"{"echo": "<redacted> and more"}"#);
        assert!(serde_json::from_str::<Value>(&scrubbed).is_ok());
    }

    #[test]
    fn one_policy_for_queries_headers_forms_and_bodies() {
        assert_eq!(
            redact_target("/token?client_secret=S1&x=1&access_token=T%2b1#f"),
            "/token?client_secret=%3Credacted%3E&x=1&access_token=%3Credacted%3E#f"
        );
        assert_eq!(redact_target("/a?b=c"), "/a?b=c");
        assert_eq!(
            secret_query_values("client_id=key-1&y=2").collect::<Vec<_>>(),
            ["key-1"]
        );
        assert_eq!(
            redact_header("Authorization", "Bearer t-1"),
            "Bearer <redacted>"
        );
        assert_eq!(redact_header("proxy-authorization", "opaque"), REDACTED);
        assert_eq!(redact_header("Set-Cookie", "s=1"), REDACTED);
        assert_eq!(redact_header("accept", "a/b"), "a/b");
        assert_eq!(
            redact_text("grant_type=client_credentials&client_id=key-1"),
            "grant_type=client_credentials&client_id=%3Credacted%3E"
        );
        let mut body = json!({ "client_id": "key-1", "x": { "client_secret": "s" } });
        redact_json(&mut body);
        assert_eq!(
            body,
            json!({ "client_id": REDACTED, "x": { "client_secret": REDACTED } })
        );
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
