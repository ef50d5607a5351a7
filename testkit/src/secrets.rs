//! The secret values seen in requests and responses, and how they are kept
//! out of what the kit's servers keep (the recorder's fixtures, MockDwolla's
//! `received`, the replay server's `served`).
//!
//! [`Secrets`] learns the credential of every `Authorization` (a Basic one also
//! decoded, with its client id and secret), the client id and secret of a
//! token request's form, and every value of a secret field in a request or
//! response body (the tokens `/token` hands out). Each recorded exchange then
//! has these values replaced wherever they appear (target, any header, any
//! string or key of a JSON body, a text body), on top of the field-name
//! redaction of [`redact`](dwolla_exchange_sessions::redact).

use std::sync::Mutex;

use base64::Engine as _;
use conformance::fixture::{Exchange, RecordedRequest, RecordedResponse};
use dwolla_exchange_sessions::redact::{
    REDACTED, SECRET_FIELDS, SecretValues, redact_json, redact_text,
};
use serde_json::Value;

/// Form and body fields whose values are credentials, besides
/// [`SECRET_FIELDS`].
const CREDENTIAL_FIELDS: &[&str] = &["client_id", "client_secret"];

/// The secret values seen so far.
#[derive(Default)]
pub(crate) struct Secrets {
    seen: Mutex<Vec<String>>,
}

impl Secrets {
    /// Learns the credentials and secret fields of `request`.
    pub(crate) fn learn_request(&self, request: &RecordedRequest) {
        let mut found = Vec::new();
        for (name, value) in &request.headers {
            if is_credential_header(name) {
                credentials(value, &mut found);
            }
        }
        bodies(
            request.body.as_ref(),
            request.body_text.as_deref(),
            &mut found,
        );
        self.add(found);
    }

    /// Learns the secret fields of `response` (the tokens `/token` hands out).
    pub(crate) fn learn_response(&self, response: &RecordedResponse) {
        let mut found = Vec::new();
        bodies(
            response.body.as_ref(),
            response.body_text.as_deref(),
            &mut found,
        );
        self.add(found);
    }

    /// `exchange` with every secret it holds redacted: by field and header
    /// name, and every value seen so far wherever it is.
    pub(crate) fn redact(&self, exchange: &mut Exchange) {
        let values = self.values();
        redact_request(&values, &mut exchange.request);
        redact_response(&values, &mut exchange.response);
    }

    fn values(&self) -> SecretValues {
        SecretValues::new(self.seen.lock().unwrap_or_else(|p| p.into_inner()).clone())
    }

    fn add(&self, found: Vec<String>) {
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        for value in found {
            if !value.is_empty() && !seen.contains(&value) {
                seen.push(value);
            }
        }
    }
}

/// `request` (and its `response`) redacted with what they alone carry: by
/// field and header name, and the credentials and secret fields found in
/// either wherever they appear. For servers that keep each request on its
/// own (MockDwolla, the replay server).
pub(crate) fn redact_alone(request: &mut RecordedRequest, response: Option<&mut RecordedResponse>) {
    let secrets = Secrets::default();
    secrets.learn_request(request);
    if let Some(response) = response.as_deref() {
        secrets.learn_response(response);
    }
    let values = secrets.values();
    redact_request(&values, request);
    if let Some(response) = response {
        redact_response(&values, response);
    }
}

fn redact_request(values: &SecretValues, request: &mut RecordedRequest) {
    values.scrub_in_place(&mut request.path);
    redact_message(
        values,
        request.headers.iter_mut(),
        &mut request.body,
        &mut request.body_text,
    );
}

fn redact_response(values: &SecretValues, response: &mut RecordedResponse) {
    redact_message(
        values,
        response.headers.iter_mut(),
        &mut response.body,
        &mut response.body_text,
    );
}

fn is_credential_header(name: &str) -> bool {
    matches!(name, "authorization" | "proxy-authorization")
}

/// The secret parts of an `Authorization` value: the credential after the
/// scheme (a Basic one also decoded, and its id and secret), or the whole
/// value when it has no scheme.
fn credentials(value: &str, found: &mut Vec<String>) {
    let Some((scheme, credential)) = scheme(value) else {
        found.push(value.trim().to_string());
        return;
    };
    found.push(credential.to_string());
    if scheme.eq_ignore_ascii_case("basic")
        && let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(credential)
        && let Ok(decoded) = String::from_utf8(decoded)
    {
        if let Some((id, secret)) = decoded.split_once(':') {
            found.extend([id.to_string(), secret.to_string()]);
        }
        found.push(decoded);
    }
}

/// The scheme and credential of an `Authorization` value, if it has a
/// scheme (a token of letters, digits and `-`, then whitespace).
fn scheme(value: &str) -> Option<(&str, &str)> {
    let (scheme, credential) = value.trim().split_once(char::is_whitespace)?;
    let is_scheme = !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    is_scheme.then(|| (scheme, credential.trim()))
}

/// The values of secret and credential fields in a JSON body (at any
/// depth) or a form.
fn bodies(json: Option<&Value>, text: Option<&str>, found: &mut Vec<String>) {
    if let Some(json) = json {
        json_fields(json, found);
    }
    if let Some(text) = text {
        found.extend(
            url::form_urlencoded::parse(text.as_bytes())
                .filter(|(key, _)| is_secret_field(key))
                .map(|(_, value)| value.into_owned()),
        );
    }
}

fn json_fields(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            for (key, inner) in object {
                match inner {
                    Value::String(text) if is_secret_field(key) => found.push(text.clone()),
                    _ => json_fields(inner, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| json_fields(item, found)),
        _ => {}
    }
}

fn is_secret_field(name: &str) -> bool {
    SECRET_FIELDS.contains(&name) || CREDENTIAL_FIELDS.contains(&name)
}

/// Redacts one side of an exchange: credential headers (their scheme kept),
/// cookies, secret fields, then every known value anywhere.
fn redact_message<'a>(
    values: &SecretValues,
    headers: impl Iterator<Item = (&'a String, &'a mut String)>,
    body: &mut Option<Value>,
    body_text: &mut Option<String>,
) {
    for (name, value) in headers {
        match name.as_str() {
            name if is_credential_header(name) => {
                *value = match scheme(value) {
                    Some((scheme, _)) => format!("{scheme} {REDACTED}"),
                    None => REDACTED.into(),
                };
            }
            "cookie" | "set-cookie" => *value = REDACTED.into(),
            _ => values.scrub_in_place(value),
        }
    }
    if let Some(body) = body.as_mut() {
        redact_json(body);
        values.scrub_json(body);
    }
    if let Some(text) = body_text.as_mut() {
        *text = values.scrub(&redact_text(text)).into_owned();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_read_with_and_without_a_scheme() {
        let mut found = Vec::new();
        credentials("Bearer tok-1", &mut found);
        credentials("Basic a2V5LTE6c2VjcmV0LTE=", &mut found);
        credentials("bare-token", &mut found);
        assert_eq!(
            found,
            [
                "tok-1",
                "a2V5LTE6c2VjcmV0LTE=",
                "key-1",
                "secret-1",
                "key-1:secret-1",
                "bare-token"
            ]
        );
        assert_eq!(scheme("x:y z"), None);
    }
}
