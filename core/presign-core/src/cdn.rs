//! What the CDN signers (CloudFront, Cloud CDN) share: the checks on a URL they are asked to
//! sign.
//!
//! A CDN signature covers a whole URL (or a prefix of it), so the URL must be exactly what the
//! client will send: `http://` or `https://`, a host, printable ASCII only (percent-encoded), no
//! fragment, and none of the CDN's own signing parameters already in the query (a URL that
//! carries them is refused rather than signed twice).

use crate::error::Error;

/// The longest URL a CDN signer accepts, in bytes (CloudFront's limit is 8,192).
pub const MAX_URL_BYTES: usize = 8192;

/// Checks `url` for signing by `vendor`, whose query parameters are `reserved` (compared
/// case-insensitively). `field` names the input in the error.
///
/// ```
/// use presign_core::cdn::check_url;
/// assert!(check_url("url", "https://d.net/a.mp4?x=1", &["Signature"], "CloudFront").is_ok());
/// let e = check_url("url", "https://d.net/a?signature=x", &["Signature"], "CloudFront").unwrap_err();
/// assert!(e.to_string().contains("Signature is a CloudFront signing parameter"));
/// assert!(check_url("url", "rtmp://d.net/a", &[], "CloudFront").is_err());
/// ```
pub fn check_url(field: &str, url: &str, reserved: &[&str], vendor: &str) -> Result<(), Error> {
    let bad = |reason: String| Error::invalid_input(field, reason);
    if url.is_empty() || url.len() > MAX_URL_BYTES {
        return Err(bad(format!("it must be 1 to {MAX_URL_BYTES} bytes long")));
    }
    if let Some(c) = url.chars().find(|c| !matches!(c, '!'..='~')) {
        return Err(bad(format!(
            "it contains {c:?}; give the URL percent-encoded, as the client sends it"
        )));
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| bad("the URL is missing a valid scheme (http:// or https://)".into()))?;
    if rest.is_empty() || rest.starts_with(['/', '?']) {
        return Err(bad("the URL has no host".into()));
    }
    if url.contains('#') {
        return Err(bad("the URL has a fragment (#), which is never sent".into()));
    }
    if let Some((_, query)) = url.split_once('?') {
        for pair in query.split('&') {
            let name = pair.split_once('=').map_or(pair, |(n, _)| n);
            if let Some(p) = reserved.iter().find(|p| p.eq_ignore_ascii_case(name)) {
                return Err(bad(format!(
                    "{p} is a {vendor} signing parameter; the URL must not carry it already"
                )));
            }
        }
    }
    Ok(())
}
