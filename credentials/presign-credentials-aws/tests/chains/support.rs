//! Shared pieces: the S3 presigner over a source, creds JSON, URL parameters.

use std::sync::Arc;
use std::time::Duration;

use presign_core::{
    CredentialSource, Error, Method, ObjectKey, PresignRequest, SharedClock, Timestamp,
};
use presign_credentials_aws::AwsCredentialSource;
use presign_credentials_testkit::child;
use presign_s3::{Addressing, Credentials, S3Presigner};

/// A path-style S3 presigner for bucket `b` over `source`, with `clock`.
pub(crate) fn presigner(
    source: Arc<dyn CredentialSource<Credentials>>,
    clock: SharedClock,
) -> S3Presigner {
    S3Presigner::builder()
        .name("prod")
        .bucket("bkt")
        .region("us-east-1")
        .endpoint("http://127.0.0.1:9")
        .addressing(Addressing::Path)
        .credential_source(source)
        .clock(clock)
        .build()
        .unwrap()
}

/// A GET of `k` with `ttl`.
pub(crate) fn get(ttl: Duration) -> PresignRequest {
    PresignRequest::new(Method::Get, ObjectKey::new("uploads/k").unwrap()).with_ttl(ttl)
}

/// The container/IMDS credentials document (`Expiration` in RFC 3339).
pub(crate) fn creds_json(key_id: &str, expires: Timestamp) -> String {
    serde_json::json!({
        "Code": "Success",
        "LastUpdated": "2026-01-01T00:00:00Z",
        "Type": "AWS-HMAC",
        "AccessKeyId": key_id,
        "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "Token": "IQoJb3JpZ2luX2VjEXAMPLETOKEN",
        "Expiration": expires.to_rfc3339(),
    })
    .to_string()
}

/// The value of query parameter `name` in `url`.
pub(crate) fn param<'a>(url: &'a str, name: &str) -> Option<&'a str> {
    url.split_once('?')?.1.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == name).then_some(v)
    })
}

/// Checks that a credentials error names the provider and leaks no secret.
pub(crate) fn assert_clean_error(e: &Error) {
    let text = e.to_string();
    assert_eq!(e.kind(), "credentials", "{text}");
    assert!(text.contains("prod"), "{text}");
    for secret in ["wJalrXUtnFEMI", "EXAMPLETOKEN", "Bearer-test-token"] {
        assert!(!text.contains(secret), "secret in {text}");
    }
}

/// Now, truncated to the second.
pub(crate) fn now() -> Timestamp {
    Timestamp::now()
}

/// In a child process: fetches once from `src` and reports `describe`, then `key_id` and
/// `expires` (Unix seconds), or `error`.
pub(crate) async fn report_fetch(src: AwsCredentialSource) {
    child::report("describe", &src.describe());
    match src.fetch(now()).await {
        Ok(c) => {
            child::report("key_id", c.value().access_key_id());
            let exp = c.expires_at().map(|t| t.unix().to_string());
            child::report("expires", &exp.unwrap_or_default());
        }
        Err(e) => child::report("error", &e.to_string()),
    }
}
