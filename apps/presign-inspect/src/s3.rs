//! S3 signed URLs: SigV4 query authentication and legacy SigV2 (`AWSAccessKeyId`).

use std::time::Duration;

use presign_core::redact::REDACTED;

use crate::error::InspectError;
use crate::parse::ParsedUrl;
use crate::report::{Credential, CredentialKind, Provider, Report};
use crate::time::parse_unix;
use crate::v4::Dialect;
use crate::{GrantScope, report_for};

/// S3's SigV4 query dialect (the lifetime limit is 7 days).
pub(crate) const SIGV4: Dialect = Dialect {
    scheme: "S3 SigV4",
    prefix: "X-Amz-",
    terminator: "aws4_request",
    algorithms: &["AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256"],
    max_expires: 604_800,
};

/// What an AWS key id says about its credential.
pub(crate) fn key_kind(key_id: &str) -> CredentialKind {
    let aws_shaped = key_id.len() == 20 && key_id.bytes().all(|b| b.is_ascii_alphanumeric());
    match key_id.get(..4) {
        Some("AKIA") if aws_shaped => CredentialKind::AwsLongTermKey,
        Some("ASIA") if aws_shaped => CredentialKind::AwsTemporaryKey,
        _ => CredentialKind::AccessKey,
    }
}

/// The bucket and key of an S3 URL: virtual-hosted on AWS hosts (`bucket.s3.region…`), path
/// style on AWS's bare `s3.` hosts and on every other endpoint.
pub(crate) fn bucket_and_key(url: &ParsedUrl) -> (Option<String>, Option<String>) {
    let host = url.host.as_str();
    let aws = [".amazonaws.com", ".amazonaws.com.cn", ".amazonaws.eu"]
        .iter()
        .any(|s| host.ends_with(s));
    if aws {
        let at = [host.rfind(".s3."), host.rfind(".s3-")]
            .into_iter()
            .flatten()
            .max();
        if let Some(bucket) = at.and_then(|i| host.get(..i)).filter(|b| !b.is_empty()) {
            let key = url.decoded_path();
            return (Some(bucket.to_owned()), Some(key).filter(|k| !k.is_empty()));
        }
    }
    path_style(url)
}

/// `/bucket/key…`.
pub(crate) fn path_style(url: &ParsedUrl) -> (Option<String>, Option<String>) {
    let path = url.raw_path.trim_start_matches('/');
    let (bucket, key) = path.split_once('/').unwrap_or((path, ""));
    let decode = presign_core::encoding::decode_lossy;
    (
        Some(decode(bucket)).filter(|b| !b.is_empty()),
        Some(decode(key)).filter(|k| !k.is_empty()),
    )
}

/// The method an S3 operation name (`x-id`) or the multipart parameters imply.
fn operation(url: &ParsedUrl) -> (Option<String>, Option<&'static str>) {
    let op = url.get("x-id").map(str::to_owned).or_else(|| {
        if url.has("uploadId") && url.has("partNumber") {
            Some("UploadPart".to_owned())
        } else if url.has("uploads") {
            Some("CreateMultipartUpload".to_owned())
        } else {
            None
        }
    });
    let method = op.as_deref().and_then(|op| {
        Some(match op {
            "GetObject" => "GET",
            "HeadObject" => "HEAD",
            "PutObject" | "UploadPart" | "CopyObject" | "UploadPartCopy" => "PUT",
            "DeleteObject" | "AbortMultipartUpload" => "DELETE",
            "CreateMultipartUpload" | "CompleteMultipartUpload" | "PostObject" => "POST",
            _ => return None,
        })
    });
    (op, method)
}

/// Whether a signed header only makes sense on an upload.
pub(crate) fn is_upload_header(name: &str) -> bool {
    matches!(
        name,
        "content-type" | "content-length" | "content-md5" | "if-none-match" | "x-goog-resumable"
    ) || [
        "x-amz-meta-",
        "x-amz-checksum-",
        "x-goog-meta-",
        "x-goog-content-length-range",
    ]
    .iter()
    .any(|p| name.starts_with(p))
}

/// Decodes a SigV4 query URL.
pub(crate) fn decode_v4(url: &ParsedUrl, provider: Provider) -> Result<Report, InspectError> {
    let v4 = SIGV4.decode(url)?;
    let expires_at = v4
        .signed_at
        .checked_add(Duration::from_secs(v4.expires_secs))
        .ok_or_else(|| InspectError::malformed(SIGV4.scheme, "X-Amz-Expires", "too large"))?;
    let kind = if provider == Provider::Gcs {
        CredentialKind::HmacKey
    } else {
        key_kind(&v4.key_id)
    };
    let mut credential = Credential::new(kind, Some(v4.key_id.clone()));
    credential.scope = Some(v4.scope.clone());
    credential.region = Some(v4.region.clone());
    credential.session_token = url.has("X-Amz-Security-Token");
    let scheme = if provider == Provider::Gcs {
        "V4 (S3-compatible)"
    } else {
        "SigV4"
    };
    let mut r = report_for(url, provider, scheme, expires_at, credential);
    r.algorithm = Some(v4.algorithm.clone());
    (r.bucket, r.object) = if provider == Provider::Gcs {
        crate::gcs::bucket_and_object(url)
    } else {
        bucket_and_key(url)
    };
    r.signed_at = Some(v4.signed_at);
    r.lifetime_secs = Some(v4.expires_secs);
    r.max_lifetime_secs = Some(SIGV4.max_expires);
    (r.operation, r.method) = match operation(url) {
        (op, Some(m)) => (op, Some(m.to_owned())),
        (op, None) => (op, upload_method(&v4.signed_headers)),
    };
    r.signed_params = v4
        .extra_params
        .into_iter()
        .filter(|p| p != "X-Amz-Security-Token")
        .collect();
    r.signed_headers = v4.signed_headers;
    r.signature_redacted = v4.signature.is_none();
    r.grant = GrantScope::Object;
    Ok(r)
}

/// `PUT` when the signed headers only make sense on an upload.
pub(crate) fn upload_method(signed_headers: &[String]) -> Option<String> {
    signed_headers
        .iter()
        .any(|h| is_upload_header(h))
        .then(|| "PUT".to_owned())
}

/// Decodes a legacy SigV2 query URL (`AWSAccessKeyId`, `Expires`, `Signature`).
pub(crate) fn decode_v2(url: &ParsedUrl) -> Result<Report, InspectError> {
    const SCHEME: &str = "S3 SigV2";
    let key_id = required(url, SCHEME, "AWSAccessKeyId")?;
    let expires = required(url, SCHEME, "Expires")?;
    let expires_at = parse_unix(expires).ok_or_else(|| {
        InspectError::malformed(
            SCHEME,
            "Expires",
            format!("{expires:?} is not Unix seconds"),
        )
    })?;
    let signature = required(url, SCHEME, "Signature")?;
    let mut credential = Credential::new(key_kind(key_id), Some(key_id.to_owned()));
    credential.session_token = url.has("x-amz-security-token");
    let mut r = report_for(url, Provider::S3, "SigV2", expires_at, credential);
    r.algorithm = Some("HmacSHA1".to_owned());
    (r.bucket, r.object) = bucket_and_key(url);
    let (op, method) = operation(url);
    r.operation = op;
    r.method = method.map(str::to_owned);
    r.signature_redacted = signature == REDACTED;
    r.grant = GrantScope::Object;
    Ok(r)
}

/// The value of `name`, required exactly once and non-empty.
pub(crate) fn required<'u>(
    url: &'u ParsedUrl,
    scheme: &'static str,
    name: &str,
) -> Result<&'u str, InspectError> {
    match (url.get(name), url.count(name)) {
        (Some(""), _) => Err(InspectError::malformed(scheme, name, "empty")),
        (Some(v), 1) => Ok(v),
        (None, _) => Err(InspectError::malformed(scheme, name, "missing")),
        (Some(_), n) => Err(InspectError::malformed(
            scheme,
            name,
            format!("present {n} times; a signed URL has it once"),
        )),
    }
}
