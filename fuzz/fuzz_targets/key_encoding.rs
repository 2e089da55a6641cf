//! Object keys through validation, the policy's prefix rules and every provider's URL
//! encoding. Properties: no panic; a key the prefix rule admits really lies under a prefix
//! with no dot or empty segment, also once percent-decoded; every signed URL is printable
//! ASCII, and the S3 and GCS paths percent-decode back to the key exactly.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use presign_core::{Method, ObjectKey, PresignRequest, SecretString, SyncPresigner, Timestamp};

struct Providers {
    s3: presign_s3::S3Presigner,
    gcs: presign_gcs::GcsPresigner,
    azure: presign_azure::AzurePresigner,
}

static PROVIDERS: LazyLock<Providers> = LazyLock::new(|| {
    Providers {
    s3: presign_s3::S3Presigner::builder()
        .bucket("bkt")
        .region("eu-west-1")
        .credentials(presign_s3::Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ))
        .build()
        .expect("s3"),
    gcs: presign_gcs::GcsPresigner::builder()
        .bucket("bkt-1")
        .hmac_key("GOOG1EFUZZ", SecretString::new("fuzz-secret"))
        .build()
        .expect("gcs"),
    azure: presign_azure::AzurePresigner::builder()
        .account("devstoreaccount1")
        .container("cont")
        .account_key(SecretString::new(
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
        ))
        .build()
        .expect("azure"),
}
});

/// Percent-decodes `s` (every `%XX`).
fn decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() + 1 {
            if let Some(v) = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// The path of `url` after `prefix` (the origin and bucket), before the query.
fn key_part<'a>(url: &'a str, prefix: &str) -> &'a str {
    let rest = url
        .strip_prefix(prefix)
        .expect("the URL starts with its origin");
    rest.split_once('?').map_or(rest, |(p, _)| p)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(key) = ObjectKey::new(text) else {
        return;
    };
    let prefixes = ["uploads/".to_owned(), "docs".to_owned()];
    if presign_policy::check_key(&key, &prefixes).is_ok() {
        let k = key.as_str();
        assert!(k.starts_with("uploads/") || k == "docs" || k.starts_with("docs/"));
        let mut current = k.as_bytes().to_vec();
        for _ in 0..4 {
            let s = String::from_utf8_lossy(&current).into_owned();
            assert!(
                !s.split(['/', '\\'])
                    .any(|seg| seg.is_empty() || seg == "." || seg == ".."),
                "an admitted key has a dot or empty segment"
            );
            current = decode(&s);
        }
    }
    let at = Timestamp::from_unix(1_767_323_045).expect("time");
    let request = PresignRequest::new(Method::Get, key.clone()).signed_at(at);
    let p = &*PROVIDERS;
    let cases: [(&dyn SyncPresigner, Option<&str>); 3] = [
        (&p.s3, Some("https://bkt.s3.eu-west-1.amazonaws.com/")),
        (&p.gcs, Some("https://storage.googleapis.com/bkt-1/")),
        (&p.azure, None),
    ];
    for (provider, prefix) in cases {
        let Ok(signed) = provider.presign_sync(&request) else {
            continue;
        };
        let url = signed.expose_url();
        assert!(
            url.bytes().all(|b| b.is_ascii_graphic()),
            "a URL byte that is not printable ASCII"
        );
        if let Some(prefix) = prefix {
            assert_eq!(
                decode(key_part(url, prefix)),
                key.as_str().as_bytes(),
                "the path does not decode to the key"
            );
        }
    }
});
