//! [`V4Request`]: a GCS V4 request as the conformance vectors describe one, and the checks GCS
//! puts on headers, query parameters and lifetimes. The V4 algorithm itself is `presign-v4`.

use std::fmt;
use std::time::Duration;

use presign_core::redact::redacted_headers;
use presign_core::{ConstraintKind, Error, Method, ObjectKey, Timestamp};
use presign_v4::Dialect;

/// `X-Goog-Algorithm` for service-account keys and IAM signBlob.
pub const ALGORITHM_RSA: &str = Dialect::GOOG4_RSA_SHA256.algorithm;
/// `X-Goog-Algorithm` for HMAC keys.
pub const ALGORITHM_HMAC: &str = Dialect::GOOG4_HMAC_SHA256.algorithm;
/// The longest `X-Goog-Expires` GCS accepts: 7 days.
pub const MAX_EXPIRES_SECS: u64 = 604_800;
/// The credential scope's location.
pub(crate) const LOCATION: &str = "auto";
/// The credential scope's service.
pub(crate) const SERVICE: &str = "storage";

/// A low-level V4 signing request: method, optional object, lifetime, and any extra signed
/// headers and query parameters, exactly as the GCS conformance vectors describe a case.
///
/// [`crate::GcsPresigner`] maps a [`presign_core::PresignRequest`] onto this; use it directly
/// for what the generic request cannot say (a bucket-level URL with no object, a per-request
/// host name).
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct V4Request {
    /// The HTTP method.
    pub method: Method,
    /// The object, raw (encoded here); `None` signs the bucket itself (for example a listing).
    pub object: Option<ObjectKey>,
    /// `X-Goog-Expires`: 1 s to 7 days.
    pub expires_in: Duration,
    /// The signing time; the presigner's clock when `None`.
    pub signing_time: Option<Timestamp>,
    /// Extra headers to sign (the client must send them), raw names and values.
    pub headers: Vec<(String, String)>,
    /// Extra query parameters to sign, raw names and values.
    pub query: Vec<(String, String)>,
    /// A host for this request only (`[scheme://]host[:port]`), taking precedence over the
    /// configured endpoint and emulator host.
    pub hostname: Option<String>,
}

impl V4Request {
    /// A request for `method` on `object` (or the bucket), valid for `expires_in`.
    pub fn new(method: Method, object: Option<ObjectKey>, expires_in: Duration) -> Self {
        V4Request {
            method,
            object,
            expires_in,
            signing_time: None,
            headers: Vec::new(),
            query: Vec::new(),
            hostname: None,
        }
    }

    /// Adds a signed header.
    #[must_use]
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Adds a signed query parameter.
    #[must_use]
    pub fn with_query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Fixes the signing time.
    #[must_use]
    pub fn signed_at(mut self, time: Timestamp) -> Self {
        self.signing_time = Some(time);
        self
    }

    /// Sets a per-request host.
    #[must_use]
    pub fn with_hostname(mut self, hostname: impl Into<String>) -> Self {
        self.hostname = Some(hostname.into());
        self
    }
}

impl fmt::Debug for V4Request {
    /// Like a derived `Debug`, with sensitive header values (encryption keys) redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers = redacted_headers(&self.headers);
        f.debug_struct("V4Request")
            .field("method", &self.method)
            .field("object", &self.object)
            .field("expires_in", &self.expires_in)
            .field("signing_time", &self.signing_time)
            .field("headers", &headers)
            .field("query", &self.query)
            .field("hostname", &self.hostname)
            .finish()
    }
}

pub(crate) fn check_header(name: &str, value: &str) -> Result<(), Error> {
    let bad = |reason: String| Error::invalid_constraint(ConstraintKind::ExtraHeaders, reason);
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err(bad("a header name is empty".into()));
    }
    if let Some(c) = trimmed
        .chars()
        .find(|c| !c.is_ascii() || c.is_ascii_control() || c.is_ascii_whitespace() || *c == ':')
    {
        return Err(bad(format!("header name {trimmed:?} contains {c:?}")));
    }
    if trimmed.eq_ignore_ascii_case("host") {
        return Err(bad(
            "the host header is signed from the endpoint; do not pass it".into(),
        ));
    }
    if value.chars().any(|c| c.is_control() && c != '\t') {
        return Err(bad(format!(
            "the value of header {trimmed:?} contains a control character"
        )));
    }
    Ok(())
}

pub(crate) fn check_query(name: &str) -> Result<(), Error> {
    let reserved = |n: &str| Dialect::GOOG4_RSA_SHA256.is_reserved_query(n);
    if name.is_empty() {
        return Err(Error::invalid_constraint(
            ConstraintKind::ExtraQuery,
            "a query parameter name is empty",
        ));
    }
    if reserved(name) {
        return Err(Error::invalid_constraint(
            ConstraintKind::ExtraQuery,
            format!("{name} is set by the signature itself"),
        ));
    }
    Ok(())
}

/// The lifetime in whole seconds, checked against GCS's 1 s to 7 days.
pub(crate) fn expires_secs(expires_in: Duration) -> Result<u64, Error> {
    let secs = expires_in.as_secs();
    if secs == 0 {
        return Err(Error::InvalidTtl {
            ttl: expires_in,
            reason: "GCS signed URLs need at least 1 second".into(),
        });
    }
    if secs > MAX_EXPIRES_SECS {
        return Err(Error::InvalidTtl {
            ttl: expires_in,
            reason: format!("GCS V4 signed URLs last at most {MAX_EXPIRES_SECS} s (7 days)"),
        });
    }
    Ok(secs)
}

/// A [`V4Request`] borrowed: what the presigner signs. It maps a generic request onto it
/// without copying the object name. The presigner maps a generic request onto
/// it without copying the object name.
pub(crate) struct V4View<'a> {
    pub(crate) method: Method,
    pub(crate) object: Option<&'a str>,
    pub(crate) expires_in: Duration,
    pub(crate) headers: &'a [(String, String)],
    pub(crate) query: &'a [(String, String)],
}

impl V4Request {
    pub(crate) fn view(&self) -> V4View<'_> {
        V4View {
            method: self.method,
            object: self.object.as_ref().map(ObjectKey::as_str),
            expires_in: self.expires_in,
            headers: &self.headers,
            query: &self.query,
        }
    }
}
