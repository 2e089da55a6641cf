//! Cloud Storage signed URLs: V4 (`X-Goog-…`, RSA or HMAC) and legacy V2 (`GoogleAccessId`).

use std::time::Duration;

use presign_core::redact::REDACTED;

use crate::error::InspectError;
use crate::parse::ParsedUrl;
use crate::report::{Credential, CredentialKind, Provider, Report};
use crate::s3::{path_style, required, upload_method};
use crate::time::parse_unix;
use crate::v4::Dialect;
use crate::{GrantScope, report_for};

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
pub(crate) fn bucket_and_object(url: &ParsedUrl) -> (Option<String>, Option<String>) {
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
pub(crate) fn decode_v4(url: &ParsedUrl) -> Result<Report, InspectError> {
    let v4 = V4.decode(url)?;
    let expires_at = v4
        .signed_at
        .checked_add(Duration::from_secs(v4.expires_secs))
        .ok_or_else(|| InspectError::malformed(V4.scheme, "X-Goog-Expires", "too large"))?;
    let hmac = v4.algorithm == "GOOG4-HMAC-SHA256";
    let mut credential = Credential::new(kind(hmac), Some(v4.key_id.clone()));
    credential.scope = Some(v4.scope.clone());
    credential.region = Some(v4.region.clone());
    let mut r = report_for(url, Provider::Gcs, "V4", expires_at, credential);
    r.algorithm = Some(v4.algorithm.clone());
    (r.bucket, r.object) = bucket_and_object(url);
    r.signed_at = Some(v4.signed_at);
    r.lifetime_secs = Some(v4.expires_secs);
    r.max_lifetime_secs = Some(V4.max_expires);
    r.method = if v4.signed_headers.iter().any(|h| h == "x-goog-resumable") {
        Some("POST".to_owned())
    } else {
        upload_method(&v4.signed_headers)
    };
    r.signed_params = v4.extra_params;
    r.signed_headers = v4.signed_headers;
    r.signature_redacted = v4.signature.is_none();
    r.grant = GrantScope::Object;
    Ok(r)
}

/// Decodes a legacy V2 URL (`GoogleAccessId`, `Expires`, `Signature`).
pub(crate) fn decode_v2(url: &ParsedUrl) -> Result<Report, InspectError> {
    const SCHEME: &str = "GCS V2";
    let access_id = required(url, SCHEME, "GoogleAccessId")?;
    let expires = required(url, SCHEME, "Expires")?;
    let expires_at = parse_unix(expires).ok_or_else(|| {
        InspectError::malformed(
            SCHEME,
            "Expires",
            format!("{expires:?} is not Unix seconds"),
        )
    })?;
    let signature = required(url, SCHEME, "Signature")?;
    let hmac = !access_id.contains('@');
    let credential = Credential::new(kind(hmac), Some(access_id.to_owned()));
    let mut r = report_for(url, Provider::Gcs, "V2", expires_at, credential);
    r.algorithm = Some(if hmac { "HMAC-SHA1" } else { "RSA-SHA256" }.to_owned());
    (r.bucket, r.object) = bucket_and_object(url);
    r.signature_redacted = signature == REDACTED;
    r.grant = GrantScope::Object;
    Ok(r)
}
