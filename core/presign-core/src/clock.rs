//! The injected [`Clock`]: every signature takes "now" from one, so that tests, the CLI
//! (`--now`) and batch lines can fix the time and every URL can be reproduced.

use std::fmt::Debug;
use std::sync::Arc;

use crate::timestamp::Timestamp;

/// A source of the current time.
pub trait Clock: Send + Sync + Debug {
    /// The current instant.
    fn now(&self) -> Timestamp;
}

/// A shareable clock.
pub type SharedClock = Arc<dyn Clock>;

/// The system's wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that always says the same instant.
///
/// ```
/// use presign_core::{Clock, FixedClock, Timestamp};
/// let t = Timestamp::parse_rfc3339("2013-05-24T00:00:00Z")?;
/// assert_eq!(FixedClock(t).now(), t);
/// # Ok::<(), presign_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub Timestamp);

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        self.0
    }
}

impl<C: Clock + ?Sized> Clock for Arc<C> {
    fn now(&self) -> Timestamp {
        (**self).now()
    }
}

/// The system clock, shared.
pub fn system_clock() -> SharedClock {
    Arc::new(SystemClock)
}
