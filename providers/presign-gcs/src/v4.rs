//! The V4 signing pipeline: canonical request, string to sign, URL. Everything generic lives in
//! [`presign_core::canonical`]; this file only fixes GCS's names and rules.

use std::fmt;
use std::time::Duration;

use std::borrow::Cow;

use presign_core::canonical::{CanonicalHeaders, CanonicalQuery, HashSink, write_scope};
use presign_core::decimal::u64_digits;
use presign_core::encoding::{EncodeSet, encode, encode_into};
use presign_core::redact::redacted_headers;
use presign_core::{ConstraintKind, Error, Method, ObjectKey, Timestamp};

use crate::endpoint::Origin;

/// `X-Goog-Algorithm` for service-account keys and IAM signBlob.
pub const ALGORITHM_RSA: &str = "GOOG4-RSA-SHA256";
/// `X-Goog-Algorithm` for HMAC keys.
pub const ALGORITHM_HMAC: &str = "GOOG4-HMAC-SHA256";
/// The longest `X-Goog-Expires` GCS accepts: 7 days.
pub const MAX_EXPIRES_SECS: u64 = 604_800;
/// The credential scope's location.
pub(crate) const LOCATION: &str = "auto";
/// The credential scope's service.
pub(crate) const SERVICE: &str = "storage";
/// The credential scope's terminator.
pub(crate) const TERMINATOR: &str = "goog4_request";
const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
const CONTENT_SHA256: &str = "x-goog-content-sha256";

/// The query parameters the signature itself uses; a caller cannot set them.
const RESERVED_QUERY: [&str; 6] = [
    "x-goog-algorithm",
    "x-goog-credential",
    "x-goog-date",
    "x-goog-expires",
    "x-goog-signedheaders",
    "x-goog-signature",
];

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

/// Where a request goes: the origin and, for path style, `/BUCKET`.
pub(crate) struct Target<'a> {
    pub(crate) origin: &'a Origin,
    pub(crate) path_prefix: &'a str,
}

/// What depends only on the signer and the day: the scope and the encoded `X-Goog-Credential`
/// (cached by the presigner, so that a URL formats neither).
#[derive(Debug)]
pub(crate) struct DayParts {
    pub(crate) day: i64,
    scope: String,
    credential: String,
}

impl DayParts {
    pub(crate) fn new(id: &str, now: Timestamp) -> Self {
        let mut scope = String::with_capacity(40);
        write_scope(&mut scope, now, LOCATION, SERVICE, TERMINATOR);
        let mut credential = String::with_capacity(id.len() + scope.len() + 16);
        encode_into(&mut credential, id, EncodeSet::Component);
        credential.push_str("%2F");
        encode_into(&mut credential, &scope, EncodeSet::Component);
        DayParts {
            day: now.unix_day(),
            scope,
            credential,
        }
    }
}

/// Who signs: the algorithm, and the scope and credential of the signing day.
pub(crate) struct Identity<'a> {
    pub(crate) algorithm: &'static str,
    pub(crate) day: &'a DayParts,
}

/// A request ready for its signature.
pub(crate) struct Prepared {
    /// `scheme://host/path?canonical-query`; the signature is appended to it.
    pub(crate) url: String,
    /// The canonical request when explaining, else empty.
    pub(crate) canonical_request: String,
    pub(crate) string_to_sign: String,
    /// Signed headers the client must send (all but `host`), lower-case names.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) signed_at: Timestamp,
    pub(crate) expires_at: Timestamp,
}

impl Prepared {
    /// Appends `&X-Goog-Signature=HEX` and returns the URL.
    pub(crate) fn finish_url(mut self, signature: &[u8]) -> (String, Vec<(String, String)>) {
        self.url.reserve(18 + signature.len() * 2);
        self.url.push_str("&X-Goog-Signature=");
        presign_core::crypto::hex_into(signature, &mut self.url);
        (self.url, self.headers)
    }
}

fn check_header(name: &str, value: &str) -> Result<(), Error> {
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

fn check_query(name: &str) -> Result<(), Error> {
    if name.is_empty() {
        return Err(Error::invalid_constraint(
            ConstraintKind::ExtraQuery,
            "a query parameter name is empty",
        ));
    }
    if RESERVED_QUERY.iter().any(|r| r.eq_ignore_ascii_case(name)) {
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

/// A [`V4Request`] borrowed: what [`prepare`] reads. The presigner maps a generic request onto
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

/// Builds the unsigned URL (its query is the canonical query) and the string to sign, hashing
/// the canonical request as it goes; the canonical request is kept only when `explain` is set.
pub(crate) fn prepare(
    req: &V4View<'_>,
    target: &Target<'_>,
    identity: &Identity<'_>,
    now: Timestamp,
    explain: bool,
) -> Result<Prepared, Error> {
    let secs = expires_secs(req.expires_in)?;
    let expires_at =
        now.checked_add(Duration::from_secs(secs))
            .ok_or_else(|| Error::InvalidTtl {
                ttl: req.expires_in,
                reason: "the expiry is past year 9999".into(),
            })?;
    for (name, value) in req.headers {
        check_header(name, value)?;
    }
    for (name, _) in req.query {
        check_query(name)?;
    }

    // Headers: host plus the caller's; `host` alone (the common case) needs no sorting.
    let mut headers = CanonicalHeaders::with_capacity(req.headers.len() + 1);
    headers.push("host", target.origin.host());
    for (name, value) in req.headers {
        headers.push(name, value);
    }
    let signed_headers: Cow<'_, str> = if req.headers.is_empty() {
        Cow::Borrowed("host")
    } else {
        Cow::Owned(headers.signed_headers())
    };
    let payload: Cow<'_, str> = match headers.get(CONTENT_SHA256) {
        Some(v) => Cow::Owned(v.to_owned()),
        None => Cow::Borrowed(UNSIGNED_PAYLOAD),
    };

    let (scope, credential) = (&identity.day.scope, &identity.day.credential);
    let date_bytes = now.basic_bytes();
    let date = std::str::from_utf8(&date_bytes).unwrap_or_default();
    let mut expires_buf = [0u8; 20];
    let expires = u64_digits(secs, &mut expires_buf);

    // The URL: origin, canonical URI (`/BUCKET/OBJECT` path style or `/OBJECT`; no dot-segment
    // normalisation), `?`, the canonical query; the signature is appended later.
    let object = req.object;
    let mut url = String::with_capacity(
        target.origin.scheme().len()
            + 3
            + target.origin.host().len()
            + target.path_prefix.len()
            + object.map_or(1, |o| o.len() * 3 + 1)
            + credential.len()
            + 170
            + 18
            + if identity.algorithm == ALGORITHM_RSA {
                512
            } else {
                64
            },
    );
    target.origin.write(&mut url);
    let path_start = url.len();
    url.push_str(target.path_prefix);
    match object {
        Some(o) => {
            url.push('/');
            encode_into(&mut url, o, EncodeSet::Path);
        }
        None if url.len() == path_start => url.push('/'),
        None => {}
    }
    let path_end = url.len();
    url.push('?');
    let query_start = url.len();
    let signed_headers_enc = encode(&signed_headers, EncodeSet::Component);
    if req.query.is_empty() {
        // The X-Goog-* names are already in order.
        for (i, (name, value)) in [
            ("X-Goog-Algorithm", identity.algorithm),
            ("X-Goog-Credential", credential.as_str()),
            ("X-Goog-Date", date),
            ("X-Goog-Expires", expires),
            ("X-Goog-SignedHeaders", &*signed_headers_enc),
        ]
        .into_iter()
        .enumerate()
        {
            if i > 0 {
                url.push('&');
            }
            url.push_str(name);
            url.push('=');
            url.push_str(value);
        }
    } else {
        let mut query = CanonicalQuery::with_capacity(req.query.len() + 5);
        for (name, value) in req.query {
            query.push(name, value);
        }
        query.push_encoded("X-Goog-Algorithm".into(), identity.algorithm.into());
        query.push_encoded("X-Goog-Credential".into(), credential.as_str().into());
        query.push_encoded("X-Goog-Date".into(), date.into());
        query.push_encoded("X-Goog-Expires".into(), expires.into());
        query.push_encoded(
            "X-Goog-SignedHeaders".into(),
            Cow::Borrowed(&*signed_headers_enc),
        );
        query.write_into(&mut url);
    }

    // Canonical request, hashed as it is produced.
    let mut creq_text = explain.then(|| String::with_capacity(url.len() + 200));
    let mut creq = HashSink::new(creq_text.as_mut());
    creq.put_request(
        req.method.as_str(),
        url.get(path_start..path_end).unwrap_or_default(),
        url.get(query_start..).unwrap_or_default(),
        headers.entries(),
        &signed_headers,
        &payload,
    );
    let digest = creq.finalize_hex();

    let mut sts = String::with_capacity(identity.algorithm.len() + date.len() + scope.len() + 67);
    for part in [identity.algorithm, "\n", date, "\n", scope, "\n"] {
        sts.push_str(part);
    }
    sts.push_str(std::str::from_utf8(&digest).unwrap_or_default());

    let returned: Vec<(String, String)> = if req.headers.is_empty() {
        Vec::new()
    } else {
        headers
            .entries()
            .iter()
            .filter(|(n, _)| n != "host")
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    };
    Ok(Prepared {
        url,
        canonical_request: creq_text.unwrap_or_default(),
        string_to_sign: sts,
        headers: returned,
        signed_at: now,
        expires_at,
    })
}
