//! The faults a test scripts into the mock: what goes wrong, for which
//! requests and how many times.

use std::sync::Mutex;
use std::time::Duration;

/// What the mock does instead of (or before) answering a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MockFault {
    /// `429 Too Many Requests` with `Retry-After` in whole seconds (rounded
    /// up) and Dwolla's `TooManyRequests` error body.
    TooManyRequests {
        /// What `Retry-After` asks for.
        retry_after: Duration,
    },
    /// This 5xx status with Dwolla's `ServerError` body (a status outside
    /// 500–599 is sent as 500).
    ServerError(u16),
    /// Waits this long, then answers as usual: for the client's timeouts.
    Stall(Duration),
}

/// A fault and the requests it applies to: by default the next request,
/// once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Injection {
    pub(crate) fault: MockFault,
    pub(crate) operation: Option<String>,
    pub(crate) times: usize,
}

impl Injection {
    /// `fault` for the next request, whatever its operation, once.
    pub fn new(fault: MockFault) -> Self {
        Self {
            fault,
            operation: None,
            times: 1,
        }
    }

    /// Only for requests of this operationId (e.g.
    /// `retrieveCustomerExchangeSession`); others pass untouched.
    pub fn on(mut self, operation_id: impl Into<String>) -> Self {
        self.operation = Some(operation_id.into());
        self
    }

    /// For the next `times` matching requests instead of one.
    pub fn times(mut self, times: usize) -> Self {
        self.times = times;
        self
    }
}

/// The injections still to apply, in the order they were scripted.
#[derive(Debug, Default)]
pub(crate) struct Script {
    pending: Mutex<Vec<Injection>>,
}

impl Script {
    pub(crate) fn push(&self, injection: Injection) {
        if injection.times > 0 {
            self.lock().push(injection);
        }
    }

    /// The fault for a request of `operation`, if one is scripted: the first
    /// injection that matches, used up once.
    pub(crate) fn take(&self, operation: Option<&str>) -> Option<MockFault> {
        let mut pending = self.lock();
        let index = pending.iter().position(|injection| {
            injection
                .operation
                .as_deref()
                .is_none_or(|wanted| Some(wanted) == operation)
        })?;
        let injection = &mut pending[index];
        let fault = injection.fault.clone();
        injection.times -= 1;
        if injection.times == 0 {
            pending.remove(index);
        }
        Some(fault)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Injection>> {
        self.pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injections_apply_in_order_to_matching_requests_and_are_used_up() {
        let script = Script::default();
        script.push(Injection::new(MockFault::ServerError(503)).on("getExchangePartner"));
        script.push(Injection::new(MockFault::ServerError(500)).times(2));
        script.push(Injection::new(MockFault::ServerError(502)).times(0));
        assert_eq!(
            script.take(Some("listExchangePartners")),
            Some(MockFault::ServerError(500))
        );
        assert_eq!(
            script.take(Some("getExchangePartner")),
            Some(MockFault::ServerError(503))
        );
        assert_eq!(script.take(None), Some(MockFault::ServerError(500)));
        assert_eq!(script.take(None), None);
    }
}
