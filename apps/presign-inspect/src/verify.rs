//! [`verify`]: is this URL valid for this request, and if not, which part differs?
//!
//! The provider's [`Verifier`] recomputes the signature with its own credential and
//! canonicalization; this module asks it again with variations to name the part that differs:
//! the key, a missing signed header, the method, the canonical path, a signed header's value,
//! the time window, or (when nothing explains it) the URL itself.

use presign_core::signed_url::SignedUrl;
use presign_core::verify::{Verifier, VerifyRequest};
use presign_core::{Error, Method, Timestamp};
use serde::Serialize;

use crate::report::Report;
use crate::{InspectError, inspect};

/// The part of a request that does not match its URL's signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Part {
    /// Another key signed the URL.
    Key,
    /// A header the URL was signed with is not sent.
    MissingHeader,
    /// The URL was signed for another method (or its permissions do not allow this one).
    Method,
    /// The URL's path was re-encoded after signing.
    CanonicalPath,
    /// A signed header's value differs from the signed one.
    Header,
    /// The signature is right, but now is outside the URL's validity window.
    TimeWindow,
    /// Nothing above explains it: the path or query was changed after signing, or another
    /// secret signed it.
    Signature,
}

/// The verdict of [`verify`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verification {
    /// Whether the request would be accepted (by signature and time).
    pub valid: bool,
    /// What differs, when it is not valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<Part>,
    /// One sentence for people: "valid until …, for GET with these headers", or what differs.
    pub message: String,
    /// The method checked.
    #[serde(serialize_with = "method_name")]
    pub method: Method,
    /// The signed headers the client must send (names).
    pub headers: Vec<String>,
    /// What the provider signed (canonical request or string to sign), for comparing with a
    /// server's refusal; never secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signed_text: Option<String>,
    /// The decoded URL.
    pub report: Report,
}

/// Every method, for finding the one a URL was signed for.
const METHODS: [Method; 5] = [
    Method::Get,
    Method::Head,
    Method::Put,
    Method::Post,
    Method::Delete,
];

/// Checks `url` for a request with `method` and `headers` at `now`, with `verifier` (the
/// configured provider's credential).
pub fn verify(
    verifier: &dyn Verifier,
    url: &str,
    method: Method,
    headers: &[(String, String)],
    now: Timestamp,
) -> Result<Verification, VerifyError> {
    let report = inspect(url, now)?;
    let parsed = SignedUrl::parse(url).map_err(InspectError::from_url_error)?;
    let mut v = Verification {
        valid: false,
        part: None,
        message: String::new(),
        method,
        headers: report.signed_headers.clone(),
        signed_text: None,
        report,
    };
    let ours = verifier.key_ids();
    if let Some(theirs) = v.report.credential.key_id.clone()
        && !ours.is_empty()
        && !ours.iter().any(|k| k.eq_ignore_ascii_case(&theirs))
    {
        return Ok(v.invalid(
            Part::Key,
            format!(
                "the URL was signed by key {theirs}; this provider checks with {}",
                ours.join(", ")
            ),
        ));
    }
    let missing: Vec<&str> = v
        .headers
        .iter()
        .filter(|h| {
            !headers
                .iter()
                .any(|(n, _)| n.trim().eq_ignore_ascii_case(h))
        })
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        let message = format!(
            "the URL was signed with the header(s) {} that the client must send with exactly the signed values (--header NAME:VALUE)",
            missing.join(", ")
        );
        return Ok(v.invalid(Part::MissingHeader, message));
    }
    let check = |url: &SignedUrl, method| {
        verifier.check_signature(&VerifyRequest {
            url,
            method,
            headers,
        })
    };
    let first = check(&parsed, method)?;
    v.signed_text = first.signed_text;
    if first.matches {
        return Ok(v.time_and_permissions(now));
    }
    for other in METHODS.into_iter().filter(|m| *m != method) {
        if check(&parsed, other)?.matches {
            return Ok(v.invalid(
                Part::Method,
                format!("the URL was signed for {other}, not {method}"),
            ));
        }
    }
    for (variant, how) in path_variants(&parsed) {
        if check(&variant, method)?.matches {
            let message = format!(
                "the signature is for the path {} but the URL has {}: {how}",
                variant.raw_path, parsed.raw_path
            );
            return Ok(v.invalid(Part::CanonicalPath, message));
        }
    }
    if !v.headers.is_empty() {
        let which = match v.headers.as_slice() {
            [one] => format!("header {one}: its value differs from the signed one"),
            many => format!(
                "the value of one of the signed headers {} differs from the signed one",
                many.join(", ")
            ),
        };
        return Ok(v.invalid(
            Part::Header,
            format!(
                "{which} (compare exactly: case, spaces), unless the URL itself was changed after signing"
            ),
        ));
    }
    Ok(v.invalid(
        Part::Signature,
        "the signature does not match this provider's key: the URL's path or query was changed after signing, or another secret signed it"
            .to_owned(),
    ))
}

impl Verification {
    fn invalid(mut self, part: Part, message: String) -> Self {
        self.valid = false;
        self.part = Some(part);
        self.message = message;
        self
    }

    /// The signature matches: the verdict now depends on the time and, where the URL states
    /// them, on its permissions.
    fn time_and_permissions(mut self, now: Timestamp) -> Self {
        let r = &self.report;
        // Azure signs permissions, not a method: the permissions must allow it.
        if let (false, Some(allowed)) = (r.permissions.is_empty(), &r.method)
            && !allowed.split(", ").any(|m| m == self.method.as_str())
        {
            let message = format!("the URL allows {allowed}, not {}", self.method);
            return self.invalid(Part::Method, message);
        }
        if let Some(nb) = r.not_before.filter(|nb| now < *nb) {
            let message = format!("the signature is right, but the URL is not valid before {nb}");
            return self.invalid(Part::TimeWindow, message);
        }
        if !r.expiry_in_policy && now >= r.expires_at {
            let message = format!(
                "the signature is right, but the URL expired at {}",
                r.expires_at
            );
            return self.invalid(Part::TimeWindow, message);
        }
        let until = if r.expiry_in_policy {
            "the stored access policy's expiry".to_owned()
        } else {
            r.expires_at.to_string()
        };
        let with = if self.headers.is_empty() {
            "no signed headers".to_owned()
        } else {
            format!("these headers: {}", self.headers.join(", "))
        };
        self.valid = true;
        self.message = format!("valid until {until}, for {} with {with}", self.method);
        self
    }
}

/// The paths a URL may have been signed for when its path was re-encoded on the way: `+` and
/// `%20` swapped, encoded slashes decoded, a double encoding undone.
fn path_variants(url: &SignedUrl) -> Vec<(SignedUrl, &'static str)> {
    let p = url.raw_path.as_str();
    let mut out: Vec<(String, &'static str)> = Vec::new();
    if p.contains('+') {
        out.push((
            p.replace('+', "%20"),
            "a space became '+' (a '+' in a path is a plus sign)",
        ));
    }
    if p.contains("%20") {
        out.push((p.replace("%20", "+"), "a '+' became a space"));
    }
    if p.contains('/') {
        out.push((
            p.replace("%2F", "/").replace("%2f", "/"),
            "encoded slashes were kept encoded",
        ));
        out.push((encode_slashes(p), "an encoded slash (%2F) was decoded"));
    }
    if p.contains("%25") {
        out.push((p.replace("%25", "%"), "the path was percent-encoded twice"));
    }
    out.into_iter()
        .filter(|(v, _)| v != p)
        .map(|(raw_path, how)| {
            let mut u = url.clone();
            u.raw_path = raw_path;
            (u, how)
        })
        .collect()
}

/// `p` with every `/` after the first segment encoded (a key whose `/` were `%2F`).
fn encode_slashes(p: &str) -> String {
    let rest = p.strip_prefix('/').unwrap_or(p);
    match rest.split_once('/') {
        Some((first, tail)) => format!("/{first}/{}", tail.replace('/', "%2F")),
        None => p.to_owned(),
    }
}

fn method_name<S: serde::Serializer>(m: &Method, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(m.as_str())
}

/// Why [`verify`] could not give a verdict.
#[derive(Debug)]
pub enum VerifyError {
    /// The text is not a signed URL (or a part of it is malformed).
    Url(InspectError),
    /// The provider could not check (the URL is not of its form, no credential at hand, a
    /// signer that cannot check offline).
    Provider(Error),
}

impl From<InspectError> for VerifyError {
    fn from(e: InspectError) -> Self {
        VerifyError::Url(e)
    }
}

impl From<Error> for VerifyError {
    fn from(e: Error) -> Self {
        VerifyError::Provider(e)
    }
}

impl std::fmt::Display for VerifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VerifyError::Url(e) => e.fmt(f),
            VerifyError::Provider(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for VerifyError {}
