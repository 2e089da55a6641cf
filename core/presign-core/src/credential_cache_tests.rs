use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use futures_executor::block_on;

use super::*;
use crate::clock::Clock;

#[derive(Debug)]
struct ManualClock(Mutex<Timestamp>);

impl ManualClock {
    fn at(secs: i64) -> Arc<Self> {
        Arc::new(ManualClock(Mutex::new(t(secs))))
    }
    fn set(&self, secs: i64) {
        *self.0.lock().unwrap() = t(secs);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap()
    }
}

fn t(secs: i64) -> Timestamp {
    Timestamp::from_unix(1_800_000_000 + secs).unwrap()
}

/// Hands out snapshot number N valid for `lifetime` seconds from the fetch; can fail or stall.
#[derive(Debug, Default)]
struct Counting {
    fetches: AtomicUsize,
    fail: AtomicBool,
    lifetime: i64,
    stall_ms: u64,
}

#[async_trait]
impl CredentialSource<usize> for Counting {
    async fn fetch(&self, now: Timestamp) -> Result<Credential<usize>, Error> {
        let n = self.fetches.fetch_add(1, Ordering::SeqCst) + 1;
        if self.stall_ms > 0 {
            std::thread::sleep(Duration::from_millis(self.stall_ms));
        }
        if self.fail.load(Ordering::SeqCst) {
            return Err(Error::Provider {
                provider: "p".into(),
                reason: "down".into(),
            });
        }
        let exp = Timestamp::from_unix(now.unix() + self.lifetime).unwrap();
        Ok(Credential::expiring(n, exp))
    }
    fn describe(&self) -> String {
        "counting".into()
    }
}

fn cache(source: &Arc<Counting>, clock: &Arc<ManualClock>) -> CredentialCache<usize> {
    let shared: SharedClock = clock.clone();
    CredentialCache::new(source.clone())
        .with_provider("p")
        .with_clock(shared)
        .with_refresh_before(Duration::from_secs(600))
}

#[test]
fn refreshes_ahead_of_expiry_once() {
    let source = Arc::new(Counting {
        lifetime: 3600,
        ..Counting::default()
    });
    let clock = ManualClock::at(0);
    let c = cache(&source, &clock);
    assert!(c.peek().is_none(), "nothing fetched yet");
    for _ in 0..50 {
        assert_eq!(*block_on(c.get()).unwrap().value(), 1);
    }
    assert_eq!(source.fetches.load(Ordering::SeqCst), 1);
    assert_eq!(*c.peek().unwrap().value(), 1);
    clock.set(2999); // 601 s left: still fresh
    assert_eq!(*block_on(c.get()).unwrap().value(), 1);
    clock.set(3001); // 599 s left: inside the margin
    assert!(
        c.peek().is_none(),
        "peek never serves a snapshot due for refresh"
    );
    assert_eq!(*block_on(c.get()).unwrap().value(), 2);
    assert_eq!(*block_on(c.get()).unwrap().value(), 2);
    assert_eq!(source.fetches.load(Ordering::SeqCst), 2);
    assert!(c.describe().contains("counting"));
}

#[test]
fn failing_refresh_serves_the_old_snapshot_until_it_expires_then_errors() {
    let source = Arc::new(Counting {
        lifetime: 3600,
        ..Counting::default()
    });
    let clock = ManualClock::at(0);
    let c = cache(&source, &clock);
    block_on(c.get()).unwrap();
    source.fail.store(true, Ordering::SeqCst);
    clock.set(3300);
    for _ in 0..10 {
        assert_eq!(*block_on(c.get()).unwrap().value(), 1);
    }
    assert_eq!(
        source.fetches.load(Ordering::SeqCst),
        2,
        "one failed fetch, then a pause"
    );
    clock.set(3331); // the pause is over: asked again, still failing, old one still valid
    assert_eq!(*block_on(c.get()).unwrap().value(), 1);
    assert_eq!(source.fetches.load(Ordering::SeqCst), 3);
    clock.set(3600); // expired: never handed out
    let e = block_on(c.get()).unwrap_err();
    assert_eq!(e.kind(), "provider");
    assert!(c.peek().is_none());
    source.fail.store(false, Ordering::SeqCst);
    assert_eq!(*block_on(c.get()).unwrap().value(), 5);
}

#[test]
fn an_already_expired_snapshot_from_the_source_is_refused() {
    let source = Arc::new(Counting {
        lifetime: 0,
        ..Counting::default()
    });
    let clock = ManualClock::at(0);
    let e = block_on(cache(&source, &clock).get()).unwrap_err();
    assert_eq!(e.kind(), "credentials");
    assert!(e.to_string().contains("expired"), "{e}");
}

#[test]
fn concurrent_callers_share_one_fetch() {
    let source = Arc::new(Counting {
        lifetime: 3600,
        stall_ms: 50,
        ..Counting::default()
    });
    let clock = ManualClock::at(0);
    let c = Arc::new(cache(&source, &clock));
    let threads: Vec<_> = (0..16)
        .map(|_| {
            let c = Arc::clone(&c);
            std::thread::spawn(move || *block_on(c.get()).unwrap().value())
        })
        .collect();
    for th in threads {
        assert_eq!(th.join().unwrap(), 1);
    }
    assert_eq!(source.fetches.load(Ordering::SeqCst), 1);
}

#[test]
fn fixed_credentials_serve_until_they_expire() {
    let clock = ManualClock::at(0);
    let shared: SharedClock = clock.clone();
    let c = CredentialCache::fixed(Credential::expiring(7u8, t(100)))
        .with_provider("s3")
        .with_clock(shared);
    assert!(c.is_fixed());
    assert_eq!(*block_on(c.get()).unwrap().value(), 7);
    assert_eq!(*c.peek().unwrap().value(), 7);
    clock.set(100);
    assert!(c.peek().is_none());
    let e = block_on(c.get()).unwrap_err();
    assert_eq!(e.kind(), "credentials");
    assert!(e.to_string().contains("s3"), "{e}");
    let forever = CredentialCache::fixed(Credential::new(1u8));
    assert!(forever.peek().is_some());
    assert_eq!(forever.describe(), "static");
}
