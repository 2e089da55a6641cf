//! [`CloudCdnSigner`]: signed URLs, signed URL prefixes and signed cookies.

use base64::Engine;
use presign_core::{Error, Timestamp};

use crate::key::CloudCdnKey;

/// The signed cookie's name.
pub const COOKIE_NAME: &str = "Cloud-CDN-Cookie";

/// Parameters Cloud CDN reads; a URL that already carries one is refused (case-insensitively).
pub const RESERVED_PARAMS: &[&str] = &["Expires", "KeyName", "Signature", "URLPrefix"];

/// Signs Cloud CDN requests with one key.
#[derive(Debug, Clone)]
pub struct CloudCdnSigner {
    key: CloudCdnKey,
}

fn b64url(bytes: &[u8], out: &mut String) {
    base64::engine::general_purpose::URL_SAFE.encode_string(bytes, out);
}

/// Checks a URL to sign: see [`presign_core::cdn::check_url`].
fn check_url(url: &str) -> Result<(), Error> {
    presign_core::cdn::check_url("url", url, RESERVED_PARAMS, "Cloud CDN")
}

impl CloudCdnSigner {
    /// A signer with `key`.
    pub fn new(key: CloudCdnKey) -> Self {
        CloudCdnSigner { key }
    }

    /// The key.
    pub fn key(&self) -> &CloudCdnKey {
        &self.key
    }

    /// `url` + `?`/`&` + `Expires=<n>&KeyName=<name>&Signature=<sig>`; the HMAC covers
    /// everything before `&Signature=`.
    pub fn signed_url(&self, url: &str, expires: Timestamp) -> Result<String, Error> {
        check_url(url)?;
        let mut out = String::with_capacity(url.len() + self.query_len());
        out.push_str(url);
        let sep = if url.contains('?') { '&' } else { '?' };
        self.append_signature(&mut out, sep, expires)?;
        Ok(out)
    }

    /// The most bytes [`Self::append_signature`] appends: the separator,
    /// `Expires=` and 20 digits, `&KeyName=` and the name, `&Signature=` and 28 characters.
    pub(crate) fn query_len(&self) -> usize {
        1 + "Expires=".len()
            + 20
            + "&KeyName=".len()
            + self.key.name().as_str().len()
            + "&Signature=".len()
            + 28
    }

    /// Appends `sep` (`?`, or `&` when `url` has a query) and
    /// `Expires=<n>&KeyName=<name>&Signature=<sig>` to `url`, which the caller has checked (or
    /// built from checked parts) as [`Self::signed_url`] would.
    pub(crate) fn append_signature(
        &self,
        url: &mut String,
        sep: char,
        expires: Timestamp,
    ) -> Result<(), Error> {
        let seconds = u64::try_from(expires.unix())
            .map_err(|_| Error::invalid_input("expires", "the expiry is before 1970"))?;
        let mut digits = [0u8; 20];
        url.push(sep);
        url.push_str("Expires=");
        url.push_str(presign_core::decimal::u64_digits(seconds, &mut digits));
        url.push_str("&KeyName=");
        url.push_str(self.key.name().as_str());
        let mac = self.key.hmac(&[url.as_bytes()]);
        url.push_str("&Signature=");
        b64url(&mac, url);
        Ok(())
    }

    /// The signed parameters of a URL prefix,
    /// `URLPrefix=<b64>&Expires=<n>&KeyName=<name>&Signature=<sig>`. The prefix must not hold a
    /// query (`?`): Cloud CDN matches it against the URL's path.
    pub fn prefix_params(&self, prefix: &str, expires: Timestamp) -> Result<String, Error> {
        self.prefix_fields(prefix, expires, '&')
    }

    /// `url` + `?`/`&` + [`Self::prefix_params`]; `url` must start with `prefix`.
    pub fn signed_url_with_prefix(
        &self,
        url: &str,
        prefix: &str,
        expires: Timestamp,
    ) -> Result<String, Error> {
        check_url(url)?;
        if !url.starts_with(prefix) {
            return Err(Error::invalid_input(
                "url",
                "the URL does not start with the signed prefix",
            ));
        }
        let params = self.prefix_params(prefix, expires)?;
        let sep = if url.contains('?') { '&' } else { '?' };
        Ok(format!("{url}{sep}{params}"))
    }

    /// The value of the `Cloud-CDN-Cookie` cookie for `prefix`,
    /// `URLPrefix=<b64>:Expires=<n>:KeyName=<name>:Signature=<sig>`.
    pub fn cookie_value(&self, prefix: &str, expires: Timestamp) -> Result<String, Error> {
        self.prefix_fields(prefix, expires, ':')
    }

    fn prefix_fields(&self, prefix: &str, expires: Timestamp, sep: char) -> Result<String, Error> {
        presign_core::cdn::check_url("url_prefix", prefix, RESERVED_PARAMS, "Cloud CDN")?;
        if prefix.contains('?') {
            return Err(Error::invalid_input(
                "url_prefix",
                "a signed prefix must not contain a query string ('?')",
            ));
        }
        let mut out = String::with_capacity(prefix.len() * 4 / 3 + 96);
        out.push_str("URLPrefix=");
        b64url(prefix.as_bytes(), &mut out);
        out.push(sep);
        out.push_str("Expires=");
        out.push_str(&expires.unix().to_string());
        out.push(sep);
        out.push_str("KeyName=");
        out.push_str(self.key.name().as_str());
        let mac = self.key.hmac(&[out.as_bytes()]);
        out.push(sep);
        out.push_str("Signature=");
        b64url(&mac, &mut out);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> CloudCdnSigner {
        CloudCdnSigner::new(CloudCdnKey::from_base64("my-key", "nZtRohdNF9m3cKM24IcK4w==").unwrap())
    }

    #[test]
    fn refuses_urls_already_signed() {
        let t = Timestamp::from_unix(1).unwrap();
        for url in [
            "https://h/a?Expires=1",
            "https://h/a?x=1&keyname=k",
            "https://h/a?Signature=x",
            "https://h/a?URLPrefix=x",
            "ftp://h/a",
            "https:///a",
            "https://h/a b",
            "https://h/a#f",
        ] {
            assert!(signer().signed_url(url, t).is_err(), "{url}");
        }
        assert!(signer().prefix_params("https://h/a?x=1", t).is_err());
    }
}
