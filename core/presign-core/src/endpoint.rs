//! [`BaseUrl`]: the one parser for the endpoints and base URLs that providers sign for or talk
//! to (`scheme://host[:port][/path-prefix]`), and the one rule for where a secret may travel
//! ([`BaseUrl::require_secure_transport`], [`require_secure_url`]).
//!
//! Every provider and credential fetch parses its endpoints here, so they share one set of
//! rules and one set of error messages, each naming the configuration field:
//!
//! - the scheme is `http` or `https` (case-insensitive), or a default the caller names
//!   ([`BaseUrl::parse_origin`] with `Some(scheme)`, for GCS's `host[:port]` forms);
//! - the host is a DNS name or IPv4 address (labels of `a-z 0-9 -`, 1 to 63 bytes, at most 253
//!   bytes in all) or an IPv6 literal in brackets; it is lower-cased;
//! - the port, when given, is 1 to 65535 and kept as given (`port()`); [`BaseUrl::without_default_port`]
//!   drops `:443` on https and `:80` on http;
//! - no user info (`user:password@`), no query, no fragment;
//! - a path prefix, where allowed, has only `A-Z a-z 0-9 - . _ ~ /` and no empty, `.` or `..`
//!   segments (clients would rewrite them); its trailing `/` is dropped.
//!
//! The transport rule: a bearer token or any other secret is sent only over HTTPS, or over plain
//! HTTP to a loopback host (`localhost`, `127.0.0.0/8`, `[::1]`), where it never crosses a
//! network.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::error::Error;

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

/// A parsed base URL: scheme, host, optional port, optional path prefix (see the
/// [module docs](self) for the rules).
///
/// ```
/// use presign_core::endpoint::{BaseUrl, Scheme};
/// let e = BaseUrl::parse("http://127.0.0.1:8333", "endpoint")?;
/// assert_eq!(e.authority(), "127.0.0.1:8333");
/// assert!(e.is_loopback());
/// let e = BaseUrl::parse("https://S3.Example.com:443/storage/", "endpoint")?.without_default_port();
/// assert_eq!(e.to_string(), "https://s3.example.com/storage");
/// let e = BaseUrl::parse_origin("localhost:9000", "emulator_host", Some(Scheme::Http))?;
/// assert_eq!((e.scheme(), e.host(), e.port()), (Scheme::Http, "localhost", Some(9000)));
/// let err = BaseUrl::parse("https://h:99999", "endpoint").unwrap_err().to_string();
/// assert!(err.contains("endpoint") && err.contains("1 to 65535"));
/// # Ok::<(), presign_core::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct BaseUrl {
    scheme: Scheme,
    host: String,
    port: Option<u16>,
    /// `scheme://host[:port]`, written once.
    origin: String,
    path_prefix: String,
}

impl BaseUrl {
    /// Parses `scheme://host[:port][/path-prefix]`; `field` names the input in errors
    /// (`endpoint`, `public_endpoint`, ...).
    pub fn parse(input: &str, field: &str) -> Result<Self, Error> {
        Self::parse_with(input, field, None, true)
    }

    /// Parses an origin, `[scheme://]host[:port][/]`: no path. Without a scheme in `input`,
    /// `default_scheme` is used; `None` makes the scheme required.
    pub fn parse_origin(
        input: &str,
        field: &str,
        default_scheme: Option<Scheme>,
    ) -> Result<Self, Error> {
        Self::parse_with(input, field, default_scheme, false)
    }

    fn parse_with(
        input: &str,
        field: &str,
        default_scheme: Option<Scheme>,
        path_allowed: bool,
    ) -> Result<Self, Error> {
        let bad = |reason: &str| Error::invalid_input(field, format!("{input:?}: {reason}"));
        // For the parts that may carry a secret (user info, a query, a fragment), the input is
        // not quoted.
        let bad_unquoted = |reason: &str| Error::invalid_input(field, reason.to_owned());
        let s = input.trim();
        if let Some(c) = s
            .chars()
            .find(|c| c.is_whitespace() || c.is_control() || *c == '\\')
        {
            return Err(bad(&format!("{c:?} is not allowed in a URL")));
        }
        let (scheme, rest) = match s.split_once("://") {
            Some((scheme, rest)) => (
                parse_scheme(scheme).ok_or_else(|| bad("the scheme must be http or https"))?,
                rest,
            ),
            None => match default_scheme {
                Some(d) => (d, s),
                None => {
                    return Err(bad(if path_allowed {
                        "expected http://HOST[:PORT][/PREFIX] or https://..."
                    } else {
                        "expected http://HOST[:PORT] or https://HOST[:PORT]"
                    }));
                }
            },
        };
        if rest.contains('?') {
            return Err(bad_unquoted("a base URL must not have a query"));
        }
        if rest.contains('#') {
            return Err(bad_unquoted("a base URL must not have a fragment"));
        }
        let (authority, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
        if authority.contains('@') {
            return Err(bad_unquoted(
                "a base URL must not contain user info (user:password@)",
            ));
        }
        let (host, port) = parse_authority(authority).map_err(|reason| bad(&reason))?;
        if !path_allowed && !matches!(path, "" | "/") {
            return Err(bad("must not have a path; give scheme://host[:port]"));
        }
        let path = path.strip_suffix('/').unwrap_or(path);
        if path.split('/').skip(1).any(|seg| {
            matches!(
                seg.to_ascii_lowercase().replace("%2e", ".").as_str(),
                "" | "." | ".."
            )
        }) {
            return Err(bad(
                "the path prefix has an empty, '.' or '..' segment (also as %2E); HTTP clients remove such segments, so URLs would point elsewhere than signed",
            ));
        }
        if let Some(c) = path
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | '/')))
        {
            return Err(bad(&format!(
                "the path prefix contains {c:?}; only A-Z a-z 0-9 - . _ ~ / are allowed"
            )));
        }
        Ok(BaseUrl::assemble(scheme, host, port, path.to_owned()))
    }

    fn assemble(scheme: Scheme, host: String, port: Option<u16>, path_prefix: String) -> Self {
        let mut origin = String::with_capacity(scheme.as_str().len() + 3 + host.len() + 6);
        origin.push_str(scheme.as_str());
        origin.push_str("://");
        origin.push_str(&host);
        if let Some(p) = port {
            origin.push(':');
            origin.push_str(&p.to_string());
        }
        BaseUrl {
            scheme,
            host,
            port,
            origin,
            path_prefix,
        }
    }

    /// The same URL without a port that is the scheme's default (`:443` on https, `:80` on
    /// http).
    #[must_use]
    pub fn without_default_port(self) -> Self {
        if self.port == Some(self.scheme.default_port()) {
            BaseUrl::assemble(self.scheme, self.host, None, self.path_prefix)
        } else {
            self
        }
    }

    /// The same URL with `label.` in front of the host (virtual-hosted buckets). The label is
    /// the caller's to check (a validated bucket name).
    #[must_use]
    pub fn with_subdomain(&self, label: &str) -> Self {
        BaseUrl::assemble(
            self.scheme,
            format!("{label}.{}", self.host),
            self.port,
            self.path_prefix.clone(),
        )
    }

    /// The scheme.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The host, lower-case (an IPv6 literal in brackets).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port as given, if one was.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// The path prefix without a trailing `/` (`""` or `/prefix`).
    pub fn path_prefix(&self) -> &str {
        &self.path_prefix
    }

    /// `host` or `host:port`: the `Host` header a client sends.
    pub fn authority(&self) -> &str {
        self.origin
            .get(self.scheme.as_str().len() + 3..)
            .unwrap_or_default()
    }

    /// `scheme://host[:port]`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Whether the host is an IP address (virtual-hosted addressing is impossible there).
    pub fn host_is_ip(&self) -> bool {
        self.host.starts_with('[') || self.host.parse::<Ipv4Addr>().is_ok()
    }

    /// Whether the host is a loopback host ([`is_loopback_host`]).
    pub fn is_loopback(&self) -> bool {
        is_loopback_host(&self.host)
    }

    /// The transport rule: `Ok` when a secret may be sent to this URL (HTTPS, or plain HTTP to
    /// a loopback host); otherwise an error naming `field` and what would have leaked
    /// (`secret`, e.g. "a bearer token").
    ///
    /// ```
    /// use presign_core::endpoint::BaseUrl;
    /// let rule = |u: &str| BaseUrl::parse(u, "endpoint")?.require_secure_transport("endpoint", "a bearer token");
    /// assert!(rule("https://iamcredentials.googleapis.com").is_ok());
    /// assert!(rule("http://127.0.0.1:8080").is_ok());
    /// assert!(rule("http://[::1]:8080").is_ok());
    /// assert!(rule("http://iam.example.com").unwrap_err().to_string().contains("plain HTTP"));
    /// # Ok::<(), presign_core::Error>(())
    /// ```
    pub fn require_secure_transport(&self, field: &str, secret: &str) -> Result<(), Error> {
        if self.scheme == Scheme::Https || self.is_loopback() {
            return Ok(());
        }
        Err(Error::invalid_input(
            field,
            format!(
                "{self} is plain HTTP to a host that is not a loopback address: {secret} is only sent over HTTPS or to a loopback host (localhost, 127.0.0.1, [::1])"
            ),
        ))
    }
}

/// The transport rule ([`BaseUrl::require_secure_transport`]) for any URL a secret is sent to,
/// such as a token endpoint with a path and query: only its scheme and authority are judged.
///
/// ```
/// use presign_core::endpoint::require_secure_url;
/// let url = "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/a@p.iam:generateAccessToken";
/// assert!(require_secure_url(url, "service_account_impersonation_url", "a token").is_ok());
/// assert!(require_secure_url("http://localhost:5000/token?x=1", "token_uri", "a refresh token").is_ok());
/// assert!(require_secure_url("http://oauth.example/token", "token_uri", "a refresh token").is_err());
/// assert!(require_secure_url("ftp://h/token", "token_uri", "a refresh token").is_err());
/// ```
pub fn require_secure_url(url: &str, field: &str, secret: &str) -> Result<(), Error> {
    let origin_end = url.split_once("://").map_or(url.len(), |(scheme, rest)| {
        scheme.len() + 3 + rest.find(['/', '?', '#']).unwrap_or(rest.len())
    });
    let origin = url.get(..origin_end).unwrap_or(url);
    BaseUrl::parse_origin(origin, field, None)?.require_secure_transport(field, secret)
}

/// Whether `host` is a loopback host: `localhost`, an IPv4 address in `127.0.0.0/8`, or `::1`
/// (with or without brackets). Names other than `localhost` are not resolved.
///
/// ```
/// use presign_core::endpoint::is_loopback_host;
/// assert!(is_loopback_host("127.0.0.1") && is_loopback_host("[::1]") && is_loopback_host("LOCALHOST"));
/// assert!(!is_loopback_host("10.0.0.1") && !is_loopback_host("localhost.example.com"));
/// ```
pub fn is_loopback_host(host: &str) -> bool {
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

impl fmt::Debug for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BaseUrl({self})")
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.origin, self.path_prefix)
    }
}

fn parse_scheme(s: &str) -> Option<Scheme> {
    if s.eq_ignore_ascii_case("https") {
        Some(Scheme::Https)
    } else if s.eq_ignore_ascii_case("http") {
        Some(Scheme::Http)
    } else {
        None
    }
}

/// `host[:port]` or `[v6][:port]`: the lower-cased host and the port; the error says what is
/// wrong.
fn parse_authority(authority: &str) -> Result<(String, Option<u16>), String> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (addr, after) = rest
            .split_once(']')
            .ok_or("an IPv6 host needs its closing ']'")?;
        addr.parse::<Ipv6Addr>()
            .map_err(|_| "the host in [ ] is not an IPv6 address")?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':').ok_or("malformed host or port")?),
        };
        (format!("[{}]", addr.to_ascii_lowercase()), port)
    } else {
        let (host, port) = match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        if host.is_empty() {
            return Err("the host is empty".into());
        }
        let host = host.to_ascii_lowercase();
        if !is_dns_host(&host) {
            return Err("the host must be a DNS name, an IPv4 address or [IPv6]".into());
        }
        if looks_numeric(&host) && host.parse::<Ipv4Addr>().is_err() {
            return Err(format!(
                "the host {host:?} looks like an IPv4 address but is not one: write four decimal numbers 0-255 without leading zeros (127.0.0.1); HTTP clients read other numeric hosts as a different address, or refuse them"
            ));
        }
        (host, port)
    };
    let port = match port {
        None => None,
        Some(p) => {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err("malformed port: the port must be 1 to 65535".into());
            }
            Some(
                p.parse::<u16>()
                    .ok()
                    .filter(|p| *p > 0)
                    .ok_or("the port must be 1 to 65535")?,
            )
        }
    };
    Ok((host, port))
}

/// Whether the last label of `host` is a number (decimal, or `0x` hex): browsers and curl then
/// read the whole host as an IPv4 address (WHATWG URL: `1.2.3` is `1.2.0.3`, `0x7f.1` is
/// `127.0.0.1`), so only a plain dotted-quad address may look like one.
fn looks_numeric(host: &str) -> bool {
    let last = host.rsplit('.').next().unwrap_or_default();
    !last.is_empty()
        && (last.bytes().all(|b| b.is_ascii_digit())
            || last.get(..2).is_some_and(|p| p == "0x")
                && last.bytes().skip(2).all(|b| b.is_ascii_hexdigit()))
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
#[path = "endpoint_tests.rs"]
mod tests;
