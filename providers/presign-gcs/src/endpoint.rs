//! Where a signed URL points: the URL style and the origin (`scheme://host[:port]`).
//!
//! Precedence, as the GCS conformance vectors encode it: a per-request hostname
//! ([`crate::V4Request::hostname`]) beats the client endpoint ([`crate::GcsPresignerBuilder::endpoint`]),
//! which beats the emulator host ([`crate::GcsPresignerBuilder::emulator_host`]), which beats the
//! default `https://storage.{universe_domain}`. A bucket-bound hostname replaces all of them.

use std::fmt;
use std::str::FromStr;

use presign_core::Error;
use presign_core::endpoint::{BaseUrl, Scheme};

/// How the bucket appears in a signed URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UrlStyle {
    /// `https://storage.googleapis.com/BUCKET/OBJECT` (the default).
    #[default]
    Path,
    /// `https://BUCKET.storage.googleapis.com/OBJECT`.
    VirtualHosted,
    /// `https://HOSTNAME/OBJECT`, where `HOSTNAME` is a CNAME bound to the bucket
    /// ([`crate::GcsPresignerBuilder::bucket_bound_hostname`]).
    BucketBoundHostname,
}

impl UrlStyle {
    /// The configuration name: `path`, `virtual` or `bucket-bound`.
    pub const fn as_str(self) -> &'static str {
        match self {
            UrlStyle::Path => "path",
            UrlStyle::VirtualHosted => "virtual",
            UrlStyle::BucketBoundHostname => "bucket-bound",
        }
    }
}

impl fmt::Display for UrlStyle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for UrlStyle {
    type Err = Error;
    /// Accepts `path`, `virtual` (or `virtual-hosted`), `bucket-bound` (or
    /// `bucket-bound-hostname`), case-insensitively.
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim().to_ascii_lowercase().as_str() {
            "path" => Ok(UrlStyle::Path),
            "virtual" | "virtual-hosted" | "virtual_hosted_style" => Ok(UrlStyle::VirtualHosted),
            "bucket-bound" | "bucket-bound-hostname" | "bucket_bound_hostname" => {
                Ok(UrlStyle::BucketBoundHostname)
            }
            _ => Err(Error::invalid_input(
                "url_style",
                format!("{s:?} is not a URL style; use path, virtual or bucket-bound"),
            )),
        }
    }
}

/// Parses an origin, `[http://|https://]host[:port][/]`, with core's one base-URL parser
/// ([`BaseUrl::parse_origin`]: a DNS name, IPv4 or `[IPv6]` host, port 1 to 65535, no path, user
/// info, query or fragment); `default` decides a missing scheme. The port is kept as given (the
/// conformance vectors keep `storage.googleapis.com:443` in the URL and sign the host without
/// it).
pub(crate) fn parse_origin(field: &str, input: &str, default: Scheme) -> Result<BaseUrl, Error> {
    BaseUrl::parse_origin(input, field, Some(default))
}

/// The default endpoint of a universe domain: `https://storage.DOMAIN`.
pub(crate) fn for_universe(domain: &str) -> Result<BaseUrl, Error> {
    let d = domain.trim().trim_end_matches('/');
    if d.is_empty() || d.contains("://") || d.contains('/') {
        return Err(Error::invalid_input(
            "universe_domain",
            format!("{domain:?}: give a bare domain such as googleapis.com"),
        ));
    }
    BaseUrl::parse(&format!("https://storage.{d}"), "universe_domain")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_origins() {
        let https = Scheme::Https;
        let o = parse_origin("endpoint", "http://localhost:8080", https).unwrap();
        assert_eq!((o.scheme(), o.host()), (Scheme::Http, "localhost"));
        let o = parse_origin("endpoint", "storage.googleapis.com:443", https).unwrap();
        assert_eq!(o.origin(), "https://storage.googleapis.com:443");
        assert_eq!(o.host(), "storage.googleapis.com");
        let o = parse_origin("endpoint", "HTTP://[::1]:4443/", https).unwrap();
        assert_eq!((o.scheme(), o.host()), (Scheme::Http, "[::1]"));
        for bad in [
            "",
            "ftp://x",
            "http://",
            "http://a/b",
            "a b",
            "http://u@h",
            "h:x",
        ] {
            assert!(parse_origin("endpoint", bad, https).is_err(), "{bad}");
        }
        let u = for_universe("domain.com").unwrap();
        assert_eq!(u.with_subdomain("b").host(), "b.storage.domain.com");
        assert!(for_universe("https://x").is_err());
    }

    #[test]
    fn url_style_names() {
        for s in [
            UrlStyle::Path,
            UrlStyle::VirtualHosted,
            UrlStyle::BucketBoundHostname,
        ] {
            assert_eq!(s.as_str().parse::<UrlStyle>().unwrap(), s);
        }
        assert!("nope".parse::<UrlStyle>().is_err());
    }
}
