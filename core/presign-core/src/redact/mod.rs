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
//!   implementations use; URLs by the provider's declarations ([`is_declared_secret`]),
//!   headers by a rule on their names ([`is_sensitive_header`]).

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

/// Words that mark a header's value as secret, whoever defines the header: credentials,
/// tokens, signatures, cookies and keys (`x-amz-server-side-encryption-customer-key`,
/// `x-goog-encryption-key`, `x-ms-encryption-key`, `x-amz-security-token`, `authorization`).
/// A rule on the name's words, not a list of vendors' headers.
const SECRET_HEADER_WORDS: &[&str] = &[
    "authorization",
    "cookie",
    "token",
    "secret",
    "signature",
    "password",
    "credential",
];

/// Whether a header's value must never be shown: its name holds one of the secret words, or
/// ends in `-key` (encryption keys; a `-key-id` or `-key-md5` is not the key).
///
/// ```
/// use presign_core::redact::is_sensitive_header;
/// assert!(is_sensitive_header("X-Amz-Server-Side-Encryption-Customer-Key"));
/// assert!(is_sensitive_header("x-amz-security-token"));
/// assert!(!is_sensitive_header("x-amz-server-side-encryption-customer-key-MD5"));
/// assert!(!is_sensitive_header("content-type"));
/// ```
pub fn is_sensitive_header(name: &str) -> bool {
    let name = name.trim().to_ascii_lowercase();
    name.ends_with("-key") || SECRET_HEADER_WORDS.iter().any(|w| name.contains(w))
}

/// Whether `name` is declared in `secrets` as a value that is always hidden (signatures,
/// tokens, signed policies; key ids stay visible).
///
/// ```
/// use presign_core::redact::{SecretKind, SecretParam, is_declared_secret};
/// const S: &[SecretParam] = &[
///     SecretParam::new("sig", SecretKind::Signature),
///     SecretParam::new("AWSAccessKeyId", SecretKind::KeyId),
/// ];
/// assert!(is_declared_secret(S, "SIG"));
/// assert!(!is_declared_secret(S, "AWSAccessKeyId"));
/// assert!(!is_declared_secret(S, "se"));
/// ```
pub fn is_declared_secret(secrets: &[SecretParam], name: &str) -> bool {
    secrets
        .iter()
        .any(|s| s.kind().always_redacted() && s.name().eq_ignore_ascii_case(name))
}

/// The replacement text for sensitive header values in `Debug` output.
pub const REDACTED_HEADER: &str = "[REDACTED]";

/// `pairs` as borrowed `(name, value)` pairs, the value replaced by `mask` where
/// `is_sensitive(name)` holds: what `Debug` output and logs show.
///
/// ```
/// use presign_core::redact::{REDACTED, redact_pairs};
/// let pairs = vec![("a".to_owned(), "1".to_owned()), ("sig".to_owned(), "s".to_owned())];
/// assert_eq!(redact_pairs(&pairs, |n| n == "sig", REDACTED), [("a", "1"), ("sig", "REDACTED")]);
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

/// The URL with the values of the query parameters `secrets` declares replaced by `REDACTED`
/// (what a provider's `Debug` output shows). With no declarations, every query value is
/// replaced: a URL nobody described is treated as all secret.
///
/// ```
/// use presign_core::redact::{SecretKind, SecretParam, redact_url};
/// const S3: &[SecretParam] = &[SecretParam::new("X-Amz-Signature", SecretKind::Signature)];
/// let url = "https://b.s3.amazonaws.com/k?X-Amz-Date=20130524T000000Z&X-Amz-Signature=abcd";
/// assert_eq!(
///     redact_url(url, S3),
///     "https://b.s3.amazonaws.com/k?X-Amz-Date=20130524T000000Z&X-Amz-Signature=REDACTED"
/// );
/// assert_eq!(redact_url(url, &[]), "https://b.s3.amazonaws.com/k?X-Amz-Date=REDACTED&X-Amz-Signature=REDACTED");
/// ```
pub fn redact_url<'u>(url: &'u str, secrets: &[SecretParam]) -> Cow<'u, str> {
    let hidden = |name: &str| secrets.is_empty() || is_declared_secret(secrets, name);
    let Some((base, rest)) = url.split_once('?') else {
        return Cow::Borrowed(url);
    };
    let (query, fragment) = match rest.split_once('#') {
        Some((q, f)) => (q, Some(f)),
        None => (rest, None),
    };
    let needs = query.split('&').any(|pair| {
        let name = pair.split_once('=').map_or(pair, |(n, _)| n);
        hidden(name)
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
            Some((name, _)) if hidden(name) => {
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
