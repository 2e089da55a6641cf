//! `PolicySigner` through object_store's `Signer` trait: the documented URL byte for byte,
//! and the policy's refusals as object_store errors.

use std::sync::Arc;
use std::time::Duration;

use object_store::Error as OsError;
use object_store::path::Path;
use object_store::signer::{HeaderValue, Method, SignedUrlOptions, Signer};
use presign_core::{Credential, FixedClock, StaticCredential};
use presign_object_store::PolicySigner;
use presign_policy::{Policy, PolicyLayer};
use presign_s3::{Credentials, S3Presigner};

use crate::{DAY, DOC_KEY_ID, DOC_SECRET, DOC_URL, doc_presigner, doc_time};

fn doc_s3() -> S3Presigner {
    doc_presigner(Arc::new(StaticCredential::new(Credential::new(
        Credentials::new(DOC_KEY_ID, DOC_SECRET),
    ))))
}

/// Keys under `test.txt` or `uploads/`, a day at most, at the example's time.
fn signer(policy: Policy) -> PolicySigner<S3Presigner> {
    let layer = PolicyLayer::new(policy)
        .unwrap()
        .with_clock(Arc::new(FixedClock(doc_time())));
    PolicySigner::new(layer.layer(doc_s3()))
}

fn policy() -> Policy {
    Policy::default()
        .with_max_ttl(DAY)
        .with_key_prefixes(["test.txt", "uploads/"])
}

fn param(url: &object_store::signer::Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn the_documented_url_through_object_stores_trait() {
    let url = signer(policy())
        .signed_url(Method::GET, &Path::from("test.txt"), DAY)
        .await
        .unwrap();
    assert_eq!(url.as_str(), DOC_URL);
}

#[tokio::test]
async fn the_policy_refuses_what_it_does_not_allow() {
    let s = signer(policy());
    // A key outside the prefixes: PermissionDenied naming the path and the rule.
    let e = s
        .signed_url(Method::GET, &Path::from("private/report.pdf"), DAY)
        .await
        .unwrap_err();
    assert!(
        matches!(e, OsError::PermissionDenied { ref path, .. } if path == "private/report.pdf"),
        "{e:?}"
    );
    assert!(e.to_string().contains("not allowed"), "{e}");
    // `uploads` admits `uploads/...`, never `uploads-private/...`.
    let e = s
        .signed_url(Method::GET, &Path::from("uploads-private/a"), DAY)
        .await
        .unwrap_err();
    assert!(matches!(e, OsError::PermissionDenied { .. }), "{e:?}");
    // DELETE is not allowed unless the policy names it.
    let e = s
        .signed_url(Method::DELETE, &Path::from("uploads/a"), DAY)
        .await
        .unwrap_err();
    assert!(matches!(e, OsError::PermissionDenied { .. }), "{e:?}");
    assert!(e.to_string().contains("DELETE"), "{e}");
    // A method presign does not sign at all.
    let e = s
        .signed_url(Method::PATCH, &Path::from("uploads/a"), DAY)
        .await
        .unwrap_err();
    assert!(matches!(e, OsError::NotSupported { .. }), "{e:?}");
}

#[tokio::test]
async fn a_longer_lifetime_is_clamped_or_refused() {
    let url = signer(Policy::default().with_key_prefixes(["uploads/"]))
        .signed_url(Method::GET, &Path::from("uploads/a"), DAY)
        .await
        .unwrap();
    assert_eq!(param(&url, "X-Amz-Expires").as_deref(), Some("900"));
    let strict = Policy::default()
        .with_key_prefixes(["uploads/"])
        .with_excess_ttl(presign_policy::ExcessTtl::Reject);
    let e = signer(strict)
        .signed_url(Method::GET, &Path::from("uploads/a"), DAY)
        .await
        .unwrap_err();
    assert!(matches!(e, OsError::PermissionDenied { .. }), "{e:?}");
}

#[tokio::test]
async fn signed_headers_and_query_go_through_the_allow_lists() {
    let s = signer(policy());
    let ten = Duration::from_secs(600);
    let opts = SignedUrlOptions::default()
        .with_query([("partNumber", "1"), ("uploadId", "abc123")])
        .with_signed_header(
            http_name("content-type"),
            HeaderValue::from_static("image/png"),
        );
    let url = s
        .signed_url_opts(Method::PUT, &Path::from("uploads/a.png"), ten, &opts)
        .await
        .unwrap();
    assert_eq!(param(&url, "partNumber").as_deref(), Some("1"));
    assert_eq!(param(&url, "uploadId").as_deref(), Some("abc123"));
    assert_eq!(
        param(&url, "X-Amz-SignedHeaders").as_deref(),
        Some("content-type;host")
    );
    // A header that changes the operation (a canned ACL) is refused by name.
    let opts = SignedUrlOptions::default().with_signed_header(
        http_name("x-amz-acl"),
        HeaderValue::from_static("public-read"),
    );
    let e = s
        .signed_url_opts(Method::PUT, &Path::from("uploads/a.png"), ten, &opts)
        .await
        .unwrap_err();
    assert!(matches!(e, OsError::PermissionDenied { .. }), "{e:?}");
    assert!(e.to_string().contains("x-amz-acl"), "{e}");
    let opts = SignedUrlOptions::default().with_query([("acl", "")]);
    let e = s
        .signed_url_opts(Method::PUT, &Path::from("uploads/a.png"), ten, &opts)
        .await
        .unwrap_err();
    assert!(matches!(e, OsError::PermissionDenied { .. }), "{e:?}");
}

fn http_name(name: &'static str) -> object_store::signer::HeaderName {
    object_store::signer::HeaderName::from_static(name)
}
