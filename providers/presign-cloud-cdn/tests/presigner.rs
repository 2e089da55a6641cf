#![cfg(test)] // all test code: clippy.toml's allow-*-in-tests cover its helpers too
//! CloudCdnPresigner behind the policy layer: capabilities (expiry only), URL mapping, cookie
//! prefixes under key prefixes, key rotation.

use futures_executor::block_on;
use presign_cloud_cdn::{CloudCdnKey, CloudCdnPresigner};
use presign_core::cookies::{CookiePresigner, CookieRequest, ResourcePattern};
use presign_core::{
    ClientIp, Constraints, PresignRequest, Presigner, Support, SyncPresigner, Timestamp,
};
use presign_policy::{Policy, PolicyLayer};

const NOW: i64 = 1_767_225_600;

fn presigner(active: Option<&str>) -> CloudCdnPresigner {
    let mut b = CloudCdnPresigner::builder()
        .domain("media.example.com")
        .key(CloudCdnKey::from_base64("my-key", "nZtRohdNF9m3cKM24IcK4w==").unwrap())
        .key(CloudCdnKey::from_base64("next-key", "AAAAAAAAAAAAAAAAAAAAAA==").unwrap());
    if let Some(a) = active {
        b = b.active(a);
    }
    b.build().unwrap()
}

fn t(s: i64) -> Timestamp {
    Timestamp::from_unix(s).unwrap()
}

#[test]
fn urls_and_capabilities() {
    let p = presigner(None);
    assert!(
        p.capabilities()
            .table()
            .all(|(_, s)| s == Support::Unsupported)
    );
    let layered = PolicyLayer::new(any_key()).unwrap().layer(p);
    let req = PresignRequest::parse("GET", "videos/a b.mp4")
        .unwrap()
        .signed_at(t(NOW));
    let s = block_on(layered.presign(&req)).unwrap();
    let url = s.expose_url();
    assert!(
        url.starts_with(&format!(
            "https://media.example.com/videos/a%20b.mp4?Expires={}&KeyName=my-key&Signature=",
            NOW + 300
        )),
        "{url}"
    );
    // Nothing else is enforced: the strict policy refuses an IP range.
    let mut c = Constraints::default();
    c.client_ip = Some(ClientIp::parse("10.0.0.0/8").unwrap());
    let e = block_on(layered.presign(&req.clone().with_constraints(c))).unwrap_err();
    assert_eq!(e.kind(), "constraint_not_enforced");
    // Rotation by config.
    let next = presigner(Some("next-key"));
    assert!(
        next.presign_sync(&req)
            .unwrap()
            .expose_url()
            .contains("KeyName=next-key")
    );
    assert!(
        CloudCdnPresigner::builder()
            .domain("m.example.com")
            .build()
            .is_err()
    );
}

#[test]
fn cookies_grant_prefixes_inside_the_allowed_ones() {
    let policy = Policy::default().with_key_prefixes(["live/"]);
    let p = PolicyLayer::new(policy).unwrap().layer(presigner(None));
    let req = |pat: &str| CookieRequest::new(ResourcePattern::new(pat).unwrap()).signed_at(t(NOW));
    let c = block_on(p.presign_cookies(&req("live/stream-1/*"))).unwrap();
    let (name, value) = &c.expose_cookies()[0];
    assert_eq!(name, "Cloud-CDN-Cookie");
    // URLPrefix = base64url("https://media.example.com/live/stream-1/")
    assert!(
        value.starts_with(
            "URLPrefix=aHR0cHM6Ly9tZWRpYS5leGFtcGxlLmNvbS9saXZlL3N0cmVhbS0xLw==:Expires="
        ),
        "{value}"
    );
    assert_eq!(c.path(), "/live/stream-1/");
    for bad in ["*", "li*", "other/*"] {
        assert_eq!(
            block_on(p.presign_cookies(&req(bad))).unwrap_err().kind(),
            "key_not_allowed",
            "{bad}"
        );
    }
    // Not a prefix grant: refused by the provider.
    assert!(block_on(p.presign_cookies(&req("live/a.m3u8"))).is_err());
    assert!(block_on(p.presign_cookies(&req("live/*/x*"))).is_err());
}

/// The default policy, signing any key (these tests are not about keys).
fn any_key() -> Policy {
    Policy::default().dangerous().allow_any_key().finish()
}
