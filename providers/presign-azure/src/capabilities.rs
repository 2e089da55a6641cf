//! What an Azure service SAS or user-delegation SAS can enforce.

use std::time::Duration;

use presign_core::{Capabilities, ConstraintKind, Method, MethodSet, Support};

/// The longest time-to-live this provider signs: 7 days. An account-key SAS has no service
/// limit (only an optional account SAS-expiration policy); a user-delegation SAS cannot outlive
/// its key, itself at most 7 days. The policy layer clamps far lower by default.
pub const MAX_TTL: Duration = Duration::from_secs(7 * 24 * 3600);

/// The capabilities of an Azure blob SAS provider named `name`.
///
/// | constraint | support | how |
/// |---|---|---|
/// | client IPv4 address or range | enforced | `sip` |
/// | client IPv6 | unsupported | `sip` takes IPv4 only |
/// | HTTPS only | enforced | `spr=https` (otherwise `spr=https,http`) |
/// | response Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Content-Type | enforced | `rscc`, `rscd`, `rsce`, `rscl`, `rsct` |
/// | response Expires | unsupported | no SAS field |
/// | create-only (PUT) | enforced | `sp=c` instead of `cw` |
/// | not-before | enforced | `st` |
/// | object version | enforced | `sr=bv`, version id signed, `versionid` in the URL |
/// | upload Content-Type, size, MD5, checksum | unsupported | a service SAS cannot bind request headers |
/// | metadata, extra headers, extra query | unsupported | |
///
/// Methods: GET, HEAD, PUT, DELETE (POST is not signable). Blob names up to 1024 characters
/// (up to 4096 bytes of UTF-8).
pub fn azure_capabilities(name: impl Into<std::borrow::Cow<'static, str>>) -> Capabilities {
    use ConstraintKind as K;
    [
        K::ClientIpV4,
        K::HttpsOnly,
        K::ResponseCacheControl,
        K::ResponseContentDisposition,
        K::ResponseContentEncoding,
        K::ResponseContentLanguage,
        K::ResponseContentType,
        K::CreateOnly,
        K::NotBefore,
        K::ObjectVersion,
    ]
    .into_iter()
    .fold(Capabilities::new(name, MAX_TTL), |c, k| {
        c.with(k, Support::Enforced)
    })
    .with_methods(MethodSet::of(&[
        Method::Get,
        Method::Head,
        Method::Put,
        Method::Delete,
    ]))
    .with_max_key_bytes(presign_core::key::MAX_KEY_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_the_documented_table() {
        let caps = azure_capabilities("azure");
        let enforced: Vec<&str> = caps
            .table()
            .filter(|(_, s)| *s == Support::Enforced)
            .map(|(k, _)| k.as_str())
            .collect();
        assert_eq!(
            enforced,
            [
                "client-ip-v4",
                "https-only",
                "response-content-disposition",
                "response-content-type",
                "response-cache-control",
                "response-content-language",
                "response-content-encoding",
                "create-only",
                "not-before",
                "object-version",
            ]
        );
        assert!(caps.table().all(|(_, s)| s != Support::Advisory));
        assert!(!caps.methods().contains(Method::Post));
        assert_eq!(caps.max_ttl(), MAX_TTL);
    }
}
