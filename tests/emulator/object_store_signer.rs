//! `presign_object_store::PolicySigner` against SeaweedFS: URLs that object_store's `Signer`
//! trait hands out, through presign's policy, are accepted by a real S3 server; a key outside
//! the policy gets no URL; a bound `Content-Type` is enforced by the server.

use std::time::Duration;

use futures_executor::block_on;
use object_store::Error as OsError;
use object_store::path::Path;
use object_store::signer::{HeaderName, HeaderValue, Method, SignedUrlOptions, Signer};
use presign_core::Timestamp;
use presign_object_store::PolicySigner;
use presign_policy::{Policy, PolicyLayer};
use presign_s3::S3Presigner;
use presign_tests::http;
use presign_tests::seaweedfs::{self, presigner};

const FIVE_MINUTES: Duration = Duration::from_secs(300);

fn signer(endpoint: &str) -> PolicySigner<S3Presigner> {
    let policy = Policy::default().with_key_prefixes(["object-store/"]);
    PolicySigner::new(
        PolicyLayer::new(policy)
            .unwrap()
            .layer(presigner(endpoint, seaweedfs::credentials())),
    )
}

#[test]
fn object_store_signer_urls_work_on_seaweedfs_within_the_policy() {
    let Some(endpoint) = seaweedfs::endpoint() else {
        return;
    };
    let s = signer(&endpoint);
    let key = Path::from(format!(
        "object-store/{}/report.txt",
        Timestamp::now().unix()
    ));
    let put = block_on(s.signed_url(Method::PUT, &key, FIVE_MINUTES)).unwrap();
    let r = http::send("PUT", put.as_str(), &[], b"through object_store").unwrap();
    assert_eq!(r.status, 200, "PUT {}", r.body_snippet());
    let get = block_on(s.signed_url(Method::GET, &key, FIVE_MINUTES)).unwrap();
    let r = http::get(get.as_str()).unwrap();
    assert_eq!(r.status, 200, "GET {}", r.body_snippet());
    assert_eq!(r.body, b"through object_store");
    // The same URL for another key: SeaweedFS checks the signature and refuses.
    let other = get.as_str().replace("report.txt", "other.txt");
    assert_eq!(http::get(&other).unwrap().status, 403);

    // Outside the policy's prefix: no URL at all.
    let e = block_on(s.signed_url(Method::GET, &Path::from("private/report.txt"), FIVE_MINUTES))
        .unwrap_err();
    assert!(matches!(e, OsError::PermissionDenied { .. }), "{e:?}");
    // DELETE is not in the default policy.
    let e = block_on(s.signed_url(Method::DELETE, &key, FIVE_MINUTES)).unwrap_err();
    assert!(matches!(e, OsError::PermissionDenied { .. }), "{e:?}");
}

#[test]
fn a_bound_content_type_is_enforced_by_seaweedfs() {
    let Some(endpoint) = seaweedfs::endpoint() else {
        return;
    };
    let s = signer(&endpoint);
    let key = Path::from(format!("object-store/{}/cat.png", Timestamp::now().unix()));
    let opts = SignedUrlOptions::default().with_signed_header(
        HeaderName::from_static("content-type"),
        HeaderValue::from_static("image/png"),
    );
    let url = block_on(s.signed_url_opts(Method::PUT, &key, FIVE_MINUTES, &opts)).unwrap();
    let png = [("content-type".to_owned(), "image/png".to_owned())];
    let gif = [("content-type".to_owned(), "image/gif".to_owned())];
    let r = http::send("PUT", url.as_str(), &gif, b"GIF89a").unwrap();
    assert_eq!(r.status, 403, "a different type: {}", r.body_snippet());
    let r = http::send("PUT", url.as_str(), &png, b"\x89PNG").unwrap();
    assert_eq!(r.status, 200, "{}", r.body_snippet());
}
