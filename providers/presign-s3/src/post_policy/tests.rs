use std::sync::Arc;
use std::time::Duration;

use presign_core::crypto::{hex, hmac_sha256};
use presign_core::post_policy::{Condition, PostPolicyRequest, PostPresigner, SyncPostPresigner};
use presign_core::{FixedClock, ObjectKey, Presigner, Timestamp};

use crate::{Addressing, Credentials, S3Presigner};

const AK: &str = "AKIAIOSFODNN7EXAMPLE";
const SK: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

fn t() -> Timestamp {
    Timestamp::parse_rfc3339("2026-01-02T03:04:05Z").unwrap()
}

fn path_style(creds: Credentials) -> S3Presigner {
    S3Presigner::builder()
        .bucket("presign-test")
        .endpoint("http://127.0.0.1:8333")
        .addressing(Addressing::Path)
        .credentials(creds)
        .clock(Arc::new(FixedClock(t())))
        .build()
        .unwrap()
}

fn names(fields: &[(String, String)]) -> Vec<&str> {
    fields.iter().map(|(n, _)| n.as_str()).collect()
}

#[test]
fn fields_in_order_and_signature_over_the_base64_policy() {
    let s3 = path_style(Credentials::new(AK, SK));
    let req = PostPolicyRequest::exact(ObjectKey::new("uploads/a b.png").unwrap())
        .with_ttl(Duration::from_secs(600))
        .content_length_range(1, 1000)
        .content_type("image/png")
        .cache_control("max-age=60")
        .content_disposition("attachment")
        .acl("private")
        .success_action_status(201)
        .success_action_redirect("http://127.0.0.1/done")
        .metadata("owner", "alice")
        .metadata("tag", "x\"y");
    let post = s3.presign_post_sync(&req).unwrap();
    assert_eq!(post.url(), "http://127.0.0.1:8333/presign-test/");
    assert_eq!(
        names(post.expose_fields()),
        [
            "key",
            "acl",
            "Cache-Control",
            "Content-Disposition",
            "Content-Type",
            "success_action_redirect",
            "success_action_status",
            "x-amz-meta-owner",
            "x-amz-meta-tag",
            "x-amz-algorithm",
            "x-amz-credential",
            "x-amz-date",
            "policy",
            "x-amz-signature",
        ]
    );
    assert_eq!(
        post.expose_field("x-amz-credential"),
        Some("AKIAIOSFODNN7EXAMPLE/20260102/us-east-1/s3/aws4_request")
    );
    assert_eq!(post.expose_field("x-amz-date"), Some("20260102T030405Z"));
    assert_eq!(
        post.expires_at(),
        t().checked_add(Duration::from_secs(600)).unwrap()
    );
    assert!(post.client_fields().is_empty());

    let json = post.policy_json();
    assert_eq!(
        json,
        concat!(
            r#"{"expiration":"2026-01-02T03:14:05Z","conditions":["#,
            r#"{"bucket":"presign-test"},{"key":"uploads/a b.png"},{"acl":"private"},"#,
            r#"{"Cache-Control":"max-age=60"},{"Content-Disposition":"attachment"},"#,
            r#"{"Content-Type":"image/png"},{"success_action_redirect":"http://127.0.0.1/done"},"#,
            r#"{"success_action_status":"201"},{"x-amz-meta-owner":"alice"},"#,
            r#"{"x-amz-meta-tag":"x\"y"},["content-length-range",1,1000],"#,
            r#"{"x-amz-algorithm":"AWS4-HMAC-SHA256"},"#,
            r#"{"x-amz-credential":"AKIAIOSFODNN7EXAMPLE/20260102/us-east-1/s3/aws4_request"},"#,
            r#"{"x-amz-date":"20260102T030405Z"}]}"#
        )
    );
    let policy = post.expose_field("policy").unwrap();
    use base64::Engine as _;
    assert_eq!(
        policy,
        base64::engine::general_purpose::STANDARD.encode(post.policy_json())
    );
    // The SigV4 key derivation, written out: AWS4 + secret, date, region, service, terminator.
    let mut key = hmac_sha256(format!("AWS4{SK}").as_bytes(), b"20260102");
    for part in ["us-east-1", "s3", "aws4_request"] {
        key = hmac_sha256(&key, part.as_bytes());
    }
    assert_eq!(
        post.expose_field("x-amz-signature").unwrap(),
        hex(&hmac_sha256(&key, policy.as_bytes()))
    );
    // Deterministic: the same request gives the same bytes.
    assert_eq!(s3.presign_post_sync(&req).unwrap(), post);
}

#[test]
fn prefix_key_and_content_type_prefix() {
    let s3 = path_style(Credentials::new(AK, SK));
    let post = s3
        .presign_post_sync(
            &PostPolicyRequest::starts_with("users/alice/").content_type_prefix("image/"),
        )
        .unwrap();
    assert_eq!(post.expose_field("key"), Some("users/alice/${filename}"));
    assert_eq!(post.expose_field("Content-Type"), None);
    assert_eq!(
        post.client_fields(),
        &[Condition::starts_with("Content-Type", "image/")]
    );
    let c = post.conditions();
    assert_eq!(c[0], Condition::eq("bucket", "presign-test"));
    assert_eq!(c[1], Condition::starts_with("key", "users/alice/"));
    assert_eq!(c[2], Condition::starts_with("Content-Type", "image/"));
    // Default TTL, signing time from the clock.
    assert_eq!(post.signed_at(), t());
    assert_eq!(
        post.expires_at(),
        t().checked_add(Duration::from_secs(300)).unwrap()
    );
}

#[test]
fn session_token_is_a_field_and_a_condition_and_is_redacted() {
    let s3 = path_style(Credentials::new(AK, SK).with_session_token("TOKEN/+="));
    let post = s3
        .presign_post_sync(&PostPolicyRequest::starts_with("u/"))
        .unwrap();
    let n = names(post.expose_fields());
    assert_eq!(
        &n[n.len() - 3..],
        ["x-amz-security-token", "policy", "x-amz-signature"]
    );
    assert!(
        post.conditions()
            .contains(&Condition::eq("x-amz-security-token", "TOKEN/+="))
    );
    let shown = format!("{post:?}");
    let sig = post.expose_field("x-amz-signature").unwrap();
    assert!(
        !shown.contains("TOKEN/+=") && !shown.contains(sig),
        "{shown}"
    );
    assert!(shown.contains("REDACTED"));
}

#[test]
fn virtual_host_action_url() {
    let s3 = S3Presigner::builder()
        .bucket("my-bucket")
        .region("eu-west-1")
        .credentials(Credentials::new(AK, SK))
        .build()
        .unwrap();
    let post = s3
        .presign_post_sync(&PostPolicyRequest::starts_with("a/").signed_at(t()))
        .unwrap();
    assert_eq!(post.url(), "https://my-bucket.s3.eu-west-1.amazonaws.com/");
    assert_eq!(
        post.expose_field("x-amz-credential"),
        Some("AKIAIOSFODNN7EXAMPLE/20260102/eu-west-1/s3/aws4_request")
    );
    assert!(s3.capabilities().post_policy());
}

#[test]
fn refusals_name_the_problem() {
    let s3 = path_style(Credentials::new(AK, SK));
    for (ttl, ok) in [(0, false), (1, true), (604_800, true), (604_801, false)] {
        let r = s3.presign_post_sync(
            &PostPolicyRequest::starts_with("a/").with_ttl(Duration::from_secs(ttl)),
        );
        assert_eq!(r.is_ok(), ok, "{ttl}");
        if let Err(e) = r {
            assert_eq!(e.kind(), "invalid_ttl");
        }
    }
    let long = ObjectKey::new("k".repeat(1025)).unwrap();
    assert_eq!(
        s3.presign_post_sync(&PostPolicyRequest::exact(long))
            .unwrap_err()
            .kind(),
        "invalid_key"
    );
    assert_eq!(
        s3.presign_post_sync(&PostPolicyRequest::starts_with("a").success_action_status(500))
            .unwrap_err()
            .kind(),
        "invalid_input"
    );
    let temp = path_style(
        Credentials::new(AK, SK)
            .with_session_token("t")
            .with_expiry(t().checked_add(Duration::from_secs(60)).unwrap()),
    );
    let e = temp
        .presign_post_sync(&PostPolicyRequest::starts_with("a/").with_ttl(Duration::from_secs(120)))
        .unwrap_err();
    assert_eq!(e.kind(), "credentials_expire_first");
}

#[test]
fn object_safe_through_the_trait() {
    let s3: Arc<dyn PostPresigner> = Arc::new(path_style(Credentials::new(AK, SK)));
    let post =
        futures_executor::block_on(s3.presign_post(&PostPolicyRequest::starts_with("x/"))).unwrap();
    assert_eq!(post.provider(), "s3");
    assert!(s3.capabilities().post_policy());
}
