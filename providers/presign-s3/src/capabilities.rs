//! What S3 presigned URLs can enforce.

use std::time::Duration;

use presign_core::safe_names::{NameRule, SafeNames};
use presign_core::{Capabilities, ConstraintKind, Support};

/// The longest `X-Amz-Expires` S3 accepts: 7 days.
pub const MAX_TTL: Duration = Duration::from_secs(604_800);

/// The longest S3 key, in bytes of UTF-8.
pub const MAX_KEY_BYTES: usize = 1024;

/// The extra headers and query parameters that only describe the object an S3 request reads
/// or writes (PutObject, GetObject, HeadObject, UploadPart): content headers, user metadata,
/// checksums, server-side encryption, storage class, the conditional headers and `range`;
/// response overrides, `versionId`, `partNumber` and `uploadId`. Everything else — copy
/// sources, ACLs and grants, tagging, website redirects, object lock and retention, requester
/// pays, sub-resources such as `acl`, `tagging`, `retention`, `legal-hold`, `restore`,
/// `select`, `torrent` — changes the operation and needs the operator's allowance
/// (`allow_headers` / `allow_query`).
pub const S3_SAFE_NAMES: SafeNames = SafeNames {
    headers: &[
        NameRule::Exact("cache-control"),
        NameRule::Exact("content-disposition"),
        NameRule::Exact("content-encoding"),
        NameRule::Exact("content-language"),
        NameRule::Exact("content-length"),
        NameRule::Exact("content-md5"),
        NameRule::Exact("content-type"),
        NameRule::Exact("expires"),
        NameRule::Exact("if-match"),
        NameRule::Exact("if-none-match"),
        NameRule::Exact("if-modified-since"),
        NameRule::Exact("if-unmodified-since"),
        NameRule::Exact("range"),
        NameRule::Prefix("x-amz-meta-"),
        NameRule::Prefix("x-amz-checksum-"),
        NameRule::Exact("x-amz-sdk-checksum-algorithm"),
        NameRule::Exact("x-amz-server-side-encryption"),
        NameRule::Prefix("x-amz-server-side-encryption-"),
        NameRule::Exact("x-amz-storage-class"),
        NameRule::Exact("x-amz-expected-bucket-owner"),
    ],
    query: &[
        NameRule::Exact("response-cache-control"),
        NameRule::Exact("response-content-disposition"),
        NameRule::Exact("response-content-encoding"),
        NameRule::Exact("response-content-language"),
        NameRule::Exact("response-content-type"),
        NameRule::Exact("response-expires"),
        NameRule::Exact("versionId"),
        NameRule::Exact("partNumber"),
        NameRule::Exact("uploadId"),
    ],
};

/// S3's capabilities under the provider name `name`: every constraint that becomes a signed
/// header or signed query parameter is [`Support::Enforced`]; size ranges, client IPs, HTTPS-only
/// and not-before cannot be expressed in a SigV4 query signature and are
/// [`Support::Unsupported`].
pub fn s3_capabilities(name: impl Into<std::borrow::Cow<'static, str>>) -> Capabilities {
    use ConstraintKind as K;
    [
        K::ContentType,
        K::ContentLengthExact,
        K::ContentMd5,
        K::Checksum,
        K::ResponseContentDisposition,
        K::ResponseContentType,
        K::ResponseCacheControl,
        K::ResponseContentLanguage,
        K::ResponseContentEncoding,
        K::ResponseExpires,
        K::CreateOnly,
        K::ObjectVersion,
        K::Metadata,
        K::ExtraHeaders,
        K::ExtraQuery,
    ]
    .into_iter()
    .fold(
        Capabilities::new(name, MAX_TTL)
            .with_max_key_bytes(MAX_KEY_BYTES)
            .with_post_policy(true)
            .with_safe_names(S3_SAFE_NAMES),
        |caps, k| caps.with(k, Support::Enforced),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let c = s3_capabilities("s3");
        assert_eq!(c.max_ttl(), MAX_TTL);
        assert_eq!(c.max_key_bytes(), 1024);
        for k in [
            ConstraintKind::ContentLengthRange,
            ConstraintKind::ClientIpV4,
            ConstraintKind::ClientIpV6,
            ConstraintKind::HttpsOnly,
            ConstraintKind::NotBefore,
        ] {
            assert_eq!(c.support(k), Support::Unsupported, "{k}");
        }
        assert_eq!(
            c.table().filter(|(_, s)| *s == Support::Enforced).count(),
            15
        );
    }
}
