//! When a request is sent again, and after how long.
//!
//! What is retried: 429, 502, 503, 504 and failures to connect or to send
//! (a connection reset before any response), for requests that are safe to
//! send twice: reads, `POST /token` (it issues a token and changes nothing),
//! and a POST that carries an `Idempotency-Key`. A POST without a key is
//! sent exactly once. `Retry-After` (seconds or an HTTP date) is honoured; a
//! wait longer than [`RetryPolicy::max_retry_after`] ends the retries and
//! returns the answer as it is.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, Request, StatusCode};

use super::headers::IDEMPOTENCY_KEY;
use crate::operations::OperationMeta;

/// When and how often a failed request is sent again.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Retries after the first attempt (default 3; 0 turns retries off).
    pub max_retries: u32,
    /// Delay before the first retry; doubled for each further one, with
    /// jitter (default 200 ms).
    pub base_delay: Duration,
    /// Upper bound of the computed delay (default 5 s).
    pub max_delay: Duration,
    /// The longest `Retry-After` the client waits for (default 60 s); a
    /// longer one ends the retries and the answer is returned.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn disabled() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// The jittered exponential delay before retry number `retry` (0-based):
    /// between half and all of `base_delay * 2^retry`, capped at `max_delay`.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let full = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(retry))
            .min(self.max_delay);
        let half = full / 2;
        half + half.mul_f64(fastrand::f64())
    }

    /// The wait before another attempt after `status`, if the answer is one
    /// to retry and the server asks for no longer than the policy allows.
    pub(crate) fn delay_after_status(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        retry: u32,
    ) -> Option<Duration> {
        if !is_retryable_status(status) {
            return None;
        }
        match retry_after(headers, SystemTime::now()) {
            Some(asked) if asked > self.max_retry_after => None,
            Some(asked) => Some(asked),
            None => Some(self.backoff(retry)),
        }
    }
}

/// Statuses that say "try again later".
fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

/// Failures to connect or to send, before any response: worth another try
/// for a request that is safe to repeat. A timeout is not retried (the
/// caller's time budget is spent), nor is a failure while reading a body.
pub(crate) fn is_retryable_failure(error: &reqwest::Error) -> bool {
    (error.is_connect() || error.is_request()) && !error.is_timeout() && !error.is_body()
}

/// Whether sending `request` twice can do no harm: its operation is
/// repeatable, or it is a POST with an `Idempotency-Key`. A request of an
/// operation the table does not know is sent once.
pub(crate) fn is_retry_safe(operation: Option<&OperationMeta>, request: &Request) -> bool {
    operation.is_some_and(|op| op.repeatable)
        || (request.method() == Method::POST && request.headers().contains_key(IDEMPOTENCY_KEY))
}

/// The wait a `Retry-After` header asks for: delta-seconds or an HTTP date.
fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(at.timestamp()).ok()?);
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut map = HeaderMap::new();
        map.insert(RETRY_AFTER, HeaderValue::from_str(retry_after).unwrap());
        map
    }

    #[test]
    fn retry_after_in_seconds_and_as_a_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(
            retry_after(&headers("7"), now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            retry_after(&headers("Sun, 06 Nov 1994 08:49:40 GMT"), now),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            retry_after(&headers("Sun, 06 Nov 1994 08:00:00 GMT"), now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers("soon"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn backoff_doubles_with_jitter_and_stays_capped() {
        let policy = RetryPolicy::default();
        for retry in 0..10 {
            let full = (policy.base_delay * 2u32.pow(retry)).min(policy.max_delay);
            let delay = policy.backoff(retry);
            assert!(delay >= full / 2 && delay <= full, "{retry}: {delay:?}");
        }
    }
}
