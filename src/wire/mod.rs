//! What every request looks like on the wire, and what happens to it there.
//!
//! progenitor builds requests for `application/json`, adds an `api-version`
//! header from the spec's `info.version` and knows nothing of credentials,
//! retries or tracing. The hooks fill that gap for every operation,
//! generated or hand-written. One concern per file:
//!
//! | file | what it does |
//! | --- | --- |
//! | `hooks` | the `ClientHooks` of the generated client: `pre` checks and dresses a request, `exec` sends it |
//! | `state` | [`ClientState`] (credentials, token cache, settings) and [`WireSettings`] |
//! | `headers` | `User-Agent`, `Idempotency-Key`, sensitive credentials, media types, `x-request-id` |
//! | `path_guard` | refuses a request whose URL left its operation's path template |
//! | `redirect` | refuses a 3xx answer, and an answer a caller's HTTP client got by following one |
//! | `retry` | [`RetryPolicy`]: what is retried, backoff, `Retry-After` |
//! | `transport` | the send loop: retries and the one replay after an expired token |
//! | `body` | the bounded response body |
//! | `span` | the `dwolla.request` tracing span |
//! | `context` | the per-call context: an idempotency key in, observations out |
//!
//! The wire layer knows operations (`crate::operations`), credentials and
//! tokens (`crate::auth`), and of `crate::error` only the error body a 401
//! is read as and the `TokenError` it records; it knows nothing of the
//! ergonomic layer, its `Error` or the extension.

mod body;
pub(crate) mod context;
pub(crate) mod headers;
mod hooks;
mod path_guard;
pub(crate) mod redirect;
mod retry;
mod span;
mod state;
mod transport;

pub use retry::RetryPolicy;
pub use state::{ClientState, WireSettings};
