//! Signed cookies: one grant for many URLs ([`CookiePresigner`], [`CookieRequest`],
//! [`SignedCookies`], [`ResourcePattern`]).
//!
//! A CDN (CloudFront, Cloud CDN) can sign a set of cookies instead of a URL: the browser sends
//! them with every request to the CDN's domain, and every URL the grant's pattern covers is
//! served (HLS/DASH segments, a whole folder of images). The grant is a [`ResourcePattern`]: a
//! path on the CDN's domain where `*` stands for any run of characters. Everything else in the
//! pattern is literal and is percent-encoded by the provider.
//!
//! The policy layer applies its rules to cookies unchanged: TTL bounds, GET must be allowed
//! (cookies grant reads), constraints checked against the provider's capabilities, and the
//! pattern's literal part before the first `*` must lie inside an allowed key prefix at a `/`
//! boundary (`uploads/alice/*` under `uploads/alice/` passes, `uploads/*` does not).
//!
//! ```
//! use presign_core::cookies::{CookieRequest, ResourcePattern};
//! let p = ResourcePattern::new("videos/2026/*")?;
//! assert_eq!(p.literal_prefix(), "videos/2026/");
//! assert!(p.is_wildcard());
//! let r = CookieRequest::new(p).with_ttl(std::time::Duration::from_secs(3600));
//! assert_eq!(r.ttl, Some(std::time::Duration::from_secs(3600)));
//! # Ok::<(), presign_core::Error>(())
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

use crate::capabilities::ConstraintKind;
use crate::constraints::Constraints;
use crate::error::{Error, display_key};
use crate::key::MAX_KEY_BYTES;
use crate::presigner::{AsIs, Prepare, Presigner};
use crate::timestamp::Timestamp;

/// A path pattern on a CDN's domain, without the leading `/`: `videos/*`, `live/stream-1/*`,
/// `docs/report.pdf`. `*` matches any run of characters; everything else is literal. Validated
/// once: not empty, no control characters, at most [`MAX_KEY_BYTES`] bytes.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ResourcePattern(Arc<str>);

impl ResourcePattern {
    /// Validates `pattern`. One leading `/` is removed (`/videos/*` is `videos/*`).
    pub fn new(pattern: &str) -> Result<Self, Error> {
        let p = pattern.strip_prefix('/').unwrap_or(pattern);
        let invalid = |reason: String| Error::InvalidKey {
            key: display_key(pattern),
            reason,
        };
        if p.is_empty() {
            return Err(invalid("the resource pattern is empty".into()));
        }
        if p.len() > MAX_KEY_BYTES {
            return Err(invalid(format!("it is longer than {MAX_KEY_BYTES} bytes")));
        }
        if let Some(c) = p.chars().find(|c| c.is_control()) {
            return Err(invalid(format!("control character U+{:04X}", u32::from(c))));
        }
        Ok(ResourcePattern(Arc::from(p)))
    }

    /// The pattern.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether it holds a `*`.
    pub fn is_wildcard(&self) -> bool {
        self.0.contains('*')
    }

    /// The literal part before the first `*` (the whole pattern without one): every path the
    /// grant covers starts with it.
    pub fn literal_prefix(&self) -> &str {
        self.0.split('*').next().unwrap_or_default()
    }

    /// The pattern as a prefix grant: `Some(prefix)` when the only `*` is the last character.
    pub fn as_prefix(&self) -> Option<&str> {
        let prefix = self.0.strip_suffix('*')?;
        (!prefix.contains('*')).then_some(prefix)
    }
}

impl fmt::Debug for ResourcePattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResourcePattern({:?})", &*self.0)
    }
}

impl fmt::Display for ResourcePattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What to sign as cookies: a pattern, a time-to-live, constraints (client IP, not-before)
/// and optionally a fixed signing time.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CookieRequest {
    /// The paths the cookies grant.
    pub resource: ResourcePattern,
    /// How long the grant lasts; the policy's default when `None`.
    pub ttl: Option<Duration>,
    /// Client IP, not-before, ... (only what the provider enforces passes a strict policy).
    pub constraints: Constraints,
    /// The signing time; the signer's clock when `None`.
    pub signing_time: Option<Timestamp>,
}

impl CookieRequest {
    /// A request for `resource` with no TTL (the default applies) and no constraints.
    pub fn new(resource: ResourcePattern) -> Self {
        CookieRequest {
            resource,
            ttl: None,
            constraints: Constraints::default(),
            signing_time: None,
        }
    }

    /// Sets the time-to-live.
    #[must_use]
    pub fn with_ttl(mut self, ttl: Duration) -> Self {
        self.ttl = Some(ttl);
        self
    }

    /// Sets the constraints.
    #[must_use]
    pub fn with_constraints(mut self, constraints: Constraints) -> Self {
        self.constraints = constraints;
        self
    }

    /// Fixes the signing time.
    #[must_use]
    pub fn signed_at(mut self, t: Timestamp) -> Self {
        self.signing_time = Some(t);
        self
    }
}

/// Signed cookies: `(name, value)` pairs and the `Domain` / `Path` they must be set for. The
/// values are bearer tokens: `Debug` redacts them, [`SignedCookies::expose_cookies`] returns
/// them.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedCookies {
    cookies: Vec<(String, String)>,
    domain: String,
    path: String,
    signed_at: Timestamp,
    expires_at: Timestamp,
    provider: Arc<str>,
    dropped: Vec<ConstraintKind>,
}

impl SignedCookies {
    /// Assembles a result (for providers). `path` is the cookie `Path` (`/videos/`).
    pub fn new(
        cookies: Vec<(String, String)>,
        domain: impl Into<String>,
        path: impl Into<String>,
        signed_at: Timestamp,
        expires_at: Timestamp,
        provider: impl Into<Arc<str>>,
    ) -> Self {
        SignedCookies {
            cookies,
            domain: domain.into(),
            path: path.into(),
            signed_at,
            expires_at,
            provider: provider.into(),
            dropped: Vec::new(),
        }
    }

    /// The cookies, names and values, in the order to set them.
    pub fn expose_cookies(&self) -> &[(String, String)] {
        &self.cookies
    }

    /// The cookie names.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.cookies.iter().map(|(n, _)| n.as_str())
    }

    /// The domain the cookies must be set for (the CDN's host).
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The cookie `Path`: the literal directory of the pattern (`/videos/` for `videos/*`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// When the grant was signed.
    pub fn signed_at(&self) -> Timestamp {
        self.signed_at
    }

    /// When the grant expires.
    pub fn expires_at(&self) -> Timestamp {
        self.expires_at
    }

    /// The provider's name.
    pub fn provider(&self) -> &str {
        &self.provider
    }

    /// Constraints the best-effort policy dropped.
    pub fn dropped(&self) -> &[ConstraintKind] {
        &self.dropped
    }

    /// Records what the policy dropped (for the policy layer).
    #[must_use]
    pub fn with_dropped(mut self, dropped: Vec<ConstraintKind>) -> Self {
        self.dropped = dropped;
        self
    }
}

/// The `SameSite` attribute of a `Set-Cookie` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SameSite {
    /// Sent only with same-site requests.
    Strict,
    /// Also sent with top-level cross-site navigations (the default).
    #[default]
    Lax,
    /// Sent with every request (a player on another site); needs `Secure`.
    None,
}

impl SameSite {
    /// `Strict`, `Lax` or `None`.
    pub const fn as_str(self) -> &'static str {
        match self {
            SameSite::Strict => "Strict",
            SameSite::Lax => "Lax",
            SameSite::None => "None",
        }
    }

    /// Parses `strict`, `lax` or `none` (any case).
    pub fn parse(s: &str) -> Result<Self, Error> {
        match s.to_ascii_lowercase().as_str() {
            "strict" => Ok(SameSite::Strict),
            "lax" => Ok(SameSite::Lax),
            "none" => Ok(SameSite::None),
            _ => Err(Error::invalid_input(
                "same_site",
                format!("{s:?} is not strict, lax or none"),
            )),
        }
    }
}

/// How to write the `Set-Cookie` headers of [`SignedCookies`]. Cookies are always `Secure`
/// (they are bearer tokens); `HttpOnly` unless a page script must read them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookieAttributes {
    /// `SameSite` (default `Lax`).
    pub same_site: SameSite,
    /// `HttpOnly` (default on).
    pub http_only: bool,
    /// `Domain`; the CDN's host when `None`. A parent domain (`example.com`) lets an
    /// application on `www.example.com` set cookies for `cdn.example.com`.
    pub domain: Option<String>,
}

impl Default for CookieAttributes {
    fn default() -> Self {
        CookieAttributes {
            same_site: SameSite::Lax,
            http_only: true,
            domain: None,
        }
    }
}

impl SignedCookies {
    /// One `Set-Cookie` header value per cookie:
    /// `NAME=VALUE; Domain=D; Path=P; Max-Age=N; Secure; HttpOnly; SameSite=S`, where `Max-Age`
    /// is the grant's lifetime from its signing time.
    ///
    /// ```
    /// use presign_core::cookies::{CookieAttributes, SignedCookies};
    /// use presign_core::Timestamp;
    /// let t = Timestamp::from_unix(1_000)?;
    /// let c = SignedCookies::new(vec![("A".into(), "v".into())], "cdn.example.com", "/v/", t,
    ///     Timestamp::from_unix(1_300)?, "cdn");
    /// assert_eq!(c.set_cookie_headers(&CookieAttributes::default()),
    ///     ["A=v; Domain=cdn.example.com; Path=/v/; Max-Age=300; Secure; HttpOnly; SameSite=Lax"]);
    /// # Ok::<(), presign_core::Error>(())
    /// ```
    pub fn set_cookie_headers(&self, attrs: &CookieAttributes) -> Vec<String> {
        let domain = attrs.domain.as_deref().unwrap_or(&self.domain);
        let max_age = self.expires_at.duration_since(self.signed_at).as_secs();
        let http_only = if attrs.http_only { "; HttpOnly" } else { "" };
        self.cookies
            .iter()
            .map(|(name, value)| {
                format!(
                    "{name}={value}; Domain={domain}; Path={}; Max-Age={max_age}; Secure{http_only}; SameSite={}",
                    self.path,
                    attrs.same_site.as_str()
                )
            })
            .collect()
    }
}

impl fmt::Debug for SignedCookies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.names().collect();
        f.debug_struct("SignedCookies")
            .field("names", &names)
            .field("values", &"[REDACTED]")
            .field("domain", &self.domain)
            .field("path", &self.path)
            .field("signed_at", &self.signed_at)
            .field("expires_at", &self.expires_at)
            .field("provider", &self.provider)
            .field("dropped", &self.dropped)
            .finish()
    }
}

/// Signs cookie grants. Object-safe, like [`Presigner`]; the policy layer implements it over any
/// `CookiePresigner`. As for URLs ([`Presigner::presign_with`]), a provider takes one credential
/// snapshot per grant and passes the request and the snapshot's expiry through `prepare`
/// (exactly once) before signing what it returns.
#[async_trait]
pub trait CookiePresigner: Presigner {
    /// Signs one cookie grant as `prepare` turns it.
    async fn presign_cookies_with(
        &self,
        request: &CookieRequest,
        prepare: &mut dyn Prepare<CookieRequest>,
    ) -> Result<SignedCookies, Error>;

    /// Signs one cookie grant as it is.
    async fn presign_cookies(&self, request: &CookieRequest) -> Result<SignedCookies, Error> {
        self.presign_cookies_with(request, &mut AsIs).await
    }
}

/// `CookiePresigner` for smart pointers.
macro_rules! forward_cookie_presigner {
    ($($ptr:ident),+) => {$(
        #[async_trait]
        impl<P: CookiePresigner + ?Sized> CookiePresigner for $ptr<P> {
            async fn presign_cookies_with(
                &self,
                request: &CookieRequest,
                prepare: &mut dyn Prepare<CookieRequest>,
            ) -> Result<SignedCookies, Error> {
                (**self).presign_cookies_with(request, prepare).await
            }
        }
    )+};
}

forward_cookie_presigner!(Arc, Box);

/// The cookie `Path` for a pattern: `/` + its literal part up to the last `/` before the first
/// `*` (`videos/2026/*` → `/videos/2026/`, `a.mp4` → `/`).
pub fn cookie_path(pattern: &ResourcePattern) -> String {
    let lit = pattern.literal_prefix();
    let dir = lit
        .rfind('/')
        .map_or("", |i| lit.get(..=i).unwrap_or_default());
    format!("/{dir}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        let p = ResourcePattern::new("/videos/*").unwrap();
        assert_eq!(p.as_str(), "videos/*");
        assert_eq!(p.as_prefix(), Some("videos/"));
        assert_eq!(cookie_path(&p), "/videos/");
        let q = ResourcePattern::new("a/*/b*").unwrap();
        assert_eq!(q.literal_prefix(), "a/");
        assert_eq!(q.as_prefix(), None);
        let exact = ResourcePattern::new("doc.pdf").unwrap();
        assert!(!exact.is_wildcard());
        assert_eq!(exact.literal_prefix(), "doc.pdf");
        assert_eq!(cookie_path(&exact), "/");
        for bad in ["", "/", "a\nb"] {
            assert!(ResourcePattern::new(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn debug_redacts_values() {
        let t = Timestamp::from_unix(0).unwrap();
        let c = SignedCookies::new(
            vec![("CloudFront-Signature".into(), "s3cr3t".into())],
            "d.net",
            "/",
            t,
            t,
            "cf",
        );
        let d = format!("{c:?}");
        assert!(
            d.contains("CloudFront-Signature") && !d.contains("s3cr3t"),
            "{d}"
        );
    }
}
