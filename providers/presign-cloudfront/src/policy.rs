//! CloudFront policy statements: what is signed.
//!
//! A canned policy is rebuilt by CloudFront from the URL and `Expires`, so its JSON must be
//! byte-exact:
//!
//! ```text
//! {"Statement":[{"Resource":"<URL>","Condition":{"DateLessThan":{"AWS:EpochTime":<n>}}}]}
//! ```
//!
//! A custom policy travels with the URL (`Policy=`) or cookie (`CloudFront-Policy`) and adds
//! `DateGreaterThan` (not before) and `IpAddress` (`AWS:SourceIp`, IPv4 CIDR), in that order,
//! and its `Resource` may hold the wildcards `*` (any characters) and `?` (one character).
//!
//! The resource and the source IP are inserted into JSON strings. Rather than escape them,
//! presign **refuses** any resource that would need escaping (`"`, `\`, control characters,
//! spaces, non-ASCII), so the signed policy is always the plain text shown here.

use std::fmt;
use std::net::Ipv4Addr;

use presign_core::{ConstraintKind, Error, Timestamp};

/// The longest resource accepted, in bytes (CloudFront limits URLs to 8,192 bytes).
pub const MAX_RESOURCE_BYTES: usize = 8192;

/// Whether a policy is canned (only an expiry; CloudFront rebuilds it) or custom (wildcards,
/// not-before, client IP; sent along).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PolicyKind {
    /// `Expires=`: the resource is exactly the URL; only the expiry is enforced.
    Canned,
    /// `Policy=`: wildcard resources, `DateGreaterThan`, `IpAddress`.
    #[default]
    Custom,
}

impl PolicyKind {
    /// `canned` or `custom`.
    pub const fn as_str(self) -> &'static str {
        match self {
            PolicyKind::Canned => "canned",
            PolicyKind::Custom => "custom",
        }
    }

    /// Parses `canned` / `custom`.
    pub fn parse(s: &str) -> Result<Self, Error> {
        match s {
            "canned" => Ok(PolicyKind::Canned),
            "custom" => Ok(PolicyKind::Custom),
            _ => Err(Error::invalid_input(
                "policy",
                format!("{s:?} is not \"canned\" or \"custom\""),
            )),
        }
    }
}

/// Checks that `resource` goes into the policy JSON unescaped: 1 to [`MAX_RESOURCE_BYTES`]
/// bytes of printable ASCII other than `"` and `\`.
pub fn check_resource(resource: &str) -> Result<(), Error> {
    let bad = |reason: String| Error::invalid_input("resource", reason);
    if resource.is_empty() || resource.len() > MAX_RESOURCE_BYTES {
        return Err(bad(format!(
            "it must be 1 to {MAX_RESOURCE_BYTES} bytes long"
        )));
    }
    if let Some(c) = resource
        .chars()
        .find(|c| !matches!(c, '!'..='~') || matches!(c, '"' | '\\'))
    {
        return Err(bad(format!(
            "{} contains {c:?}, which would need escaping inside the policy JSON; presign refuses such resources instead of escaping them (percent-encode the URL)",
            presign_core::error::display_key(resource)
        )));
    }
    Ok(())
}

/// A client IPv4 range for `IpAddress` / `AWS:SourceIp`: an address and a prefix length,
/// written `a.b.c.d/n` (a single address is `/32`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SourceIp {
    addr: Ipv4Addr,
    prefix: u8,
}

impl SourceIp {
    /// An IPv4 CIDR block; `prefix` is 0 to 32. The address is kept as given (CloudFront
    /// matches the block), so `192.168.0.7/24` stays `192.168.0.7/24`.
    pub fn new(addr: Ipv4Addr, prefix: u8) -> Result<Self, Error> {
        if prefix > 32 {
            return Err(Error::invalid_constraint(
                ConstraintKind::ClientIpV4,
                format!("/{prefix} is longer than 32 bits"),
            ));
        }
        Ok(SourceIp { addr, prefix })
    }

    /// Parses `a.b.c.d/n` or `a.b.c.d` (taken as `/32`). Only IPv4: CloudFront's
    /// `AWS:SourceIp` is an IPv4 CIDR block.
    pub fn parse(s: &str) -> Result<Self, Error> {
        let bad = || {
            Error::invalid_constraint(
                ConstraintKind::ClientIpV4,
                format!(
                    "{} is not an IPv4 address or CIDR block (a.b.c.d/n); CloudFront's AWS:SourceIp takes only IPv4",
                    presign_core::error::display_key(s)
                ),
            )
        };
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p))
                if !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()) =>
            {
                (a, p.parse::<u8>().map_err(|_| bad())?)
            }
            Some(_) => return Err(bad()),
            None => (s, 32),
        };
        let addr: Ipv4Addr = addr.parse().map_err(|_| bad())?;
        SourceIp::new(addr, prefix).map_err(|_| bad())
    }

    /// The block covering exactly `start..=end`, if that range is one CIDR block.
    pub fn from_range(start: Ipv4Addr, end: Ipv4Addr) -> Option<Self> {
        let (s, e) = (u32::from(start), u32::from(end));
        let size = e.checked_sub(s)?.checked_add(1);
        let prefix = match size {
            None => 0, // the whole space
            Some(n) if n.is_power_of_two() && s % n == 0 => 32 - n.trailing_zeros(),
            Some(_) => return None,
        };
        u8::try_from(prefix).ok().map(|prefix| SourceIp {
            addr: start,
            prefix,
        })
    }

    /// The address part.
    pub fn addr(&self) -> Ipv4Addr {
        self.addr
    }

    /// The prefix length.
    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    /// Whether `ip` lies in the block.
    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        let mask = u32::MAX
            .checked_shl(32 - u32::from(self.prefix))
            .unwrap_or(0);
        u32::from(ip) & mask == u32::from(self.addr) & mask
    }
}

impl fmt::Display for SourceIp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// What one policy grants: a resource (URL or wildcard pattern), an expiry, and optionally a
/// start time and a client IPv4 block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    resource: String,
    expires: Timestamp,
    not_before: Option<Timestamp>,
    source_ip: Option<SourceIp>,
}

impl Grant {
    /// A grant of `resource` until `expires`; the resource is checked with
    /// [`check_resource`].
    pub fn new(resource: impl Into<String>, expires: Timestamp) -> Result<Self, Error> {
        let resource = resource.into();
        check_resource(&resource)?;
        Ok(Grant {
            resource,
            expires,
            not_before: None,
            source_ip: None,
        })
    }

    /// Not valid before `t` (`DateGreaterThan`; custom policies only). It must be before the
    /// expiry.
    pub fn not_before(mut self, t: Timestamp) -> Result<Self, Error> {
        if t >= self.expires {
            return Err(Error::invalid_constraint(
                ConstraintKind::NotBefore,
                format!(
                    "the active date {t} must be before the expiration {}",
                    self.expires
                ),
            ));
        }
        self.not_before = Some(t);
        Ok(self)
    }

    /// Only from clients in `ip` (`IpAddress`; custom policies only).
    #[must_use]
    pub fn source_ip(mut self, ip: SourceIp) -> Self {
        self.source_ip = Some(ip);
        self
    }

    /// The resource.
    pub fn resource(&self) -> &str {
        &self.resource
    }

    /// The expiry (`DateLessThan`).
    pub fn expires(&self) -> Timestamp {
        self.expires
    }

    /// The start (`DateGreaterThan`), if any.
    pub fn not_before_time(&self) -> Option<Timestamp> {
        self.not_before
    }

    /// The client block, if any.
    pub fn source_ip_block(&self) -> Option<SourceIp> {
        self.source_ip
    }

    /// Whether the resource holds the wildcard `*`. (`?` also matches any one character in a
    /// custom policy, but it is the query separator of every URL with a query, so it alone
    /// does not make a resource a pattern.)
    pub fn has_wildcard(&self) -> bool {
        self.resource.contains('*')
    }

    /// Why this grant cannot be a canned policy, if it cannot.
    pub fn canned_obstacle(&self) -> Option<&'static str> {
        if self.not_before.is_some() {
            Some("a start time (DateGreaterThan) needs a custom policy")
        } else if self.source_ip.is_some() {
            Some("a client IP (IpAddress) needs a custom policy")
        } else {
            None
        }
    }

    /// The policy JSON of `kind`, the exact bytes that are signed. A canned policy refuses a
    /// start time or client IP rather than silently dropping them.
    pub fn policy_json(&self, kind: PolicyKind) -> Result<String, Error> {
        if kind == PolicyKind::Canned
            && let Some(reason) = self.canned_obstacle()
        {
            return Err(Error::invalid_input("policy", reason));
        }
        let mut s = String::with_capacity(160 + self.resource.len());
        s.push_str(r#"{"Statement":[{"Resource":""#);
        s.push_str(&self.resource);
        s.push_str(r#"","Condition":{"DateLessThan":{"AWS:EpochTime":"#);
        s.push_str(&self.expires.unix().to_string());
        s.push('}');
        if let Some(t) = self.not_before {
            s.push_str(r#","DateGreaterThan":{"AWS:EpochTime":"#);
            s.push_str(&t.unix().to_string());
            s.push('}');
        }
        if let Some(ip) = self.source_ip {
            s.push_str(r#","IpAddress":{"AWS:SourceIp":""#);
            s.push_str(&ip.to_string());
            s.push_str(r#""}"#);
        }
        s.push_str("}}]}");
        Ok(s)
    }
}

/// Whether `text` matches the CloudFront wildcard `pattern` (`*` any run of characters, `?`
/// exactly one). Linear in practice, `O(len(pattern) × len(text))` at worst.
///
/// ```
/// use presign_cloudfront::policy::wildcard_match;
/// assert!(wildcard_match("https://d.net/images/*", "https://d.net/images/a/b.jpg"));
/// assert!(wildcard_match("https://d.net/v?.mp4", "https://d.net/v1.mp4"));
/// assert!(!wildcard_match("https://d.net/images/*", "https://d.net/image.jpg"));
/// ```
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == b'?' || Some(&c) == t.get(ti) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|&c| c == b'*'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: i64) -> Timestamp {
        Timestamp::from_unix(s).unwrap()
    }

    #[test]
    fn canned_layout_is_exact() {
        let g = Grant::new("foo", t(1451606400)).unwrap();
        assert_eq!(
            g.policy_json(PolicyKind::Canned).unwrap(),
            r#"{"Statement":[{"Resource":"foo","Condition":{"DateLessThan":{"AWS:EpochTime":1451606400}}}]}"#
        );
    }

    #[test]
    fn refuses_what_needs_escaping() {
        for r in [
            "https://example.com/file\",\"Resource\":\"*\",\"x\":\"",
            "a\\b",
            "a b",
            "é",
            "a\u{7f}",
            "",
        ] {
            assert_eq!(
                Grant::new(r, t(1)).unwrap_err().kind(),
                "invalid_input",
                "{r:?}"
            );
        }
    }

    #[test]
    fn source_ip_forms() {
        assert_eq!(
            SourceIp::parse("10.0.0.0/8").unwrap().to_string(),
            "10.0.0.0/8"
        );
        assert_eq!(
            SourceIp::parse("10.1.2.3").unwrap().to_string(),
            "10.1.2.3/32"
        );
        for bad in [
            "192.168.0.0/24\",\"IpAddress\"",
            "::1",
            "1.2.3.4/33",
            "1.2.3.4/",
            "x",
        ] {
            assert!(SourceIp::parse(bad).is_err(), "{bad}");
        }
        let a = |s: &str| s.parse::<Ipv4Addr>().unwrap();
        assert_eq!(
            SourceIp::from_range(a("10.1.2.0"), a("10.1.2.255"))
                .unwrap()
                .to_string(),
            "10.1.2.0/24"
        );
        assert_eq!(
            SourceIp::from_range(a("0.0.0.0"), a("255.255.255.255"))
                .unwrap()
                .to_string(),
            "0.0.0.0/0"
        );
        assert!(SourceIp::from_range(a("10.0.0.1"), a("10.0.0.2")).is_none());
        assert!(
            SourceIp::parse("10.0.0.0/8")
                .unwrap()
                .contains(a("10.200.1.1"))
        );
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("*", ""));
        assert!(wildcard_match("a*b*c", "axxbyyc"));
        assert!(!wildcard_match("a*b*c", "axxbyy"));
        assert!(!wildcard_match("a?", "a"));
        assert!(wildcard_match("a**", "a"));
    }
}
