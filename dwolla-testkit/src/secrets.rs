//! The secret values seen in requests and responses, and how they are kept
//! out of what the kit's servers keep (the recorder's fixtures, MockDwolla's
//! `received`, the replay server's `served`).
//!
//! What is a secret is the client's one policy,
//! [`redact`](dwolla_exchange_sessions::redact): by name (body and form
//! fields, query parameters, credential and cookie headers), and by value.
//! [`Secrets`] learns the values: the credential of every `Authorization`
//! (a Basic one also decoded, with its client id and secret), the values of
//! secret query parameters and of secret fields of a request or response
//! body (the tokens `/token` hands out), and any other it is told of (the
//! user info of an upstream URL). Each recorded exchange then has them
//! replaced wherever and in whatever form they appear (target, any header,
//! any string or key of a JSON body, a text body).

use std::collections::BTreeSet;
use std::sync::Mutex;

use base64::Engine as _;
use conformance::fixture::{Exchange, RecordedRequest, RecordedResponse};
use dwolla_exchange_sessions::redact::{
    CREDENTIAL_HEADERS, SecretValues, is_secret_name, redact_header, redact_json, redact_target,
    redact_text, secret_query_values, split_auth_scheme,
};
use serde_json::Value;

/// The secret values seen so far.
#[derive(Default)]
pub(crate) struct Secrets {
    seen: Mutex<BTreeSet<String>>,
}

impl Secrets {
    /// Learns the credentials and secret fields of `request`; whether any
    /// is new.
    pub(crate) fn learn_request(&self, request: &RecordedRequest) -> bool {
        let mut found = Vec::new();
        for (name, value) in &request.headers {
            if is_credential_header(name) {
                credentials(value, &mut found);
            }
        }
        if let Some((_, query)) = request.path.split_once('?') {
            found.extend(secret_query_values(query));
        }
        bodies(
            request.body.as_ref(),
            request.body_text.as_deref(),
            &mut found,
        );
        self.add(found)
    }

    /// Learns the secret fields of `response` (the tokens `/token` hands
    /// out); whether any is new.
    pub(crate) fn learn_response(&self, response: &RecordedResponse) -> bool {
        let mut found = Vec::new();
        bodies(
            response.body.as_ref(),
            response.body_text.as_deref(),
            &mut found,
        );
        self.add(found)
    }

    /// `exchange` with every secret it holds redacted: by field and header
    /// name, and every value seen so far wherever it is.
    pub(crate) fn redact(&self, exchange: &mut Exchange) {
        let values = self.values();
        redact_request(&values, &mut exchange.request);
        redact_response(&values, &mut exchange.response);
    }

    /// Every value seen so far, in every form it may take.
    pub(crate) fn values(&self) -> SecretValues {
        SecretValues::new(
            self.seen
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clone(),
        )
    }

    /// Learns `found`; whether any of it is new.
    pub(crate) fn add(&self, found: impl IntoIterator<Item = String>) -> bool {
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut added = false;
        for value in found {
            if !value.is_empty() {
                added |= seen.insert(value);
            }
        }
        added
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
    request.path = values.scrub(&redact_target(&request.path)).into_owned();
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
    CREDENTIAL_HEADERS.contains(&name.to_ascii_lowercase().as_str())
}

/// The secret parts of an `Authorization` value: the credential after the
/// scheme (a Basic one also decoded, and its id and secret), or the whole
/// value when it has no scheme.
fn credentials(value: &str, found: &mut Vec<String>) {
    let Some((scheme, credential)) = split_auth_scheme(value) else {
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

/// The values of secret and credential fields in a JSON body (parsed, or
/// as text, at any depth) or a form.
fn bodies(json: Option<&Value>, text: Option<&str>, found: &mut Vec<String>) {
    if let Some(json) = json {
        json_fields(json, found);
    }
    if let Some(text) = text {
        match serde_json::from_str::<Value>(text) {
            Ok(parsed) => json_fields(&parsed, found),
            Err(_) => found.extend(
                url::form_urlencoded::parse(text.as_bytes())
                    .filter(|(key, _)| is_secret_name(key))
                    .map(|(_, value)| value.into_owned()),
            ),
        }
    }
}

fn json_fields(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            for (key, inner) in object {
                match inner {
                    Value::String(text) if is_secret_name(key) => found.push(text.clone()),
                    _ => json_fields(inner, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| json_fields(item, found)),
        _ => {}
    }
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
        *value = values.scrub(&redact_header(name, value)).into_owned();
    }
    if let Some(body) = body.as_mut() {
        redact_json(body);
        values.scrub_json(body);
    }
    if let Some(text) = body_text.take() {
        let (json, text) = redact_body_text(values, text);
        if json.is_some() {
            *body = json;
        }
        *body_text = text;
    }
}

/// A body kept as the text it was sent as, redacted: a JSON text by value,
/// so that everything else stays exactly as sent, unless a secret field
/// holds what no value scrub reaches (not a string, or too short), when it
/// is kept parsed and redacted by name instead; any other text (a form) by
/// name and value.
fn redact_body_text(values: &SecretValues, text: String) -> (Option<Value>, Option<String>) {
    let Ok(parsed) = serde_json::from_str::<Value>(&text) else {
        return (None, Some(values.scrub(&redact_text(&text)).into_owned()));
    };
    let scrubbed = values.scrub(&text).into_owned();
    let mut check: Value = serde_json::from_str(&scrubbed).unwrap_or(parsed);
    let before = check.clone();
    redact_json(&mut check);
    if check == before {
        (None, Some(scrubbed))
    } else {
        values.scrub_json(&mut check);
        (Some(check), None)
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
    }
}
