//! [`PresignedRequest`]: a signed URL with the headers the client must send.
//!
//! The URL is a bearer token. `Debug` and `Display` redact its signature and session token; the
//! full URL takes a call to [`PresignedRequest::expose_url`] or
//! [`PresignedRequest::into_exposed_url`], names that show up in review.

use std::fmt;
use std::sync::Arc;

use crate::capabilities::ConstraintKind;
use crate::method::Method;
use crate::redact::{SecretParam, redact_url, redacted_headers};
use crate::timestamp::Timestamp;

/// A presigned request: method, URL, required headers, validity window.
#[derive(Clone, PartialEq, Eq)]
pub struct PresignedRequest {
    method: Method,
    url: String,
    headers: Vec<(String, String)>,
    signed_at: Timestamp,
    expires_at: Timestamp,
    provider: Arc<str>,
    dropped: Vec<ConstraintKind>,
    advisory: Vec<ConstraintKind>,
    secrets: &'static [SecretParam],
}

impl PresignedRequest {
    /// Assembles a result (for providers). A provider that keeps its name in an `Arc<str>`
    /// passes a clone of it, so no string is allocated per URL.
    pub fn new(
        method: Method,
        url: String,
        headers: Vec<(String, String)>,
        signed_at: Timestamp,
        expires_at: Timestamp,
        provider: impl Into<Arc<str>>,
    ) -> Self {
        PresignedRequest {
            method,
            url,
            headers,
            signed_at,
            expires_at,
            provider: provider.into(),
            dropped: Vec::new(),
            advisory: Vec::new(),
            secrets: &[],
        }
    }

    /// Declares which query parameters of the URL are secret (the provider's
    /// `SECRET_PARAMS`), for `Debug`, `Display` and [`redacted_url`](Self::redacted_url).
    /// Without declarations every query value is hidden.
    #[must_use]
    pub fn with_secret_params(mut self, secrets: &'static [SecretParam]) -> Self {
        self.secrets = secrets;
        self
    }

    /// The method the URL is valid for.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The full signed URL, signature included. Treat it as a secret: do not log it.
    pub fn expose_url(&self) -> &str {
        &self.url
    }

    /// The full signed URL, consuming the result. Treat it as a secret: do not log it.
    pub fn into_exposed_url(self) -> String {
        self.url
    }

    /// The URL with its signature and session token (what the provider declared secret)
    /// replaced by `REDACTED`: safe to log.
    pub fn redacted_url(&self) -> String {
        redact_url(&self.url, self.secrets).into_owned()
    }

    /// Headers the client must send exactly as given for the signature to match
    /// (`Content-Type`, `x-ms-blob-type`, `x-goog-content-length-range`, ...). Names are lower-case.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// When the signature was made (the start of validity unless a not-before constraint says
    /// otherwise).
    pub fn signed_at(&self) -> Timestamp {
        self.signed_at
    }

    /// When the URL stops working.
    pub fn expires_at(&self) -> Timestamp {
        self.expires_at
    }

    /// The provider that signed it.
    pub fn provider(&self) -> &str {
        &self.provider
    }

    /// Constraints the request asked for that the provider could not express, which a
    /// best-effort policy dropped. Empty under a strict policy.
    pub fn dropped(&self) -> &[ConstraintKind] {
        &self.dropped
    }

    /// Constraints that are in the URL but that the provider's server does not check.
    pub fn advisory(&self) -> &[ConstraintKind] {
        &self.advisory
    }

    /// Records dropped and advisory constraints (for the policy layer).
    #[must_use]
    pub fn with_policy_report(
        mut self,
        dropped: Vec<ConstraintKind>,
        advisory: Vec<ConstraintKind>,
    ) -> Self {
        self.dropped = dropped;
        self.advisory = advisory;
        self
    }
}

impl fmt::Debug for PresignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PresignedRequest")
            .field("method", &self.method)
            .field("url", &redact_url(&self.url, self.secrets))
            .field("headers", &redacted_headers(&self.headers))
            .field("signed_at", &self.signed_at)
            .field("expires_at", &self.expires_at)
            .field("provider", &self.provider)
            .field("dropped", &self.dropped)
            .field("advisory", &self.advisory)
            .finish()
    }
}

impl fmt::Display for PresignedRequest {
    /// `METHOD redacted-url (expires ...)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} (expires {})",
            self.method,
            redact_url(&self.url, self.secrets),
            self.expires_at
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_redact() {
        let t = Timestamp::from_unix(0).unwrap();
        let p = PresignedRequest::new(
            Method::Put,
            "https://h/k?X-Amz-Security-Token=TOKEN&X-Amz-Signature=SIGNATURE".into(),
            vec![(
                "x-amz-server-side-encryption-customer-key".into(),
                "KEYBYTES".into(),
            )],
            t,
            t,
            "s3",
        );
        let shown = format!("{p:?} {p}");
        for secret in ["TOKEN", "SIGNATURE", "KEYBYTES"] {
            assert!(!shown.contains(secret), "{secret} leaked: {shown}");
        }
        assert!(p.expose_url().contains("SIGNATURE"));
    }
}
