//! What GCS V4 signed URLs enforce.

use std::time::Duration;

use presign_core::safe_names::{NameRule, SafeNames};
use presign_core::{Capabilities, ConstraintKind as K, Support};

use crate::request::MAX_EXPIRES_SECS;

/// The longest object name GCS accepts, in bytes of UTF-8.
pub const MAX_OBJECT_NAME_BYTES: usize = 1024;

/// The extra headers and query parameters that only describe the object a GCS XML API request
/// reads or writes: content headers, user metadata, `x-goog-hash`, the size range, customer
/// encryption keys and KMS key, storage class, the conditional headers (`x-goog-if-*`,
/// `if-*`), `range` and `x-goog-resumable`; response overrides, `generation`, `partNumber` and
/// `uploadId`. Everything else — `x-goog-copy-source*`, `x-goog-acl`, metadata directives,
/// `x-goog-user-project`, sub-resources such as `acl`, `compose`, `tagging`, `retention` —
/// needs the operator's allowance (`allow_headers` / `allow_query`).
pub const GCS_SAFE_NAMES: SafeNames = SafeNames {
    headers: &[
        NameRule::Exact("cache-control"),
        NameRule::Exact("content-disposition"),
        NameRule::Exact("content-encoding"),
        NameRule::Exact("content-language"),
        NameRule::Exact("content-length"),
        NameRule::Exact("content-md5"),
        NameRule::Exact("content-type"),
        NameRule::Exact("if-match"),
        NameRule::Exact("if-none-match"),
        NameRule::Exact("if-modified-since"),
        NameRule::Exact("if-unmodified-since"),
        NameRule::Exact("range"),
        NameRule::Prefix("x-goog-meta-"),
        NameRule::Exact("x-goog-hash"),
        NameRule::Exact("x-goog-content-length-range"),
        NameRule::Exact("x-goog-if-generation-match"),
        NameRule::Exact("x-goog-if-metageneration-match"),
        NameRule::Exact("x-goog-encryption-algorithm"),
        NameRule::Exact("x-goog-encryption-key"),
        NameRule::Exact("x-goog-encryption-key-sha256"),
        NameRule::Exact("x-goog-encryption-kms-key-name"),
        NameRule::Exact("x-goog-storage-class"),
        NameRule::Exact("x-goog-resumable"),
    ],
    query: &[
        NameRule::Exact("response-content-disposition"),
        NameRule::Exact("response-content-type"),
        NameRule::Exact("generation"),
        NameRule::Exact("partNumber"),
        NameRule::Exact("uploadId"),
    ],
};

/// The capabilities of a GCS presigner named `name`:
///
/// | constraint | support | how |
/// | --- | --- | --- |
/// | content-type | Enforced | signed `content-type` header |
/// | content-length (exact) | Enforced, PUT only | signed `content-length` header |
/// | content-length-range | Enforced, PUT and resumable POST | signed `x-goog-content-length-range: MIN,MAX` |
/// | content-md5 | Enforced | signed `content-md5` header |
/// | checksum | Enforced, CRC32C only | signed `x-goog-hash: crc32c=...` |
/// | create-only | Enforced | signed `x-goog-if-generation-match: 0` |
/// | response-content-disposition, response-content-type | Enforced | signed query parameters |
/// | other response overrides | Unsupported | the XML API has no such parameters |
/// | object-version | Enforced | `generation` query parameter |
/// | metadata | Enforced | signed `x-goog-meta-*` headers |
/// | extra headers / query | Enforced | signed |
/// | client IP, HTTPS only, not-before | Unsupported | V4 URLs cannot express them |
///
/// Maximum lifetime: 604800 s (7 days); longer is an error, not a silent clamp.
///
/// POST policies V4 (browser form uploads) are offered: see [`crate::post_policy`].
pub fn gcs_capabilities(name: &str) -> Capabilities {
    let mut caps = Capabilities::new(name.to_owned(), Duration::from_secs(MAX_EXPIRES_SECS))
        .with_max_key_bytes(MAX_OBJECT_NAME_BYTES)
        .with_post_policy(true)
        .with_safe_names(GCS_SAFE_NAMES);
    for kind in [
        K::ContentType,
        K::ContentLengthExact,
        K::ContentLengthRange,
        K::ContentMd5,
        K::Checksum,
        K::CreateOnly,
        K::ResponseContentDisposition,
        K::ResponseContentType,
        K::ObjectVersion,
        K::Metadata,
        K::ExtraHeaders,
        K::ExtraQuery,
    ] {
        caps = caps.with(kind, Support::Enforced);
    }
    caps
}
