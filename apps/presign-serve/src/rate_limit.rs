//! Per-principal token buckets, in bounded memory.
//!
//! Each principal has a bucket of `burst` tokens refilled at `rate` per second; a request
//! takes one token per URL it asks for. The table holds at most `max_principals` buckets: when
//! it is full, buckets that have refilled completely are dropped first (a new bucket is the
//! same), then the least recently used one. Limits are per process: behind a load balancer
//! with N replicas a principal gets up to N times the rate.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// The rate limiter.
#[derive(Debug)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<Arc<str>, Bucket>>,
    rate: f64,
    burst: f64,
    max_principals: usize,
}

impl RateLimiter {
    /// `rate` tokens per second, at most `burst` at once, for at most `max_principals`.
    pub fn new(rate: f64, burst: u32, max_principals: usize) -> Self {
        RateLimiter {
            buckets: Mutex::new(HashMap::new()),
            rate,
            burst: f64::from(burst.max(1)),
            max_principals: max_principals.max(1),
        }
    }

    /// Takes `n` tokens from `principal`'s bucket at `now`; `Err(wait)` says how long until
    /// they would be there.
    pub fn take(&self, principal: &Arc<str>, n: u32, now: Instant) -> Result<(), Duration> {
        let want = f64::from(n.max(1));
        let mut map = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        if !map.contains_key(principal) && map.len() >= self.max_principals {
            self.make_room(&mut map, now);
        }
        let b = map.entry(Arc::clone(principal)).or_insert(Bucket {
            tokens: self.burst,
            at: now,
        });
        let elapsed = now.saturating_duration_since(b.at).as_secs_f64();
        b.tokens = (b.tokens + elapsed * self.rate).min(self.burst);
        b.at = now;
        if b.tokens >= want {
            b.tokens -= want;
            Ok(())
        } else {
            let missing = want - b.tokens;
            Err(Duration::from_secs_f64((missing / self.rate).min(86_400.0)))
        }
    }

    fn make_room(&self, map: &mut HashMap<Arc<str>, Bucket>, now: Instant) {
        let (rate, burst) = (self.rate, self.burst);
        map.retain(|_, b| {
            b.tokens + now.saturating_duration_since(b.at).as_secs_f64() * rate < burst
        });
        if map.len() >= self.max_principals
            && let Some(oldest) = map
                .iter()
                .min_by_key(|(_, b)| b.at)
                .map(|(k, _)| Arc::clone(k))
        {
            map.remove(&oldest);
        }
    }

    /// How many principals are tracked.
    pub fn len(&self) -> usize {
        self.buckets
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Whether no principal is tracked.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// `Retry-After` for a wait: whole seconds, at least 1.
pub(crate) fn retry_after_secs(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_refills_and_bounds_memory() {
        let l = RateLimiter::new(2.0, 3, 2);
        let t0 = Instant::now();
        let a: Arc<str> = "jwt:a".into();
        for _ in 0..3 {
            l.take(&a, 1, t0).unwrap();
        }
        let wait = l.take(&a, 1, t0).unwrap_err();
        assert_eq!(wait, Duration::from_millis(500));
        assert_eq!(retry_after_secs(wait), 1);
        l.take(&a, 1, t0 + Duration::from_millis(500)).unwrap();
        for i in 0..10 {
            let p: Arc<str> = format!("jwt:{i}").into();
            l.take(&p, 1, t0).unwrap();
            assert!(l.len() <= 2);
        }
        assert_eq!(retry_after_secs(Duration::from_millis(2500)), 3);
        assert_eq!(retry_after_secs(Duration::from_secs(2)), 2);
    }
}
