//! Where the client talks to and how: environment, credentials, HTTP client,
//! timeouts, retries.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;

use super::DwollaClient;
use crate::auth::Credentials;
use crate::error::Error;
use crate::generated::Client;
use crate::wire::{ClientState, RetryPolicy, WireSettings};

/// Which Dwolla API the client talks to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Environment {
    /// `https://api-sandbox.dwolla.com`: test money, test partners.
    Sandbox,
    /// `https://api.dwolla.com`: real money.
    Production,
    /// Any other base URL: a local replay server, a proxy.
    Custom(Url),
}

impl Environment {
    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> String {
        match self {
            Self::Sandbox => "https://api-sandbox.dwolla.com".to_string(),
            Self::Production => "https://api.dwolla.com".to_string(),
            Self::Custom(url) => url.as_str().trim_end_matches('/').to_string(),
        }
    }
}

impl FromStr for Environment {
    type Err = Error;

    /// `sandbox`, `production`, or an `http(s)://` URL.
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value.trim().to_ascii_lowercase().as_str() {
            "sandbox" => Ok(Self::Sandbox),
            "production" | "prod" => Ok(Self::Production),
            _ => {
                let url = Url::parse(value.trim()).map_err(|why| {
                    Error::Config(format!(
                        "environment {value:?} is neither sandbox, production nor a URL: {why}"
                    ))
                })?;
                if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
                    return Err(Error::Config(format!(
                        "environment {value:?} must be an http(s) URL with a host"
                    )));
                }
                Ok(Self::Custom(url))
            }
        }
    }
}

/// Builds a [`DwollaClient`]; every setting has a default.
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    environment: Environment,
    credentials: Option<Credentials>,
    http: Option<reqwest::Client>,
    settings: WireSettings,
    connect_timeout: Duration,
    timeout: Duration,
    idempotency_keys: bool,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            environment: Environment::Sandbox,
            credentials: None,
            http: None,
            settings: WireSettings::default(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            idempotency_keys: false,
        }
    }
}

impl ClientBuilder {
    /// The API to talk to (default [`Environment::Sandbox`]).
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// The application key and secret, exchanged for access tokens as
    /// needed.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Uses the caller's HTTP client (its timeouts, proxy and TLS settings
    /// apply; [`connect_timeout`](Self::connect_timeout) and
    /// [`timeout`](Self::timeout) are then ignored).
    ///
    /// Build it with `.redirect(reqwest::redirect::Policy::none())`: the
    /// client's own HTTP client follows no redirect, but reqwest follows
    /// them (up to 10) inside a client built with its defaults, before this
    /// client sees the answer. What is enforced then: a 3xx that reaches the
    /// client is refused as [`Error::Redirect`]; an answer that came from
    /// another URL than the one sent (another host, path or resource) is
    /// refused as [`Error::Redirect`] with `followed` set, and a token
    /// fetched that way is never used. What cannot be: the request the
    /// caller's client already sent to the redirect target (a create's
    /// body, the `/token` credentials) and a redirect back to the very same
    /// URL.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Time allowed to open a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for one attempt, from sending to the last body byte
    /// (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// When and how often failed requests are retried (default: 3 retries).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.settings.retry = policy;
        self
    }

    /// How long before expiry a token is replaced (default 60 s).
    pub fn token_leeway(mut self, leeway: Duration) -> Self {
        self.settings.token_leeway = leeway;
        self
    }

    /// The largest response body read (default 1 MiB).
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.settings.max_body_bytes = limit;
        self
    }

    /// Sends a fresh `Idempotency-Key` with every create, which makes the
    /// create safe to retry (default off). Dwolla documents the header for
    /// transfers and mass payments; turn this on once you have confirmed it
    /// is honoured for exchange sessions on your account, because a retried
    /// create whose key is ignored creates a second session.
    pub fn idempotency_keys(mut self, enabled: bool) -> Self {
        self.idempotency_keys = enabled;
        self
    }

    /// The client.
    pub fn build(self) -> Result<DwollaClient, Error> {
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .connect_timeout(self.connect_timeout)
                .timeout(self.timeout)
                .build()
                .map_err(|why| Error::Config(format!("cannot build the HTTP client: {why}")))?,
        };
        let base_url = self.environment.base_url();
        let base = reqwest::Url::parse(&base_url)
            .map_err(|why| Error::Config(format!("base URL {base_url:?} is not a URL: {why}")))?;
        let state = ClientState::with_settings(self.credentials, self.settings);
        let api = Client::new_with_client(&base_url, http, state);
        Ok(DwollaClient {
            api,
            base: Arc::new(base),
            idempotency_keys: self.idempotency_keys,
            bodies: Arc::default(),
        })
    }

    /// A builder configured from the environment: `DWOLLA_KEY` and
    /// `DWOLLA_SECRET` (both required) and `DWOLLA_ENVIRONMENT` (`sandbox`,
    /// the default, `production` or a URL).
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env) over any source of variables.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let required = |name: &str| {
            lookup(name)
                .filter(|value| !value.is_empty())
                .ok_or_else(|| Error::Config(format!("{name} is not set")))
        };
        let credentials = Credentials::new(required("DWOLLA_KEY")?, required("DWOLLA_SECRET")?);
        let environment = match lookup("DWOLLA_ENVIRONMENT").filter(|v| !v.is_empty()) {
            Some(value) => value.parse()?,
            None => Environment::Sandbox,
        };
        Ok(Self::default()
            .credentials(credentials)
            .environment(environment))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn environments_parse_and_give_base_urls() {
        assert_eq!(
            "sandbox".parse::<Environment>().unwrap(),
            Environment::Sandbox
        );
        assert_eq!(
            "Production".parse::<Environment>().unwrap().base_url(),
            "https://api.dwolla.com"
        );
        assert_eq!(
            "http://127.0.0.1:8080/"
                .parse::<Environment>()
                .unwrap()
                .base_url(),
            "http://127.0.0.1:8080"
        );
        assert!("ftp://example.com".parse::<Environment>().is_err());
        assert!("nowhere".parse::<Environment>().is_err());
    }

    #[test]
    fn from_env_requires_key_and_secret_and_never_prints_the_secret() {
        let vars: HashMap<&str, &str> = [
            ("DWOLLA_KEY", "app-key"),
            ("DWOLLA_SECRET", "app-secret-value"),
            ("DWOLLA_ENVIRONMENT", "production"),
        ]
        .into();
        let builder =
            ClientBuilder::from_lookup(|name| vars.get(name).map(std::string::ToString::to_string))
                .unwrap();
        assert_eq!(builder.environment, Environment::Production);
        assert!(!format!("{builder:?}").contains("app-secret-value"));

        let missing = ClientBuilder::from_lookup(|name| {
            (name == "DWOLLA_KEY").then(|| "app-key".to_string())
        })
        .unwrap_err();
        assert_eq!(
            missing.to_string(),
            "configuration: DWOLLA_SECRET is not set"
        );
    }
}
