//! Redaction of signed URLs, cookies and sensitive headers.
//!
//! A signed URL is a bearer token: whoever holds it can use it. Logs, error messages and
//! `Debug` output therefore show it with the signature and any session token replaced by
//! `REDACTED`, and sensitive header values hidden.
//!
//! - [`Redactor`]: the streaming engine for logs and text, built from the [`SecretParam`]
//!   declarations each provider crate exports (core names no provider). It works on `&str`
//!   ([`Redactor::redact_str`]), bytes, a `BufRead` → `Write` stream
//!   ([`Redactor::redact_stream`], bounded memory on any input) and as a writer for loggers
//!   ([`Redactor::writer`], [`RedactWriter`]) or a `Display` adapter ([`Redactor::display`]).
//! - [`redact_url`], [`redacted_headers`], [`redact_pairs`]: the small helpers `Debug`
//!   implementations use.

mod engine;
mod finder;
mod redactor;
mod secrets;
mod units;
mod writer;

pub use redactor::{RedactedText, Redactor, RedactorBuilder};
pub use secrets::{KeyIds, SecretKind, SecretParam};
pub use writer::RedactWriter;

use std::borrow::Cow;

/// The replacement text for redacted values.
pub const REDACTED: &str = "REDACTED";

/// Query parameters whose values grant access (compared case-insensitively).
const SENSITIVE_PARAMS: &[&str] = &[
    "x-amz-signature",
    "x-amz-security-token",
    "x-goog-signature",
    "sig",
    "signature",
    "policy",
    "x-amz-credential-token",
];

/// Headers whose values are secrets (compared case-insensitively).
const SENSITIVE_HEADERS: &[&str] = &[
    "authorization",
    "x-amz-security-token",
    "x-amz-server-side-encryption-customer-key",
    "x-amz-copy-source-server-side-encryption-customer-key",
    "x-goog-encryption-key",
    "x-goog-copy-source-encryption-key",
    "x-ms-encryption-key",
];

/// Whether a query parameter's value must never be shown.
pub fn is_sensitive_param(name: &str) -> bool {
    SENSITIVE_PARAMS
        .iter()
        .any(|p| p.eq_ignore_ascii_case(name))
}

/// Whether a header's value must never be shown.
pub fn is_sensitive_header(name: &str) -> bool {
    SENSITIVE_HEADERS
        .iter()
        .any(|h| h.eq_ignore_ascii_case(name.trim()))
}

/// The replacement text for sensitive header values in `Debug` output.
pub const REDACTED_HEADER: &str = "[REDACTED]";

/// `pairs` as borrowed `(name, value)` pairs, the value replaced by `mask` where
/// `is_sensitive(name)` holds: what `Debug` output and logs show.
///
/// ```
/// use presign_core::redact::{REDACTED, is_sensitive_param, redact_pairs};
/// let pairs = vec![("a".to_owned(), "1".to_owned()), ("sig".to_owned(), "s".to_owned())];
/// assert_eq!(redact_pairs(&pairs, is_sensitive_param, REDACTED), [("a", "1"), ("sig", "REDACTED")]);
/// ```
pub fn redact_pairs<'a>(
    pairs: &'a [(String, String)],
    is_sensitive: impl Fn(&str) -> bool,
    mask: &'a str,
) -> Vec<(&'a str, &'a str)> {
    pairs
        .iter()
        .map(|(name, value)| {
            let value = if is_sensitive(name) {
                mask
            } else {
                value.as_str()
            };
            (name.as_str(), value)
        })
        .collect()
}

/// Headers as `Debug` output shows them: the values of [sensitive](is_sensitive_header) ones
/// replaced by [`REDACTED_HEADER`].
///
/// ```
/// let headers = vec![
///     ("content-type".to_owned(), "text/plain".to_owned()),
///     ("x-goog-encryption-key".to_owned(), "secret".to_owned()),
/// ];
/// assert_eq!(
///     presign_core::redact::redacted_headers(&headers),
///     [("content-type", "text/plain"), ("x-goog-encryption-key", "[REDACTED]")]
/// );
/// ```
pub fn redacted_headers(headers: &[(String, String)]) -> Vec<(&str, &str)> {
    redact_pairs(headers, is_sensitive_header, REDACTED_HEADER)
}

/// The URL with the values of sensitive query parameters replaced by `REDACTED`.
///
/// ```
/// let url = "https://b.s3.amazonaws.com/k?X-Amz-Date=20130524T000000Z&X-Amz-Signature=abcd";
/// assert_eq!(
///     presign_core::redact::redact_url(url),
///     "https://b.s3.amazonaws.com/k?X-Amz-Date=20130524T000000Z&X-Amz-Signature=REDACTED"
/// );
/// ```
pub fn redact_url(url: &str) -> Cow<'_, str> {
    let Some((base, rest)) = url.split_once('?') else {
        return Cow::Borrowed(url);
    };
    let (query, fragment) = match rest.split_once('#') {
        Some((q, f)) => (q, Some(f)),
        None => (rest, None),
    };
    let needs = query.split('&').any(|pair| {
        let name = pair.split_once('=').map_or(pair, |(n, _)| n);
        is_sensitive_param(name)
    });
    if !needs {
        return Cow::Borrowed(url);
    }
    let mut out = String::with_capacity(url.len());
    out.push_str(base);
    out.push('?');
    for (i, pair) in query.split('&').enumerate() {
        if i > 0 {
            out.push('&');
        }
        match pair.split_once('=') {
            Some((name, _)) if is_sensitive_param(name) => {
                out.push_str(name);
                out.push('=');
                out.push_str(REDACTED);
            }
            _ => out.push_str(pair),
        }
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests;
