//! Cloud Storage signed URLs: V4 (`X-Goog-…`, RSA or HMAC) and legacy V2 (`GoogleAccessId`).

use presign_core::redact::REDACTED;

use crate::error::InspectError;
use crate::report::{Credential, CredentialKind, Provider, Report};
use crate::report_for;
use crate::s3::{path_style, required, required_unix, upload_method};
use crate::v4::Dialect;
use presign_core::signed_url::SignedUrl;

/// GCS's V4 dialect (the lifetime limit is 7 days).
pub(crate) const V4: Dialect = Dialect {
    scheme: "GCS V4",
    prefix: "X-Goog-",
    terminator: "goog4_request",
    algorithms: &["GOOG4-RSA-SHA256", "GOOG4-HMAC-SHA256"],
    max_expires: 604_800,
};

/// Whether `host` is a Cloud Storage XML API host (`storage.googleapis.com`, a universe's
/// `storage.…`, or `BUCKET.storage.googleapis.com`).
pub(crate) fn is_gcs_host(host: &str) -> bool {
    host == "storage.googleapis.com" || host.ends_with(".storage.googleapis.com")
}

/// The bucket and object: path style on `storage.googleapis.com`, virtual-hosted on
/// `BUCKET.storage.googleapis.com`; on any other host (a bucket-bound hostname or an emulator)
/// the path is taken as `/bucket/object` unless the host itself looks like a bucket name with
/// dots (a CNAME to `c.storage.googleapis.com`).
pub(crate) fn bucket_and_object(url: &SignedUrl) -> (Option<String>, Option<String>) {
    if let Some(bucket) = url.host.strip_suffix(".storage.googleapis.com") {
        let object = url.decoded_path();
        return (
            Some(bucket.to_owned()),
            Some(object).filter(|o| !o.is_empty()),
        );
    }
    path_style(url)
}

/// What a V4 credential or V2 access id names.
fn kind(algorithm_is_hmac: bool) -> CredentialKind {
    if algorithm_is_hmac {
        CredentialKind::HmacKey
    } else {
        CredentialKind::ServiceAccount
    }
}

/// Decodes a V4 URL.
pub(crate) fn decode_v4(url: &SignedUrl) -> Result<Report, InspectError> {
    let (mut r, v4) = V4.report(url, Provider::Gcs, "V4", |v4| {
        kind(v4.algorithm == "GOOG4-HMAC-SHA256")
    })?;
    (r.bucket, r.object) = bucket_and_object(url);
    r.method = if v4.signed_headers.iter().any(|h| h == "x-goog-resumable") {
        Some("POST".to_owned())
    } else {
        upload_method(&v4.signed_headers)
    };
    Ok(r)
}

/// Decodes a legacy V2 URL (`GoogleAccessId`, `Expires`, `Signature`).
pub(crate) fn decode_v2(url: &SignedUrl) -> Result<Report, InspectError> {
    const SCHEME: &str = "GCS V2";
    let access_id = required(url, SCHEME, "GoogleAccessId")?;
    let expires_at = required_unix(url, SCHEME, "Expires")?;
    let signature = required(url, SCHEME, "Signature")?;
    let hmac = !access_id.contains('@');
    let credential = Credential::new(kind(hmac), Some(access_id.to_owned()));
    let mut r = report_for(url, Provider::Gcs, "V2", expires_at, credential);
    r.algorithm = Some(if hmac { "HMAC-SHA1" } else { "RSA-SHA256" }.to_owned());
    (r.bucket, r.object) = bucket_and_object(url);
    r.signature_redacted = signature == REDACTED;
    Ok(r)
}
