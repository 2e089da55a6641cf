//! What S3 presigned URLs can enforce.

use std::time::Duration;

use presign_core::{Capabilities, ConstraintKind, Support};

/// The longest `X-Amz-Expires` S3 accepts: 7 days.
pub const MAX_TTL: Duration = Duration::from_secs(604_800);

/// The longest S3 key, in bytes of UTF-8.
pub const MAX_KEY_BYTES: usize = 1024;

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
            .with_post_policy(true),
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
