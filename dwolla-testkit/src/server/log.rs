//! The bounded log of what a server answered: the most recent requests only,
//! so that a long run or a flood of large bodies cannot grow it without end.

use std::collections::VecDeque;
use std::sync::Mutex;

/// The most entries a log keeps (the oldest go first).
pub const LOG_ENTRIES: usize = 1024;

/// The most body bytes a log keeps, over all its entries (the oldest go
/// first). With the default 1 MiB body limit that is at least 8 requests.
pub const LOG_BYTES: usize = 8 << 20;

/// The last [`LOG_ENTRIES`] entries, holding at most [`LOG_BYTES`] of
/// bodies, and how many were ever pushed.
#[derive(Debug)]
pub struct RequestLog<T> {
    inner: Mutex<Inner<T>>,
}

#[derive(Debug)]
struct Inner<T> {
    entries: VecDeque<(T, usize)>,
    bytes: usize,
    total: usize,
}

impl<T> Default for RequestLog<T> {
    fn default() -> Self {
        Self {
            inner: Mutex::new(Inner {
                entries: VecDeque::new(),
                bytes: 0,
                total: 0,
            }),
        }
    }
}

impl<T: Clone> RequestLog<T> {
    /// Adds `entry`, which holds `bytes` of body, dropping the oldest entries
    /// while the log is over either bound.
    pub fn push(&self, entry: T, bytes: usize) {
        let mut inner = self.lock();
        inner.total = inner.total.saturating_add(1);
        inner.bytes = inner.bytes.saturating_add(bytes);
        inner.entries.push_back((entry, bytes));
        while inner.entries.len() > LOG_ENTRIES || inner.bytes > LOG_BYTES {
            let Some((_, dropped)) = inner.entries.pop_front() else {
                break;
            };
            inner.bytes = inner.bytes.saturating_sub(dropped);
        }
    }

    /// The entries kept, oldest first.
    pub fn entries(&self) -> Vec<T> {
        self.lock().entries.iter().map(|(e, _)| e.clone()).collect()
    }

    /// How many entries were ever pushed, kept or not.
    pub fn total(&self) -> usize {
        self.lock().total
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner<T>> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_entries_go_first_past_either_bound() {
        let log = RequestLog::default();
        for n in 0..LOG_ENTRIES + 5 {
            log.push(n, 1);
        }
        let kept = log.entries();
        assert_eq!(kept.len(), LOG_ENTRIES);
        assert_eq!(kept.first(), Some(&5));
        log.push(usize::MAX, LOG_BYTES);
        assert_eq!(log.entries(), vec![usize::MAX]);
        log.push(0, 1);
        assert_eq!(log.entries(), vec![0]);
        assert_eq!(log.total(), LOG_ENTRIES + 7);
    }
}
