//! [`Explanation`]: what was signed, without secrets.

use std::fmt;

/// The intermediate results of one signature, for debugging a `SignatureDoesNotMatch`: compare
/// them with the server's `CanonicalRequest` and `StringToSign`. A session token is shown as
/// `REDACTED`; the signature and the URL are not included.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Explanation {
    /// The canonical request (session token redacted).
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The signed header names, lower-case, sorted (always including `host`).
    pub signed_headers: Vec<String>,
    /// `yyyymmdd/region/s3/aws4_request`.
    pub credential_scope: String,
    /// The URL with signature and session token redacted.
    pub redacted_url: String,
}

impl fmt::Debug for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Explanation")
            .field("canonical_request", &self.canonical_request)
            .field("string_to_sign", &self.string_to_sign)
            .field("signed_headers", &self.signed_headers)
            .field("credential_scope", &self.credential_scope)
            .field("redacted_url", &self.redacted_url)
            .finish()
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "URL: {}", self.redacted_url)?;
        writeln!(f, "Signed headers: {}", self.signed_headers.join(";"))?;
        writeln!(f, "Credential scope: {}", self.credential_scope)?;
        writeln!(f, "--- canonical request\n{}", self.canonical_request)?;
        write!(f, "--- string to sign\n{}", self.string_to_sign)
    }
}
