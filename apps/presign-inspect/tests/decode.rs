#![cfg(test)]
//! Decoding of URLs published in the vendors' documentation and hand-made variants; every
//! malformed or truncated URL gives an error naming the part, never a panic.

use presign_core::Timestamp;
use presign_inspect::{CredentialKind, GrantScope, InspectError, Provider, Report, inspect};
use proptest::prelude::*;

fn at(t: &str) -> Timestamp {
    Timestamp::parse_rfc3339(t).unwrap()
}

fn codes(r: &Report) -> Vec<&'static str> {
    r.findings.iter().map(|f| f.code).collect()
}

/// The AWS documentation's query-authentication example ("Authenticating Requests: Using
/// Query Parameters").
const S3_DOC: &str = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

/// Azure's service SAS example ("Create a service SAS").
const AZURE_DOC: &str = "https://myaccount.blob.core.windows.net/sascontainer/sasblob.txt?sv=2019-02-02&st=2019-04-29T22%3A18%3A26Z&se=2019-04-30T02%3A23%3A26Z&sr=b&sp=rw&sip=168.1.5.60-168.1.5.70&spr=https&sig=Z%2FRHIX5Xcg0Mq2rqI3OlWTjEg2tYkboXr1P9ZUXDtkk%3D";

#[test]
fn s3_sigv4() {
    let r = inspect(S3_DOC, at("2013-05-24T00:10:00Z")).unwrap();
    assert_eq!(r.provider, Provider::S3);
    assert_eq!(r.scheme, "SigV4");
    assert_eq!(r.bucket.as_deref(), Some("examplebucket"));
    assert_eq!(r.object.as_deref(), Some("test.txt"));
    assert_eq!(r.signed_at, Some(at("2013-05-24T00:00:00Z")));
    assert_eq!(r.expires_at, at("2013-05-25T00:00:00Z"));
    assert_eq!(r.lifetime_secs, Some(86_400));
    assert_eq!(r.remaining_secs, 86_400 - 600);
    assert_eq!(r.credential.kind, CredentialKind::AwsLongTermKey);
    assert_eq!(r.credential.key_id.as_deref(), Some("AKIAIOSFODNN7EXAMPLE"));
    assert_eq!(r.credential.region.as_deref(), Some("us-east-1"));
    assert!(r.signed_headers.is_empty());
    assert_eq!(r.method, None);
    assert_eq!(codes(&r), ["lifetime-over-15m", "long-term-key-id"]);
}

#[test]
fn s3_temporary_upload_path_style() {
    let url = "https://s3.eu-west-1.amazonaws.com/my-bucket/up/cat%20pic.png?x-id=PutObject&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAIOSFODNN7EXAMPLE%2F20260101%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T120000Z&X-Amz-Expires=300&X-Amz-SignedHeaders=content-type%3Bhost&X-Amz-Security-Token=FwoG%2Fx%3D&X-Amz-Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    let r = inspect(url, at("2026-01-01T12:01:00Z")).unwrap();
    assert_eq!(r.bucket.as_deref(), Some("my-bucket"));
    assert_eq!(r.object.as_deref(), Some("up/cat pic.png"));
    assert_eq!(r.method.as_deref(), Some("PUT"));
    assert_eq!(r.operation.as_deref(), Some("PutObject"));
    assert_eq!(r.signed_headers, ["content-type"]);
    assert_eq!(r.signed_params, ["x-id"]);
    assert_eq!(r.credential.kind, CredentialKind::AwsTemporaryKey);
    assert!(r.credential.session_token);
    assert_eq!(codes(&r), ["write-permission"]);
    // A custom endpoint is path style; an expired URL says so.
    let local = url.replace(
        "https://s3.eu-west-1.amazonaws.com",
        "http://127.0.0.1:8333",
    );
    let r = inspect(&local, at("2026-01-02T00:00:00Z")).unwrap();
    assert_eq!(r.host, "127.0.0.1:8333");
    assert_eq!(r.bucket.as_deref(), Some("my-bucket"));
    assert_eq!(codes(&r), ["expired", "write-permission"]);
}

#[test]
fn s3_sigv2_and_over_the_limit() {
    let v2 = "https://awsexamplebucket1.s3.us-west-1.amazonaws.com/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1141889120&Signature=vjbyPxybdZaNmGa%2ByT272YEAiv4%3D";
    let r = inspect(v2, at("2006-03-09T07:00:00Z")).unwrap();
    assert_eq!((r.provider, r.scheme), (Provider::S3, "SigV2"));
    assert_eq!(r.bucket.as_deref(), Some("awsexamplebucket1"));
    assert_eq!(r.expires_at, Timestamp::from_unix(1_141_889_120).unwrap());
    assert_eq!(
        codes(&r),
        ["lifetime-over-15m", "long-term-key-id", "legacy-signature"]
    );
    let long = S3_DOC.replace("X-Amz-Expires=86400", "X-Amz-Expires=700000");
    let r = inspect(&long, at("2013-05-24T00:00:00Z")).unwrap();
    assert_eq!(codes(&r)[..2], ["over-provider-max", "lifetime-over-24h"]);
}

#[test]
fn gcs_v4_and_v2() {
    // googleapis/conformance-tests v4_signatures.json, "POST for resumable uploads".
    let url = "https://storage.googleapis.com/test-bucket/test-object?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=test-iam-credentials%40dummy-project-id.iam.gserviceaccount.com%2F20190201%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20190201T090000Z&X-Goog-Expires=10&X-Goog-SignedHeaders=host%3Bx-goog-resumable&X-Goog-Signature=4a6d39b23343cedf4c30782aed4b384001828c79ffa3a080a481ea01a640dea0a0ceb58d67a1";
    let r = inspect(url, at("2019-02-01T09:00:05Z")).unwrap();
    assert_eq!((r.provider, r.scheme), (Provider::Gcs, "V4"));
    assert_eq!(r.bucket.as_deref(), Some("test-bucket"));
    assert_eq!(r.object.as_deref(), Some("test-object"));
    assert_eq!(r.method.as_deref(), Some("POST"));
    assert_eq!(r.signed_headers, ["x-goog-resumable"]);
    assert_eq!(r.credential.kind, CredentialKind::ServiceAccount);
    assert_eq!(r.remaining_secs, 5);
    let virt = url.replace(
        "storage.googleapis.com/test-bucket",
        "test-bucket.storage.googleapis.com",
    );
    let r = inspect(&virt, at("2019-02-01T09:00:05Z")).unwrap();
    assert_eq!(r.bucket.as_deref(), Some("test-bucket"));
    assert_eq!(r.object.as_deref(), Some("test-object"));
    let v2 = "https://storage.googleapis.com/example-bucket/cat.jpeg?GoogleAccessId=example%40example-project.iam.gserviceaccount.com&Expires=1458238630&Signature=VVUgfqviDCov%2B%2BKnmVOkwBR12";
    let r = inspect(v2, at("2016-03-17T18:00:00Z")).unwrap();
    assert_eq!((r.provider, r.scheme), (Provider::Gcs, "V2"));
    assert_eq!(
        r.credential.key_id.as_deref(),
        Some("example@example-project.iam.gserviceaccount.com")
    );
    assert!(codes(&r).contains(&"legacy-signature"));
}

#[test]
fn azure_sas_kinds() {
    let r = inspect(AZURE_DOC, at("2019-04-29T23:00:00Z")).unwrap();
    assert_eq!((r.provider, r.scheme), (Provider::Azure, "service SAS"));
    assert_eq!(r.account.as_deref(), Some("myaccount"));
    assert_eq!(r.bucket.as_deref(), Some("sascontainer"));
    assert_eq!(r.object.as_deref(), Some("sasblob.txt"));
    assert_eq!(r.permissions, ["r (read)", "w (write)"]);
    assert_eq!(r.client_ip.as_deref(), Some("168.1.5.60-168.1.5.70"));
    assert_eq!(r.protocol.as_deref(), Some("https"));
    assert_eq!(r.lifetime_secs, Some(4 * 3600 + 5 * 60));
    assert_eq!(
        codes(&r),
        ["lifetime-over-15m", "write-permission", "not-revocable"]
    );

    let container = "http://127.0.0.1:10000/devstoreaccount1/photos?sv=2026-10-06&se=2030-01-01T00%3A00%3A00Z&sr=c&sp=rld&si=policy1&sig=abc%3D";
    let r = inspect(container, at("2029-12-31T23:55:00Z")).unwrap();
    assert_eq!(r.account.as_deref(), Some("devstoreaccount1"));
    assert_eq!(r.bucket.as_deref(), Some("photos"));
    assert_eq!(r.grant, GrantScope::Container);
    assert_eq!(
        r.credential.stored_access_policy.as_deref(),
        Some("policy1")
    );
    assert_eq!(
        codes(&r),
        ["delete-permission", "http-allowed", "container-wide"]
    );

    let delegation = "https://acct.blob.core.windows.net/c/b.txt?sv=2026-10-06&se=2026-01-01T00%3A10%3A00Z&sr=b&sp=r&spr=https&skoid=11111111-2222-3333-4444-555555555555&sktid=66666666-7777-8888-9999-000000000000&skt=2025-12-31T00%3A00%3A00Z&ske=2026-01-01T00%3A05%3A00Z&sks=b&skv=2026-10-06&sig=abc%3D";
    let r = inspect(delegation, at("2026-01-01T00:00:00Z")).unwrap();
    assert_eq!(r.scheme, "user delegation SAS");
    assert_eq!(r.credential.kind, CredentialKind::UserDelegationKey);
    assert_eq!(codes(&r), ["expires-after-key"]);

    let account = "https://acct.blob.core.windows.net/?sv=2019-12-12&ss=bf&srt=sco&sp=rwdlacupx&se=2026-01-02T00%3A00%3A00Z&st=2026-01-01T00%3A00%3A00Z&spr=https%2Chttp&sig=abc%3D";
    let r = inspect(account, at("2026-01-01T00:00:00Z")).unwrap();
    assert_eq!(r.scheme, "account SAS");
    assert_eq!(r.grant, GrantScope::Account);
    assert_eq!(
        codes(&r),
        [
            "delete-permission",
            "lifetime-over-15m",
            "write-permission",
            "http-allowed",
            "account-sas",
            "not-revocable"
        ]
    );
}

#[test]
fn cloudfront_canned_and_custom() {
    let canned = "https://d111111abcdef8.cloudfront.net/image.jpg?Expires=1767290400&Signature=nitfHRCrtziwO2HwPfWw~yYDhUF5EwRunQA-j19DzZrvDh6hQ73lDx~-ar3UocvvRQVw6EkC~GdpGQyyOSKQim-TxAnW7d8F5Kkai9HVx0FIu-5jcQb0UEmatEXAMPLE3ReXySpLSMj0yCd3ZAB4UcBCAqEijkytL6f3fVYNGQI6&Key-Pair-Id=K2JCJMDEHXQW5F";
    let r = inspect(canned, at("2026-01-01T17:55:00Z")).unwrap();
    assert_eq!(
        (r.provider, r.scheme),
        (Provider::Cloudfront, "canned policy")
    );
    assert_eq!(r.expires_at, Timestamp::from_unix(1_767_290_400).unwrap());
    assert_eq!(r.credential.kind, CredentialKind::KeyGroupKey);
    assert_eq!(r.algorithm.as_deref(), Some("SHA-1"));
    assert!(codes(&r).is_empty(), "{:?}", codes(&r));

    let policy = r#"{"Statement":[{"Resource":"https://d111111abcdef8.cloudfront.net/videos/*","Condition":{"DateLessThan":{"AWS:EpochTime":1767290400},"DateGreaterThan":{"AWS:EpochTime":1767200000},"IpAddress":{"AWS:SourceIp":"192.0.2.0/24"}}}]}"#;
    let encoded = presign_cloudfront::encoding::encode(policy.as_bytes());
    let custom = format!(
        "https://d111111abcdef8.cloudfront.net/videos/a.mp4?Policy={encoded}&Signature=abc~-_&Key-Pair-Id=APKAEIBAERJR2EXAMPLE&Hash-Algorithm=SHA256"
    );
    let r = inspect(&custom, at("2026-01-01T00:00:00Z")).unwrap();
    assert_eq!(r.scheme, "custom policy");
    assert_eq!(
        r.resource.as_deref(),
        Some("https://d111111abcdef8.cloudfront.net/videos/*")
    );
    assert_eq!(r.not_before, Timestamp::from_unix(1_767_200_000).ok());
    assert_eq!(r.client_ip.as_deref(), Some("192.0.2.0/24"));
    assert_eq!(r.credential.kind, CredentialKind::LegacyKeyPair);
    assert_eq!(r.algorithm.as_deref(), Some("SHA-256"));
    assert_eq!(
        codes(&r),
        ["lifetime-over-24h", "prefix-wide", "long-term-key-id"]
    );
}

#[test]
fn cloud_cdn_url_and_prefix() {
    // GoogleCloudPlatform/python-docs-samples cdn/snippets_test.py (tests/vectors/cloud-cdn).
    let url = "http://35.186.234.33/index.html?Expires=1549751401&KeyName=my-key&Signature=CRFqQnVfFyiUyR63OQf-HRUpIwc=";
    let r = inspect(url, at("2019-02-09T22:25:01Z")).unwrap();
    assert_eq!((r.provider, r.scheme), (Provider::CloudCdn, "signed URL"));
    assert_eq!(r.credential.key_id.as_deref(), Some("my-key"));
    assert_eq!(r.remaining_secs, 300);
    assert_eq!(codes(&r), ["insecure-http"]);
    let prefix = "https://media.example.com/videos/a.mp4?URLPrefix=aHR0cHM6Ly9tZWRpYS5leGFtcGxlLmNvbS92aWRlb3Mv&Expires=1566268009&KeyName=mySigningKey&Signature=0Wm9JfSCp-pyl9Bm9x-DNy8oXEw=";
    let r = inspect(prefix, at("2019-08-20T02:20:00Z")).unwrap();
    assert_eq!(r.scheme, "signed URL prefix");
    assert_eq!(
        r.resource.as_deref(),
        Some("https://media.example.com/videos/")
    );
    assert_eq!(codes(&r), ["prefix-wide"]);
}

#[test]
fn clear_errors_name_the_part() {
    let now = at("2026-01-01T00:00:00Z");
    let err = |url: &str| inspect(url, now).unwrap_err();
    assert!(matches!(err("not a url"), InspectError::NotAUrl(_)));
    assert!(matches!(err("https://h/k?a=1"), InspectError::NotSigned(_)));
    assert!(
        err("https://h/k?Signature=x&Expires=1")
            .to_string()
            .contains("Key-Pair-Id")
    );
    for (drop, part) in [
        ("X-Amz-Date=20130524T000000Z&", "X-Amz-Date"),
        ("X-Amz-Expires=86400&", "X-Amz-Expires"),
        ("X-Amz-SignedHeaders=host&", "X-Amz-SignedHeaders"),
        ("X-Amz-Algorithm=AWS4-HMAC-SHA256&", "X-Amz-Algorithm"),
    ] {
        let e = err(&S3_DOC.replace(drop, "")).to_string();
        assert!(e.contains(part) && e.contains("missing"), "{e}");
    }
    for (from, to, part) in [
        (
            "X-Amz-Date=20130524T000000Z",
            "X-Amz-Date=2013-05-24",
            "X-Amz-Date",
        ),
        ("20130524%2Fus", "20130525%2Fus", "X-Amz-Credential"),
        ("aws4_request", "aws5_request", "X-Amz-Credential"),
        ("X-Amz-Expires=86400", "X-Amz-Expires=0", "X-Amz-Expires"),
        (
            "X-Amz-SignedHeaders=host",
            "X-Amz-SignedHeaders=Host",
            "X-Amz-SignedHeaders",
        ),
        (
            "X-Amz-Signature=aeeed9bb",
            "X-Amz-Signature=zzz",
            "X-Amz-Signature",
        ),
    ] {
        let e = err(&S3_DOC.replace(from, to)).to_string();
        assert!(
            e.starts_with("S3 SigV4 URL with a bad ") && e.contains(part),
            "{e}"
        );
    }
    let twice = format!("{S3_DOC}&X-Amz-Date=20130524T000000Z");
    assert!(err(&twice).to_string().contains("present 2 times"));
    for (from, to, part) in [
        ("se=2019-04-30T02%3A23%3A26Z", "se=tomorrow", "se"),
        ("sr=b", "sr=q", "sr"),
        ("sp=rw", "sp=rz", "sp"),
        ("sv=2019-02-02", "sv=latest", "sv"),
    ] {
        let e = err(&AZURE_DOC.replace(from, to)).to_string();
        assert!(e.contains(&format!("bad {part}:")), "{e}");
    }
}

proptest! {
    /// Every truncation of every sample decodes or says what is wrong.
    #[test]
    fn truncated_urls_never_panic(cut in 0usize..600, which in 0usize..3) {
        let url = [S3_DOC, AZURE_DOC, "https://d1.cloudfront.net/a?Expires=1&Signature=x&Key-Pair-Id=K1"][which];
        let cut = cut.min(url.len());
        if let Err(e) = inspect(&url[..cut], Timestamp::from_unix(0).unwrap()) {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,300}") {
        let _ = inspect(&s, Timestamp::from_unix(0).unwrap());
        let _ = inspect(&format!("https://h/k?{s}"), Timestamp::from_unix(0).unwrap());
    }
}
