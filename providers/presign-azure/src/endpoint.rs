//! [`Endpoint`]: where the blob service of an account answers.
//!
//! - Public Azure (the default): `https://ACCOUNT.blob.core.windows.net`.
//! - Sovereign clouds: an endpoint suffix, for example `core.chinacloudapi.cn` (Azure China) or
//!   `core.usgovcloudapi.net` (Azure US Government), gives `https://ACCOUNT.blob.SUFFIX`.
//! - Custom endpoints (private endpoints, CDNs, proxies) and the Azurite emulator: a full URL.
//!   A URL with a path is path-style: Azurite's `http://127.0.0.1:10000/devstoreaccount1`
//!   puts the account in the path, and blob URLs become `BASE/CONTAINER/BLOB`.
//!
//! The endpoint only decides the URL; the signature always covers the canonicalized resource
//! `/blob/ACCOUNT/CONTAINER/BLOB`, whatever host the request goes to.

use std::fmt;

use presign_core::Error;
use presign_core::endpoint::BaseUrl;

/// The public-cloud endpoint suffix.
pub const PUBLIC_CLOUD_SUFFIX: &str = "core.windows.net";

/// The field errors name.
const FIELD: &str = "azure endpoint";

/// The base URL of an account's blob service, without a trailing slash, parsed by core's one
/// base-URL parser ([`BaseUrl`]: http/https, a DNS name, IPv4 or `[IPv6]` host, port 1 to 65535,
/// a path of unreserved characters without empty, `.` or `..` segments, no user info, query or
/// fragment).
#[derive(Clone, PartialEq, Eq)]
pub struct Endpoint {
    url: BaseUrl,
    base: String,
}

impl Endpoint {
    /// `https://ACCOUNT.blob.core.windows.net`. Errors when `account` is not a DNS label.
    pub fn public(account: &str) -> Result<Self, Error> {
        Endpoint::with_suffix(account, PUBLIC_CLOUD_SUFFIX)
    }

    /// `https://ACCOUNT.blob.SUFFIX`, for sovereign clouds (`core.chinacloudapi.cn`,
    /// `core.usgovcloudapi.net`). A suffix that already starts with `blob.` is used as is.
    pub fn with_suffix(account: &str, suffix: &str) -> Result<Self, Error> {
        let suffix = suffix.trim().trim_matches('.');
        let url = if suffix.starts_with("blob.") {
            format!("https://{account}.{suffix}")
        } else {
            format!("https://{account}.blob.{suffix}")
        };
        Endpoint::from_url(BaseUrl::parse(&url, FIELD)?)
    }

    fn from_url(url: BaseUrl) -> Result<Self, Error> {
        Ok(Endpoint {
            base: url.to_string(),
            url,
        })
    }

    /// Parses a configured endpoint: a full `http://` or `https://` URL (custom endpoint,
    /// Azurite), or, without a scheme, an endpoint suffix (see [`Endpoint::with_suffix`]).
    ///
    /// ```
    /// use presign_azure::Endpoint;
    /// let e = Endpoint::parse("devstoreaccount1", "http://127.0.0.1:10000/devstoreaccount1/")?;
    /// assert_eq!(e.base(), "http://127.0.0.1:10000/devstoreaccount1");
    /// let e = Endpoint::parse("acct", "core.chinacloudapi.cn")?;
    /// assert_eq!(e.base(), "https://acct.blob.core.chinacloudapi.cn");
    /// assert!(Endpoint::parse("acct", "https://h:99999").is_err());
    /// # Ok::<(), presign_core::Error>(())
    /// ```
    pub fn parse(account: &str, endpoint: &str) -> Result<Self, Error> {
        let endpoint = endpoint.trim();
        if endpoint.contains("://") {
            return Endpoint::from_url(BaseUrl::parse(endpoint, FIELD)?);
        }
        if endpoint.is_empty() || endpoint.contains(['/', ':', '?', '#', '@']) {
            return Err(Error::invalid_input(
                FIELD,
                format!(
                    "{endpoint:?}: write a full URL (https://host[:port][/path]) or a bare endpoint suffix such as core.chinacloudapi.cn"
                ),
            ));
        }
        Endpoint::with_suffix(account, endpoint)
    }

    /// The base URL, without a trailing slash.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The parsed base URL (scheme, host, port, path).
    pub fn url(&self) -> &BaseUrl {
        &self.url
    }

    /// Whether the endpoint uses HTTPS.
    pub fn is_https(&self) -> bool {
        self.url.scheme() == presign_core::endpoint::Scheme::Https
    }
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.base)
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        assert_eq!(
            Endpoint::public("acct").unwrap().base(),
            "https://acct.blob.core.windows.net"
        );
        for (input, want) in [
            (
                "https://acct.blob.core.windows.net/",
                "https://acct.blob.core.windows.net",
            ),
            (
                "HTTP://127.0.0.1:10000/devstoreaccount1",
                "http://127.0.0.1:10000/devstoreaccount1",
            ),
            (
                "https://cdn.example.com/prefix",
                "https://cdn.example.com/prefix",
            ),
            (
                "core.usgovcloudapi.net",
                "https://acct.blob.core.usgovcloudapi.net",
            ),
            (
                "blob.core.chinacloudapi.cn",
                "https://acct.blob.core.chinacloudapi.cn",
            ),
            (
                ".core.chinacloudapi.cn",
                "https://acct.blob.core.chinacloudapi.cn",
            ),
        ] {
            assert_eq!(
                Endpoint::parse("acct", input).unwrap().base(),
                want,
                "{input}"
            );
        }
        assert!(!Endpoint::parse("a", "http://h").unwrap().is_https());
        for bad in [
            "",
            "ftp://h",
            "https://",
            "https://:80",
            "https://h/a//b",
            "https://h/?x=1",
            "https://u@h",
            "h:80",
            "a b",
            "https://h:99999",
            "https://h:0",
            "http://h:abc",
            "https://h_h",
            "https://h/a b",
            "https://h/a/../b",
            "evil.example/x",
        ] {
            let e = Endpoint::parse("acct", bad).unwrap_err();
            assert_eq!(e.kind(), "invalid_input", "{bad}");
            assert!(e.to_string().contains("azure endpoint"), "{bad}: {e}");
        }
    }
}
