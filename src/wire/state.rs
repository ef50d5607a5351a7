//! What the generated client carries for its hooks: credentials, the token
//! cache and the wire settings, shared by every clone.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use super::path_guard;
use super::retry::RetryPolicy;
use crate::auth::{Credentials, Secret, TokenCache};
use crate::operations::OperationMeta;
use crate::redact::SecretValues;

/// Tunables of the wire layer; [`Default`] gives the documented defaults.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct WireSettings {
    /// When and how often a failed request is sent again.
    pub retry: RetryPolicy,
    /// How long before `expires_in` runs out a token is replaced (default
    /// 60 s), so a request never leaves with a token about to expire.
    pub token_leeway: Duration,
    /// The largest response body read (default 1 MiB); a larger one is
    /// dropped and the call fails instead of filling memory.
    pub max_body_bytes: usize,
}

impl Default for WireSettings {
    fn default() -> Self {
        Self {
            retry: RetryPolicy::default(),
            token_leeway: Duration::from_secs(60),
            max_body_bytes: 1024 * 1024,
        }
    }
}

/// The state the generated [`Client`](crate::generated::Client) carries for
/// its hooks: the application credentials, the access-token cache and the
/// wire settings. Clones share it, so cloning a client is cheap and every
/// clone uses the same token.
///
/// A user of the generated layer alone makes one and hands it to
/// `Client::new`:
///
/// ```no_run
/// use dwolla_exchange_sessions::Credentials;
/// use dwolla_exchange_sessions::generated::{Client, ClientState};
///
/// let state = ClientState::new(Some(Credentials::new("key", "secret")));
/// let client = Client::new("https://api-sandbox.dwolla.com", state);
/// ```
#[derive(Clone)]
pub struct ClientState {
    shared: Arc<SharedState>,
}

struct SharedState {
    credentials: Option<Credentials>,
    tokens: TokenCache,
    settings: WireSettings,
    /// The last base URL parsed, with its text, so that each request does not
    /// parse it again.
    base: RwLock<Option<(String, Arc<reqwest::Url>)>>,
}

impl Default for ClientState {
    fn default() -> Self {
        Self::new(None)
    }
}

impl fmt::Debug for ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientState")
            .field("credentials", &self.shared.credentials)
            .field("has_fresh_token", &self.shared.tokens.fresh().is_some())
            .field("settings", &self.shared.settings)
            .finish()
    }
}

impl ClientState {
    /// State with the default [`WireSettings`]. Without credentials, only a
    /// token given to [`set_access_token`](Self::set_access_token) can
    /// authenticate requests.
    pub fn new(credentials: Option<Credentials>) -> Self {
        Self::with_settings(credentials, WireSettings::default())
    }

    /// State with explicit settings.
    pub fn with_settings(credentials: Option<Credentials>, settings: WireSettings) -> Self {
        Self {
            shared: Arc::new(SharedState {
                credentials,
                tokens: TokenCache::new(settings.token_leeway),
                settings,
                base: RwLock::new(None),
            }),
        }
    }

    /// Uses `token` for bearer requests until the API rejects it. With
    /// credentials the client obtains tokens itself; this is for callers that
    /// obtain them elsewhere.
    pub fn set_access_token(&self, token: Secret) {
        self.shared.tokens.set(token);
    }

    /// The settings this state was made with.
    pub fn settings(&self) -> &WireSettings {
        &self.shared.settings
    }

    /// The access-token cache every clone shares.
    pub(crate) fn tokens(&self) -> &TokenCache {
        &self.shared.tokens
    }

    /// Whether the state can obtain tokens itself.
    pub(crate) fn has_credentials(&self) -> bool {
        self.shared.credentials.is_some()
    }

    /// `base` parsed, from the cache when it is the one parsed last.
    pub(crate) fn base_url(&self, base: &str) -> Result<Arc<reqwest::Url>, String> {
        let cached = self
            .shared
            .base
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((text, url)) = cached.as_ref()
            && text == base
        {
            return Ok(Arc::clone(url));
        }
        drop(cached);
        let url = Arc::new(path_guard::parse_base(base)?);
        *self
            .shared
            .base
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) =
            Some((base.to_string(), Arc::clone(&url)));
        Ok(url)
    }

    /// Every secret value the state holds, as errors must never show it:
    /// the cached and previous access tokens, the application key and
    /// secret, the Basic credential.
    pub(crate) fn secret_values(&self) -> SecretValues {
        let tokens = self.shared.tokens.held();
        let tokens = tokens.iter().map(|token| token.expose().to_string());
        let credentials = self
            .shared
            .credentials
            .iter()
            .flat_map(Credentials::echoable);
        SecretValues::new(tokens.chain(credentials))
    }

    /// The `Authorization` value of a Basic request: the credentials, or
    /// why `operation` cannot have them.
    pub(crate) fn basic_authorization(&self, operation: &OperationMeta) -> Result<String, String> {
        self.shared
            .credentials
            .as_ref()
            .map(Credentials::basic_authorization)
            .ok_or_else(|| {
                format!(
                    "{} needs application credentials; none were given",
                    operation.operation_id
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operations::spec;

    #[test]
    fn missing_credentials_are_explained() {
        let state = ClientState::new(None);
        assert!(
            state
                .basic_authorization(spec::TOKEN)
                .unwrap_err()
                .contains("application credentials")
        );
    }

    #[test]
    fn debug_of_the_state_hides_credentials_and_tokens() {
        let state = ClientState::new(Some(Credentials::new("key", "client-secret-value")));
        state.set_access_token(Secret::new("access-token-value"));
        let printed = format!("{state:?}");
        assert!(printed.contains("has_fresh_token: true"), "{printed}");
        assert!(!printed.contains("client-secret-value"), "{printed}");
        assert!(!printed.contains("access-token-value"), "{printed}");
    }
}
