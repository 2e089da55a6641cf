#![cfg(test)] // all test code: clippy.toml's allow-*-in-tests cover its helpers too
//! The user-delegation key cache: N presigns cost one fetch; a key is refreshed shortly before it
//! expires; no URL outlives its key; concurrent callers share one fetch; a failing source does
//! not break signing while the old key lasts.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_executor::block_on;
use presign_azure::{AzurePresigner, DelegationKeySource, UserDelegationKey};
use presign_core::{
    Clock, Error, Prepare, PresignRequest, Presigner, SecretString, SharedClock, Timestamp,
};

/// A clock the test moves by hand.
#[derive(Debug)]
struct ManualClock(Mutex<Timestamp>);
impl ManualClock {
    fn set(&self, t: Timestamp) {
        *self.0.lock().unwrap() = t;
    }
}
impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap()
    }
}

/// Counts fetches; each key is valid for exactly what was asked, its value names the fetch.
#[derive(Debug, Default)]
struct CountingSource {
    fetches: AtomicUsize,
    fail: AtomicBool,
    /// Shortens every key to this lifetime when set (a service that grants less).
    cap: Mutex<Option<Duration>>,
}

#[async_trait::async_trait]
impl DelegationKeySource for CountingSource {
    async fn fetch(&self, start: Timestamp, expiry: Timestamp) -> Result<UserDelegationKey, Error> {
        let n = self.fetches.fetch_add(1, Ordering::SeqCst) + 1;
        if self.fail.load(Ordering::SeqCst) {
            return Err(Error::Provider {
                provider: "fake".into(),
                reason: "service unavailable".into(),
            });
        }
        let expiry = match *self.cap.lock().unwrap() {
            Some(c) => start.checked_add(c).unwrap().min(expiry),
            None => expiry,
        };
        use base64::Engine as _;
        let value = base64::engine::general_purpose::STANDARD.encode(format!("key number {n}"));
        UserDelegationKey::new(
            "oid",
            "tid",
            start.to_rfc3339(),
            expiry.to_rfc3339(),
            "b",
            "2026-10-06",
            SecretString::new(value),
        )
    }
}

fn t0() -> Timestamp {
    Timestamp::parse_rfc3339("2026-01-01T00:00:00Z").unwrap()
}

fn setup(source: Arc<CountingSource>) -> (AzurePresigner, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock(Mutex::new(t0())));
    let shared: SharedClock = clock.clone();
    let p = AzurePresigner::builder()
        .account("acct")
        .container("ctr")
        .user_delegation(source)
        .delegation_key_lifetime(Duration::from_secs(3600))
        .delegation_key_refresh_before(Duration::from_secs(600))
        .clock(shared)
        .build()
        .unwrap();
    (p, clock)
}

fn get(p: &AzurePresigner, key: &str) -> Result<String, Error> {
    let r = PresignRequest::parse("GET", key)?.with_ttl(Duration::from_secs(300));
    Ok(block_on(p.presign(&r))?.into_exposed_url())
}

/// The credential expiry the presigner hands to a wrapper's `Prepare` hook (what the policy
/// layer clamps to).
fn expiry_seen_by_the_policy(p: &AzurePresigner) -> Option<Timestamp> {
    struct Probe(Option<Option<Timestamp>>);
    impl Prepare<PresignRequest> for Probe {
        fn prepare<'r>(
            &mut self,
            r: &'r PresignRequest,
            expiry: Option<Timestamp>,
        ) -> Result<std::borrow::Cow<'r, PresignRequest>, Error> {
            self.0 = Some(expiry);
            Ok(std::borrow::Cow::Borrowed(r))
        }
    }
    let mut probe = Probe(None);
    let r = PresignRequest::parse("GET", "probe").unwrap();
    let _ = block_on(p.presign_with(&r, &mut probe));
    probe.0.expect("the provider calls the hook")
}

fn field<'a>(url: &'a str, name: &str) -> &'a str {
    url.split(['?', '&'])
        .find_map(|p| p.strip_prefix(&format!("{name}=")))
        .unwrap()
}

#[test]
fn many_presigns_one_fetch_then_refresh_near_expiry() {
    let source = Arc::new(CountingSource::default());
    let (p, clock) = setup(source.clone());
    let mut sigs = std::collections::HashSet::new();
    for i in 0..100 {
        let url = get(&p, &format!("file-{i}")).unwrap();
        assert_eq!(field(&url, "ske"), "2026-01-01T01%3A00%3A00Z");
        sigs.insert(field(&url, "sig").to_owned());
    }
    assert_eq!(
        source.fetches.load(Ordering::SeqCst),
        1,
        "100 presigns, 1 fetch"
    );
    assert_eq!(sigs.len(), 100);
    assert_eq!(
        expiry_seen_by_the_policy(&p),
        Some(Timestamp::parse_rfc3339("2026-01-01T01:00:00Z").unwrap())
    );

    // 49 minutes later: 11 minutes left, more than the 10-minute margin: same key.
    clock.set(t0().checked_add(Duration::from_secs(49 * 60)).unwrap());
    get(&p, "a").unwrap();
    assert_eq!(source.fetches.load(Ordering::SeqCst), 1);

    // 51 minutes: inside the margin, refreshed once, then reused.
    clock.set(t0().checked_add(Duration::from_secs(51 * 60)).unwrap());
    for _ in 0..10 {
        let url = get(&p, "a").unwrap();
        assert_eq!(field(&url, "ske"), "2026-01-01T01%3A51%3A00Z");
    }
    assert_eq!(source.fetches.load(Ordering::SeqCst), 2);
}

#[test]
fn a_url_never_outlives_its_key() {
    let source = Arc::new(CountingSource::default());
    *source.cap.lock().unwrap() = Some(Duration::from_secs(900));
    let (p, _clock) = setup(source.clone());
    // The service granted only 15 minutes: a 20-minute URL is refused...
    let r = PresignRequest::parse("GET", "a")
        .unwrap()
        .with_ttl(Duration::from_secs(1200));
    let e = block_on(p.presign(&r)).unwrap_err();
    assert_eq!(e.kind(), "credentials_expire_first", "{e}");
    // ... and the key's expiry reaches the policy layer's hook so it can clamp.
    assert_eq!(
        expiry_seen_by_the_policy(&p),
        t0().checked_add(Duration::from_secs(900))
    );
    // A URL within the key's life is fine.
    let r = r.with_ttl(Duration::from_secs(600));
    assert!(block_on(p.presign(&r)).is_ok());
}

#[test]
fn failing_source_keeps_the_old_key_while_it_lasts() {
    let source = Arc::new(CountingSource::default());
    let (p, clock) = setup(source.clone());
    get(&p, "a").unwrap();
    source.fail.store(true, Ordering::SeqCst);
    // Inside the refresh margin, the fetch fails: the old key (4 minutes left) still signs
    // a 3-minute URL ...
    clock.set(t0().checked_add(Duration::from_secs(56 * 60)).unwrap());
    let r = PresignRequest::parse("GET", "a")
        .unwrap()
        .with_ttl(Duration::from_secs(180));
    assert!(block_on(p.presign(&r)).is_ok());
    assert_eq!(source.fetches.load(Ordering::SeqCst), 2);
    // ... without asking the failing source again on every URL.
    for _ in 0..20 {
        assert!(block_on(p.presign(&r)).is_ok());
    }
    assert_eq!(source.fetches.load(Ordering::SeqCst), 2);
    // Once the old key has expired, the source's error comes through.
    clock.set(t0().checked_add(Duration::from_secs(61 * 60)).unwrap());
    let e = block_on(p.presign(&r)).unwrap_err();
    assert_eq!(e.kind(), "provider", "{e}");
    // And the service recovers.
    source.fail.store(false, Ordering::SeqCst);
    assert!(block_on(p.presign(&r)).is_ok());
}

#[test]
fn concurrent_first_use_shares_one_fetch() {
    let source = Arc::new(CountingSource::default());
    let (p, _clock) = setup(source.clone());
    let p = Arc::new(p);
    let threads: Vec<_> = (0..16)
        .map(|i| {
            let p = Arc::clone(&p);
            std::thread::spawn(move || get(&p, &format!("k{i}")).unwrap())
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(source.fetches.load(Ordering::SeqCst), 1);
}

#[test]
fn explain_shows_the_28_line_user_delegation_layout_without_the_key() {
    let source = Arc::new(CountingSource::default());
    let (p, _clock) = setup(source);
    let r = PresignRequest::parse("GET", "dir/a b.txt").unwrap();
    let e = block_on(p.explain(&r)).unwrap().unwrap();
    assert_eq!(e.algorithm, "Azure user-delegation SAS 2026-10-06");
    let lines: Vec<&str> = e.string_to_sign.split('\n').collect();
    assert_eq!(lines.len(), 28);
    assert_eq!(lines[3], "/blob/acct/ctr/dir/a b.txt");
    assert_eq!(
        &lines[4..10],
        [
            "oid",
            "tid",
            "2026-01-01T00:00:00Z",
            "2026-01-01T01:00:00Z",
            "b",
            "2026-10-06"
        ]
    );
    assert!(!e.string_to_sign.contains("a2V5IG51bWJlciAx"));
}
