//! Unit tests of [`S3Presigner`].

use super::*;
use crate::Addressing;
use presign_core::{Constraints, CredentialSource, FixedClock, Method, ObjectKey};
use proptest::prelude::*;

const AK: &str = "AKIAIOSFODNN7EXAMPLE";
const SK: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

fn now() -> Timestamp {
    Timestamp::parse_rfc3339("2026-01-02T03:04:05Z").unwrap()
}

fn builder() -> S3PresignerBuilder {
    S3Presigner::builder()
        .bucket("my-bucket")
        .credentials(Credentials::new(AK, SK))
        .clock(Arc::new(FixedClock(now())))
}

fn get(key: &str) -> PresignRequest {
    PresignRequest::new(Method::Get, ObjectKey::new(key).unwrap())
}

fn url(p: &S3Presigner, key: &str) -> String {
    p.presign_sync(&get(key)).unwrap().into_exposed_url()
}

#[test]
fn regional_virtual_default() {
    let p = builder().region("eu-central-1").build().unwrap();
    assert_eq!(p.addressing(), ResolvedAddressing::Virtual);
    let u = url(&p, "a.txt");
    assert!(
        u.starts_with("https://my-bucket.s3.eu-central-1.amazonaws.com/a.txt?"),
        "{u}"
    );
    assert!(u.contains("%2Feu-central-1%2Fs3%2Faws4_request"), "{u}");
}

#[test]
fn path_style_custom_endpoint_and_ports() {
    let p = builder()
        .endpoint("http://127.0.0.1:8333")
        .addressing(Addressing::Path)
        .build()
        .unwrap();
    assert!(url(&p, "k").starts_with("http://127.0.0.1:8333/my-bucket/k?"));
    let p = builder()
        .endpoint("https://minio.example.com:443/store")
        .build()
        .unwrap();
    assert_eq!(p.host(), "my-bucket.minio.example.com");
    assert!(url(&p, "k").starts_with("https://my-bucket.minio.example.com/store/k?"));
    let e = p.explain(&get("k")).unwrap();
    assert!(
        e.canonical_request
            .contains("\nhost:my-bucket.minio.example.com\n"),
        "{e}"
    );
    assert!(e.canonical_request.starts_with("GET\n/store/k\n"), "{e}");
    let p = builder()
        .endpoint("http://minio:80")
        .addressing(Addressing::Path)
        .build()
        .unwrap();
    assert_eq!(p.host(), "minio");
}

#[test]
fn falls_back_to_path_style() {
    let p = builder().bucket("my.dotted.bucket").build().unwrap();
    assert_eq!(p.addressing(), ResolvedAddressing::Path);
    assert!(url(&p, "k").starts_with("https://s3.us-east-1.amazonaws.com/my.dotted.bucket/k?"));
    let p = builder().bucket("Legacy_Bucket").build().unwrap();
    assert_eq!(p.addressing(), ResolvedAddressing::Path);
}

#[test]
fn public_endpoint_is_signed_host() {
    let p = builder()
        .endpoint("http://minio.internal:9000")
        .public_endpoint("https://cdn.example.com")
        .build()
        .unwrap();
    assert!(url(&p, "a b").starts_with("https://cdn.example.com/a%20b?"));
    let e = p.explain(&get("k")).unwrap();
    assert!(
        e.canonical_request.contains("\nhost:cdn.example.com\n"),
        "{e}"
    );
}

#[test]
fn tricky_keys_encoded_once_never_normalized() {
    let p = builder().endpoint("http://127.0.0.1:8333").build().unwrap();
    for (key, path) in [
        ("a b", "/my-bucket/a%20b"),
        ("a+b", "/my-bucket/a%2Bb"),
        ("100%", "/my-bucket/100%25"),
        ("#?=&", "/my-bucket/%23%3F%3D%26"),
        ("ünï/😀", "/my-bucket/%C3%BCn%C3%AF/%F0%9F%98%80"),
        ("a//b", "/my-bucket/a//b"),
        ("a/.b", "/my-bucket/a/.b"),
        ("..x/y.", "/my-bucket/..x/y."),
        ("dir/", "/my-bucket/dir/"),
        ("~-_.", "/my-bucket/~-_."),
    ] {
        let u = url(&p, key);
        assert!(
            u.starts_with(&format!("http://127.0.0.1:8333{path}?")),
            "{key}: {u}"
        );
        let e = p.explain(&get(key)).unwrap();
        assert!(
            e.canonical_request.starts_with(&format!("GET\n{path}\n")),
            "{key}: {e}"
        );
    }
    // `.` and `..` segments are refused: HTTP clients remove them before sending, so the
    // request could never match the signature.
    for key in ["a/./b", "../x", "a/.."] {
        let e = p.presign_sync(&get(key)).unwrap_err();
        assert_eq!(e.kind(), "invalid_key", "{key}");
    }
}

#[test]
fn constraints_become_signed_headers_and_query() {
    let p = builder().build().unwrap();
    let mut c = Constraints::default();
    c.content_type = Some("text/plain".into());
    c.metadata = vec![("owner".into(), "alice".into())];
    c.query = vec![
        ("uploadId".into(), "u 1".into()),
        ("partNumber".into(), "2".into()),
    ];
    let req = PresignRequest::new(Method::Put, ObjectKey::new("k").unwrap()).with_constraints(c);
    let s = p.presign_sync(&req).unwrap();
    assert_eq!(
        s.headers(),
        &[
            ("content-type".to_owned(), "text/plain".to_owned()),
            ("x-amz-meta-owner".to_owned(), "alice".to_owned())
        ]
    );
    let u = s.expose_url();
    // Byte order: upper-case X-Amz-* sorts before lower-case names.
    assert!(
        u.contains("%3Bx-amz-meta-owner&partNumber=2&uploadId=u%201&X-Amz-Signature="),
        "{u}"
    );
    assert!(
        u.contains("X-Amz-SignedHeaders=content-type%3Bhost%3Bx-amz-meta-owner"),
        "{u}"
    );
    let e = p.explain(&req).unwrap();
    assert_eq!(
        e.signed_headers,
        ["content-type", "host", "x-amz-meta-owner"]
    );

    let mut c = Constraints::default();
    c.response.content_disposition = Some("attachment; filename=\"r.pdf\"".into());
    c.version = Some("3HL4kqtJ".into());
    let u = p
        .presign_sync(&get("k").with_constraints(c))
        .unwrap()
        .into_exposed_url();
    assert!(
        u.contains("&response-content-disposition=attachment%3B%20filename%3D%22r.pdf%22&versionId=3HL4kqtJ&X-Amz-Signature="),
        "{u}"
    );
}

#[test]
fn session_token_signed_and_redacted() {
    let p = builder()
        .credentials(Credentials::new(AK, SK).with_session_token("TOK/EN+="))
        .build()
        .unwrap();
    let s = p.presign_sync(&get("k")).unwrap();
    assert!(
        s.expose_url()
            .contains("&X-Amz-Security-Token=TOK%2FEN%2B%3D&")
    );
    assert!(!s.redacted_url().contains("TOK"));
    let e = p.explain(&get("k")).unwrap();
    let shown = format!("{e} {e:?}");
    assert!(
        !shown.contains("TOK") && shown.contains("X-Amz-Security-Token=REDACTED"),
        "{shown}"
    );
    assert!(!format!("{p:?}").contains(SK));
}

#[test]
fn ttl_bounds_and_credential_expiry() {
    let p = builder().build().unwrap();
    for bad in [0, 604_801] {
        let e = p
            .presign_sync(&get("k").with_ttl(std::time::Duration::from_secs(bad)))
            .unwrap_err();
        assert_eq!(e.kind(), "invalid_ttl", "{bad}");
        assert!(e.to_string().contains("604800"), "{e}");
    }
    let ok = p
        .presign_sync(&get("k").with_ttl(Duration::from_secs(604_800)))
        .unwrap();
    assert!(ok.expose_url().contains("X-Amz-Expires=604800&"));
    assert_eq!(
        ok.expires_at(),
        now().checked_add(Duration::from_secs(604_800)).unwrap()
    );
    let short = builder()
        .credentials(
            Credentials::new(AK, SK)
                .with_expiry(now().checked_add(Duration::from_secs(60)).unwrap()),
        )
        .build()
        .unwrap();
    // The snapshot's expiry reaches the policy's hook.
    struct Probe(Option<Option<Timestamp>>);
    impl presign_core::Prepare<PresignRequest> for Probe {
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
    let _ = short.presign_sync_with(&get("k"), &mut probe);
    assert_eq!(probe.0, Some(now().checked_add(Duration::from_secs(60))));
    assert!(
        short
            .presign_sync(&get("k").with_ttl(Duration::from_secs(60)))
            .is_ok()
    );
    let e = short
        .presign_sync(&get("k").with_ttl(Duration::from_secs(61)))
        .unwrap_err();
    assert_eq!(e.kind(), "credentials_expire_first");
}

#[test]
fn key_length_limit() {
    let p = builder().build().unwrap();
    assert!(p.presign_sync(&get(&"k".repeat(1024))).is_ok());
    let e = p.presign_sync(&get(&"k".repeat(1025))).unwrap_err();
    assert_eq!(e.kind(), "invalid_key");
    assert!(e.to_string().contains("1024"), "{e}");
}

#[test]
fn build_errors_name_the_input() {
    let cases: Vec<(S3PresignerBuilder, &str)> = vec![
        (
            S3Presigner::builder().credentials(Credentials::new(AK, SK)),
            "bucket",
        ),
        (builder().bucket("a/b"), "bucket"),
        (builder().region("us east"), "region"),
        (builder().endpoint("s3.amazonaws.com"), "endpoint"),
        (builder().endpoint("https://u@h"), "user info"),
        (
            builder().public_endpoint("https://h/?a=b"),
            "public_endpoint",
        ),
        (S3Presigner::builder().bucket("abc"), "credentials"),
        (builder().name(""), "name"),
    ];
    for (b, want) in cases {
        let e = b.build().unwrap_err().to_string();
        assert!(e.contains(want), "{want}: {e}");
    }
}

#[test]
fn every_method_and_custom_name() {
    let p = builder().name("archive").build().unwrap();
    assert_eq!(p.capabilities().provider(), "archive");
    for m in Method::ALL {
        let s = p
            .presign_sync(&PresignRequest::new(m, ObjectKey::new("k").unwrap()))
            .unwrap();
        assert_eq!(s.method(), m);
        assert_eq!(s.provider(), "archive");
        let e = p
            .explain(&PresignRequest::new(m, ObjectKey::new("k").unwrap()))
            .unwrap();
        assert!(e.canonical_request.starts_with(m.as_str()));
    }
    let mut c = Constraints::default();
    c.https_only = true;
    let e = p
        .presign_sync(&get("k").with_constraints(c))
        .unwrap_err()
        .to_string();
    assert!(e.contains("archive") && e.contains("https-only"), "{e}");
}

#[test]
fn deterministic() {
    let p = builder().build().unwrap();
    assert_eq!(url(&p, "x/y z"), url(&p, "x/y z"));
    let at = get("k").signed_at(Timestamp::from_unix(0).unwrap());
    let s = p.presign_sync(&at).unwrap();
    assert!(s.expose_url().contains("X-Amz-Date=19700101T000000Z"));
}

proptest! {
    #[test]
    fn never_panics(
        key in any::<String>(),
        method in 0usize..5,
        headers in proptest::collection::vec((any::<String>(), any::<String>()), 0..4),
        query in proptest::collection::vec((any::<String>(), any::<String>()), 0..4),
        content_type in proptest::option::of(any::<String>()),
        ttl in 0u64..700_000,
    ) {
        let p = builder().build().unwrap();
        if let Ok(key) = ObjectKey::new(key) {
            let mut c = Constraints::default();
            c.headers = headers;
            c.query = query;
            c.content_type = content_type;
            let m = Method::ALL[method];
            let req = PresignRequest::new(m, key.clone())
                .with_ttl(Duration::from_secs(ttl))
                .with_constraints(c);
            if let Ok(s) = p.presign_sync(&req) {
                // The path is the key encoded once.
                let encoded = presign_core::encoding::encode(key.as_str(), presign_core::encoding::EncodeSet::Path);
                let want = format!("https://my-bucket.s3.us-east-1.amazonaws.com/{encoded}?");
                prop_assert!(s.expose_url().starts_with(&want));
            }
            let _ = p.explain(&req);
        }
    }
}

#[test]
fn served_through_a_cdn_signs_for_the_bucket_host() {
    let direct = builder().region("eu-west-1").build().unwrap();
    let cdn = builder()
        .region("eu-west-1")
        .served_through("https://d111111abcdef8.cloudfront.net")
        .build()
        .unwrap();
    assert_eq!(cdn.host(), "my-bucket.s3.eu-west-1.amazonaws.com");
    let (d, c) = (url(&direct, "a b.mp4"), url(&cdn, "a b.mp4"));
    assert_eq!(
        c,
        d.replace(
            "https://my-bucket.s3.eu-west-1.amazonaws.com/",
            "https://d111111abcdef8.cloudfront.net/"
        )
    );
    let both = builder()
        .public_endpoint("https://files.example.com")
        .served_through("https://d.cloudfront.net")
        .build();
    assert!(both.is_err());
    assert!(
        builder()
            .served_through("https://d.cloudfront.net/x")
            .build()
            .is_err()
    );
}

/// Temporary credentials from a source: one snapshot per signature, its expiry bounds the
/// URL, and the sync path signs only once a snapshot is cached.
#[test]
fn credentials_from_a_source() {
    #[derive(Debug)]
    struct Sts(std::sync::atomic::AtomicUsize);
    #[async_trait]
    impl CredentialSource<Credentials> for Sts {
        async fn fetch(&self, now: Timestamp) -> Result<Credential<Credentials>, Error> {
            let n = self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let exp = now.checked_add(Duration::from_secs(3600)).unwrap();
            let c = Credentials::new(format!("ASIA{n}"), SK).with_session_token("TOKEN");
            Ok(Credential::expiring(c, exp))
        }
        fn describe(&self) -> String {
            "sts".into()
        }
    }
    let sts = Arc::new(Sts(std::sync::atomic::AtomicUsize::new(0)));
    let p = S3Presigner::builder()
        .bucket("my-bucket")
        .credential_source(sts.clone())
        .clock(Arc::new(FixedClock(now())))
        .build()
        .unwrap();
    assert_eq!(p.presign_sync(&get("k")).unwrap_err().kind(), "would_block");
    let a = futures_executor::block_on(p.presign(&get("k"))).unwrap();
    assert!(a.expose_url().contains("X-Amz-Credential=ASIA0%2F"));
    let b = p.presign_sync(&get("k")).unwrap();
    assert_eq!(a, b, "the cached snapshot signs the sync path");
    assert_eq!(sts.0.load(std::sync::atomic::Ordering::SeqCst), 1);
    let e = p
        .presign_sync(&get("k").with_ttl(Duration::from_secs(3601)))
        .unwrap_err();
    assert_eq!(e.kind(), "credentials_expire_first");
    assert!(p.credential_source_description().contains("sts"));
}
