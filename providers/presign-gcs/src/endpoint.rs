//! Where a signed URL points: the URL style and the origin (`scheme://host[:port]`).
//!
//! Precedence, as the GCS conformance vectors encode it: a per-request hostname
//! ([`crate::V4Request::hostname`]) beats the client endpoint ([`crate::GcsPresignerBuilder::endpoint`]),
//! which beats the emulator host ([`crate::GcsPresignerBuilder::emulator_host`]), which beats the
//! default `https://storage.{universe_domain}`. A bucket-bound hostname replaces all of them.

use std::fmt;
use std::str::FromStr;

use presign_core::Error;

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

/// `scheme://host[:port]`, parsed and checked once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Origin {
    https: bool,
    authority: String,
}

impl Origin {
    /// Parses `[http://|https://]host[:port][/]`; `default_https` decides a missing scheme.
    pub(crate) fn parse(field: &str, input: &str, default_https: bool) -> Result<Self, Error> {
        let bad = |reason: &str| Error::invalid_input(field, format!("{input:?}: {reason}"));
        let s = input.trim();
        let lower = s.to_ascii_lowercase();
        let (https, rest) = if lower.starts_with("https://") {
            (true, s.get(8..).unwrap_or_default())
        } else if lower.starts_with("http://") {
            (false, s.get(7..).unwrap_or_default())
        } else if lower.contains("://") {
            return Err(bad("only http:// and https:// are supported"));
        } else {
            (default_https, s)
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.is_empty() {
            return Err(bad("no host name"));
        }
        if let Some(c) = authority.chars().find(|c| {
            matches!(c, '/' | '?' | '#' | '@' | '\\') || c.is_whitespace() || c.is_control()
        }) {
            return Err(bad(&format!(
                "{c:?} is not allowed; give scheme://host[:port] without a path"
            )));
        }
        let origin = Origin {
            https,
            authority: authority.to_owned(),
        };
        if origin.host().is_empty() {
            return Err(bad("no host name"));
        }
        if let Some(port) = origin.port()
            && (port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) || port.len() > 5)
        {
            return Err(bad("the port is not a number"));
        }
        Ok(origin)
    }

    /// The default endpoint of a universe domain: `https://storage.DOMAIN`.
    pub(crate) fn for_universe(domain: &str) -> Result<Self, Error> {
        let d = domain.trim().trim_end_matches('/');
        if d.is_empty() || d.contains("://") || d.contains('/') {
            return Err(Error::invalid_input(
                "universe_domain",
                format!("{domain:?}: give a bare domain such as googleapis.com"),
            ));
        }
        Origin::parse("universe_domain", &format!("https://storage.{d}"), true)
    }

    /// The same origin with `bucket.` in front of the host (virtual-hosted style).
    pub(crate) fn with_subdomain(&self, bucket: &str) -> Self {
        Origin {
            https: self.https,
            authority: format!("{bucket}.{}", self.authority),
        }
    }

    /// `https` or `http`.
    pub(crate) fn scheme(&self) -> &'static str {
        if self.https { "https" } else { "http" }
    }

    fn split(&self) -> (&str, Option<&str>) {
        let a = self.authority.as_str();
        if a.starts_with('[') {
            // [v6]:port
            return match a.find(']') {
                Some(end) => {
                    let host = a.get(..=end).unwrap_or(a);
                    let port = a.get(end + 1..).and_then(|p| p.strip_prefix(':'));
                    (host, port)
                }
                None => (a, None),
            };
        }
        match a.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (a, None),
        }
    }

    /// The host without the port: what the `host` header is signed as (the conformance vectors
    /// sign `host:localhost` for `http://localhost:8080`).
    pub(crate) fn host(&self) -> &str {
        self.split().0
    }

    fn port(&self) -> Option<&str> {
        self.split().1
    }

    /// Appends `scheme://host[:port]` to `out`.
    pub(crate) fn write(&self, out: &mut String) {
        out.push_str(self.scheme());
        out.push_str("://");
        out.push_str(&self.authority);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_origins() {
        let o = Origin::parse("endpoint", "http://localhost:8080", true).unwrap();
        assert_eq!((o.scheme(), o.host()), ("http", "localhost"));
        let o = Origin::parse("endpoint", "storage.googleapis.com:443", true).unwrap();
        let mut s = String::new();
        o.write(&mut s);
        assert_eq!(s, "https://storage.googleapis.com:443");
        assert_eq!(o.host(), "storage.googleapis.com");
        let o = Origin::parse("endpoint", "HTTP://[::1]:4443/", true).unwrap();
        assert_eq!((o.scheme(), o.host()), ("http", "[::1]"));
        for bad in [
            "",
            "ftp://x",
            "http://",
            "http://a/b",
            "a b",
            "http://u@h",
            "h:x",
        ] {
            assert!(Origin::parse("endpoint", bad, true).is_err(), "{bad}");
        }
        let u = Origin::for_universe("domain.com").unwrap();
        assert_eq!(u.with_subdomain("b").host(), "b.storage.domain.com");
        assert!(Origin::for_universe("https://x").is_err());
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
