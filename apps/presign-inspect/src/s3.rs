//! S3 signed URLs: SigV4 query authentication and legacy SigV2 (`AWSAccessKeyId`).

use presign_core::Timestamp;
use presign_core::redact::REDACTED;

use crate::error::InspectError;
use crate::report::{Credential, CredentialKind, Provider, Report};
use crate::report_for;
use crate::time::parse_unix;
use crate::v4::Dialect;
use presign_core::signed_url::SignedUrl;

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
pub(crate) fn bucket_and_key(url: &SignedUrl) -> (Option<String>, Option<String>) {
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
pub(crate) fn path_style(url: &SignedUrl) -> (Option<String>, Option<String>) {
    let path = url.raw_path.trim_start_matches('/');
    let (bucket, key) = path.split_once('/').unwrap_or((path, ""));
    let decode = presign_core::encoding::decode_lossy;
    (
        Some(decode(bucket)).filter(|b| !b.is_empty()),
        Some(decode(key)).filter(|k| !k.is_empty()),
    )
}

/// The method an S3 operation name (`x-id`) or the multipart parameters imply.
fn operation(url: &SignedUrl) -> (Option<String>, Option<&'static str>) {
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

/// Decodes a SigV4 query URL (S3's, or GCS's S3-compatible form on a GCS host).
pub(crate) fn decode_v4(url: &SignedUrl, provider: Provider) -> Result<Report, InspectError> {
    let gcs = provider == Provider::Gcs;
    let scheme = if gcs { "V4 (S3-compatible)" } else { "SigV4" };
    let (mut r, v4) = SIGV4.report(url, provider, scheme, |v4| {
        if gcs {
            CredentialKind::HmacKey
        } else {
            key_kind(&v4.key_id)
        }
    })?;
    (r.bucket, r.object) = if gcs {
        crate::gcs::bucket_and_object(url)
    } else {
        bucket_and_key(url)
    };
    let (op, method) = operation(url);
    r.operation = op;
    r.method = method
        .map(str::to_owned)
        .or_else(|| upload_method(&v4.signed_headers));
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
pub(crate) fn decode_v2(url: &SignedUrl) -> Result<Report, InspectError> {
    const SCHEME: &str = "S3 SigV2";
    let key_id = required(url, SCHEME, "AWSAccessKeyId")?;
    let expires_at = required_unix(url, SCHEME, "Expires")?;
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
    Ok(r)
}

/// The value of `name` as Unix seconds, required exactly once.
pub(crate) fn required_unix(
    url: &SignedUrl,
    scheme: &'static str,
    name: &str,
) -> Result<Timestamp, InspectError> {
    let value = required(url, scheme, name)?;
    parse_unix(value).ok_or_else(|| {
        InspectError::malformed(scheme, name, format!("{value:?} is not Unix seconds"))
    })
}

/// The value of `name`, required exactly once and non-empty.
pub(crate) fn required<'u>(
    url: &'u SignedUrl,
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
