//! [`StepClock`]: a clock that only moves when the test says so.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use presign_core::{Clock, Timestamp};

/// A clock set by the test (Unix seconds), shared through `Arc`.
#[derive(Debug)]
pub struct StepClock(AtomicI64);

impl StepClock {
    /// A clock showing `at`.
    pub fn new(at: Timestamp) -> Self {
        StepClock(AtomicI64::new(at.unix()))
    }

    /// Moves the clock forward by `d`.
    pub fn advance(&self, d: Duration) {
        let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
        self.0.fetch_add(secs, Ordering::SeqCst);
    }

    /// Sets the clock to `at`.
    pub fn set(&self, at: Timestamp) {
        self.0.store(at.unix(), Ordering::SeqCst);
    }
}

impl Clock for StepClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_unix(self.0.load(Ordering::SeqCst)).unwrap_or(Timestamp::MAX)
    }
}
