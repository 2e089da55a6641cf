#![cfg(test)] // all test code: clippy.toml's allow-*-in-tests cover its helpers too
//! The generic request mapping, capabilities, URL styles and builder checks.

use std::sync::Arc;
use std::time::Duration;

use presign_core::{
    Capabilities, Checksum, ChecksumAlgorithm, ClientIp, ConstraintKind as K, Constraints,
    ContentLength, Error, FixedClock, Method, ObjectKey, PresignRequest, PresignedRequest,
    Presigner, SecretString, Support, Timestamp,
};
use presign_gcs::{GcsPresigner, GcsPresignerBuilder, UrlStyle, V4Request};

fn now() -> Timestamp {
    Timestamp::parse_rfc3339("2026-03-04T05:06:07Z").unwrap()
}

fn hmac() -> GcsPresignerBuilder {
    GcsPresigner::builder()
        .bucket("my-bucket")
        .hmac_key("GOOG1EID", SecretString::new("s3cr3t"))
        .clock(Arc::new(FixedClock(now())))
}

fn sign(p: &GcsPresigner, r: &PresignRequest) -> Result<PresignedRequest, Error> {
    futures_executor::block_on(p.presign(r))
}

fn req(method: Method, key: &str, c: Constraints) -> PresignRequest {
    PresignRequest::new(method, ObjectKey::new(key).unwrap()).with_constraints(c)
}

fn query_has(url: &str, pair: &str) -> bool {
    url.split_once('?').unwrap().1.split('&').any(|p| p == pair)
}

#[test]
fn capabilities_say_exactly_what_gcs_enforces() {
    let p = hmac().build().unwrap();
    let caps: &Capabilities = p.capabilities();
    assert_eq!(caps.provider(), "gcs");
    assert_eq!(caps.max_ttl(), Duration::from_secs(604_800));
    assert_eq!(caps.max_key_bytes(), 1024);
    for k in [
        K::ContentType,
        K::ContentLengthExact,
        K::ContentLengthRange,
        K::CreateOnly,
        K::ResponseContentDisposition,
        K::ResponseContentType,
        K::ObjectVersion,
        K::ExtraHeaders,
        K::ExtraQuery,
    ] {
        assert_eq!(caps.support(k), Support::Enforced, "{k}");
    }
    for k in [
        K::ClientIpV4,
        K::ClientIpV6,
        K::HttpsOnly,
        K::NotBefore,
        K::ResponseCacheControl,
        K::ResponseContentLanguage,
        K::ResponseContentEncoding,
        K::ResponseExpires,
    ] {
        assert_eq!(caps.support(k), Support::Unsupported, "{k}");
    }
}

#[test]
fn constraints_become_signed_headers_and_query() {
    let p = hmac().build().unwrap();
    let mut c = Constraints::default();
    c.content_type = Some("image/png".into());
    c.content_length = Some(ContentLength::Range { min: 1, max: 1000 });
    c.create_only = true;
    c.metadata.push(("Owner".into(), "ana".into()));
    c.headers
        .push(("X-Goog-Encryption-Key".into(), "c2VjcmV0a2V5".into()));
    let s = sign(&p, &req(Method::Put, "up/cat.png", c)).unwrap();
    let h: Vec<(&str, &str)> = s
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        h,
        vec![
            ("content-type", "image/png"),
            ("x-goog-content-length-range", "1,1000"),
            ("x-goog-encryption-key", "c2VjcmV0a2V5"),
            ("x-goog-if-generation-match", "0"),
            ("x-goog-meta-owner", "ana"),
        ]
    );
    assert!(query_has(
        s.expose_url(),
        "X-Goog-SignedHeaders=content-type%3Bhost%3Bx-goog-content-length-range%3Bx-goog-encryption-key%3Bx-goog-if-generation-match%3Bx-goog-meta-owner"
    ));
    // The encryption key never shows in Debug.
    assert!(!format!("{s:?}").contains("c2VjcmV0a2V5"));

    // Exact length on PUT: signed content-length.
    let mut c = Constraints::default();
    c.content_length = Some(ContentLength::Exact(42));
    let s = sign(&p, &req(Method::Put, "k", c)).unwrap();
    assert_eq!(
        s.headers(),
        &[("content-length".to_owned(), "42".to_owned())]
    );

    // Resumable start: POST with x-goog-resumable: start.
    let s = sign(&p, &req(Method::Post, "big.bin", Constraints::default())).unwrap();
    assert_eq!(
        s.headers(),
        &[("x-goog-resumable".to_owned(), "start".to_owned())]
    );

    // GET: response overrides and generation as signed query parameters.
    let mut c = Constraints::default();
    c.response.content_disposition = Some("attachment; filename=\"a b.txt\"".into());
    c.response.content_type = Some("text/plain".into());
    c.version = Some("1700000000000000".into());
    let s = sign(&p, &req(Method::Get, "k", c)).unwrap();
    let url = s.expose_url();
    assert!(query_has(url, "generation=1700000000000000"), "{url}");
    assert!(
        query_has(
            url,
            "response-content-disposition=attachment%3B%20filename%3D%22a%20b.txt%22"
        ),
        "{url}"
    );
    assert!(
        query_has(url, "response-content-type=text%2Fplain"),
        "{url}"
    );

    // CRC32C checksum through x-goog-hash.
    let mut c = Constraints::default();
    c.checksum = Some(Checksum {
        algorithm: ChecksumAlgorithm::Crc32c,
        value: "AAAAAA==".into(),
    });
    let s = sign(&p, &req(Method::Put, "k", c)).unwrap();
    assert_eq!(
        s.headers(),
        &[("x-goog-hash".to_owned(), "crc32c=AAAAAA==".to_owned())]
    );
}

#[test]
fn what_gcs_cannot_enforce_is_an_error_not_a_silent_drop() {
    let p = hmac().build().unwrap();
    let mut c = Constraints::default();
    c.client_ip = Some(ClientIp::parse("10.0.0.0/8").unwrap());
    let e = sign(&p, &req(Method::Get, "k", c)).unwrap_err();
    assert_eq!(e.kind(), "constraint_not_enforced", "{e}");
    assert!(e.to_string().contains("client-ip-v4") && e.to_string().contains("gcs"));

    let mut c = Constraints::default();
    c.https_only = true;
    assert_eq!(
        sign(&p, &req(Method::Get, "k", c)).unwrap_err().kind(),
        "constraint_not_enforced"
    );
    let mut c = Constraints::default();
    c.response.cache_control = Some("no-store".into());
    assert_eq!(
        sign(&p, &req(Method::Get, "k", c)).unwrap_err().kind(),
        "constraint_not_enforced"
    );
    let mut c = Constraints::default();
    c.checksum = Some(Checksum {
        algorithm: ChecksumAlgorithm::Sha256,
        value: "x".into(),
    });
    assert_eq!(
        sign(&p, &req(Method::Put, "k", c)).unwrap_err().kind(),
        "invalid_constraint"
    );
    let mut c = Constraints::default();
    c.content_length = Some(ContentLength::Range { min: 1, max: 2 });
    assert_eq!(
        sign(&p, &req(Method::Get, "k", c)).unwrap_err().kind(),
        "invalid_constraint"
    );
    let mut c = Constraints::default();
    c.version = Some("v1".into());
    assert_eq!(
        sign(&p, &req(Method::Get, "k", c)).unwrap_err().kind(),
        "invalid_constraint"
    );
    let mut c = Constraints::default();
    c.query.push(("X-Goog-Signature".into(), "x".into()));
    assert_eq!(
        sign(&p, &req(Method::Get, "k", c)).unwrap_err().kind(),
        "invalid_constraint"
    );
    let mut c = Constraints::default();
    c.headers.push(("Host".into(), "evil".into()));
    assert_eq!(
        sign(&p, &req(Method::Get, "k", c)).unwrap_err().kind(),
        "invalid_constraint"
    );
}

#[test]
fn ttl_over_seven_days_is_an_error() {
    let p = hmac().build().unwrap();
    let ok = PresignRequest::parse("GET", "k")
        .unwrap()
        .with_ttl(Duration::from_secs(604_800));
    let s = sign(&p, &ok).unwrap();
    assert!(query_has(s.expose_url(), "X-Goog-Expires=604800"));
    assert_eq!(
        s.expires_at(),
        now().checked_add(Duration::from_secs(604_800)).unwrap()
    );
    for bad in [604_801, 0] {
        let r = PresignRequest::parse("GET", "k")
            .unwrap()
            .with_ttl(Duration::from_secs(bad));
        assert_eq!(sign(&p, &r).unwrap_err().kind(), "invalid_ttl", "{bad}");
    }
    let long = ObjectKey::new("k".repeat(1025)).unwrap();
    assert_eq!(
        sign(&p, &PresignRequest::new(Method::Get, long))
            .unwrap_err()
            .kind(),
        "invalid_key"
    );
}

#[test]
fn url_styles_and_precedence() {
    let url = |b: GcsPresignerBuilder| {
        let p = b.build().unwrap();
        let s = sign(&p, &PresignRequest::parse("GET", "a/b c").unwrap()).unwrap();
        let u = s.expose_url();
        u.split_once('?').unwrap().0.to_owned()
    };
    assert_eq!(
        url(hmac()),
        "https://storage.googleapis.com/my-bucket/a/b%20c"
    );
    assert_eq!(
        url(hmac().url_style(UrlStyle::VirtualHosted)),
        "https://my-bucket.storage.googleapis.com/a/b%20c"
    );
    assert_eq!(
        url(hmac().bucket_bound_hostname("http://cdn.example.com")),
        "http://cdn.example.com/a/b%20c"
    );
    assert_eq!(
        url(hmac().universe_domain("example.eu")),
        "https://storage.example.eu/my-bucket/a/b%20c"
    );
    assert_eq!(
        url(hmac().emulator_host("127.0.0.1:4443")),
        "http://127.0.0.1:4443/my-bucket/a/b%20c"
    );
    assert_eq!(
        url(hmac()
            .emulator_host("127.0.0.1:4443")
            .endpoint("http://127.0.0.1:9000")),
        "http://127.0.0.1:9000/my-bucket/a/b%20c"
    );
    // No normalisation of the path; `.` and `..` segments are refused, because HTTP clients
    // remove them before sending (the URL could only be refused).
    let p = hmac().build().unwrap();
    let s = sign(&p, &PresignRequest::parse("GET", "a/.b/..c//d").unwrap()).unwrap();
    assert!(
        s.expose_url()
            .starts_with("https://storage.googleapis.com/my-bucket/a/.b/..c//d?")
    );
    let e = sign(&p, &PresignRequest::parse("GET", "a/./b/../c").unwrap()).unwrap_err();
    assert_eq!(e.kind(), "invalid_key");
    // Bucket-level URL through the low-level request.
    let v4 = V4Request::new(Method::Get, None, Duration::from_secs(60)).with_query("prefix", "a/");
    let s = p.presign_v4_sync(&v4).unwrap();
    assert!(
        s.expose_url()
            .starts_with("https://storage.googleapis.com/my-bucket?")
    );
}

#[test]
fn builder_errors_name_the_field() {
    let e = GcsPresigner::builder()
        .hmac_key("id", SecretString::new("s"))
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("bucket"), "{e}");
    for bad in ["UPPER", "a", "has/slash", "-lead"] {
        let e = hmac().bucket(bad).build().unwrap_err();
        assert!(e.to_string().contains("bucket"), "{bad}: {e}");
    }
    let e = GcsPresigner::builder().bucket("b-1").build().unwrap_err();
    assert_eq!(e.kind(), "credentials");
    let e = hmac()
        .service_account_json("{}")
        .build()
        .unwrap_err()
        .to_string();
    assert!(e.contains("both"), "{e}");
    let e = hmac().endpoint("ftp://x").build().unwrap_err().to_string();
    assert!(e.contains("endpoint"), "{e}");
}

/// Endpoints follow core's one base-URL parser (issue 9: GCS accepted port 99999 and hosts
/// that S3 refused). Each field is named.
#[test]
fn endpoints_follow_the_one_parser() {
    for (field, bad) in [
        ("endpoint", "http://localhost:99999"),
        ("endpoint", "http://localhost:0"),
        ("endpoint", "https://under_score.example"),
        ("endpoint", "https://[::1"),
        ("emulator_host", "localhost:65536"),
        ("bucket_bound_hostname", "cdn.example.com:123456"),
        ("bucket_bound_hostname", "https://cdn.example.com/path"),
    ] {
        let b = match field {
            "endpoint" => hmac().endpoint(bad),
            "emulator_host" => hmac().emulator_host(bad),
            _ => hmac().bucket_bound_hostname(bad),
        };
        let e = b.build().unwrap_err();
        assert_eq!(e.kind(), "invalid_input", "{bad}");
        assert!(e.to_string().contains(field), "{bad}: {e}");
    }
    let e = hmac()
        .endpoint("http://localhost:99999")
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("1 to 65535"), "{e}");
    // Valid endpoints keep their URL: the port as written, the host signed without it.
    for (endpoint, want) in [
        ("http://localhost:8080", "http://localhost:8080/my-bucket/k"),
        (
            "storage.googleapis.com:443",
            "https://storage.googleapis.com:443/my-bucket/k",
        ),
        ("http://[::1]:4443/", "http://[::1]:4443/my-bucket/k"),
    ] {
        let p = hmac().endpoint(endpoint).build().unwrap();
        let s = sign(&p, &PresignRequest::parse("GET", "k").unwrap()).unwrap();
        let url = s.expose_url();
        assert!(url.starts_with(&format!("{want}?")), "{endpoint}: {url}");
    }
    let e = hmac()
        .url_style(UrlStyle::BucketBoundHostname)
        .build()
        .unwrap_err()
        .to_string();
    assert!(e.contains("bucket_bound_hostname"), "{e}");
    let e = hmac()
        .url_style(UrlStyle::VirtualHosted)
        .bucket_bound_hostname("cdn.example.com")
        .build()
        .unwrap_err()
        .to_string();
    assert!(e.contains("bucket_bound_hostname"), "{e}");
    let e = GcsPresigner::builder()
        .bucket("b-1")
        .service_account_file("/nonexistent/key.json")
        .build()
        .unwrap_err()
        .to_string();
    assert!(e.contains("/nonexistent/key.json"), "{e}");
    // The secret never shows in Debug.
    let p = hmac().build().unwrap();
    assert!(!format!("{p:?} {:?}", hmac()).contains("s3cr3t"));
    assert_eq!(p.signer_id(), "GOOG1EID");
    assert_eq!(p.algorithm(), "GOOG4-HMAC-SHA256");
}

#[test]
fn explain_matches_what_is_signed() {
    let p = hmac().build().unwrap();
    let r = PresignRequest::parse("PUT", "x y").unwrap();
    let e = p.explain(&r).unwrap();
    let creq = e.canonical_request.unwrap();
    assert!(creq.starts_with("PUT\n/my-bucket/x%20y\nX-Goog-Algorithm=GOOG4-HMAC-SHA256&"));
    assert!(creq.ends_with("\nhost:storage.googleapis.com\n\nhost\nUNSIGNED-PAYLOAD"));
    assert!(
        e.string_to_sign.starts_with(
            "GOOG4-HMAC-SHA256\n20260304T050607Z\n20260304/auto/storage/goog4_request\n"
        )
    );
    let through_trait = futures_executor::block_on(Presigner::explain(&p, &r))
        .unwrap()
        .unwrap();
    assert_eq!(through_trait.string_to_sign, e.string_to_sign);
}
