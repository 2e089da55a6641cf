//! Offline verification: a provider recomputes the signature a URL carries, with its own
//! credential and its own canonicalization, and compares it in constant time ([`Verifier`]).
//!
//! A provider only answers "does the signature match for this method and these headers"; the
//! diagnosis of what differs (the method, a header, the canonical path, the time window, the
//! key) is built on top of that, by asking again with variations (see `presign-inspect`).

use std::fmt;

use crate::error::Error;
use crate::method::Method;
use crate::signed_url::SignedUrl;

/// What to check: a signed URL and the request the client will send with it.
#[derive(Clone, Copy)]
pub struct VerifyRequest<'a> {
    /// The signed URL, split.
    pub url: &'a SignedUrl,
    /// The method the client will use.
    pub method: Method,
    /// Headers the client will send besides `Host` (names in any case).
    pub headers: &'a [(String, String)],
}

impl fmt::Debug for VerifyRequest<'_> {
    /// The URL is a bearer token: only its host and path are shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyRequest")
            .field("host", &self.url.host)
            .field("path", &self.url.raw_path)
            .field("method", &self.method)
            .field("headers", &crate::redact::redacted_headers(self.headers))
            .finish()
    }
}

impl<'a> VerifyRequest<'a> {
    /// The values the request sends for the headers a URL was signed with (`signed` is the
    /// `;`-separated list of `X-Amz-SignedHeaders` / `X-Goog-SignedHeaders`; `host` is left
    /// out, the URL gives it), or an error naming a signed header the request does not send.
    ///
    /// ```
    /// # use presign_core::{Method, signed_url::SignedUrl, verify::VerifyRequest};
    /// let url = SignedUrl::parse("https://h/k?X-Amz-SignedHeaders=content-type%3Bhost")?;
    /// let headers = [("Content-Type".to_owned(), "image/png".to_owned())];
    /// let r = VerifyRequest { url: &url, method: Method::Put, headers: &headers };
    /// assert_eq!(r.signed_header_values("content-type;host")?, [("content-type", "image/png")]);
    /// assert!(r.signed_header_values("x-amz-meta-a;host").is_err());
    /// # Ok::<(), presign_core::Error>(())
    /// ```
    pub fn signed_header_values<'s>(
        &self,
        signed: &'s str,
    ) -> Result<Vec<(&'s str, &'a str)>, Error> {
        signed
            .split(';')
            .filter(|name| *name != "host")
            .map(|name| {
                self.headers
                    .iter()
                    .find(|(n, _)| n.trim().eq_ignore_ascii_case(name))
                    .map(|(_, v)| (name, v.as_str()))
                    .ok_or_else(|| {
                        Error::invalid_input(name, "signed, but the request does not send it")
                    })
            })
            .collect()
    }
}

/// The outcome of recomputing one signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureCheck {
    /// Whether the URL's signature is the recomputed one (compared in constant time).
    pub matches: bool,
    /// What the provider signed, for comparing with a server's refusal (S3 returns its
    /// `CanonicalRequest` in a `SignatureDoesNotMatch` error): the canonical request or string
    /// to sign, when the scheme has one. Never secret (a session token in it is redacted).
    pub signed_text: Option<String>,
}

/// Recomputes signatures of URLs signed with this provider's credential, offline.
///
/// Implemented by providers whose credential is at hand (keys, cached snapshots). Errors: the
/// URL is not of this provider's form (naming the part), the credential is not at hand
/// (a would-block error: fetch it first), or the signer cannot check offline (a remote signer).
pub trait Verifier: Send + Sync + fmt::Debug {
    /// The ids of the keys this provider checks with (access key id, HMAC access id, service
    /// account, key pair ids, key names), as a URL names them, to tell a URL signed by another
    /// key; empty when URLs of this provider name no key (Azure) or the key is not at hand.
    fn key_ids(&self) -> Vec<String>;

    /// Recomputes the signature `request.url` would carry had this provider's credential
    /// signed it for `request.method` and `request.headers`, and compares it with the one it
    /// carries.
    fn check_signature(&self, request: &VerifyRequest<'_>) -> Result<SignatureCheck, Error>;
}
