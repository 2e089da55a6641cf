#![cfg(test)] // all test code: clippy.toml's allow-*-in-tests cover its helpers too
//! The policy layer around a recording fake provider: every rule, seen from the outside.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use futures_executor::block_on;
use presign_core::*;
use presign_policy::{ExcessTtl, Policy, PolicyLayer};

/// A provider that records the request it was asked to sign.
#[derive(Debug)]
struct Recorder {
    caps: Capabilities,
    seen: Mutex<Vec<PresignRequest>>,
    creds_expire: Option<Timestamp>,
}

impl Recorder {
    fn new() -> Self {
        let caps = Capabilities::new("rec", Duration::from_secs(604_800))
            .with(ConstraintKind::ContentType, Support::Enforced)
            .with(
                ConstraintKind::ResponseContentDisposition,
                Support::Enforced,
            )
            .with_methods(MethodSet::of(&[
                Method::Get,
                Method::Head,
                Method::Put,
                Method::Delete,
            ]));
        Recorder {
            caps,
            seen: Mutex::new(Vec::new()),
            creds_expire: None,
        }
    }
    fn last(&self) -> PresignRequest {
        self.seen.lock().unwrap().last().cloned().unwrap()
    }
}

#[async_trait]
impl Presigner for Recorder {
    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }
    async fn presign_with(
        &self,
        r: &PresignRequest,
        prepare: &mut dyn Prepare<PresignRequest>,
    ) -> Result<PresignedRequest, Error> {
        // One snapshot: its expiry goes to the policy, which returns the request to sign.
        let r = prepare.prepare(r, self.creds_expire)?;
        self.seen.lock().unwrap().push(r.clone().into_owned());
        let at = r
            .signing_time
            .expect("the policy always fixes the signing time");
        let exp = at
            .checked_add(r.ttl.expect("the policy always fixes the ttl"))
            .unwrap();
        Ok(PresignedRequest::new(
            r.method,
            format!("https://h/{}?sig=SECRET", r.key),
            vec![],
            at,
            exp,
            "rec",
        ))
    }
}

fn now() -> Timestamp {
    Timestamp::parse_rfc3339("2024-01-02T03:04:05Z").unwrap()
}

fn layer(policy: Policy) -> PolicyLayer {
    PolicyLayer::new(policy)
        .unwrap()
        .with_clock(Arc::new(FixedClock(now())))
}

/// The default policy, signing any key (the tests here are not about keys).
fn any_key() -> Policy {
    Policy::default().dangerous().allow_any_key().finish()
}

fn req(method: &str, key: &str) -> PresignRequest {
    PresignRequest::parse(method, key).unwrap()
}

#[test]
fn safe_defaults() {
    let p = layer(any_key()).layer(Recorder::new());
    let signed = block_on(p.presign(&req("GET", "a.txt"))).unwrap();
    assert_eq!(
        signed.signed_at(),
        now(),
        "time comes from the injected clock"
    );
    assert_eq!(
        p.inner().last().ttl,
        Some(Duration::from_secs(300)),
        "default ttl 5 min"
    );
    let e = block_on(p.presign(&req("DELETE", "a.txt"))).unwrap_err();
    assert_eq!(e.kind(), "method_not_allowed");
    assert!(e.to_string().contains("allow_methods"), "{e}");
    assert!(
        p.inner().seen.lock().unwrap().len() == 1,
        "a refused request never reaches the provider"
    );
}

#[test]
fn delete_when_allowed_explicitly() {
    let p = layer(any_key().dangerous().allow_delete().finish()).layer(Recorder::new());
    assert!(block_on(p.presign(&req("DELETE", "a.txt"))).is_ok());
}

#[test]
fn provider_methods_are_respected() {
    let p = layer(any_key().dangerous().allow_post().finish()).layer(Recorder::new());
    let e = block_on(p.presign(&req("POST", "a.txt"))).unwrap_err();
    assert_eq!(e.kind(), "unsupported_method");
    assert!(e.to_string().contains("rec"));
}

#[test]
fn week_long_requests_are_clamped_or_rejected() {
    let week = Duration::from_secs(604_800);
    let p = layer(any_key()).layer(Recorder::new());
    let s = block_on(p.presign(&req("GET", "a").with_ttl(week))).unwrap();
    assert_eq!(
        s.expires_at().duration_since(s.signed_at()),
        Duration::from_secs(900)
    );
    let p = layer(any_key().with_excess_ttl(ExcessTtl::Reject)).layer(Recorder::new());
    let e = block_on(p.presign(&req("GET", "a").with_ttl(week))).unwrap_err();
    assert_eq!(e.kind(), "invalid_ttl");
}

#[test]
fn an_earlier_signing_time_wins_over_the_clock() {
    let p = layer(any_key()).layer(Recorder::new());
    let t = Timestamp::from_unix(1_000_000).unwrap();
    let s = block_on(p.presign(&req("GET", "a").signed_at(t))).unwrap();
    assert_eq!(s.signed_at(), t);
    assert!(
        s.expires_at() < now(),
        "a past signing time only shortens validity"
    );
}

/// Before: an explicit signing time won whatever it was, so `signed_at(2036)` gave a URL
/// valid from today until 2036 on providers without a start time. Now the clock bounds it.
#[test]
fn a_future_signing_time_never_extends_validity_past_the_clock() {
    let p = layer(any_key()).layer(Recorder::new());
    let max = now().checked_add(Duration::from_secs(900)).unwrap();
    for ahead in [1_u64, 30, 60, 61, 3600, 12 * 365 * 86_400] {
        let t = now().checked_add(Duration::from_secs(ahead)).unwrap();
        let week = Duration::from_secs(604_800);
        match block_on(p.presign(&req("GET", "a").signed_at(t).with_ttl(week))) {
            Ok(s) => {
                assert!(ahead <= 60, "{ahead} s ahead must be refused");
                assert!(s.expires_at() <= max, "{ahead}: {}", s.expires_at());
            }
            Err(e) => {
                assert!(ahead > 60, "{ahead}: {e}");
                assert_eq!(e.kind(), "signing_time_not_allowed");
            }
        }
    }
}

#[test]
fn prefixes_and_bypass_attempts() {
    let p = layer(Policy::default().with_key_prefixes(["docs"])).layer(Recorder::new());
    assert!(block_on(p.presign(&req("GET", "docs/ok.pdf"))).is_ok());
    for bad in [
        "docs-private/x",
        "docs/../etc/passwd",
        "docs/%2e%2e/x",
        "docs//x",
        "docs/./x",
        "other/x",
    ] {
        let e = block_on(p.presign(&req("GET", bad))).unwrap_err();
        assert_eq!(e.kind(), "key_not_allowed", "{bad}");
    }
}

#[test]
fn strict_and_best_effort_constraints() {
    let mut c = Constraints::default();
    c.content_type = Some("image/png".into());
    c.client_ip = Some(ClientIp::parse("203.0.113.0/24").unwrap());
    c.https_only = true;
    let r = req("PUT", "up.png").with_constraints(c);

    let strict = layer(any_key()).layer(Recorder::new());
    let e = block_on(strict.presign(&r)).unwrap_err();
    let m = e.to_string();
    assert!(m.contains("client-ip-v4") && m.contains("rec"), "{m}");

    let best =
        layer(any_key().dangerous().best_effort_constraints().finish()).layer(Recorder::new());
    let s = block_on(best.presign(&r)).unwrap();
    assert_eq!(
        s.dropped(),
        &[ConstraintKind::ClientIpV4, ConstraintKind::HttpsOnly]
    );
    let seen = best.inner().last().constraints;
    assert_eq!(
        seen.content_type.as_deref(),
        Some("image/png"),
        "enforced constraints pass through"
    );
    assert!(
        seen.client_ip.is_none() && !seen.https_only,
        "dropped constraints never reach the provider"
    );
}

#[test]
fn temporary_credentials_bound_the_url() {
    let mut rec = Recorder::new();
    rec.creds_expire = now().checked_add(Duration::from_secs(120));
    let p = layer(any_key()).layer(rec);
    let s = block_on(p.presign(&req("GET", "a"))).unwrap();
    assert_eq!(
        s.expires_at(),
        now().checked_add(Duration::from_secs(120)).unwrap()
    );
}

#[test]
fn time_buckets_give_identical_urls() {
    let policy = any_key().with_time_bucket(Duration::from_secs(60));
    let inner = Arc::new(Recorder::new());
    let a = block_on(
        layer(policy.clone())
            .layer(Arc::clone(&inner))
            .presign(&req("GET", "a")),
    )
    .unwrap();
    let later = now().checked_add(Duration::from_secs(30)).unwrap();
    let b = block_on(
        PolicyLayer::new(policy)
            .unwrap()
            .with_clock(Arc::new(FixedClock(later)))
            .layer(inner)
            .presign(&req("GET", "a")),
    )
    .unwrap();
    // 03:04:05 and 03:04:35 both fall in the bucket starting 03:04:00.
    assert_eq!(a.expose_url(), b.expose_url());
    assert_eq!(
        a.signed_at(),
        Timestamp::parse_rfc3339("2024-01-02T03:04:00Z").unwrap()
    );
}

#[test]
fn object_safe_and_redacted() {
    let p: Arc<dyn Presigner> = Arc::new(layer(any_key()).layer(Recorder::new()));
    let s = block_on(p.presign(&req("GET", "a"))).unwrap();
    assert!(!format!("{s:?} {s}").contains("SECRET"));
    assert_eq!(p.capabilities().provider(), "rec");
}

/// A provider that signs without calling the hook: the policy was never applied.
#[derive(Debug)]
struct SkipsTheHook(Capabilities);

#[async_trait]
impl Presigner for SkipsTheHook {
    fn capabilities(&self) -> &Capabilities {
        &self.0
    }
    async fn presign_with(
        &self,
        r: &PresignRequest,
        _: &mut dyn Prepare<PresignRequest>,
    ) -> Result<PresignedRequest, Error> {
        let far = Timestamp::parse_rfc3339("2099-01-01T00:00:00Z").unwrap();
        Ok(PresignedRequest::new(
            r.method,
            "https://h/k?sig=SECRET".into(),
            vec![],
            now(),
            far,
            "skip",
        ))
    }
}

#[test]
fn a_signature_that_skipped_the_policy_is_withheld() {
    let p = layer(any_key()).layer(SkipsTheHook(Capabilities::new(
        "skip",
        Duration::from_secs(604_800),
    )));
    let e = block_on(p.presign(&req("GET", "a"))).unwrap_err();
    assert_eq!(e.kind(), "provider");
    assert!(e.to_string().contains("policy"), "{e}");
}

impl SyncPresigner for Recorder {
    fn presign_sync_with(
        &self,
        r: &PresignRequest,
        prepare: &mut dyn Prepare<PresignRequest>,
    ) -> Result<PresignedRequest, Error> {
        block_on(self.presign_with(r, prepare))
    }
}

#[test]
fn the_sync_path_applies_the_same_rules() {
    let mut rec = Recorder::new();
    rec.creds_expire = now().checked_add(Duration::from_secs(120));
    let p = layer(any_key()).layer(rec);
    let week = Duration::from_secs(604_800);
    let sync = p.presign_sync(&req("GET", "a").with_ttl(week)).unwrap();
    let not_sync = block_on(p.presign(&req("GET", "a").with_ttl(week))).unwrap();
    assert_eq!(sync, not_sync);
    assert_eq!(
        sync.expires_at(),
        now().checked_add(Duration::from_secs(120)).unwrap(),
        "clamped to the snapshot's expiry"
    );
    assert_eq!(
        p.presign_sync(&req("DELETE", "a")).unwrap_err().kind(),
        "method_not_allowed"
    );
    let dynamic: Arc<dyn SyncPresigner> = Arc::new(p);
    assert!(dynamic.presign_sync(&req("GET", "a")).is_ok());
}
