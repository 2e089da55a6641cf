//! [`Endpoint`]: a parsed `scheme://host[:port][/path-prefix]` base URL.

use std::fmt;
use std::net::Ipv6Addr;

use presign_core::Error;

/// `http` or `https`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// Plain HTTP (default port 80).
    Http,
    /// HTTPS (default port 443).
    Https,
}

impl Scheme {
    /// `http` or `https`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    /// 80 or 443.
    pub const fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

/// A base URL for S3 requests: scheme, host, optional non-default port, optional path prefix.
///
/// ```
/// use presign_s3::endpoint::Endpoint;
/// let e = Endpoint::parse("http://127.0.0.1:8333", "endpoint")?;
/// assert_eq!(e.authority(), "127.0.0.1:8333");
/// let e = Endpoint::parse("https://s3.example.com:443/storage/", "endpoint")?;
/// assert_eq!(e.authority(), "s3.example.com"); // default port dropped
/// assert_eq!(e.path_prefix(), "/storage");
/// assert!(Endpoint::parse("https://user:pw@host", "endpoint").is_err());
/// # Ok::<(), presign_core::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Endpoint {
    scheme: Scheme,
    host: String,
    port: Option<u16>,
    path_prefix: String,
}

impl Endpoint {
    /// Parses an endpoint; `field` names the input in errors (`endpoint`, `public_endpoint`).
    ///
    /// Refuses a missing or unknown scheme, user info, a query, a fragment, an empty or
    /// malformed host, a bad port and path characters other than `A-Z a-z 0-9 - . _ ~ /`.
    /// The host is lower-cased; a default port (`:443` on https, `:80` on http) is dropped;
    /// a trailing `/` of the path prefix is dropped.
    pub fn parse(input: &str, field: &str) -> Result<Self, Error> {
        let bad = |reason: &str| Error::invalid_input(field, format!("{input:?}: {reason}"));
        let (scheme, rest) = input
            .split_once("://")
            .ok_or_else(|| bad("expected http://HOST[:PORT][/PREFIX] or https://..."))?;
        let scheme = if scheme.eq_ignore_ascii_case("https") {
            Scheme::Https
        } else if scheme.eq_ignore_ascii_case("http") {
            Scheme::Http
        } else {
            return Err(bad("the scheme must be http or https"));
        };
        if rest.contains('?') {
            return Err(bad("an endpoint must not have a query"));
        }
        if rest.contains('#') {
            return Err(bad("an endpoint must not have a fragment"));
        }
        let (authority, path) = match rest.find('/') {
            Some(i) => (
                rest.get(..i).unwrap_or_default(),
                rest.get(i..).unwrap_or_default(),
            ),
            None => (rest, ""),
        };
        if authority.contains('@') {
            return Err(bad(
                "an endpoint must not contain user info (user:password@)",
            ));
        }
        let (host, port) =
            split_host_port(authority).ok_or_else(|| bad("malformed host or port"))?;
        let host = host.to_ascii_lowercase();
        if host.is_empty() {
            return Err(bad("the host is empty"));
        }
        if !(host.starts_with('[') || is_dns_host(&host)) {
            return Err(bad(
                "the host must be a DNS name, an IPv4 address or [IPv6]",
            ));
        }
        let port = match port {
            None => None,
            Some(p) => {
                let p: u16 = p.parse().map_err(|_| bad("the port must be 1 to 65535"))?;
                if p == 0 {
                    return Err(bad("the port must be 1 to 65535"));
                }
                (p != scheme.default_port()).then_some(p)
            }
        };
        if let Some(c) = path
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | '/')))
        {
            return Err(bad(&format!(
                "the path prefix contains {c:?}; only A-Z a-z 0-9 - . _ ~ / are allowed"
            )));
        }
        if path.contains("//") || path.split('/').any(|s| s == "." || s == "..") {
            return Err(bad(
                "the path prefix must not contain empty, . or .. segments",
            ));
        }
        Ok(Endpoint {
            scheme,
            host,
            port,
            path_prefix: path.trim_end_matches('/').to_owned(),
        })
    }

    /// The scheme.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The host, lower-case (IPv6 in brackets).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port, if not the scheme's default.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// The path prefix without a trailing `/` (`""` or `/prefix`).
    pub fn path_prefix(&self) -> &str {
        &self.path_prefix
    }

    /// `host` or `host:port`: the `Host` header a client sends (default port omitted).
    pub fn authority(&self) -> String {
        self.authority_with(None)
    }

    /// The authority with `bucket.` in front of the host (virtual-hosted style).
    pub(crate) fn authority_with(&self, bucket: Option<&str>) -> String {
        let mut s = String::with_capacity(self.host.len() + 64);
        if let Some(b) = bucket {
            s.push_str(b);
            s.push('.');
        }
        s.push_str(&self.host);
        if let Some(p) = self.port {
            s.push(':');
            s.push_str(&p.to_string());
        }
        s
    }

    /// Whether the host is an IP address (virtual-hosted addressing is impossible there).
    pub fn host_is_ip(&self) -> bool {
        self.host.starts_with('[') || self.host.parse::<std::net::Ipv4Addr>().is_ok()
    }
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Endpoint({self})")
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}://{}{}",
            self.scheme.as_str(),
            self.authority(),
            self.path_prefix
        )
    }
}

/// Splits `host[:port]` or `[v6][:port]`; `None` when malformed.
fn split_host_port(authority: &str) -> Option<(&str, Option<&str>)> {
    if let Some(rest) = authority.strip_prefix('[') {
        let end = rest.find(']')?;
        let addr = rest.get(..end)?;
        addr.parse::<Ipv6Addr>().ok()?;
        let host = authority.get(..end + 2)?;
        let after = rest.get(end + 1..)?;
        return match after {
            "" => Some((host, None)),
            p => Some((host, Some(p.strip_prefix(':')?))),
        };
    }
    match authority.split_once(':') {
        Some((h, p)) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
            Some((h, Some(p)))
        }
        Some(_) => None,
        None => Some((authority, None)),
    }
}

/// A DNS name or IPv4 address: labels of `a-z 0-9 -`, 1 to 63 bytes, not starting or ending with
/// `-`; at most 253 bytes.
fn is_dns_host(host: &str) -> bool {
    host.len() <= 253
        && host.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_strips_default_ports() {
        let e = Endpoint::parse("HTTPS://S3.Example.com:443", "endpoint").unwrap();
        assert_eq!(e.to_string(), "https://s3.example.com");
        let e = Endpoint::parse("http://localhost:80/", "endpoint").unwrap();
        assert_eq!(e.to_string(), "http://localhost");
        let e = Endpoint::parse("http://localhost:443", "endpoint").unwrap();
        assert_eq!(e.authority(), "localhost:443");
        let e = Endpoint::parse("https://[::1]:9000/a/b/", "endpoint").unwrap();
        assert_eq!(e.authority(), "[::1]:9000");
        assert_eq!(e.path_prefix(), "/a/b");
        assert!(e.host_is_ip());
        assert!(
            Endpoint::parse("http://127.0.0.1:8333", "e")
                .unwrap()
                .host_is_ip()
        );
        assert!(
            !Endpoint::parse("http://minio.local", "e")
                .unwrap()
                .host_is_ip()
        );
    }

    #[test]
    fn refuses_with_the_field_name() {
        for (bad, why) in [
            ("s3.amazonaws.com", "expected"),
            ("ftp://h", "scheme"),
            ("https://u:p@h", "user info"),
            ("https://h/?x=1", "query"),
            ("https://h/#f", "fragment"),
            ("https://", "empty"),
            ("https://h:0", "port"),
            ("https://h:99999", "port"),
            ("https://h:x", "malformed"),
            ("https://h_h", "DNS"),
            ("https://[zz]", "malformed"),
            ("https://h/a b", "path prefix"),
            ("https://h/a/../b", "segments"),
        ] {
            let e = Endpoint::parse(bad, "public_endpoint")
                .unwrap_err()
                .to_string();
            assert!(
                e.contains("public_endpoint") && e.contains(why),
                "{bad}: {e}"
            );
        }
    }
}
