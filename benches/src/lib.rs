//! Shared pieces of the presign benchmarks: the common workload and the hand-written floors.
//!
//! The floors are deliberately minimal, independent implementations written from the
//! providers' specifications (they share no code with presign): they show what the crypto
//! and string building cost at the least, so presign's overhead can be read as a ratio.
//! Each one caches what depends only on the key and the day (like the S3 floor: the signing
//! key bytes, the credential, the host) and does the rest per URL. The `*_floor` modules use
//! `std::fmt` ("floor (fmt)" in the results); [`tight`] holds the tight floors (no `fmt`, one
//! pre-sized `String`, canonical request and string to sign hashed as they go by).

pub mod azure_floor;
pub mod cdn_floor;
pub mod gcs_floor;
pub mod log_corpus;
pub mod s3_floor;
pub mod tight;

/// The benchmark's bucket.
pub const BUCKET: &str = "examplebucket";
/// The benchmark's key (a space makes encoding do some work).
pub const KEY: &str = "reports/2026/q4 summary.pdf";
/// The AWS documentation's example access key id.
pub const ACCESS_KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
/// The AWS documentation's example secret key.
pub const SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
/// The region.
pub const REGION: &str = "us-east-1";
/// URL lifetime in seconds.
pub const EXPIRES: u64 = 300;
/// The fixed signing time: 2026-11-01T12:00:00Z.
pub const SIGNING_UNIX: i64 = 1_793_534_400;

/// The Azure storage account (Azurite's published development account).
pub const AZURE_ACCOUNT: &str = "devstoreaccount1";
/// Azurite's published development account key (base64).
pub const AZURE_KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/// A GCS HMAC access id (made up, in the documented shape).
pub const GCS_HMAC_ID: &str = "GOOG1EXAMPLEACCESSID";
/// A GCS HMAC secret (made up).
pub const GCS_HMAC_SECRET: &str = "bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ";

/// The conformance service-account key file (a throwaway RSA-2048 key, never valid at Google),
/// copied into `tests/vectors/gcs/` with its source note.
pub fn gcs_service_account_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors/gcs/test_service_account.not-a-test.json")
}

/// The service-account key file's JSON text.
pub fn gcs_service_account_json() -> String {
    std::fs::read_to_string(gcs_service_account_path())
        .unwrap_or_else(|e| panic!("{}: {e}", gcs_service_account_path().display()))
}

/// The crypto alone, no strings: SHA-256 of the canonical request (when the scheme has one)
/// and HMAC-SHA256 of the string to sign under `key`. A reference row in the benchmarks:
/// what no implementation can avoid.
pub fn crypto_only(
    key: &[u8],
    canonical_request: Option<&[u8]>,
    string_to_sign: &[u8],
) -> [u8; 32] {
    use hmac::{Hmac, Mac};
    use sha2::{Digest, Sha256};
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    if let Some(c) = canonical_request {
        std::hint::black_box(Sha256::digest(c));
    }
    mac.update(string_to_sign);
    mac.finalize().into_bytes().into()
}

/// The benchmark's request: GET [`KEY`] for [`EXPIRES`] seconds.
pub fn get_request() -> presign_core::PresignRequest {
    presign_core::PresignRequest::parse("GET", KEY)
        .unwrap_or_else(|e| panic!("benchmark request: {e}"))
        .with_ttl(std::time::Duration::from_secs(EXPIRES))
}

/// Signs [`get_request`] with `ours` and asserts the URL is byte-identical to `floor_url`, so
/// that a bench compares equal work; returns the request to time and the URL (for the checks
/// against further floors and the policy layer).
pub fn checked_get_request(
    rt: &tokio::runtime::Runtime,
    ours: &dyn presign_core::Presigner,
    floor_url: &str,
    what: &str,
) -> (presign_core::PresignRequest, String) {
    let request = get_request();
    let ours_url = rt
        .block_on(ours.presign(&request))
        .unwrap_or_else(|e| panic!("{what}: {e}"))
        .into_exposed_url();
    assert_eq!(ours_url, floor_url, "{what} and the floor disagree");
    (request, ours_url)
}
