//! [`CredentialCache`]: the one shared cache in front of every [`CredentialSource`].
//!
//! - **Refresh ahead of expiry**: a snapshot with less than the refresh margin left is replaced
//!   on the next [`get`](CredentialCache::get) (default margin 5 minutes).
//! - **Single flight**: concurrent callers that find no fresh snapshot share one fetch.
//! - **Never an expired value**: a snapshot is handed out only before its expiry. When a refresh
//!   fails, the old snapshot keeps serving while it lasts, and the source is asked again only
//!   after a pause (30 seconds by default), not on every call.
//! - **Sync [`peek`](CredentialCache::peek)**: the fresh snapshot without any I/O or waiting,
//!   for the synchronous signing path ([`SyncPresigner`](crate::SyncPresigner)).
//!
//! A credential that is at hand (a key from the configuration) goes in with
//! [`CredentialCache::fixed`]: no source, no lock, every call returns it until it expires.
//!
//! ```
//! use presign_core::{BearerToken, Credential, CredentialCache, CredentialSource, Error, FixedClock, Timestamp};
//! use std::sync::Arc;
//! use std::time::Duration;
//!
//! #[derive(Debug)]
//! struct OneHour;
//! #[async_trait::async_trait]
//! impl CredentialSource<BearerToken> for OneHour {
//!     async fn fetch(&self, now: Timestamp) -> Result<Credential<BearerToken>, Error> {
//!         let exp = now.checked_add(Duration::from_secs(3600)).unwrap_or(Timestamp::MAX);
//!         Ok(Credential::expiring(BearerToken::new("t"), exp))
//!     }
//!     fn describe(&self) -> String { "one hour".into() }
//! }
//!
//! let now = Timestamp::parse_rfc3339("2026-01-01T00:00:00Z")?;
//! let cache = CredentialCache::new(Arc::new(OneHour))
//!     .with_clock(Arc::new(FixedClock(now)))
//!     .with_refresh_before(Duration::from_secs(300));
//! assert!(cache.peek().is_none()); // nothing fetched yet
//! let token = futures_executor::block_on(cache.get())?;
//! assert_eq!(token.expires_at(), now.checked_add(Duration::from_secs(3600)));
//! assert!(cache.peek().is_some()); // fresh: no I/O
//! # Ok::<(), presign_core::Error>(())
//! ```

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use async_trait::async_trait;

use crate::clock::{SharedClock, system_clock};
use crate::credential::{Credential, CredentialSource};
use crate::duration::format_duration;
use crate::error::Error;
use crate::timestamp::Timestamp;

/// The default refresh margin: a snapshot with less than 5 minutes left is replaced.
pub const DEFAULT_REFRESH_BEFORE: Duration = Duration::from_secs(300);

/// The default pause before a failing source is asked again while the old snapshot lasts.
pub const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(30);

/// Caches the snapshots of one [`CredentialSource`] (or holds one fixed snapshot); see the
/// [module docs](self).
pub struct CredentialCache<T> {
    provider: String,
    clock: SharedClock,
    inner: Inner<T>,
}

enum Inner<T> {
    Fixed(Credential<T>),
    Refreshing(Box<Refreshing<T>>),
}

struct Refreshing<T> {
    source: Arc<dyn CredentialSource<T>>,
    refresh_before: Duration,
    retry_after: Duration,
    state: RwLock<State<T>>,
    fetching: futures_util::lock::Mutex<()>,
}

struct State<T> {
    current: Option<Credential<T>>,
    retry_at: Option<Timestamp>,
}

impl<T> CredentialCache<T> {
    /// A cache in front of `source`, with the system clock, the default margin
    /// ([`DEFAULT_REFRESH_BEFORE`]) and retry pause ([`DEFAULT_RETRY_AFTER`]).
    pub fn new(source: Arc<dyn CredentialSource<T>>) -> Self {
        CredentialCache {
            provider: String::new(),
            clock: system_clock(),
            inner: Inner::Refreshing(Box::new(Refreshing {
                source,
                refresh_before: DEFAULT_REFRESH_BEFORE,
                retry_after: DEFAULT_RETRY_AFTER,
                state: RwLock::new(State {
                    current: None,
                    retry_at: None,
                }),
                fetching: futures_util::lock::Mutex::new(()),
            })),
        }
    }

    /// A credential at hand: always `credential`, until it expires.
    pub fn fixed(credential: Credential<T>) -> Self {
        CredentialCache {
            provider: String::new(),
            clock: system_clock(),
            inner: Inner::Fixed(credential),
        }
    }

    /// The provider named in this cache's own errors (an expired credential).
    #[must_use]
    pub fn with_provider(mut self, provider: impl Into<String>) -> Self {
        self.provider = provider.into();
        self
    }

    /// The clock that decides freshness and expiry (the provider's).
    #[must_use]
    pub fn with_clock(mut self, clock: SharedClock) -> Self {
        self.clock = clock;
        self
    }

    /// Replaces a snapshot once it has less than `margin` left.
    #[must_use]
    pub fn with_refresh_before(mut self, margin: Duration) -> Self {
        if let Inner::Refreshing(r) = &mut self.inner {
            r.refresh_before = margin;
        }
        self
    }

    /// After a failed refresh, serves the old snapshot (while it lasts) for `pause` before
    /// asking the source again.
    #[must_use]
    pub fn with_retry_after(mut self, pause: Duration) -> Self {
        if let Inner::Refreshing(r) = &mut self.inner {
            r.retry_after = pause;
        }
        self
    }

    /// Whether this cache holds a fixed credential (no source to call).
    pub fn is_fixed(&self) -> bool {
        matches!(self.inner, Inner::Fixed(_))
    }

    /// The fresh snapshot, without I/O or waiting: the fixed credential until it expires, or
    /// the cached snapshot while it has more than the refresh margin left. `None` means "call
    /// [`get`](Self::get)".
    pub fn peek(&self) -> Option<Credential<T>> {
        match &self.inner {
            Inner::Fixed(c) => match c.expires_at() {
                None => Some(c.clone()),
                Some(_) => (!c.is_expired_at(self.clock.now())).then(|| c.clone()),
            },
            Inner::Refreshing(r) => {
                let current = r.read().0?;
                r.fresh(&current, self.clock.now()).then_some(current)
            }
        }
    }

    /// A snapshot that has not expired: the cached one while it is fresh, else a new one from
    /// the source (one fetch shared by concurrent callers).
    pub async fn get(&self) -> Result<Credential<T>, Error> {
        let now = self.clock.now();
        let r = match &self.inner {
            Inner::Fixed(c) => {
                return if c.is_expired_at(now) {
                    Err(self.expired(c))
                } else {
                    Ok(c.clone())
                };
            }
            Inner::Refreshing(r) => r,
        };
        if let (Some(c), _) = r.read()
            && r.fresh(&c, now)
        {
            return Ok(c);
        }
        let _flight = r.fetching.lock().await;
        // Another caller may have refreshed while this one waited.
        let now = self.clock.now();
        let (current, retry_at) = r.read();
        let usable = current.filter(|c| !c.is_expired_at(now));
        if let Some(c) = &usable
            && (r.fresh(c, now) || retry_at.is_some_and(|at| now < at))
        {
            return Ok(c.clone());
        }
        let fetched = r.source.fetch(now).await.and_then(|c| {
            if c.is_expired_at(now) {
                Err(self.expired(&c))
            } else {
                Ok(c)
            }
        });
        let mut state = r.state.write().unwrap_or_else(|p| p.into_inner());
        match fetched {
            Ok(c) => {
                state.current = Some(c.clone());
                state.retry_at = None;
                Ok(c)
            }
            Err(e) => {
                state.retry_at = now.checked_add(r.retry_after);
                usable.ok_or(e)
            }
        }
    }

    /// Where the credential comes from, without any secret.
    pub fn describe(&self) -> String {
        match &self.inner {
            Inner::Fixed(_) => "static".to_owned(),
            Inner::Refreshing(r) => format!(
                "{}, cached, refreshed {} before expiry",
                r.source.describe(),
                format_duration(r.refresh_before)
            ),
        }
    }

    fn expired(&self, c: &Credential<T>) -> Error {
        let at = c.expires_at().unwrap_or(Timestamp::MIN);
        Error::Credentials {
            provider: self.provider.clone(),
            reason: format!("the signing credentials expired at {at}; refresh them"),
        }
    }
}

impl<T> Refreshing<T> {
    fn read(&self) -> (Option<Credential<T>>, Option<Timestamp>) {
        let s = self.state.read().unwrap_or_else(|p| p.into_inner());
        (s.current.clone(), s.retry_at)
    }

    /// More than the margin left (or no expiry at all).
    fn fresh(&self, c: &Credential<T>, now: Timestamp) -> bool {
        match c.expires_at() {
            None => true,
            Some(e) => now.checked_add(self.refresh_before).is_some_and(|t| t < e),
        }
    }
}

impl<T> fmt::Debug for CredentialCache<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialCache")
            .field("provider", &self.provider)
            .field("source", &self.describe())
            .finish_non_exhaustive()
    }
}

/// A cache is itself a source (of cached snapshots), so it can stand wherever one is expected.
#[async_trait]
impl<T: Send + Sync> CredentialSource<T> for CredentialCache<T> {
    async fn fetch(&self, _now: Timestamp) -> Result<Credential<T>, Error> {
        self.get().await
    }

    fn describe(&self) -> String {
        CredentialCache::describe(self)
    }
}

#[cfg(test)]
#[path = "credential_cache_tests.rs"]
mod tests;
