//! [`Constraints`]: what a signed request binds the client to, besides method, key and expiry.
//!
//! Each field maps to one [`ConstraintKind`]; [`Constraints::requested`] lists those set, and the
//! policy layer checks each against the provider's [`crate::Capabilities`].

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use crate::capabilities::ConstraintKind;
use crate::error::Error;
use crate::redact::redacted_headers;
use crate::timestamp::Timestamp;

/// The upload size a request is bound to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentLength {
    /// Exactly this many bytes.
    Exact(u64),
    /// Between `min` and `max` bytes, both included.
    Range {
        /// The least size.
        min: u64,
        /// The largest size.
        max: u64,
    },
}

/// A checksum algorithm for [`Checksum`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChecksumAlgorithm {
    /// CRC-32.
    Crc32,
    /// CRC-32C.
    Crc32c,
    /// CRC-64/NVME.
    Crc64Nvme,
    /// SHA-1.
    Sha1,
    /// SHA-256.
    Sha256,
}

impl ChecksumAlgorithm {
    /// The lower-case name used in header names (`x-amz-checksum-crc32c`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ChecksumAlgorithm::Crc32 => "crc32",
            ChecksumAlgorithm::Crc32c => "crc32c",
            ChecksumAlgorithm::Crc64Nvme => "crc64nvme",
            ChecksumAlgorithm::Sha1 => "sha1",
            ChecksumAlgorithm::Sha256 => "sha256",
        }
    }
}

impl FromStr for ChecksumAlgorithm {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        [
            ChecksumAlgorithm::Crc32,
            ChecksumAlgorithm::Crc32c,
            ChecksumAlgorithm::Crc64Nvme,
            ChecksumAlgorithm::Sha1,
            ChecksumAlgorithm::Sha256,
        ]
        .into_iter()
        .find(|a| a.as_str().eq_ignore_ascii_case(s))
        .ok_or_else(|| {
            Error::invalid_constraint(
                ConstraintKind::Checksum,
                format!("unknown algorithm {s:?}; use crc32, crc32c, crc64nvme, sha1 or sha256"),
            )
        })
    }
}

/// A checksum the upload must match: algorithm and base64 value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checksum {
    /// The algorithm.
    pub algorithm: ChecksumAlgorithm,
    /// The base64-encoded checksum.
    pub value: String,
}

/// An inclusive range of client addresses, IPv4 or IPv6 (never mixed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientIp {
    /// IPv4 addresses `start..=end`.
    V4 {
        /// First address.
        start: Ipv4Addr,
        /// Last address.
        end: Ipv4Addr,
    },
    /// IPv6 addresses `start..=end`.
    V6 {
        /// First address.
        start: Ipv6Addr,
        /// Last address.
        end: Ipv6Addr,
    },
}

impl ClientIp {
    /// One address.
    pub fn single(addr: IpAddr) -> Self {
        match addr {
            IpAddr::V4(a) => ClientIp::V4 { start: a, end: a },
            IpAddr::V6(a) => ClientIp::V6 { start: a, end: a },
        }
    }

    /// Parses `ADDR`, `ADDR/PREFIX` (CIDR) or `START-END`, IPv4 or IPv6.
    pub fn parse(input: &str) -> Result<Self, Error> {
        let bad = |reason: String| Error::invalid_constraint(ConstraintKind::ClientIpV4, reason);
        let input = input.trim();
        let addr = |s: &str| {
            IpAddr::from_str(s.trim()).map_err(|_| bad(format!("{s:?} is not an IP address")))
        };
        if let Some((a, prefix)) = input.split_once('/') {
            let prefix: u8 = prefix
                .parse()
                .map_err(|_| bad(format!("{prefix:?} is not a CIDR prefix length")))?;
            return match addr(a)? {
                IpAddr::V4(a) if prefix <= 32 => {
                    let bits = u32::from(a);
                    let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
                    Ok(ClientIp::V4 {
                        start: Ipv4Addr::from(bits & mask),
                        end: Ipv4Addr::from(bits | !mask),
                    })
                }
                IpAddr::V6(a) if prefix <= 128 => {
                    let bits = u128::from(a);
                    let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
                    Ok(ClientIp::V6 {
                        start: Ipv6Addr::from(bits & mask),
                        end: Ipv6Addr::from(bits | !mask),
                    })
                }
                _ => Err(bad(format!("prefix /{prefix} is too long for {a}"))),
            };
        }
        if let Some((a, b)) = input.split_once('-') {
            return match (addr(a)?, addr(b)?) {
                (IpAddr::V4(s), IpAddr::V4(e)) if s <= e => Ok(ClientIp::V4 { start: s, end: e }),
                (IpAddr::V6(s), IpAddr::V6(e)) if s <= e => Ok(ClientIp::V6 { start: s, end: e }),
                (IpAddr::V4(_), IpAddr::V4(_)) | (IpAddr::V6(_), IpAddr::V6(_)) => {
                    Err(bad(format!("range {input:?} ends before it starts")))
                }
                _ => Err(bad(format!("range {input:?} mixes IPv4 and IPv6"))),
            };
        }
        Ok(ClientIp::single(addr(input)?))
    }

    /// Whether this is an IPv4 range.
    pub const fn is_v4(&self) -> bool {
        matches!(self, ClientIp::V4 { .. })
    }

    /// The constraint kind: [`ConstraintKind::ClientIpV4`] or [`ConstraintKind::ClientIpV6`].
    pub const fn kind(&self) -> ConstraintKind {
        if self.is_v4() {
            ConstraintKind::ClientIpV4
        } else {
            ConstraintKind::ClientIpV6
        }
    }
}

impl fmt::Display for ClientIp {
    /// `ADDR` for one address, `START-END` for a range.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientIp::V4 { start, end } if start == end => write!(f, "{start}"),
            ClientIp::V4 { start, end } => write!(f, "{start}-{end}"),
            ClientIp::V6 { start, end } if start == end => write!(f, "{start}"),
            ClientIp::V6 { start, end } => write!(f, "{start}-{end}"),
        }
    }
}

impl FromStr for ClientIp {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        ClientIp::parse(s)
    }
}

/// Headers the response carries instead of the stored ones (S3 `response-*`, Azure `rsc*`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResponseOverrides {
    /// `Content-Disposition`, for example `attachment; filename="report.pdf"`.
    pub content_disposition: Option<String>,
    /// `Content-Type`.
    pub content_type: Option<String>,
    /// `Cache-Control`.
    pub cache_control: Option<String>,
    /// `Content-Language`.
    pub content_language: Option<String>,
    /// `Content-Encoding`.
    pub content_encoding: Option<String>,
    /// `Expires`.
    pub expires: Option<String>,
}

impl ResponseOverrides {
    /// The overrides that are set, with their kinds, in a fixed order.
    pub fn iter(&self) -> impl Iterator<Item = (ConstraintKind, &str)> {
        [
            (ConstraintKind::ResponseCacheControl, &self.cache_control),
            (
                ConstraintKind::ResponseContentDisposition,
                &self.content_disposition,
            ),
            (
                ConstraintKind::ResponseContentEncoding,
                &self.content_encoding,
            ),
            (
                ConstraintKind::ResponseContentLanguage,
                &self.content_language,
            ),
            (ConstraintKind::ResponseContentType, &self.content_type),
            (ConstraintKind::ResponseExpires, &self.expires),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().map(|v| (k, v)))
    }

    fn slot(&mut self, kind: ConstraintKind) -> Option<&mut Option<String>> {
        match kind {
            ConstraintKind::ResponseCacheControl => Some(&mut self.cache_control),
            ConstraintKind::ResponseContentDisposition => Some(&mut self.content_disposition),
            ConstraintKind::ResponseContentEncoding => Some(&mut self.content_encoding),
            ConstraintKind::ResponseContentLanguage => Some(&mut self.content_language),
            ConstraintKind::ResponseContentType => Some(&mut self.content_type),
            ConstraintKind::ResponseExpires => Some(&mut self.expires),
            _ => None,
        }
    }
}

/// Everything a signed request binds the client to, besides method, key and expiry.
///
/// All fields are optional; [`Constraints::default`] binds nothing more.
#[derive(Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Constraints {
    /// The upload's exact `Content-Type`.
    pub content_type: Option<String>,
    /// The upload's size, exact or a range.
    pub content_length: Option<ContentLength>,
    /// The upload's `Content-MD5` (base64 of the 16-byte digest).
    pub content_md5: Option<String>,
    /// A checksum the upload must carry.
    pub checksum: Option<Checksum>,
    /// The client addresses allowed to use the URL.
    pub client_ip: Option<ClientIp>,
    /// Whether the URL must only work over HTTPS.
    pub https_only: bool,
    /// Response header overrides.
    pub response: ResponseOverrides,
    /// Whether the upload must not overwrite an existing object.
    pub create_only: bool,
    /// The URL must not work before this instant.
    pub not_before: Option<Timestamp>,
    /// The object version (S3 `versionId`, GCS generation, Azure snapshot/version).
    pub version: Option<String>,
    /// User metadata stored with an upload, names without the provider prefix.
    pub metadata: Vec<(String, String)>,
    /// Extra headers the client must send, signed.
    pub headers: Vec<(String, String)>,
    /// Extra query parameters, signed.
    pub query: Vec<(String, String)>,
}

/// Field by field, with a fast path for the common empty set (the policy layer clones every
/// request it passes on).
impl Clone for Constraints {
    fn clone(&self) -> Self {
        if self.is_empty() {
            return Constraints::default();
        }
        let Constraints {
            content_type,
            content_length,
            content_md5,
            checksum,
            client_ip,
            https_only,
            response,
            create_only,
            not_before,
            version,
            metadata,
            headers,
            query,
        } = self;
        Constraints {
            content_type: content_type.clone(),
            content_length: *content_length,
            content_md5: content_md5.clone(),
            checksum: checksum.clone(),
            client_ip: *client_ip,
            https_only: *https_only,
            response: response.clone(),
            create_only: *create_only,
            not_before: *not_before,
            version: version.clone(),
            metadata: metadata.clone(),
            headers: headers.clone(),
            query: query.clone(),
        }
    }
}

impl Constraints {
    /// Whether a constraint of `kind` is set.
    pub fn has(&self, kind: ConstraintKind) -> bool {
        use ConstraintKind as K;
        match kind {
            K::ContentType => self.content_type.is_some(),
            K::ContentLengthExact => matches!(self.content_length, Some(ContentLength::Exact(_))),
            K::ContentLengthRange => {
                matches!(self.content_length, Some(ContentLength::Range { .. }))
            }
            K::ContentMd5 => self.content_md5.is_some(),
            K::Checksum => self.checksum.is_some(),
            K::ClientIpV4 => self.client_ip.is_some_and(|ip| ip.is_v4()),
            K::ClientIpV6 => self.client_ip.is_some_and(|ip| !ip.is_v4()),
            K::HttpsOnly => self.https_only,
            K::CreateOnly => self.create_only,
            K::NotBefore => self.not_before.is_some(),
            K::ObjectVersion => self.version.is_some(),
            K::Metadata => !self.metadata.is_empty(),
            K::ExtraHeaders => !self.headers.is_empty(),
            K::ExtraQuery => !self.query.is_empty(),
            K::ResponseCacheControl
            | K::ResponseContentDisposition
            | K::ResponseContentEncoding
            | K::ResponseContentLanguage
            | K::ResponseContentType
            | K::ResponseExpires => self.response.iter().any(|(k, _)| k == kind),
        }
    }

    /// The kinds that are set, in [`ConstraintKind::ALL`] order.
    pub fn requested(&self) -> impl Iterator<Item = ConstraintKind> + '_ {
        ConstraintKind::ALL.iter().copied().filter(|k| self.has(*k))
    }

    /// Whether nothing is set. Every field is looked at once (the pattern names them all, so
    /// a new field must be added here): the hot path of every signature without constraints.
    pub fn is_empty(&self) -> bool {
        let Constraints {
            content_type,
            content_length,
            content_md5,
            checksum,
            client_ip,
            https_only,
            response,
            create_only,
            not_before,
            version,
            metadata,
            headers,
            query,
        } = self;
        let ResponseOverrides {
            content_disposition,
            content_type: response_content_type,
            cache_control,
            content_language,
            content_encoding,
            expires,
        } = response;
        content_type.is_none()
            && content_length.is_none()
            && content_md5.is_none()
            && checksum.is_none()
            && client_ip.is_none()
            && !https_only
            && !create_only
            && not_before.is_none()
            && version.is_none()
            && metadata.is_empty()
            && headers.is_empty()
            && query.is_empty()
            && content_disposition.is_none()
            && response_content_type.is_none()
            && cache_control.is_none()
            && content_language.is_none()
            && content_encoding.is_none()
            && expires.is_none()
    }

    /// Clears the constraint of `kind` (used by the best-effort policy to drop what a provider
    /// cannot enforce).
    pub fn remove(&mut self, kind: ConstraintKind) {
        use ConstraintKind as K;
        match kind {
            K::ContentType => self.content_type = None,
            K::ContentLengthExact | K::ContentLengthRange => {
                if self.has(kind) {
                    self.content_length = None;
                }
            }
            K::ContentMd5 => self.content_md5 = None,
            K::Checksum => self.checksum = None,
            K::ClientIpV4 | K::ClientIpV6 => {
                if self.has(kind) {
                    self.client_ip = None;
                }
            }
            K::HttpsOnly => self.https_only = false,
            K::CreateOnly => self.create_only = false,
            K::NotBefore => self.not_before = None,
            K::ObjectVersion => self.version = None,
            K::Metadata => self.metadata.clear(),
            K::ExtraHeaders => self.headers.clear(),
            K::ExtraQuery => self.query.clear(),
            _ => {
                if let Some(slot) = self.response.slot(kind) {
                    *slot = None;
                }
            }
        }
    }
}

impl fmt::Debug for Constraints {
    /// Like a derived `Debug`, but the values of sensitive headers (customer-supplied
    /// encryption keys, tokens) are redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers = redacted_headers(&self.headers);
        f.debug_struct("Constraints")
            .field("content_type", &self.content_type)
            .field("content_length", &self.content_length)
            .field("content_md5", &self.content_md5)
            .field("checksum", &self.checksum)
            .field("client_ip", &self.client_ip)
            .field("https_only", &self.https_only)
            .field("response", &self.response)
            .field("create_only", &self.create_only)
            .field("not_before", &self.not_before)
            .field("version", &self.version)
            .field("metadata", &self.metadata)
            .field("headers", &headers)
            .field("query", &self.query)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_forms() {
        assert_eq!(ClientIp::parse("10.1.2.3").unwrap().to_string(), "10.1.2.3");
        assert_eq!(
            ClientIp::parse("10.1.2.3/24").unwrap().to_string(),
            "10.1.2.0-10.1.2.255"
        );
        assert_eq!(
            ClientIp::parse("0.0.0.0/0").unwrap().to_string(),
            "0.0.0.0-255.255.255.255"
        );
        assert_eq!(
            ClientIp::parse("10.0.0.9-10.0.0.20").unwrap().to_string(),
            "10.0.0.9-10.0.0.20"
        );
        assert_eq!(
            ClientIp::parse("2001:db8::1/64").unwrap().to_string(),
            "2001:db8::-2001:db8::ffff:ffff:ffff:ffff"
        );
        assert!(!ClientIp::parse("::1").unwrap().is_v4());
        for bad in [
            "",
            "1.2.3",
            "1.2.3.4/33",
            "1.2.3.4/x",
            "10.0.0.9-10.0.0.1",
            "10.0.0.1-::1",
            "::/129",
        ] {
            let e = ClientIp::parse(bad).unwrap_err();
            assert_eq!(e.kind(), "invalid_constraint", "{bad}");
        }
    }

    #[test]
    fn requested_and_remove() {
        let mut c = Constraints::default();
        assert!(c.is_empty());
        c.content_type = Some("text/plain".into());
        c.client_ip = Some(ClientIp::parse("::1").unwrap());
        c.response.content_disposition = Some("attachment".into());
        let kinds: Vec<_> = c.requested().collect();
        assert_eq!(
            kinds,
            vec![
                ConstraintKind::ContentType,
                ConstraintKind::ClientIpV6,
                ConstraintKind::ResponseContentDisposition
            ]
        );
        c.remove(ConstraintKind::ClientIpV4);
        assert!(
            c.client_ip.is_some(),
            "removing v4 must not drop a v6 range"
        );
        for k in kinds {
            c.remove(k);
        }
        assert!(c.is_empty());
    }

    #[test]
    fn any_one_field_makes_the_set_non_empty() {
        type Set = fn(&mut Constraints);
        let setters: Vec<(ConstraintKind, Set)> = vec![
            (ConstraintKind::ContentType, |c| {
                c.content_type = Some("x".into())
            }),
            (ConstraintKind::ContentLengthExact, |c| {
                c.content_length = Some(ContentLength::Exact(1));
            }),
            (ConstraintKind::ContentLengthRange, |c| {
                c.content_length = Some(ContentLength::Range { min: 1, max: 2 });
            }),
            (ConstraintKind::ContentMd5, |c| {
                c.content_md5 = Some("x".into())
            }),
            (ConstraintKind::Checksum, |c| {
                c.checksum = Some(Checksum {
                    algorithm: ChecksumAlgorithm::Crc32,
                    value: "AAAAAA==".into(),
                });
            }),
            (ConstraintKind::ClientIpV4, |c| {
                c.client_ip = Some(ClientIp::parse("10.0.0.1").unwrap());
            }),
            (ConstraintKind::ClientIpV6, |c| {
                c.client_ip = Some(ClientIp::parse("::1").unwrap());
            }),
            (ConstraintKind::HttpsOnly, |c| c.https_only = true),
            (ConstraintKind::CreateOnly, |c| c.create_only = true),
            (ConstraintKind::NotBefore, |c| {
                c.not_before = Some(Timestamp::from_unix(1).unwrap());
            }),
            (ConstraintKind::ObjectVersion, |c| {
                c.version = Some("v".into())
            }),
            (ConstraintKind::ResponseCacheControl, |c| {
                c.response.cache_control = Some("x".into());
            }),
            (ConstraintKind::ResponseContentDisposition, |c| {
                c.response.content_disposition = Some("x".into());
            }),
            (ConstraintKind::ResponseContentEncoding, |c| {
                c.response.content_encoding = Some("x".into());
            }),
            (ConstraintKind::ResponseContentLanguage, |c| {
                c.response.content_language = Some("x".into());
            }),
            (ConstraintKind::ResponseContentType, |c| {
                c.response.content_type = Some("x".into());
            }),
            (ConstraintKind::ResponseExpires, |c| {
                c.response.expires = Some("x".into())
            }),
            (ConstraintKind::Metadata, |c| {
                c.metadata = vec![("a".into(), "1".into())];
            }),
            (ConstraintKind::ExtraHeaders, |c| {
                c.headers = vec![("x-a".into(), "1".into())];
            }),
            (ConstraintKind::ExtraQuery, |c| {
                c.query = vec![("a".into(), "1".into())];
            }),
        ];
        assert_eq!(
            setters.len(),
            ConstraintKind::COUNT,
            "a new kind: add it here and to is_empty"
        );
        assert!(Constraints::default().is_empty());
        for (kind, set) in setters {
            let mut c = Constraints::default();
            set(&mut c);
            assert!(!c.is_empty(), "{kind}");
            assert!(c.clone() == c, "{kind}: the clone differs");
            assert_eq!(c.requested().collect::<Vec<_>>(), vec![kind]);
        }
    }

    #[test]
    fn debug_redacts_sensitive_headers() {
        let mut c = Constraints::default();
        c.headers.push((
            "x-amz-server-side-encryption-customer-key".into(),
            "c2VjcmV0a2V5".into(),
        ));
        let d = format!("{c:?}");
        assert!(!d.contains("c2VjcmV0a2V5") && d.contains("REDACTED"), "{d}");
    }
}
