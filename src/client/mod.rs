//! The ergonomic client: one call per step of an exchange-session flow, one
//! error type, typed results. It is a thin layer over the generated
//! operations (and the hand-written [`extras`](crate::extras)); everything on
//! the wire happens in their hooks.
//!
//! It builds against any Dwolla spec that has the operations it calls (the
//! build names the spec, the JSON pointer and what is missing otherwise):
//! request bodies are written as the JSON Dwolla documents and read into the
//! spec's types, the front end is read from the session's JSON, and the
//! re-authentication operation is the spec's when the spec has one. The
//! `ergonomic` feature (on by default) builds it; without it, only the
//! generated layer is built.
//!
//! | file | what it does |
//! | --- | --- |
//! | `mod.rs` | [`DwollaClient`]: one method per flow step, each naming its operation by constant |
//! | `config` | [`ClientBuilder`] and [`Environment`] |
//! | `new_session` | [`NewExchangeSession`], the request of a create |
//! | `partner` | [`ExchangePartner`], read from the list of partners as Dwolla sent it |
//! | `request_body` | a body as the JSON Dwolla documents, read into the spec's request type (and remembered for a request made again) |
//! | `re_auth` | which re-authentication operation is called: the spec's, else the extension's |
//! | `front_end` | [`RetrievedSession`] and [`FrontEnd`], what a retrieved session gives the front end |
//! | `location` | [`CreatedResource`], read from a create's `Location` |
//! | `call` | runs a call in its per-call context and maps its failure to [`Error`] |

mod call;
mod config;
mod front_end;
mod location;
mod new_session;
mod partner;
mod re_auth;
mod request_body;

use std::future::Future;
use std::sync::Arc;

use progenitor_client::ResponseValue;

pub use config::{ClientBuilder, Environment};
pub use front_end::{FrontEnd, RetrievedSession};
pub use location::CreatedResource;
#[cfg(fuzzing)]
pub(crate) use location::parse_created;
pub use new_session::NewExchangeSession;
pub use partner::ExchangePartner;

use serde_json::json;

use crate::error::{DwollaErrorBody, Error};
use crate::generated::request_bodies::CreateCustomerExchangeSession as CreateBody;
use crate::generated::{Client, ClientInfo};
use crate::operations::{OperationMeta, spec};
use crate::wire::headers::request_id;
use request_body::{RecentBodies, ShapeCheck, typed_body};

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
    bodies: Arc<TypedBodies>,
}

/// The request bodies already read into the spec's types, per operation.
#[derive(Debug, Default)]
struct TypedBodies {
    create: RecentBodies<NewExchangeSession, CreateBody>,
    re_auth: RecentBodies<Option<String>, re_auth::Body>,
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
        operation: &'static OperationMeta,
        create: bool,
        send: impl FnOnce() -> F,
    ) -> Result<ResponseValue<T>, Error>
    where
        F: Future<Output = Result<ResponseValue<T>, crate::generated::Error<DwollaErrorBody>>>,
    {
        let key = (create && self.idempotency_keys).then(|| uuid::Uuid::new_v4().to_string());
        // The operation's future, large, is boxed where it is made, so that
        // it is not copied on the way and each public method's future stays
        // small.
        call::run(self.api.inner(), operation, key, false, Box::pin(send()))
            .await
            .map(|(response, _)| response)
    }

    /// Every exchange partner (`listExchangePartners`), read from the list
    /// as Dwolla sent it (see [`ExchangePartner`]).
    pub async fn exchange_partners(&self) -> Result<Vec<ExchangePartner>, Error> {
        let send = Box::pin(self.api.list_exchange_partners().send());
        let operation = spec::LIST_EXCHANGE_PARTNERS;
        let (_, body) = call::run(self.api.inner(), operation, None, true, send).await?;
        Ok(body.as_deref().map(partner::partners).unwrap_or_default())
    }

    /// The exchange partner called `name` (case-insensitive: `"Plaid"`,
    /// `"MX"`, `"Checkout.com"`), or `None` if the list has none.
    pub async fn partner(&self, name: &str) -> Result<Option<ExchangePartner>, Error> {
        Ok(self
            .exchange_partners()
            .await?
            .into_iter()
            .find(|partner| partner.name.eq_ignore_ascii_case(name)))
    }

    /// Creates an exchange session for a customer
    /// (`createCustomerExchangeSession`) and returns where it is.
    pub async fn create_exchange_session(
        &self,
        customer_id: &str,
        request: &NewExchangeSession,
    ) -> Result<CreatedResource, Error> {
        let operation = spec::CREATE_CUSTOMER_EXCHANGE_SESSION;
        let body = self.bodies.create.get_or_make(request, || {
            typed_body(
                operation,
                &request.body(self.base_url()),
                request.shape_check(),
            )
        })?;
        let send = || {
            self.api
                .create_customer_exchange_session()
                .id(customer_id)
                .body(body)
                .send()
        };
        let response = self.call(operation, true, send).await?;
        self.created(operation, &response)
    }

    /// Retrieves an exchange session (`retrieveCustomerExchangeSession`);
    /// [`front_end`](RetrievedSession::front_end) says what to hand to the
    /// front end.
    pub async fn retrieve_exchange_session(
        &self,
        session_id: &str,
    ) -> Result<RetrievedSession, Error> {
        let send = Box::pin(
            self.api
                .retrieve_customer_exchange_session()
                .id(session_id)
                .send(),
        );
        let operation = spec::RETRIEVE_CUSTOMER_EXCHANGE_SESSION;
        let (response, body) = call::run(self.api.inner(), operation, None, true, send).await?;
        Ok(RetrievedSession::new(response.into_inner(), body))
    }

    /// Creates an exchange session and retrieves it, in one call.
    pub async fn create_and_retrieve_exchange_session(
        &self,
        customer_id: &str,
        request: &NewExchangeSession,
    ) -> Result<(CreatedResource, RetrievedSession), Error> {
        let created = self.create_exchange_session(customer_id, request).await?;
        let session = self.retrieve_exchange_session(&created.id).await?;
        Ok((created, session))
    }

    /// Creates a re-authentication exchange session for an exchange whose
    /// bank connection expired (after [`Error::is_update_credentials`]):
    /// with `redirect_url` for Plaid in a mobile app, without for the web.
    ///
    /// It calls the spec's `createReAuthExchangeSession` when the spec the
    /// client is built from defines it, else the hand-written one of
    /// [`extras`](crate::extras).
    pub async fn create_re_auth_exchange_session(
        &self,
        exchange_id: &str,
        redirect_url: Option<&str>,
    ) -> Result<CreatedResource, Error> {
        static SHAPES: [ShapeCheck; 2] = [ShapeCheck::new(), ShapeCheck::new()];
        let operation = re_auth::OPERATION;
        let request = redirect_url.map(str::to_string);
        let body = self.bodies.re_auth.get_or_make(&request, || {
            let body = match redirect_url {
                Some(url) => json!({ "_links": { "redirect-url": { "href": url } } }),
                None => json!({}),
            };
            let shape = &SHAPES[usize::from(redirect_url.is_some())];
            typed_body(operation, &body.to_string(), shape)
        })?;
        let send = || {
            re_auth::builder(&self.api)
                .id(exchange_id)
                .body(body)
                .send()
        };
        let response = self.call(operation, true, send).await?;
        self.created(operation, &response)
    }

    /// The exchange session a create's `Location` names.
    fn created<T>(
        &self,
        operation: &'static OperationMeta,
        response: &ResponseValue<T>,
    ) -> Result<CreatedResource, Error> {
        let headers = response.headers();
        location::parse_created(
            headers
                .get(reqwest::header::LOCATION)
                .map(http::HeaderValue::as_bytes),
            &self.base,
            operation.path,
            "exchange-sessions",
        )
        .map_err(|source| Error::InvalidLocation {
            operation: operation.operation_id,
            source,
            request_id: request_id(headers),
        })
    }
}
