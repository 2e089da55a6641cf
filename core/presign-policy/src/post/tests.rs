use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use presign_core::post_policy::{PostPolicyRequest, PostPresigner, PresignedPost};
use presign_core::{
    Capabilities, Error, FixedClock, ObjectKey, PresignRequest, PresignedRequest, Presigner,
    Timestamp,
};

use super::*;
use crate::DEFAULT_MAX_UPLOAD_SIZE;
use crate::PolicyLayer;

fn t() -> Timestamp {
    Timestamp::from_unix(1_800_000_000).unwrap()
}

/// Records the request it is asked to sign.
#[derive(Debug)]
struct Toy {
    caps: Capabilities,
    seen: Mutex<Option<PostPolicyRequest>>,
}

impl Toy {
    fn new(post: bool) -> Self {
        Toy {
            caps: Capabilities::new("toy", Duration::from_secs(604_800)).with_post_policy(post),
            seen: Mutex::new(None),
        }
    }
}

#[async_trait]
impl Presigner for Toy {
    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }
    async fn presign_with(
        &self,
        _: &PresignRequest,
        _: &mut dyn Prepare<PresignRequest>,
    ) -> Result<PresignedRequest, Error> {
        Err(Error::invalid_input("toy", "URLs are not used here"))
    }
}

#[async_trait]
impl PostPresigner for Toy {
    async fn presign_post_with(
        &self,
        r: &PostPolicyRequest,
        prepare: &mut dyn Prepare<PostPolicyRequest>,
    ) -> Result<PresignedPost, Error> {
        let r = prepare.prepare(r, None)?;
        *self.seen.lock().unwrap() = Some(r.clone().into_owned());
        let at = r.signing_time.unwrap();
        let exp = at.checked_add(r.ttl_or_default()).unwrap();
        Ok(PresignedPost::new(
            "https://x/".into(),
            vec![("x-amz-signature".into(), "SIG".into())],
            vec![],
            "{}".into(),
            at,
            exp,
            "toy",
        ))
    }
}

fn layered(policy: Policy, post: bool) -> Policied<Arc<Toy>> {
    PolicyLayer::new(policy)
        .unwrap()
        .with_clock(Arc::new(FixedClock(t())))
        .layer(Arc::new(Toy::new(post)))
}

fn any_key() -> Policy {
    Policy::default().dangerous().allow_any_key().finish()
}

fn allowed() -> Policy {
    any_key().dangerous().allow_post().finish()
}

fn sign(p: &Policied<Arc<Toy>>, r: PostPolicyRequest) -> Result<PostPolicyRequest, Error> {
    futures_executor::block_on(p.presign_post(&r))?;
    Ok(p.inner().seen.lock().unwrap().take().unwrap())
}

#[test]
fn post_must_be_allowed_by_name_and_offered() {
    let e = sign(
        &layered(any_key(), true),
        PostPolicyRequest::starts_with("a/"),
    )
    .unwrap_err();
    assert_eq!(e.kind(), "method_not_allowed");
    assert!(e.to_string().contains("allow POST"), "{e}");
    let e = sign(
        &layered(allowed(), false),
        PostPolicyRequest::starts_with("a/"),
    )
    .unwrap_err();
    assert_eq!(e.kind(), "unsupported_method");
}

#[test]
fn size_range_is_always_present_and_bounded() {
    let p = layered(allowed(), true);
    let r = sign(&p, PostPolicyRequest::starts_with("a/")).unwrap();
    assert_eq!(r.content_length_range, Some((0, DEFAULT_MAX_UPLOAD_SIZE)));
    assert_eq!(DEFAULT_MAX_UPLOAD_SIZE, 104_857_600);
    let r = sign(
        &p,
        PostPolicyRequest::starts_with("a/").content_length_range(10, 20),
    )
    .unwrap();
    assert_eq!(r.content_length_range, Some((10, 20)));
    let r = sign(
        &p,
        PostPolicyRequest::starts_with("a/").content_length_range(1, u64::MAX),
    )
    .unwrap();
    assert_eq!(r.content_length_range, Some((1, DEFAULT_MAX_UPLOAD_SIZE)));
    let e = sign(
        &p,
        PostPolicyRequest::starts_with("a/")
            .content_length_range(DEFAULT_MAX_UPLOAD_SIZE + 1, u64::MAX),
    )
    .unwrap_err();
    assert_eq!(e.kind(), "invalid_constraint");

    let strict = layered(
        allowed()
            .with_excess_ttl(ExcessTtl::Reject)
            .with_max_upload_size(1000),
        true,
    );
    let e = sign(
        &strict,
        PostPolicyRequest::starts_with("a/").content_length_range(0, 1001),
    )
    .unwrap_err();
    assert!(e.to_string().contains("max_upload_size 1000"), "{e}");
    let r = sign(&strict, PostPolicyRequest::starts_with("a/")).unwrap();
    assert_eq!(r.content_length_range, Some((0, 1000)));
}

#[test]
fn ttl_and_signing_time_are_resolved() {
    let p = layered(allowed(), true);
    let r = sign(
        &p,
        PostPolicyRequest::starts_with("a/").with_ttl(Duration::from_secs(86_400)),
    )
    .unwrap();
    assert_eq!(r.ttl, Some(Duration::from_secs(900)));
    assert_eq!(r.signing_time, Some(t()));
    let r = sign(&p, PostPolicyRequest::starts_with("a/")).unwrap();
    assert_eq!(r.ttl, Some(Duration::from_secs(300)));
}

#[test]
fn keys_and_prefixes_follow_the_allowed_prefixes() {
    let p = layered(allowed().with_key_prefixes(["users/alice"]), true);
    assert!(sign(&p, PostPolicyRequest::starts_with("users/alice/")).is_ok());
    assert!(
        sign(
            &p,
            PostPolicyRequest::exact(ObjectKey::new("users/alice/a.png").unwrap())
        )
        .is_ok()
    );
    for bad in ["users/alice", "users/al", "users/alice-evil/", "", "users/"] {
        let e = sign(&p, PostPolicyRequest::starts_with(bad)).unwrap_err();
        assert_eq!(e.kind(), "key_not_allowed", "{bad}");
    }
    let e = sign(
        &p,
        PostPolicyRequest::exact(ObjectKey::new("users/bob/a").unwrap()),
    )
    .unwrap_err();
    assert_eq!(e.kind(), "key_not_allowed");
}

#[test]
fn prefix_table() {
    let allowed = |prefix: &str, rules: &[&str]| {
        let rules: Vec<String> = rules.iter().map(|s| (*s).to_owned()).collect();
        check_key_prefix(prefix, &rules).is_ok()
    };
    assert!(allowed("anything", &[]));
    assert!(allowed("docs/", &["docs"]));
    assert!(allowed("docs/", &["docs/"]));
    assert!(allowed("docs/2026-", &["docs/"]));
    assert!(allowed("docs/a/b/", &["docs"]));
    assert!(!allowed("docs", &["docs"]));
    assert!(!allowed("docs", &["docs/"]));
    assert!(!allowed("doc", &["docs"]));
    assert!(!allowed("docs-private/", &["docs"]));
    for bad in [
        "docs//",
        "docs/../",
        "docs/..",
        "docs/.",
        "docs/%2e%2e/",
        "docs/a\\..\\",
    ] {
        assert!(!allowed(bad, &["docs"]), "{bad}");
    }
}
