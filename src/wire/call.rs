//! What one logical call tells the hooks, and what the hooks observe for it.
//!
//! The generated builders have no slot for per-call options or for facts the
//! hooks learn (the status of a body that failed to decode, why no token could
//! be had). [`run`] runs a call with a record the hooks find through a
//! task-local, and turns a failure into the crate's [`Error`]
//! with those facts. Without it the hooks work the same and record nothing.

use std::future::Future;
use std::sync::{Arc, Mutex};

use progenitor_client::ResponseValue;
use reqwest::StatusCode;

use crate::auth::TokenError;
use crate::{DwollaError, Error};

tokio::task_local! {
    static CALL: Arc<CallRecord>;
}

/// Per-call options and observations.
#[derive(Debug, Default)]
struct CallRecord {
    /// Sent as `Idempotency-Key` on a POST; makes the POST safe to retry.
    idempotency_key: Option<String>,
    observed: Mutex<Observed>,
}

/// What the hooks saw while the call ran.
#[derive(Debug, Default, Clone)]
pub(crate) struct Observed {
    /// Status of the final response.
    pub(crate) status: Option<StatusCode>,
    /// `x-request-id` of the final response.
    pub(crate) request_id: Option<String>,
    /// Why the access token needed for the call could not be obtained.
    pub(crate) token_failure: Option<TokenError>,
    /// Set when the response body exceeded the configured limit (the limit).
    pub(crate) body_over_limit: Option<usize>,
}

impl CallRecord {
    /// A copy of what the hooks observed.
    fn observed(&self) -> Observed {
        self.observed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

/// Runs one generated (or extension) call of `operation` and maps its
/// failure to [`Error`]. With an `idempotency_key`, a POST carries it as
/// `Idempotency-Key` and becomes safe to retry.
///
/// ```no_run
/// use dwolla_exchange_sessions::generated::Client;
/// use dwolla_exchange_sessions::wire::call;
///
/// # async fn run(client: Client) -> Result<(), dwolla_exchange_sessions::Error> {
/// let partners = call::run("listExchangePartners", None, client.list_exchange_partners().send()).await?;
/// println!("{:?}", partners.total);
/// # Ok(())
/// # }
/// ```
pub async fn run<T, F>(
    operation: &'static str,
    idempotency_key: Option<String>,
    send: F,
) -> Result<ResponseValue<T>, Error>
where
    F: Future<Output = Result<ResponseValue<T>, crate::generated::Error<DwollaError>>>,
{
    let record = Arc::new(CallRecord {
        idempotency_key,
        observed: Mutex::default(),
    });
    match CALL.scope(Arc::clone(&record), send).await {
        Ok(value) => Ok(value),
        Err(error) => {
            Err(Box::pin(Error::from_generated(operation, error, record.observed())).await)
        }
    }
}

/// The idempotency key of the current call, if it set one.
pub(crate) fn idempotency_key() -> Option<String> {
    CALL.try_with(|call| call.idempotency_key.clone())
        .ok()
        .flatten()
}

/// Records an observation on the current call, if there is one.
pub(crate) fn observe(update: impl FnOnce(&mut Observed)) {
    let _ =
        CALL.try_with(|call| update(&mut call.observed.lock().unwrap_or_else(|p| p.into_inner())));
}
