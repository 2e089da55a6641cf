//! Verified tokens remembered by their exact text, so that a client calling many times with
//! one token costs one signature verification, not one per request.
//!
//! An entry is used only while the token is unexpired (its `exp` plus the leeway, by the
//! clock at each use) and while the key set it was verified against is current: a JWKS change
//! starts a new generation and every older entry misses. Memory is bounded: at capacity the
//! expired entries go, and if that frees nothing, all of them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use super::Principal;

struct Entry {
    principal: Arc<Principal>,
    generation: u64,
}

/// A bounded map from token text to the principal it proved.
pub(crate) struct TokenCache {
    map: Mutex<HashMap<Box<str>, Entry>>,
    capacity: usize,
}

impl TokenCache {
    pub(crate) fn new(capacity: usize) -> Self {
        TokenCache {
            map: Mutex::new(HashMap::with_capacity(capacity.min(1024))),
            capacity: capacity.max(1),
        }
    }

    /// The principal `token` proved under key-set `generation`, if it is still valid at `now`
    /// (Unix seconds) with `leeway` seconds.
    pub(crate) fn get(
        &self,
        token: &str,
        generation: u64,
        now: i64,
        leeway: i64,
    ) -> Option<Arc<Principal>> {
        let map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        let e = map.get(token)?;
        let fresh = e.generation == generation
            && e.principal
                .expires_at
                .is_some_and(|exp| now <= exp.saturating_add(leeway));
        fresh.then(|| Arc::clone(&e.principal))
    }

    /// Remembers that `token` proved `principal` under `generation`.
    pub(crate) fn insert(&self, token: &str, principal: Arc<Principal>, generation: u64, now: i64) {
        let mut map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        if map.len() >= self.capacity && !map.contains_key(token) {
            map.retain(|_, e| {
                e.generation == generation && e.principal.expires_at.is_some_and(|exp| exp >= now)
            });
            if map.len() >= self.capacity {
                map.clear();
            }
        }
        map.insert(
            token.into(),
            Entry {
                principal,
                generation,
            },
        );
    }

    /// How many tokens are remembered.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.map
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::PrincipalKind;

    fn p(exp: i64) -> Arc<Principal> {
        Arc::new(Principal::new(
            PrincipalKind::Jwt,
            "alice",
            Default::default(),
            Some(exp),
        ))
    }

    #[test]
    fn expiry_generation_and_bound() {
        let c = TokenCache::new(2);
        c.insert("t1", p(100), 1, 0);
        assert!(c.get("t1", 1, 100, 0).is_some());
        assert!(c.get("t1", 1, 101, 0).is_none(), "expired");
        assert!(c.get("t1", 1, 105, 5).is_some(), "within leeway");
        assert!(c.get("t1", 2, 50, 0).is_none(), "another key set");
        assert!(c.get("t2", 1, 50, 0).is_none());
        c.insert("t2", p(100), 1, 0);
        c.insert("t3", p(100), 1, 0);
        assert!(c.len() <= 2);
    }
}
