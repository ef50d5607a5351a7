//! The per-call context: what one logical call tells the hooks (an
//! idempotency key, whether to keep the response body), and what the hooks
//! observe for it (the final status and `x-request-id`, a body over the
//! limit, why no token could be had, the body it asked to keep).
//!
//! Why a task-local: progenitor hands its hooks the request and the
//! operation's name, nothing else, and its builders have no slot for
//! per-call options; a generated call's error carries neither the status
//! of a body that failed to decode nor the reason no token was had. So the
//! caller runs the call inside [`scope`], the hooks read and write the
//! context through [`idempotency_key`] and [`observe`], and the caller gets
//! the observations back when the call ends. The context is data only: no
//! behaviour depends on who reads it, and outside a scope the hooks work
//! the same and record nothing.

use std::cell::RefCell;
#[cfg(feature = "ergonomic")]
use std::pin::Pin;

use reqwest::StatusCode;

use super::redirect::Redirected;
use crate::error::TokenError;
use crate::operations::OperationMeta;

tokio::task_local! {
    static CALL: CallContext;
}

/// Per-call options and observations.
#[derive(Debug, Default)]
struct CallContext {
    /// The operation the call runs (its `operationId`): the options apply to
    /// its requests only, not to a token fetched along the way.
    operation: &'static str,
    /// Sent as `Idempotency-Key` on a POST; makes the POST safe to retry.
    idempotency_key: Option<String>,
    /// Whether the hooks keep a copy of the final response body.
    keep_body: bool,
    /// Only the call's own task reaches it, one hook at a time.
    observed: RefCell<Observed>,
}

/// What the hooks saw while the call ran.
#[derive(Debug, Default)]
pub(crate) struct Observed {
    /// Status of the final response.
    pub(crate) status: Option<StatusCode>,
    /// `x-request-id` of the final response.
    pub(crate) request_id: Option<String>,
    /// Why the access token needed for the call could not be obtained.
    pub(crate) token_failure: Option<TokenError>,
    /// Set when the response body exceeded the configured limit (the limit).
    pub(crate) body_over_limit: Option<usize>,
    /// The final response body, when the call asked to keep it (and it was
    /// within the limit).
    pub(crate) body: Option<bytes::Bytes>,
    /// The redirect the answer was, refused.
    pub(crate) redirect: Option<Redirected>,
}

/// Runs `call` of `operation` with `idempotency_key` for the hooks to send
/// (and, with `keep_body`, a copy of the final response body kept), both on
/// that operation's requests only, and returns its
/// output with what the hooks observed. The call comes boxed, so that it is
/// not copied into each future on the way. (Only the ergonomic layer opens a
/// scope.)
#[cfg(feature = "ergonomic")]
pub(crate) async fn scope<F: Future>(
    operation: &'static OperationMeta,
    idempotency_key: Option<String>,
    keep_body: bool,
    call: Pin<Box<F>>,
) -> (F::Output, Observed) {
    let context = CallContext {
        operation: operation.operation_id,
        idempotency_key,
        keep_body,
        observed: RefCell::default(),
    };
    let mut scoped = std::pin::pin!(CALL.scope(context, call));
    let output = scoped.as_mut().await;
    let observed = scoped
        .as_mut()
        .take_value()
        .map(|context| context.observed.into_inner())
        .unwrap_or_default();
    (output, observed)
}

/// The idempotency key of the current call, if it set one and `operation`
/// is the call's own (not the token request made on its way).
pub(crate) fn idempotency_key(operation: &OperationMeta) -> Option<String> {
    CALL.try_with(|call| {
        call.idempotency_key
            .clone()
            .filter(|_| call.operation == operation.operation_id)
    })
    .ok()
    .flatten()
}

/// Whether the current call asked to keep the response body of
/// `operation`, its own (a token's answer on its way is never kept).
pub(crate) fn keeps_body(operation: Option<&OperationMeta>) -> bool {
    CALL.try_with(|call| {
        call.keep_body && operation.is_some_and(|op| op.operation_id == call.operation)
    })
    .unwrap_or(false)
}

/// Records an observation on the current call, if there is one.
pub(crate) fn observe(update: impl FnOnce(&mut Observed)) {
    let _ = CALL.try_with(|call| {
        if let Ok(mut observed) = call.observed.try_borrow_mut() {
            update(&mut observed);
        }
    });
}
