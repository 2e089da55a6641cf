//! The upload page: one HTML document with its script and style inline, and a
//! Content-Security-Policy that admits exactly those (by hash) and network requests to this
//! server and the storage endpoint only.

use base64::Engine as _;
use presign_core::crypto::sha256;

const TEMPLATE: &str = include_str!("../assets/page.html");
const SCRIPT: &str = include_str!("../assets/page.js");
const STYLE: &str = include_str!("../assets/page.css");

/// The rendered page and the Content-Security-Policy to send with it.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    pub(crate) html: String,
    pub(crate) csp: String,
}

impl Page {
    /// Renders the page for a bucket at `storage_origin` (`http://127.0.0.1:8333`) and an
    /// upload limit of `max_bytes`.
    pub(crate) fn render(storage_origin: &str, max_bytes: u64) -> Page {
        let html = TEMPLATE
            .replace("{{STYLE}}", STYLE)
            .replace("{{MAX_BYTES}}", &max_bytes.to_string())
            .replace("{{SCRIPT}}", SCRIPT);
        let csp = format!(
            "default-src 'none'; script-src '{}'; style-src '{}'; connect-src 'self' {storage_origin}; \
             form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
            csp_hash(SCRIPT),
            csp_hash(STYLE),
        );
        Page { html, csp }
    }
}

/// `sha256-BASE64`: a CSP source that admits one inline script or style.
fn csp_hash(text: &str) -> String {
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(sha256(text.as_bytes()))
    )
}

/// The origin (`scheme://host[:port]`) of an absolute URL, or `None`.
pub(crate) fn origin_of(url: &str) -> Option<&str> {
    let scheme_end = url.find("://")?;
    let rest = url.get(scheme_end + 3..)?;
    let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    if authority_len == 0 {
        return None;
    }
    url.get(..scheme_end + 3 + authority_len)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn page_is_self_contained() {
        let p = Page::render("http://127.0.0.1:8333", 1024);
        assert!(p.html.contains(SCRIPT) && p.html.contains(STYLE));
        assert!(!p.html.contains("{{"), "unfilled placeholder");
        assert!(!p.html.contains("src=") && !p.html.contains("<link"));
        assert!(p.csp.contains("connect-src 'self' http://127.0.0.1:8333;"));
        assert!(p.csp.starts_with("default-src 'none'; script-src 'sha256-"));
    }

    #[test]
    fn origins() {
        assert_eq!(
            origin_of("http://127.0.0.1:8333/b/"),
            Some("http://127.0.0.1:8333")
        );
        assert_eq!(
            origin_of("https://s3.amazonaws.com"),
            Some("https://s3.amazonaws.com")
        );
        assert_eq!(origin_of("http:///x"), None);
        assert_eq!(origin_of("no-scheme"), None);
    }
}
