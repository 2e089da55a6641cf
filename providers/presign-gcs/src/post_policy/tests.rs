use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use presign_core::post_policy::{Condition, PostPolicyRequest, PostPresigner, SyncPostPresigner};
use presign_core::{Error, FixedClock, ObjectKey, Presigner, SecretString, Timestamp};
use sha2::Sha256;

use crate::{BlobSigner, GcsPresigner, UrlStyle};

const ACCESS_ID: &str = "GOOG1EXAMPLEACCESSID";
const SECRET: &str = "bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ";

fn t() -> Timestamp {
    Timestamp::parse_rfc3339("2026-01-02T03:04:05Z").unwrap()
}

fn hmac_gcs(style: UrlStyle) -> GcsPresigner {
    let mut b = GcsPresigner::builder()
        .bucket("photos")
        .hmac_key(ACCESS_ID, SecretString::new(SECRET))
        .clock(Arc::new(FixedClock(t())));
    b = match style {
        UrlStyle::BucketBoundHostname => b.bucket_bound_hostname("http://cdn.example:8080"),
        other => b.url_style(other),
    };
    b.build().unwrap()
}

/// HMAC-SHA256 with the `hmac` and `sha2` crates, independent of presign-core.
fn mac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut m = Hmac::<Sha256>::new_from_slice(key).unwrap();
    m.update(data);
    m.finalize().into_bytes().to_vec()
}

fn lower_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn names(fields: &[(String, String)]) -> Vec<&str> {
    fields.iter().map(|(n, _)| n.as_str()).collect()
}

#[test]
fn hmac_signature_verified_independently() {
    let gcs = hmac_gcs(UrlStyle::Path);
    let req = PostPolicyRequest::exact(ObjectKey::new("uploads/a b.png").unwrap())
        .with_ttl(Duration::from_secs(600))
        .content_length_range(1, 1000)
        .content_type("image/png")
        .metadata("owner", "alice");
    let post = gcs.presign_post_sync(&req).unwrap();
    assert_eq!(post.url(), "https://storage.googleapis.com/photos/");
    assert_eq!(
        names(post.expose_fields()),
        [
            "key",
            "content-type",
            "x-goog-meta-owner",
            "x-goog-algorithm",
            "x-goog-credential",
            "x-goog-date",
            "policy",
            "x-goog-signature",
        ]
    );
    assert_eq!(
        post.expose_field("x-goog-credential"),
        Some("GOOG1EXAMPLEACCESSID/20260102/auto/storage/goog4_request")
    );
    assert_eq!(
        post.expose_field("x-goog-algorithm"),
        Some("GOOG4-HMAC-SHA256")
    );
    assert_eq!(
        post.policy_json(),
        concat!(
            r#"{"conditions":[["content-length-range",1,1000],"#,
            r#"{"content-type":"image/png"},{"x-goog-meta-owner":"alice"},"#,
            r#"{"bucket":"photos"},{"key":"uploads/a b.png"},"#,
            r#"{"x-goog-date":"20260102T030405Z"},"#,
            r#"{"x-goog-credential":"GOOG1EXAMPLEACCESSID/20260102/auto/storage/goog4_request"},"#,
            r#"{"x-goog-algorithm":"GOOG4-HMAC-SHA256"}],"#,
            r#""expiration":"2026-01-02T03:14:05Z"}"#
        )
    );
    let policy = post.expose_field("policy").unwrap();
    assert_eq!(
        base64::engine::general_purpose::STANDARD
            .decode(policy)
            .unwrap(),
        post.policy_json().as_bytes().to_vec()
    );

    // The GCS HMAC key derivation: GOOG4 + secret, date, location, service, terminator.
    let mut key = mac(format!("GOOG4{SECRET}").as_bytes(), b"20260102");
    for part in ["auto", "storage", "goog4_request"] {
        key = mac(&key, part.as_bytes());
    }
    let want = lower_hex(&mac(&key, policy.as_bytes()));
    assert_eq!(post.expose_field("x-goog-signature"), Some(want.as_str()));
    assert_eq!(
        post.expires_at(),
        t().checked_add(Duration::from_secs(600)).unwrap()
    );
    assert_eq!(post.signed_at(), t());
    assert_eq!(post.provider(), "gcs");

    // Deterministic, and the async path gives the same bytes.
    assert_eq!(gcs.presign_post_sync(&req).unwrap(), post);
    assert_eq!(
        futures_executor::block_on(gcs.presign_post(&req)).unwrap(),
        post
    );
}

#[test]
fn prefix_extra_conditions_and_order() {
    let gcs = hmac_gcs(UrlStyle::VirtualHosted);
    let req = PostPolicyRequest::starts_with("users/alice/")
        .content_type_prefix("image/")
        .content_length_range(0, 5)
        .success_action_status(201)
        .cache_control("no-cache")
        .acl("private")
        .condition(Condition::starts_with("x-goog-meta-tag", "t-"));
    let post = gcs.presign_post_sync(&req).unwrap();
    assert_eq!(post.url(), "https://photos.storage.googleapis.com/");
    assert_eq!(post.expose_field("key"), Some("users/alice/${filename}"));
    assert_eq!(post.expose_field("content-type"), None);
    assert_eq!(
        post.client_fields(),
        [
            Condition::starts_with("content-type", "image/"),
            Condition::starts_with("x-goog-meta-tag", "t-"),
        ]
    );
    let json = post.policy_json();
    assert!(
        json.starts_with(concat!(
            r#"{"conditions":[["starts-with","$content-type","image/"],"#,
            r#"["starts-with","$x-goog-meta-tag","t-"],["content-length-range",0,5],"#,
            r#"{"acl":"private"},{"cache-control":"no-cache"},{"success_action_status":"201"},"#,
            r#"{"bucket":"photos"},["starts-with","$key","users/alice/"],{"x-goog-date":"#
        )),
        "{json}"
    );
}

#[test]
fn bucket_bound_hostname_url() {
    let post = hmac_gcs(UrlStyle::BucketBoundHostname)
        .presign_post_sync(&PostPolicyRequest::exact(ObjectKey::new("k").unwrap()))
        .unwrap();
    assert_eq!(post.url(), "http://cdn.example:8080/");
    // The bucket is always a condition, whatever the host.
    assert!(post.policy_json().contains(r#"{"bucket":"photos"}"#));
}

#[derive(Debug)]
struct FakeBlob {
    seen: Mutex<Vec<Vec<u8>>>,
}

#[async_trait]
impl BlobSigner for FakeBlob {
    fn email(&self) -> &str {
        "signer@project.iam.gserviceaccount.com"
    }
    async fn sign_blob(&self, blob: &[u8]) -> Result<Vec<u8>, Error> {
        self.seen.lock().unwrap().push(blob.to_vec());
        Ok(vec![0xab, 0x01, 0xff])
    }
}

#[test]
fn sign_blob_signs_the_base64_policy() {
    let blob = Arc::new(FakeBlob {
        seen: Mutex::new(Vec::new()),
    });
    let gcs = GcsPresigner::builder()
        .bucket("photos")
        .blob_signer(blob.clone())
        .clock(Arc::new(FixedClock(t())))
        .build()
        .unwrap();
    let req = PostPolicyRequest::exact(ObjectKey::new("k").unwrap());
    let post = futures_executor::block_on(gcs.presign_post(&req)).unwrap();
    assert_eq!(post.expose_field("x-goog-signature"), Some("ab01ff"));
    assert_eq!(
        post.expose_field("x-goog-algorithm"),
        Some("GOOG4-RSA-SHA256")
    );
    assert_eq!(
        post.expose_field("x-goog-credential"),
        Some("signer@project.iam.gserviceaccount.com/20260102/auto/storage/goog4_request")
    );
    let seen = blob.seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        [post.expose_field("policy").unwrap().as_bytes().to_vec()]
    );

    let e = gcs.presign_post_sync(&req).unwrap_err();
    assert_eq!(e.kind(), "would_block");
    assert!(e.to_string().contains("signBlob"), "{e}");
}

#[test]
fn refusals_name_the_problem() {
    let gcs = hmac_gcs(UrlStyle::Path);
    let key = || ObjectKey::new("k").unwrap();
    for (req, want) in [
        (
            PostPolicyRequest::exact(key()).with_ttl(Duration::from_millis(500)),
            "at least 1 second",
        ),
        (
            PostPolicyRequest::exact(key()).with_ttl(Duration::from_secs(604_801)),
            "7 days",
        ),
        (
            PostPolicyRequest::exact(ObjectKey::new("k".repeat(1025)).unwrap()),
            "1024",
        ),
        (PostPolicyRequest::starts_with("p".repeat(1025)), "1024"),
        (
            PostPolicyRequest::exact(key()).content_length_range(9, 1),
            "content_length_range",
        ),
        (
            PostPolicyRequest::exact(key()).condition(Condition::eq("x-goog-date", "x")),
            "extra condition",
        ),
    ] {
        let e = gcs.presign_post_sync(&req).unwrap_err().to_string();
        assert!(e.contains(want), "{want}: {e}");
        assert!(!e.contains(SECRET));
    }
    // Seven days exactly is fine.
    gcs.presign_post_sync(&PostPolicyRequest::exact(key()).with_ttl(Duration::from_secs(604_800)))
        .unwrap();
}

#[test]
fn debug_redacts_the_signature_and_capabilities_offer_post() {
    let gcs = hmac_gcs(UrlStyle::Path);
    let post = gcs
        .presign_post_sync(&PostPolicyRequest::exact(ObjectKey::new("k").unwrap()))
        .unwrap();
    let sig = post.expose_field("x-goog-signature").unwrap();
    assert_eq!(sig.len(), 64);
    let debug = format!("{post:?}");
    assert!(!debug.contains(sig), "{debug}");
    assert!(debug.contains("REDACTED"), "{debug}");
    assert!(!format!("{gcs:?}").contains(SECRET));
    assert!(gcs.capabilities().post_policy());
}
