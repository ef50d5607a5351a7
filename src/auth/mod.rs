//! Application credentials and access tokens.
//!
//! Both hold secrets, so neither implements `Display` and their `Debug`
//! output never shows the secret part. The token cache that every clone of a
//! client shares lives in [`token`](self#token-cache).

mod token;

use std::fmt;

pub(crate) use token::TokenCache;
pub use token::TokenError;

/// Body fields whose values are secrets: access and refresh tokens, client
/// secrets, Plaid's link token, Checkout.com's payment session secret and
/// token. Error excerpts and recorded fixtures never show their values.
pub const SECRET_FIELDS: &[&str] = &[
    "access_token",
    "refresh_token",
    "client_secret",
    "externalProviderSessionToken",
    "payment_session_secret",
    "payment_session_token",
];

/// What a redacted value becomes.
pub const REDACTED: &str = "<redacted>";

/// Replaces the value of every [`SECRET_FIELDS`] member, at any depth.
pub fn redact_json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(object) => {
            for (key, inner) in object.iter_mut() {
                if SECRET_FIELDS.contains(&key.as_str()) {
                    *inner = serde_json::Value::String(REDACTED.into());
                } else {
                    redact_json(inner);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact_json),
        _ => {}
    }
}

/// Whether `text` names any of the [`SECRET_FIELDS`].
pub fn names_a_secret(text: &str) -> bool {
    SECRET_FIELDS.iter().any(|field| text.contains(field))
}

/// A string that must never be printed: a client secret, an access token, a
/// session token. It serializes as the plain string, because the API needs
/// the value; only `Debug` hides it.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_string())
    }
}

/// An application's key and secret, sent as HTTP Basic credentials to
/// `POST /token` in exchange for an access token.
#[derive(Clone)]
pub struct Credentials {
    key: String,
    secret: Secret,
}

impl Credentials {
    /// Credentials from an application key and secret (Dwolla's dashboard
    /// shows both).
    pub fn new(key: impl Into<String>, secret: impl Into<Secret>) -> Self {
        Self {
            key: key.into(),
            secret: secret.into(),
        }
    }

    /// The application key (an identifier, not a secret).
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The `Authorization` header value: `Basic base64(key:secret)`.
    pub(crate) fn basic_authorization(&self) -> String {
        use base64::Engine as _;
        let pair = format!("{}:{}", self.key, self.secret.expose());
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        )
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("key", &self.key)
            .field("secret", &self.secret)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let credentials = Credentials::new("app-key", "very-secret-value");
        let printed = format!("{credentials:?} {:?}", Secret::new("token-value"));
        assert!(printed.contains("app-key"));
        assert!(!printed.contains("very-secret-value"));
        assert!(!printed.contains("token-value"));
    }

    #[test]
    fn basic_authorization_encodes_key_and_secret() {
        let credentials = Credentials::new("Aladdin", "open sesame");
        assert_eq!(
            credentials.basic_authorization(),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
    }
}
