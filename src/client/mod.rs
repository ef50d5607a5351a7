//! The ergonomic client: one call per step of an exchange-session flow, one
//! error type, typed results. It is a thin layer over the generated
//! operations (and the hand-written [`extras`](crate::extras)); everything on
//! the wire happens in their hooks.
//!
//! This layer reads types that the vendored spec defines, so it is built by
//! the `ergonomic` feature (on by default). A build against another spec
//! (`DWOLLA_OPENAPI`) can turn it off and keep only the generated layer.

mod config;
mod front_end;

use std::future::Future;
use std::sync::Arc;

use progenitor_client::ResponseValue;

pub use config::{ClientBuilder, Environment};
pub use front_end::FrontEnd;

use crate::DwollaError;
use crate::error::Error;
use crate::extras::{
    ClientExchangesExt, CreateReAuthExchangeSessionBody, CreateReAuthExchangeSessionForWeb,
    CreateReAuthExchangeSessionWithRedirect,
};
use crate::generated::{Client, ClientInfo, types};
use crate::location::{CreatedResource, parse_created_under};
use crate::wire::call;

/// A Dwolla client for exchange sessions.
///
/// Cloning is cheap: clones share the connection pool and the access token.
///
/// ```no_run
/// use dwolla_exchange_sessions::{DwollaClient, NewExchangeSession};
///
/// # async fn run() -> Result<(), dwolla_exchange_sessions::Error> {
/// let dwolla = DwollaClient::from_env()?;
/// let plaid = dwolla.partner("Plaid").await?.expect("Plaid is a partner");
/// let (created, session) = dwolla
///     .create_and_retrieve_exchange_session(
///         "c1e7a7a4-2bd0-4a5c-9d44-0e8f1d0f6d1a",
///         &NewExchangeSession::web(&plaid.id),
///     )
///     .await?;
/// println!("session {} for the front end: {:?}", created.id, session.front_end());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct DwollaClient {
    api: Client,
    /// The base URL, parsed once, that `Location`s are checked against.
    base: Arc<reqwest::Url>,
    idempotency_keys: bool,
}

/// What to create an exchange session with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewExchangeSession {
    partner_id: String,
    redirect_url: Option<String>,
}

impl NewExchangeSession {
    /// A session needing no redirect: MX, Plaid on the web, Checkout.com.
    pub fn web(partner_id: impl Into<String>) -> Self {
        Self {
            partner_id: partner_id.into(),
            redirect_url: None,
        }
    }

    /// A session that returns the user to an app: Plaid on Android (the
    /// package name, e.g. `com.example.app123`) or iOS (an HTTPS URL).
    pub fn with_redirect(partner_id: impl Into<String>, redirect_url: impl Into<String>) -> Self {
        Self {
            partner_id: partner_id.into(),
            redirect_url: Some(redirect_url.into()),
        }
    }

    fn body(&self, base_url: &str) -> types::CreateCustomerExchangeSessionBody {
        let href = format!(
            "{base_url}/exchange-partners/{}",
            progenitor_client::encode_path(&self.partner_id)
        );
        match &self.redirect_url {
            Some(redirect) => types::CreateCustomerExchangeSessionWithRedirect {
                links: types::CreateCustomerExchangeSessionWithRedirectLinks {
                    exchange_partner:
                        types::CreateCustomerExchangeSessionWithRedirectLinksExchangePartner {
                            href,
                        },
                    redirect_url:
                        types::CreateCustomerExchangeSessionWithRedirectLinksRedirectUrl {
                            href: redirect.clone(),
                        },
                },
            }
            .into(),
            None => types::CreateCustomerExchangeSessionForWeb {
                links: types::CreateCustomerExchangeSessionForWebLinks {
                    exchange_partner:
                        types::CreateCustomerExchangeSessionForWebLinksExchangePartner { href },
                },
            }
            .into(),
        }
    }
}

impl DwollaClient {
    /// A builder with the defaults: sandbox, no credentials, 10 s connect and
    /// 30 s request timeouts, 3 retries, 60 s token leeway.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from `DWOLLA_KEY`, `DWOLLA_SECRET` and
    /// `DWOLLA_ENVIRONMENT`.
    pub fn from_env() -> Result<Self, Error> {
        ClientBuilder::from_env()?.build()
    }

    /// The generated client underneath, for the spec's operations as they
    /// are (they share this client's token and policies).
    pub fn api(&self) -> &Client {
        &self.api
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.api.baseurl()
    }

    /// Runs one generated call, with an idempotency key for creates when
    /// the client sends them, mapping its error.
    async fn call<T, F>(
        &self,
        operation: &'static str,
        create: bool,
        send: impl FnOnce() -> F,
    ) -> Result<ResponseValue<T>, Error>
    where
        F: Future<Output = Result<ResponseValue<T>, crate::generated::Error<DwollaError>>>,
    {
        let key = (create && self.idempotency_keys).then(|| uuid::Uuid::new_v4().to_string());
        // The operation's future is made and run inside one box, so that each
        // public method's future stays a few words long.
        Box::pin(async move { call::run(operation, key, send()).await }).await
    }

    /// Every exchange partner (`listExchangePartners`).
    pub async fn exchange_partners(&self) -> Result<Vec<types::ExchangePartner>, Error> {
        let response = self
            .call("listExchangePartners", false, || {
                self.api.list_exchange_partners().send()
            })
            .await?;
        Ok(response
            .into_inner()
            .embedded
            .map(|embedded| embedded.exchange_partners)
            .unwrap_or_default())
    }

    /// The exchange partner called `name` (case-insensitive: `"Plaid"`,
    /// `"MX"`, `"Checkout.com"`), or `None` if the list has none.
    pub async fn partner(&self, name: &str) -> Result<Option<types::ExchangePartner>, Error> {
        Ok(self
            .exchange_partners()
            .await?
            .into_iter()
            .find(|partner| partner.name.to_string().eq_ignore_ascii_case(name)))
    }

    /// Creates an exchange session for a customer
    /// (`createCustomerExchangeSession`) and returns where it is.
    pub async fn create_exchange_session(
        &self,
        customer_id: &str,
        request: &NewExchangeSession,
    ) -> Result<CreatedResource, Error> {
        const OPERATION: &str = "createCustomerExchangeSession";
        let send = || {
            self.api
                .create_customer_exchange_session()
                .id(customer_id)
                .body(request.body(self.base_url()))
                .send()
        };
        let response = self.call(OPERATION, true, send).await?;
        self.created(OPERATION, &response)
    }

    /// Retrieves an exchange session (`retrieveCustomerExchangeSession`);
    /// [`front_end`](types::ExchangeSession::front_end) says what to hand to
    /// the front end.
    pub async fn retrieve_exchange_session(
        &self,
        session_id: &str,
    ) -> Result<types::ExchangeSession, Error> {
        let send = || {
            self.api
                .retrieve_customer_exchange_session()
                .id(session_id)
                .send()
        };
        Ok(self
            .call("retrieveCustomerExchangeSession", false, send)
            .await?
            .into_inner())
    }

    /// Creates an exchange session and retrieves it, in one call.
    pub async fn create_and_retrieve_exchange_session(
        &self,
        customer_id: &str,
        request: &NewExchangeSession,
    ) -> Result<(CreatedResource, types::ExchangeSession), Error> {
        let created = self.create_exchange_session(customer_id, request).await?;
        let session = self.retrieve_exchange_session(&created.id).await?;
        Ok((created, session))
    }

    /// Creates a re-authentication exchange session for an exchange whose
    /// bank connection expired (after [`Error::is_update_credentials`]):
    /// with `redirect_url` for Plaid in a mobile app, without for the web.
    pub async fn create_re_auth_exchange_session(
        &self,
        exchange_id: &str,
        redirect_url: Option<&str>,
    ) -> Result<CreatedResource, Error> {
        const OPERATION: &str = "createReAuthExchangeSession";
        let body: CreateReAuthExchangeSessionBody = match redirect_url {
            Some(url) => CreateReAuthExchangeSessionWithRedirect::new(url).into(),
            None => CreateReAuthExchangeSessionForWeb {}.into(),
        };
        let send = || {
            self.api
                .create_re_auth_exchange_session()
                .id(exchange_id)
                .body(body)
                .send()
        };
        let response = self.call(OPERATION, true, send).await?;
        self.created(OPERATION, &response)
    }

    fn created(
        &self,
        operation: &'static str,
        response: &ResponseValue<()>,
    ) -> Result<CreatedResource, Error> {
        let headers = response.headers();
        parse_created_under(
            headers.get(reqwest::header::LOCATION).map(|v| v.as_bytes()),
            &self.base,
            "exchange-sessions",
        )
        .map_err(|source| Error::InvalidLocation {
            operation,
            source,
            request_id: headers
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_bodies_are_the_spec_variants() {
        let web =
            serde_json::to_value(NewExchangeSession::web("p1").body("https://x.test")).unwrap();
        assert_eq!(
            web,
            serde_json::json!({ "_links": { "exchange-partner": { "href": "https://x.test/exchange-partners/p1" } } })
        );
        let mobile = serde_json::to_value(
            NewExchangeSession::with_redirect("p/1", "com.example.app123").body("https://x.test"),
        )
        .unwrap();
        assert_eq!(
            mobile["_links"]["exchange-partner"]["href"],
            "https://x.test/exchange-partners/p%2F1"
        );
        assert_eq!(
            mobile["_links"]["redirect-url"]["href"],
            "com.example.app123"
        );
    }
}
