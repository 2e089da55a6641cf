//! What the CDN signers (CloudFront, Cloud CDN) share: the checks on a URL they are asked to
//! sign.
//!
//! A CDN signature covers a whole URL (or a prefix of it), so the URL must be exactly what the
//! client will send: `http://` or `https://`, a host, printable ASCII only (percent-encoded), no
//! fragment, and none of the CDN's own signing parameters already in the query (a URL that
//! carries them is refused rather than signed twice).

use crate::error::Error;

/// The longest URL a CDN signer accepts, in bytes (CloudFront's limit is 8,192).
pub const MAX_URL_BYTES: usize = 8192;

/// Checks `url` for signing by `vendor`, whose query parameters are `reserved` (compared
/// case-insensitively). `field` names the input in the error.
///
/// ```
/// use presign_core::cdn::check_url;
/// assert!(check_url("url", "https://d.net/a.mp4?x=1", &["Signature"], "CloudFront").is_ok());
/// let e = check_url("url", "https://d.net/a?signature=x", &["Signature"], "CloudFront").unwrap_err();
/// assert!(e.to_string().contains("Signature is a CloudFront signing parameter"));
/// assert!(check_url("url", "rtmp://d.net/a", &[], "CloudFront").is_err());
/// ```
pub fn check_url(field: &str, url: &str, reserved: &[&str], vendor: &str) -> Result<(), Error> {
    let bad = |reason: String| Error::invalid_input(field, reason);
    if url.is_empty() || url.len() > MAX_URL_BYTES {
        return Err(bad(format!("it must be 1 to {MAX_URL_BYTES} bytes long")));
    }
    if let Some(c) = url.chars().find(|c| !matches!(c, '!'..='~')) {
        return Err(bad(format!(
            "it contains {c:?}; give the URL percent-encoded, as the client sends it"
        )));
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| bad("the URL is missing a valid scheme (http:// or https://)".into()))?;
    if rest.is_empty() || rest.starts_with(['/', '?']) {
        return Err(bad("the URL has no host".into()));
    }
    if url.contains('#') {
        return Err(bad("the URL has a fragment (#), which is never sent".into()));
    }
    if let Some((_, query)) = url.split_once('?') {
        for pair in query.split('&') {
            let name = pair.split_once('=').map_or(pair, |(n, _)| n);
            if let Some(p) = reserved.iter().find(|p| p.eq_ignore_ascii_case(name)) {
                return Err(bad(format!(
                    "{p} is a {vendor} signing parameter; the URL must not carry it already"
                )));
            }
        }
    }
    Ok(())
}

/// A CDN's base URL (`https://d111111abcdef8.cloudfront.net`, `https://media.example.com/v`)
/// and the URLs of keys and cookie patterns under it. Checked once: `http(s)://` and a host and
/// port as [`crate::endpoint::BaseUrl`] takes them, printable ASCII, no query, fragment, `*`,
/// `"` or `\`; a trailing `/` is dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CdnBase {
    base: std::sync::Arc<str>,
    host: std::sync::Arc<str>,
}

impl CdnBase {
    /// `https://DOMAIN`.
    pub fn domain(domain: &str, vendor: &str) -> Result<Self, Error> {
        Self::parse(&format!("https://{domain}"), vendor)
    }

    /// A base URL; errors name the field `domain`.
    pub fn parse(url: &str, vendor: &str) -> Result<Self, Error> {
        let base = url.strip_suffix('/').unwrap_or(url);
        check_url("domain", base, &[], vendor)?;
        if base.contains(['?', '*', '"', '\\']) {
            return Err(Error::invalid_input(
                "domain",
                "the base URL must not hold a query, '*', '\"' or '\\'",
            ));
        }
        // The scheme and authority follow core's one base-URL parser (host, port 1 to 65535, no
        // user info); the path is the CDN's, kept as written.
        let origin_end = base.split_once("://").map_or(base.len(), |(scheme, rest)| {
            scheme.len() + 3 + rest.find('/').unwrap_or(rest.len())
        });
        let origin = crate::endpoint::BaseUrl::parse_origin(
            base.get(..origin_end).unwrap_or(base),
            "domain",
            None,
        )?;
        Ok(CdnBase {
            host: std::sync::Arc::from(origin.host()),
            base: std::sync::Arc::from(base),
        })
    }

    /// The base URL.
    pub fn as_str(&self) -> &str {
        &self.base
    }

    /// The host (a cookie's `Domain`).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The URL of `path`: the base, `/`, the path percent-encoded (`/` kept).
    ///
    /// ```
    /// let b = presign_core::cdn::CdnBase::domain("d.net", "CloudFront")?;
    /// assert_eq!(b.url_for("a b/ü.mp4"), "https://d.net/a%20b/%C3%BC.mp4");
    /// # Ok::<(), presign_core::Error>(())
    /// ```
    pub fn url_for(&self, path: &str) -> String {
        self.url_with_room(path, 0)
    }

    /// [`Self::url_for`] in a `String` with room for `extra` more bytes after it (a signer's
    /// query), so appending them does not reallocate for keys that need little encoding.
    ///
    /// ```
    /// let b = presign_core::cdn::CdnBase::domain("d.net", "CloudFront")?;
    /// let url = b.url_with_room("a.mp4", 64);
    /// assert_eq!(url, "https://d.net/a.mp4");
    /// assert!(url.capacity() >= url.len() + 64);
    /// # Ok::<(), presign_core::Error>(())
    /// ```
    pub fn url_with_room(&self, path: &str, extra: usize) -> String {
        let mut url =
            String::with_capacity(self.base.len() + 1 + path.len() + path.len() / 2 + extra);
        url.push_str(&self.base);
        url.push('/');
        crate::encoding::encode_into(&mut url, path, crate::encoding::EncodeSet::Path);
        url
    }

    /// The URL pattern of a cookie pattern: literal parts percent-encoded, `*` kept.
    ///
    /// ```
    /// use presign_core::cdn::CdnBase;
    /// use presign_core::cookies::ResourcePattern;
    /// let b = CdnBase::domain("d.net", "CloudFront")?;
    /// assert_eq!(b.pattern_url(&ResourcePattern::new("my clip/*")?), "https://d.net/my%20clip/*");
    /// # Ok::<(), presign_core::Error>(())
    /// ```
    pub fn pattern_url(&self, pattern: &crate::cookies::ResourcePattern) -> String {
        let p = pattern.as_str();
        let mut url = String::with_capacity(self.base.len() + 1 + p.len() * 3 / 2);
        url.push_str(&self.base);
        url.push('/');
        for (i, part) in p.split('*').enumerate() {
            if i > 0 {
                url.push('*');
            }
            crate::encoding::encode_into(&mut url, part, crate::encoding::EncodeSet::Path);
        }
        url
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn bases_take_host_and_port_as_the_one_parser_does() {
        let b = CdnBase::parse("https://Media.Example.com:8443/v%20x/", "CloudFront").unwrap();
        assert_eq!(b.as_str(), "https://Media.Example.com:8443/v%20x");
        assert_eq!(b.host(), "media.example.com");
        assert_eq!(
            CdnBase::parse("http://[::1]:8080", "Cloud CDN")
                .unwrap()
                .host(),
            "[::1]"
        );
        for bad in [
            "https://d.net:99999",
            "https://d.net:0/v",
            "https://u:p@d.net",
            "https://bad_host.net",
        ] {
            let e = CdnBase::parse(bad, "CloudFront").unwrap_err().to_string();
            assert!(e.contains("domain") && !e.contains("u:p"), "{bad}: {e}");
        }
    }
}
