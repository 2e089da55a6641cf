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

/// The public-cloud endpoint suffix.
pub const PUBLIC_CLOUD_SUFFIX: &str = "core.windows.net";

/// The base URL of an account's blob service, without a trailing slash.
#[derive(Clone, PartialEq, Eq)]
pub struct Endpoint {
    base: String,
    https: bool,
}

impl Endpoint {
    /// `https://ACCOUNT.blob.core.windows.net`.
    pub fn public(account: &str) -> Self {
        Endpoint::with_suffix(account, PUBLIC_CLOUD_SUFFIX)
    }

    /// `https://ACCOUNT.blob.SUFFIX`, for sovereign clouds (`core.chinacloudapi.cn`,
    /// `core.usgovcloudapi.net`). A suffix that already starts with `blob.` is used as is.
    pub fn with_suffix(account: &str, suffix: &str) -> Self {
        let suffix = suffix.trim().trim_matches('.');
        let base = if suffix.starts_with("blob.") {
            format!("https://{account}.{suffix}")
        } else {
            format!("https://{account}.blob.{suffix}")
        };
        Endpoint { base, https: true }
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
    /// # Ok::<(), presign_core::Error>(())
    /// ```
    pub fn parse(account: &str, endpoint: &str) -> Result<Self, Error> {
        let endpoint = endpoint.trim();
        let bad = |reason: &str| {
            Error::invalid_input("azure endpoint", format!("{endpoint:?}: {reason}"))
        };
        if endpoint.is_empty() {
            return Err(bad("is empty"));
        }
        if endpoint
            .bytes()
            .any(|b| !b.is_ascii_graphic() || matches!(b, b'?' | b'#' | b'@' | b'\\'))
        {
            return Err(bad(
                "must be printable ASCII without spaces, '?', '#', '@' or '\\'",
            ));
        }
        let Some((scheme, rest)) = endpoint.split_once("://") else {
            if endpoint.contains('/') || endpoint.contains(':') {
                return Err(bad(
                    "write a full URL (https://host[:port][/path]) or a bare endpoint suffix such as core.chinacloudapi.cn",
                ));
            }
            return Ok(Endpoint::with_suffix(account, endpoint));
        };
        let https = match scheme.to_ascii_lowercase().as_str() {
            "https" => true,
            "http" => false,
            _ => return Err(bad("the scheme must be http or https")),
        };
        let rest = rest.trim_end_matches('/');
        let host = rest.split('/').next().unwrap_or_default();
        if host.is_empty() || host.starts_with(':') {
            return Err(bad("has no host"));
        }
        if rest.contains("//") {
            return Err(bad("has an empty path segment"));
        }
        Ok(Endpoint {
            base: format!("{}://{rest}", if https { "https" } else { "http" }),
            https,
        })
    }

    /// The base URL, without a trailing slash.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Whether the endpoint uses HTTPS.
    pub fn is_https(&self) -> bool {
        self.https
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
            Endpoint::public("acct").base(),
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
        ] {
            let e = Endpoint::parse("acct", bad).unwrap_err();
            assert_eq!(e.kind(), "invalid_input", "{bad}");
        }
    }
}
