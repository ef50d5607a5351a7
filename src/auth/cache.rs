//! The shared access-token cache: one token for every clone of a client,
//! refreshed before it expires, fetched by one caller at a time.
//!
//! Single flight: callers that find no usable token queue on one lock. The
//! first fetches; everyone who was already waiting takes the outcome of that
//! attempt, success or failure, instead of fetching again. A failure is never
//! kept: the next caller that arrives afterwards starts a new attempt.

use std::future::Future;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use reqwest::header::HeaderValue;

use super::secret::Secret;
use crate::error::TokenError;

/// `Bearer <token>` as a header value marked sensitive (so that `Debug` of
/// the request and HTTP/2 header compression never expose it); `None` if the
/// token holds characters a header cannot.
pub(crate) fn bearer_header(token: &Secret) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose())).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// The longest a fetched token is kept, whatever its `expires_in` says (an
/// absurd lifetime is capped, not an error; Dwolla's tokens live an hour).
pub(crate) const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// A token with the moment it should be replaced.
#[derive(Clone)]
struct CachedToken {
    token: Secret,
    /// `Bearer <token>`, built once and marked sensitive; `None` if the token
    /// holds characters a header cannot.
    header: Option<HeaderValue>,
    /// `None` for a token whose lifetime is unknown (set by hand, or fetched
    /// without `expires_in`): only a 401 retires it.
    refresh_at: Option<Instant>,
}

#[derive(Default)]
struct Attempts {
    /// Outcome of the most recent fetch: `Ok` or the shared failure.
    last: Option<Result<(), TokenError>>,
}

/// Cache plus single-flight refresh.
pub(crate) struct TokenCache {
    leeway: Duration,
    current: RwLock<Option<CachedToken>>,
    /// The token `current` last replaced (a server may still echo it).
    previous: RwLock<Option<Secret>>,
    /// Bumped when a fetch ends; read before queueing, so a waiter can tell
    /// that an attempt finished while it waited.
    generation: AtomicU64,
    refresh: tokio::sync::Mutex<Attempts>,
}

impl TokenCache {
    /// A cache that replaces a token `leeway` before `expires_in` runs out.
    pub(crate) fn new(leeway: Duration) -> Self {
        Self {
            leeway,
            current: RwLock::new(None),
            previous: RwLock::new(None),
            generation: AtomicU64::new(0),
            refresh: tokio::sync::Mutex::new(Attempts::default()),
        }
    }

    /// Stores a token obtained elsewhere; it is used until a 401 retires it.
    pub(crate) fn set(&self, token: Secret) {
        self.store(Some(CachedToken {
            header: bearer_header(&token),
            token,
            refresh_at: None,
        }));
    }

    /// The `Authorization` value of the cached token, if it is still fresh
    /// (and can be a header).
    pub(crate) fn fresh_header(&self) -> Option<HeaderValue> {
        self.if_fresh(|cached| cached.header.clone())
    }

    /// The cached token if it is still fresh.
    pub(crate) fn fresh(&self) -> Option<Secret> {
        self.if_fresh(|cached| Some(cached.token.clone()))
    }

    /// `pick` of the cached token, if there is one and it is still fresh.
    fn if_fresh<T>(&self, pick: impl FnOnce(&CachedToken) -> Option<T>) -> Option<T> {
        let guard = self
            .current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        guard
            .as_ref()
            .filter(|cached| cached.refresh_at.is_none_or(|at| Instant::now() < at))
            .and_then(pick)
    }

    fn cached(&self) -> Option<Secret> {
        let guard = self
            .current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        guard.as_ref().map(|cached| cached.token.clone())
    }

    fn store(&self, value: Option<CachedToken>) {
        let replaced = std::mem::replace(
            &mut *self
                .current
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
            value,
        );
        self.keep_previous(replaced);
    }

    fn keep_previous(&self, replaced: Option<CachedToken>) {
        if let Some(replaced) = replaced {
            *self
                .previous
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(replaced.token);
        }
    }

    /// The tokens a server could echo: the cached one and the one before it.
    pub(crate) fn held(&self) -> Vec<Secret> {
        let previous = self
            .previous
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        self.cached().into_iter().chain(previous).collect()
    }

    /// When a token living `lifetime` from now is to be replaced: the leeway
    /// before its end, its lifetime capped at [`MAX_TOKEN_LIFETIME`].
    fn refresh_at(&self, lifetime: Duration) -> Instant {
        let now = Instant::now();
        let usable = lifetime.min(MAX_TOKEN_LIFETIME).saturating_sub(self.leeway);
        now.checked_add(usable).unwrap_or(now)
    }

    /// Forgets `used` after the API rejected it, unless another caller has
    /// already replaced it.
    pub(crate) fn invalidate(&self, used: &Secret) {
        let mut guard = self
            .current
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if guard.as_ref().is_some_and(|cached| &cached.token == used) {
            let replaced = guard.take();
            drop(guard);
            self.keep_previous(replaced);
        }
    }

    /// A fresh token: the cached one, or one `fetch` obtains (its lifetime,
    /// when known, beside it). Concurrent callers share one fetch.
    pub(crate) async fn get_or_fetch<F, Fut>(&self, fetch: F) -> Result<Secret, TokenError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(Secret, Option<Duration>), TokenError>>,
    {
        let seen = self.generation.load(Ordering::Acquire);
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        let mut attempts = self.refresh.lock().await;
        if self.generation.load(Ordering::Acquire) != seen {
            match &attempts.last {
                Some(Err(failure)) => return Err(failure.clone()),
                Some(Ok(())) => {
                    if let Some(token) = self.cached() {
                        return Ok(token);
                    }
                }
                None => {}
            }
        }
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        let outcome = fetch().await;
        let result = match outcome {
            Ok((token, lifetime)) => {
                self.store(Some(CachedToken {
                    header: bearer_header(&token),
                    token: token.clone(),
                    refresh_at: lifetime.map(|lifetime| self.refresh_at(lifetime)),
                }));
                attempts.last = Some(Ok(()));
                Ok(token)
            }
            Err(failure) => {
                attempts.last = Some(Err(failure.clone()));
                Err(failure)
            }
        };
        self.generation.fetch_add(1, Ordering::AcqRel);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::AtomicUsize;

    fn failure() -> TokenError {
        TokenError {
            status: Some(500),
            code: None,
            message: "token endpoint failed".into(),
        }
    }

    #[tokio::test]
    async fn a_fresh_token_is_reused() {
        let cache = TokenCache::new(Duration::from_secs(60));
        let fetches = AtomicUsize::new(0);
        for _ in 0..3 {
            let token = cache
                .get_or_fetch(|| async {
                    fetches.fetch_add(1, Ordering::SeqCst);
                    Ok((Secret::new("t1"), Some(Duration::from_secs(3600))))
                })
                .await
                .unwrap();
            assert_eq!(token.expose(), "t1");
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_token_inside_the_leeway_is_replaced() {
        let cache = TokenCache::new(Duration::from_secs(60));
        let fetches = AtomicUsize::new(0);
        for _ in 0..2 {
            cache
                .get_or_fetch(|| async {
                    fetches.fetch_add(1, Ordering::SeqCst);
                    Ok((Secret::new("short"), Some(Duration::from_secs(30))))
                })
                .await
                .unwrap();
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn an_absurd_lifetime_is_capped_instead_of_panicking() {
        let cache = TokenCache::new(Duration::from_secs(60));
        for lifetime in [Duration::from_secs(i64::MAX as u64), Duration::MAX] {
            cache.invalidate(&Secret::new("long"));
            let token = cache
                .get_or_fetch(|| async { Ok((Secret::new("long"), Some(lifetime))) })
                .await
                .unwrap();
            assert_eq!(token.expose(), "long");
            assert!(cache.fresh().is_some(), "{lifetime:?}");
        }
    }

    #[tokio::test]
    async fn a_failure_is_not_cached() {
        let cache = TokenCache::new(Duration::from_secs(60));
        let first = cache.get_or_fetch(|| async { Err(failure()) }).await;
        assert_eq!(first.unwrap_err(), failure());
        let second = cache
            .get_or_fetch(|| async { Ok((Secret::new("t2"), Some(Duration::from_secs(3600)))) })
            .await
            .unwrap();
        assert_eq!(second.expose(), "t2");
    }

    #[tokio::test]
    async fn the_cached_and_the_previous_token_are_held() {
        let cache = TokenCache::new(Duration::from_secs(60));
        cache.set(Secret::new("old"));
        cache.set(Secret::new("new"));
        assert_eq!(cache.held(), [Secret::new("new"), Secret::new("old")]);
        cache.invalidate(&Secret::new("new"));
        assert_eq!(cache.held(), [Secret::new("new")]);
    }

    #[tokio::test]
    async fn invalidate_spares_a_token_someone_already_replaced() {
        let cache = TokenCache::new(Duration::from_secs(60));
        cache.set(Secret::new("new"));
        cache.invalidate(&Secret::new("old"));
        assert_eq!(cache.fresh().unwrap().expose(), "new");
        cache.invalidate(&Secret::new("new"));
        assert!(cache.fresh().is_none());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_callers_share_one_fetch_and_its_failure() {
        let cache = Arc::new(TokenCache::new(Duration::from_secs(60)));
        let fetches = Arc::new(AtomicUsize::new(0));
        let gate = Arc::new(tokio::sync::Barrier::new(100));
        let mut tasks = Vec::new();
        for _ in 0..100 {
            let (cache, fetches, gate) = (cache.clone(), fetches.clone(), gate.clone());
            tasks.push(tokio::spawn(async move {
                gate.wait().await;
                cache
                    .get_or_fetch(|| async {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Err(failure())
                    })
                    .await
            }));
        }
        for task in tasks {
            assert_eq!(task.await.unwrap().unwrap_err(), failure());
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }
}
