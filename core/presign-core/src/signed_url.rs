//! [`SignedUrl`]: a small, lossless URL splitter for reading signed URLs back (inspection,
//! offline verification): scheme, host, port, raw path, query pairs raw and decoded.
//!
//! Signed URLs must be read exactly as they were signed, so nothing is normalized: the path
//! keeps its encoding and every query pair keeps its raw bytes beside the decoded form. Input
//! is bounded ([`MAX_URL_BYTES`], [`MAX_PARAMS`]); errors name the part that is wrong.

use crate::encoding::decode_lossy;
use crate::error::Error;

/// The longest URL accepted (bytes).
pub const MAX_URL_BYTES: usize = 64 * 1024;
/// The most query parameters accepted.
pub const MAX_PARAMS: usize = 512;

/// One query parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    /// The name as written.
    pub raw_name: String,
    /// The value as written (percent-encoded).
    pub raw_value: String,
    /// The decoded name.
    pub name: String,
    /// The decoded value (`+` is kept: the signed-URL schemes sign `%2B`/`%20`, never `+`).
    pub value: String,
}

/// A URL split into its parts.
///
/// ```
/// let u = presign_core::signed_url::SignedUrl::parse("https://h:8443/a%20b?sig=x%2By&se=1")?;
/// assert_eq!((u.host.as_str(), u.port, u.raw_path.as_str()), ("h", Some(8443), "/a%20b"));
/// assert_eq!(u.get("sig"), Some("x+y"));
/// # Ok::<(), presign_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedUrl {
    /// `https`, `http` (lower case).
    pub scheme: String,
    /// The host, lower case, without brackets for IPv6.
    pub host: String,
    /// The port, if written.
    pub port: Option<u16>,
    /// The path as written (percent-encoded, starts with `/`).
    pub raw_path: String,
    /// The query parameters in order.
    pub params: Vec<Param>,
}

impl SignedUrl {
    /// Splits `url`. Refuses what is not an absolute `http(s)` URL, naming the part.
    pub fn parse(url: &str) -> Result<Self, Error> {
        let url = url.trim();
        if url.len() > MAX_URL_BYTES {
            return Err(not_a_url(format!(
                "{} bytes is longer than the {MAX_URL_BYTES} bytes accepted",
                url.len()
            )));
        }
        if let Some(c) = url.chars().find(|c| c.is_control() || *c == ' ') {
            return Err(not_a_url(format!(
                "contains {c:?}; a URL has no spaces or control characters"
            )));
        }
        let Some((scheme, rest)) = url.split_once("://") else {
            return Err(not_a_url(
                "no scheme: a signed URL starts with https:// (or http://)",
            ));
        };
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "https" && scheme != "http" {
            // Quoted only when it looks like a scheme: the text before `://` may be anything,
            // a signature included.
            let what = if scheme.len() <= 16
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
            {
                format!("scheme {scheme:?}")
            } else {
                "the text before :// is no scheme".to_owned()
            };
            return Err(not_a_url(format!(
                "{what}: only http and https URLs are signed URLs"
            )));
        }
        let rest = rest.split_once('#').map_or(rest, |(r, _)| r);
        let auth_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, rest) = rest.split_at(auth_end);
        let (raw_path, query) = match rest.split_once('?') {
            Some((p, q)) => (p, q),
            None => (rest, ""),
        };
        let (host, port) = split_authority(authority)?;
        let raw_path = if raw_path.is_empty() { "/" } else { raw_path };
        Ok(SignedUrl {
            scheme,
            host,
            port,
            raw_path: raw_path.to_owned(),
            params: parse_query(query)?,
        })
    }

    /// The first parameter named `name` (exact, case-sensitive: the schemes are).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.value.as_str())
    }

    /// Whether a parameter named `name` is present.
    pub fn has(&self, name: &str) -> bool {
        self.params.iter().any(|p| p.name == name)
    }

    /// How many parameters are named `name`.
    pub fn count(&self, name: &str) -> usize {
        self.params.iter().filter(|p| p.name == name).count()
    }

    /// The path's segments after the leading `/`, decoded.
    pub fn path_segments(&self) -> Vec<String> {
        self.raw_path
            .trim_start_matches('/')
            .split('/')
            .map(decode_lossy)
            .collect()
    }

    /// The decoded path without its leading `/`.
    pub fn decoded_path(&self) -> String {
        decode_lossy(self.raw_path.strip_prefix('/').unwrap_or(&self.raw_path))
    }

    /// Whether the host is a loopback host ([`crate::endpoint::is_loopback_host`]).
    pub fn is_loopback(&self) -> bool {
        crate::endpoint::is_loopback_host(&self.host)
    }
}

/// The error for text that is not an absolute `http(s)` URL.
fn not_a_url(reason: impl Into<String>) -> Error {
    Error::invalid_input("url", reason)
}

fn split_authority(authority: &str) -> Result<(String, Option<u16>), Error> {
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if authority.is_empty() {
        return Err(not_a_url("no host after the scheme"));
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let Some((host, after)) = v6.split_once(']') else {
            return Err(not_a_url("an IPv6 host without its closing ']'"));
        };
        (host, after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    let port = match port {
        None | Some("") => None,
        Some(p) => Some(p.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| {
            // Quoted only when it is a number: after a missing `?` the "port" runs
            // into the query, signature and all.
            let what = if p.len() <= 10 && p.bytes().all(|b| b.is_ascii_digit()) {
                format!("port {p:?}")
            } else {
                format!("the port ({} characters after the last ':')", p.len())
            };
            not_a_url(format!("{what} is not a number from 1 to 65535"))
        })?),
    };
    if host.is_empty() {
        return Err(not_a_url("no host after the scheme"));
    }
    Ok((host.to_ascii_lowercase(), port))
}

fn parse_query(query: &str) -> Result<Vec<Param>, Error> {
    let mut params = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        if params.len() == MAX_PARAMS {
            return Err(not_a_url(format!(
                "more than {MAX_PARAMS} query parameters"
            )));
        }
        let (raw_name, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        params.push(Param {
            name: decode_lossy(raw_name),
            value: decode_lossy(raw_value),
            raw_name: raw_name.to_owned(),
            raw_value: raw_value.to_owned(),
        });
    }
    Ok(params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_without_normalizing() {
        let u = SignedUrl::parse(
            "HTTPS://user@Bucket.S3.amazonaws.com:8443/a%20b/./c?X-Amz-Date=1&x=%2B+&e#frag",
        )
        .unwrap();
        assert_eq!(u.scheme, "https");
        assert_eq!(u.host, "bucket.s3.amazonaws.com");
        assert_eq!(u.port, Some(8443));
        assert_eq!(u.raw_path, "/a%20b/./c");
        assert_eq!(u.path_segments(), ["a b", ".", "c"]);
        assert_eq!(u.get("x"), Some("++"));
        assert_eq!(u.params[1].raw_value, "%2B+");
        assert!(u.has("e"));
        let v6 = SignedUrl::parse("http://[::1]:10000/acct/c/b?sig=x").unwrap();
        assert_eq!((v6.host.as_str(), v6.port), ("::1", Some(10000)));
        assert!(v6.is_loopback());
        assert_eq!(SignedUrl::parse("https://h").unwrap().raw_path, "/");
    }

    #[test]
    fn refusals_name_the_part() {
        for (bad, why) in [
            ("not a url", "space"),
            ("ftp://h/k", "scheme"),
            ("h/k?sig=1", "no scheme"),
            ("https:///k", "no host"),
            ("https://h:99999/k", "port"),
            ("https://[::1/k", "IPv6"),
            ("https://h/k\u{0}", "control"),
        ] {
            let e = SignedUrl::parse(bad).map(|_| ()).unwrap_err().to_string();
            assert!(e.contains(why), "{bad}: {e}");
        }
        let many = format!("https://h/k?{}", "a=1&".repeat(MAX_PARAMS + 1));
        assert!(SignedUrl::parse(&many).is_err());
    }

    /// Found by the `inspect_url` fuzz target: without a `?`, the "port" ran into the query
    /// and the error quoted it, signature and all (so did a scheme that is not one).
    #[test]
    fn refusals_never_quote_a_signature() {
        for bad in [
            "http://35.186=my-keyISignatut\u{fffd}\u{fffd}=my:key&Signature=CRFqQnVfFyiUyR63OQf-yR63OQf-HRUpIwc=re=CRFqQnVfFyiUyR63OQf-HRUpIwm=",
            "https://h:443&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
            "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404://h/k",
        ] {
            let e = SignedUrl::parse(bad).map(|_| ()).unwrap_err().to_string();
            assert!(
                !e.contains("CRFqQnVf") && !e.contains("aeeed9bb"),
                "{bad}: {e}"
            );
            assert!(e.contains("port") || e.contains("scheme"), "{e}");
        }
        let e = SignedUrl::parse("https://h:99999/k")
            .map(|_| ())
            .unwrap_err();
        assert!(e.to_string().contains("port \"99999\""), "{e}");
    }
}
