//! What one logical call tells the hooks, and what the hooks observe for it.
//!
//! The generated builders have no slot for per-call options or for facts the
//! hooks learn (the status of a body that failed to decode, why no token could
//! be had). A caller that wants them runs the call inside [`scope`]; the hooks
//! find the record through a task-local. Without a scope the hooks work the
//! same and simply record nothing.

use std::future::Future;
use std::sync::{Arc, Mutex};

use reqwest::StatusCode;

use crate::auth::TokenError;

tokio::task_local! {
    static CALL: Arc<CallRecord>;
}

/// Per-call options and observations.
#[derive(Debug, Default)]
pub(crate) struct CallRecord {
    /// Sent as `Idempotency-Key` on a POST; makes the POST safe to retry.
    pub(crate) idempotency_key: Option<String>,
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
    /// A record carrying an idempotency key, if any.
    pub(crate) fn new(idempotency_key: Option<String>) -> Arc<Self> {
        Arc::new(Self {
            idempotency_key,
            observed: Mutex::default(),
        })
    }

    /// A copy of what the hooks observed.
    pub(crate) fn observed(&self) -> Observed {
        self.observed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

/// Runs `future` with `record` visible to the hooks.
pub(crate) async fn scope<F: Future>(record: Arc<CallRecord>, future: F) -> F::Output {
    CALL.scope(record, future).await
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
