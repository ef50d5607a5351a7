//! An application's key and secret, and the Basic credential made of them.

use std::fmt;

use super::secret::Secret;

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
        format!("Basic {}", self.basic_credential())
    }

    /// `base64(key:secret)`, the Basic credential.
    fn basic_credential(&self) -> String {
        use base64::Engine as _;
        let pair = format!("{}:{}", self.key, self.secret.expose());
        base64::engine::general_purpose::STANDARD.encode(pair)
    }

    /// Every form of the credentials a server could echo: key, secret and
    /// the Basic credential, for scrubbing from errors.
    pub(crate) fn echoable(&self) -> [String; 3] {
        [
            self.key.clone(),
            self.secret.expose().to_string(),
            self.basic_credential(),
        ]
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
