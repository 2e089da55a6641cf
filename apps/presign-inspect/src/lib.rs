//! # presign-inspect
//!
//! Look inside any signed URL without a credential: S3 SigV4 (and legacy SigV2), GCS V4 (and
//! legacy V2), Azure SAS (service, user delegation, account), CloudFront (canned and custom
//! policy, decoded) and Cloud CDN (signed URL, URL prefix). [`inspect`] returns a [`Report`]:
//! provider, bucket/container and object, method or permissions, signed-at, expiry, remaining
//! lifetime (against an injected clock), signed headers the client must send, constraints,
//! the credential's kind, and [`findings`] against the checklist every guide ends with.
//!
//! It also holds the vendor-wide redaction set ([`vendor_secrets`], [`vendor_redactor`]): the
//! union of every provider crate's declarations, for scrubbing logs that may hold any
//! vendor's URLs.
//!
//! ```
//! use presign_core::Timestamp;
//! use presign_inspect::{inspect, Provider, Severity};
//!
//! let url = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256\
//!     &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
//!     &X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\
//!     &X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
//! let now = Timestamp::parse_rfc3339("2013-05-24T01:00:00Z")?;
//! let report = inspect(url, now).unwrap();
//! assert_eq!(report.provider, Provider::S3);
//! assert_eq!(report.bucket.as_deref(), Some("examplebucket"));
//! assert_eq!(report.object.as_deref(), Some("test.txt"));
//! assert_eq!(report.remaining_secs, 23 * 3600);
//! let codes: Vec<_> = report.findings.iter().map(|f| f.code).collect();
//! assert_eq!(codes, ["lifetime-over-15m", "long-term-key-id"]);
//! assert_eq!(report.worst(), Some(Severity::Warning));
//! # Ok::<(), presign_core::Error>(())
//! ```

mod azure;
mod cdn;
mod error;
pub mod findings;
mod gcs;
mod report;
mod s3;
mod text;
mod time;
mod v4;
pub mod verify;

pub use error::InspectError;
pub use presign_core::signed_url::{MAX_URL_BYTES, SignedUrl};
pub use report::{Credential, CredentialKind, Finding, Provider, Report, Severity};
pub use text::render_text;
pub use verify::{Part, Verification, VerifyError, verify};

use presign_core::Timestamp;
use presign_core::redact::{KeyIds, Redactor, SecretParam};
use serde::Serialize;

/// How much a signature grants.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GrantScope {
    /// One object.
    #[default]
    Object,
    /// Every object under a prefix or matching a wildcard.
    Prefix,
    /// Every blob of a container (Azure `sr=c`).
    Container,
    /// The whole storage account (Azure account SAS).
    Account,
}

/// Decodes `url` and checks it against the checklist at `now`.
///
/// Errors say whether the text is not a URL, not a signed URL, or which part of a signed URL
/// is missing or malformed.
pub fn inspect(url: &str, now: Timestamp) -> Result<Report, InspectError> {
    let parsed = SignedUrl::parse(url).map_err(InspectError::from_url_error)?;
    let mut report = decode(&parsed)?;
    report.remaining_secs = report.expires_at.unix() - now.unix();
    report.findings = findings::check(&report, now, parsed.is_loopback());
    Ok(report)
}

/// Recognises the scheme from the parameters and decodes it.
fn decode(url: &SignedUrl) -> Result<Report, InspectError> {
    let any = |names: &[&str]| names.iter().any(|n| url.has(n));
    if any(&["X-Amz-Algorithm", "X-Amz-Signature", "X-Amz-Credential"]) {
        let provider = if gcs::is_gcs_host(&url.host) {
            Provider::Gcs
        } else {
            Provider::S3
        };
        return s3::decode_v4(url, provider);
    }
    if any(&["X-Goog-Algorithm", "X-Goog-Signature", "X-Goog-Credential"]) {
        return gcs::decode_v4(url);
    }
    if url.has("sig") {
        return azure::decode(url);
    }
    if url.has("Key-Pair-Id") {
        return cdn::decode_cloudfront(url);
    }
    if url.has("KeyName") {
        return cdn::decode_cloud_cdn(url);
    }
    if url.has("AWSAccessKeyId") {
        return s3::decode_v2(url);
    }
    if url.has("GoogleAccessId") {
        return gcs::decode_v2(url);
    }
    if url.has("Signature") {
        return Err(InspectError::NotSigned(
            "a Signature parameter, but no Key-Pair-Id (CloudFront), KeyName (Cloud CDN), \
             AWSAccessKeyId (S3 SigV2) or GoogleAccessId (GCS V2) says whose"
                .to_owned(),
        ));
    }
    Err(InspectError::NotSigned(
        "no signature parameter (X-Amz-Signature, X-Goog-Signature, sig, Signature)".to_owned(),
    ))
}

/// A report with what every scheme knows filled in; the decoders add the rest.
pub(crate) fn report_for(
    url: &SignedUrl,
    provider: Provider,
    scheme: &'static str,
    expires_at: Timestamp,
    credential: Credential,
) -> Report {
    Report {
        provider,
        scheme,
        algorithm: None,
        url_scheme: url.scheme.clone(),
        host: match url.port {
            Some(p) if url.host.contains(':') => format!("[{}]:{p}", url.host),
            Some(p) => format!("{}:{p}", url.host),
            None => url.host.clone(),
        },
        account: None,
        bucket: None,
        object: None,
        resource: None,
        method: None,
        operation: None,
        permissions: Vec::new(),
        signed_at: None,
        not_before: None,
        expires_at,
        expiry_in_policy: false,
        lifetime_secs: None,
        max_lifetime_secs: None,
        remaining_secs: 0,
        signed_headers: Vec::new(),
        signed_params: Vec::new(),
        client_ip: None,
        protocol: None,
        grant: GrantScope::Object,
        credential,
        signature_redacted: false,
        findings: Vec::new(),
    }
}

/// Every provider crate's [`SecretParam`] declarations: S3, GCS, Azure, CloudFront, Cloud CDN.
pub fn vendor_secrets() -> Vec<SecretParam> {
    [
        presign_s3::SECRET_PARAMS,
        presign_gcs::SECRET_PARAMS,
        presign_azure::SECRET_PARAMS,
        presign_cloudfront::SECRET_PARAMS,
        presign_cloud_cdn::SECRET_PARAMS,
    ]
    .concat()
}

/// A [`Redactor`] that knows every vendor's secrets (what `presign redact` uses).
///
/// ```
/// use presign_core::redact::KeyIds;
/// let r = presign_inspect::vendor_redactor(KeyIds::Keep);
/// assert_eq!(
///     r.redact_str("https://a.blob.core.windows.net/c/b?sv=2024-08-04&se=2030-01-01&sig=abc%3D"),
///     "https://a.blob.core.windows.net/c/b?sv=2024-08-04&se=2030-01-01&sig=REDACTED"
/// );
/// ```
pub fn vendor_redactor(key_ids: KeyIds) -> Redactor {
    Redactor::builder()
        .secrets(&vendor_secrets())
        .key_ids(key_ids)
        .build()
}
