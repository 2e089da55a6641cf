#![cfg(test)] // all test code: clippy.toml's allow-*-in-tests cover its helpers too
//! CloudFrontPresigner behind the policy layer: capabilities, constraint mapping, key
//! rotation, cookie patterns under key prefixes. (Signatures themselves are checked against
//! the vendor vectors, botocore and the independent verifier in the workspace tests.)

use std::sync::Arc;
use std::time::Duration;

use futures_executor::block_on;
use presign_cloudfront::{
    CloudFrontPresigner, GroupKey, HashAlgorithm, KeyGroup, KeyPairId, PolicyKind, SigningKey,
    encoding,
};
use presign_core::cookies::{CookiePresigner, CookieRequest, ResourcePattern};
use presign_core::{
    ClientIp, ConstraintKind, Constraints, FixedClock, PresignRequest, Presigner, Support,
    SyncPresigner, Timestamp,
};
use presign_policy::{ExcessTtl, Policy, PolicyLayer};

const PEM: &str = include_str!("keys/rsa-2048-pkcs8.pem");
const NOW: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

fn t(s: i64) -> Timestamp {
    Timestamp::from_unix(s).unwrap()
}

fn key() -> Arc<SigningKey> {
    Arc::new(SigningKey::from_pem(PEM).unwrap())
}

fn presigner(kind: PolicyKind) -> CloudFrontPresigner {
    CloudFrontPresigner::builder()
        .domain("d111111abcdef8.cloudfront.net")
        .keys(KeyGroup::single(
            KeyPairId::new("K2JCJMDEHXQW5F").unwrap(),
            key(),
        ))
        .hash(HashAlgorithm::Sha256)
        .policy(kind)
        .build()
        .unwrap()
}

fn policy_of(url: &str) -> String {
    let p = url
        .split("Policy=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    String::from_utf8(encoding::decode(p).unwrap()).unwrap()
}

fn get(key: &str) -> PresignRequest {
    PresignRequest::parse("GET", key).unwrap().signed_at(t(NOW))
}

#[test]
fn capabilities_are_honest() {
    let custom = presigner(PolicyKind::Custom);
    let caps = custom.capabilities();
    assert_eq!(caps.support(ConstraintKind::ClientIpV4), Support::Enforced);
    assert_eq!(caps.support(ConstraintKind::NotBefore), Support::Enforced);
    for k in ConstraintKind::ALL {
        if !matches!(k, ConstraintKind::ClientIpV4 | ConstraintKind::NotBefore) {
            assert_eq!(caps.support(*k), Support::Unsupported, "{k}");
        }
    }
    assert!(caps.signed_cookies());
    let canned = presigner(PolicyKind::Canned);
    assert!(
        canned
            .capabilities()
            .table()
            .all(|(_, s)| s == Support::Unsupported)
    );
}

#[test]
fn custom_policy_carries_ip_and_not_before() {
    let p = PolicyLayer::new(any_key())
        .unwrap()
        .layer(presigner(PolicyKind::Custom));
    let mut c = Constraints::default();
    c.client_ip = Some(ClientIp::parse("10.1.0.0/16").unwrap());
    c.not_before = Some(t(NOW + 60));
    let req = get("videos/a b/ü.mp4")
        .with_constraints(c)
        .with_ttl(Duration::from_secs(600));
    let signed = block_on(p.presign(&req)).unwrap();
    let url = signed.expose_url();
    assert!(
        url.starts_with("https://d111111abcdef8.cloudfront.net/videos/a%20b/%C3%BC.mp4?Policy="),
        "{url}"
    );
    assert!(url.ends_with("&Key-Pair-Id=K2JCJMDEHXQW5F&Hash-Algorithm=SHA256"));
    assert_eq!(
        policy_of(url),
        format!(
            r#"{{"Statement":[{{"Resource":"https://d111111abcdef8.cloudfront.net/videos/a%20b/%C3%BC.mp4","Condition":{{"DateLessThan":{{"AWS:EpochTime":{}}},"DateGreaterThan":{{"AWS:EpochTime":{}}},"IpAddress":{{"AWS:SourceIp":"10.1.0.0/16"}}}}}}]}}"#,
            NOW + 600,
            NOW + 60
        )
    );
    assert_eq!(signed.expires_at(), t(NOW + 600));
}

#[test]
fn strict_refuses_ip_on_canned_and_best_effort_reports_it() {
    let mut c = Constraints::default();
    c.client_ip = Some(ClientIp::parse("10.0.0.1").unwrap());
    let req = get("a.mp4").with_constraints(c);
    let strict = PolicyLayer::new(any_key())
        .unwrap()
        .layer(presigner(PolicyKind::Canned));
    let e = block_on(strict.presign(&req)).unwrap_err();
    assert_eq!(e.kind(), "constraint_not_enforced", "{e}");
    assert!(e.to_string().contains("client-ip-v4"), "{e}");
    // The provider alone refuses too (it never drops a constraint silently).
    assert_eq!(
        presigner(PolicyKind::Canned)
            .presign_sync(&req)
            .unwrap_err()
            .kind(),
        "constraint_not_enforced"
    );
    let lax = PolicyLayer::new(any_key().dangerous().best_effort_constraints().finish())
        .unwrap()
        .layer(presigner(PolicyKind::Canned));
    let signed = block_on(lax.presign(&req)).unwrap();
    assert_eq!(signed.dropped(), &[ConstraintKind::ClientIpV4]);
    assert!(signed.expose_url().contains("?Expires="));
}

#[test]
fn refusals() {
    let p = PolicyLayer::new(any_key())
        .unwrap()
        .layer(presigner(PolicyKind::Custom));
    // PUT: the policy allows it, the provider cannot bind a method.
    let e = block_on(p.presign(&PresignRequest::parse("PUT", "a").unwrap())).unwrap_err();
    assert_eq!(e.kind(), "unsupported_method");
    // IPv6 and a range that is not one CIDR block.
    for ip in ["2001:db8::/64", "10.0.0.1-10.0.0.2"] {
        let mut c = Constraints::default();
        c.client_ip = Some(ClientIp::parse(ip).unwrap());
        assert!(
            block_on(p.presign(&get("a").with_constraints(c))).is_err(),
            "{ip}"
        );
    }
    // Anything else CloudFront does not enforce.
    let mut c = Constraints::default();
    c.content_type = Some("video/mp4".into());
    assert_eq!(
        block_on(p.presign(&get("a").with_constraints(c)))
            .unwrap_err()
            .kind(),
        "constraint_not_enforced"
    );
    // TTL clamped to the policy's 15 minutes.
    let s = block_on(p.presign(&get("a").with_ttl(Duration::from_secs(86_400)))).unwrap();
    assert_eq!(s.expires_at(), t(NOW + 900));
}

#[test]
fn rotation_never_outlives_the_active_key() {
    let keys = KeyGroup::new(
        vec![
            GroupKey {
                id: KeyPairId::new("KOLDKEY").unwrap(),
                key: key(),
                retires_at: Some(t(NOW + 120)),
            },
            GroupKey {
                id: KeyPairId::new("KNEWKEY").unwrap(),
                key: key(),
                retires_at: None,
            },
        ],
        "KOLDKEY",
    )
    .unwrap();
    let p = CloudFrontPresigner::builder()
        .domain("d.cloudfront.net")
        .keys(keys.clone())
        .build()
        .unwrap();
    // The policy judges the key's expiry by its clock: the clock of the test's instant.
    let at_now = || Arc::new(FixedClock(t(NOW)));
    let clamp = PolicyLayer::new(any_key())
        .unwrap()
        .with_clock(at_now())
        .layer(p.clone());
    let s = block_on(clamp.presign(&get("a"))).unwrap();
    assert_eq!(s.expires_at(), t(NOW + 120));
    assert!(s.expose_url().contains("Key-Pair-Id=KOLDKEY"));
    let reject = PolicyLayer::new(any_key().with_excess_ttl(ExcessTtl::Reject))
        .unwrap()
        .with_clock(at_now())
        .layer(p.clone());
    assert_eq!(
        block_on(reject.presign(&get("a"))).unwrap_err().kind(),
        "credentials_expire_first"
    );
    assert_eq!(
        p.presign_sync(&get("a")).unwrap_err().kind(),
        "credentials_expire_first"
    );
    // After rotation by config, the new key signs.
    let rotated = KeyGroup::new(keys.keys().to_vec(), "KNEWKEY").unwrap();
    let p = CloudFrontPresigner::builder()
        .domain("d.cloudfront.net")
        .keys(rotated)
        .build()
        .unwrap();
    assert!(
        p.presign_sync(&get("a"))
            .unwrap()
            .expose_url()
            .contains("Key-Pair-Id=KNEWKEY")
    );
    assert!(KeyGroup::new(keys.keys().to_vec(), "KMISSING").is_err());
}

#[test]
fn cookie_patterns_stay_inside_allowed_prefixes() {
    let policy = Policy::default().with_key_prefixes(["uploads/alice/"]);
    let p = PolicyLayer::new(policy)
        .unwrap()
        .layer(presigner(PolicyKind::Custom));
    let req = |pat: &str| CookieRequest::new(ResourcePattern::new(pat).unwrap()).signed_at(t(NOW));
    let ok = block_on(p.presign_cookies(&req("uploads/alice/*"))).unwrap();
    assert_eq!(ok.path(), "/uploads/alice/");
    assert_eq!(ok.domain(), "d111111abcdef8.cloudfront.net");
    let names: Vec<&str> = ok.names().collect();
    assert_eq!(
        names,
        [
            "CloudFront-Policy",
            "CloudFront-Signature",
            "CloudFront-Key-Pair-Id",
            "CloudFront-Hash-Algorithm"
        ]
    );
    for bad in [
        "uploads/*",
        "uploads/al*",
        "*",
        "uploads/alice/../bob/*",
        "uploads/alice/%2e%2e/*",
        "other/x",
    ] {
        let e = block_on(p.presign_cookies(&req(bad))).unwrap_err();
        assert_eq!(e.kind(), "key_not_allowed", "{bad}: {e}");
    }
    // Literal parts are percent-encoded, `*` stays a wildcard.
    let open = PolicyLayer::new(any_key())
        .unwrap()
        .layer(presigner(PolicyKind::Custom));
    let c = block_on(open.presign_cookies(&req("videos/my clip/*"))).unwrap();
    let pol = &c.expose_cookies()[0].1;
    let json = String::from_utf8(encoding::decode(pol).unwrap()).unwrap();
    assert!(
        json.contains(r#""Resource":"https://d111111abcdef8.cloudfront.net/videos/my%20clip/*""#),
        "{json}"
    );
    // Canned provider: an exact cookie is canned, a wildcard one custom.
    let canned = PolicyLayer::new(any_key())
        .unwrap()
        .layer(presigner(PolicyKind::Canned));
    let exact = block_on(canned.presign_cookies(&req("a.mp4"))).unwrap();
    assert_eq!(exact.names().next(), Some("CloudFront-Expires"));
    let wild = block_on(canned.presign_cookies(&req("v/*"))).unwrap();
    assert_eq!(wild.names().next(), Some("CloudFront-Policy"));
    // Cookies grant GET: a policy without GET refuses them.
    let no_get = PolicyLayer::new(any_key().forbid(presign_core::Method::Get))
        .unwrap()
        .layer(presigner(PolicyKind::Custom));
    assert_eq!(
        block_on(no_get.presign_cookies(&req("v/*")))
            .unwrap_err()
            .kind(),
        "method_not_allowed"
    );
    let _: &dyn CookiePresigner = &open;
}

/// The default policy, signing any key (these tests are not about keys).
fn any_key() -> Policy {
    Policy::default().dangerous().allow_any_key().finish()
}
