//! Writing JSON straight into a reused buffer (the batch's hot path).

use presign_core::{PresignedRequest, Timestamp};

/// Appends `s` as a JSON string.
pub(crate) fn string(out: &mut Vec<u8>, s: &str) {
    if needs_escape(s.as_bytes()) {
        // Writing to a Vec cannot fail, and a &str always serializes.
        let _ = serde_json::to_writer(&mut *out, s);
    } else {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    }
}

/// Whether a JSON string needs escapes (quote, backslash, control characters). Written
/// without an early exit so that it vectorizes: signed URLs are a few hundred bytes.
fn needs_escape(bytes: &[u8]) -> bool {
    bytes.iter().fold(false, |acc, &b| {
        acc | (b < 0x20) | (b == b'"') | (b == b'\\')
    })
}

/// Appends `t` as an RFC 3339 JSON string, using `scratch` as a buffer.
pub(crate) fn time(out: &mut Vec<u8>, scratch: &mut String, t: Timestamp) {
    scratch.clear();
    t.write_rfc3339(scratch);
    out.push(b'"');
    out.extend_from_slice(scratch.as_bytes());
    out.push(b'"');
}

/// Appends `"key":` (the key must not need escaping).
pub(crate) fn key(out: &mut Vec<u8>, k: &str) {
    out.push(b'"');
    out.extend_from_slice(k.as_bytes());
    out.extend_from_slice(b"\":");
}

/// Appends the fields of a signed result, without braces:
/// `"method":..,"url":..,"headers":{..},"expires_at":..[,"dropped":[..]]`.
pub(crate) fn signed_fields(out: &mut Vec<u8>, scratch: &mut String, signed: &PresignedRequest) {
    key(out, "method");
    string(out, signed.method().as_str());
    out.push(b',');
    key(out, "url");
    string(out, signed.expose_url());
    out.push(b',');
    key(out, "headers");
    out.push(b'{');
    for (i, (k, v)) in signed.headers().iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        string(out, k);
        out.push(b':');
        string(out, v);
    }
    out.push(b'}');
    out.push(b',');
    key(out, "expires_at");
    time(out, scratch, signed.expires_at());
    if !signed.dropped().is_empty() {
        out.push(b',');
        key(out, "dropped");
        out.push(b'[');
        for (i, k) in signed.dropped().iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            string(out, k.as_str());
        }
        out.push(b']');
    }
}

/// Appends `{"kind":..,"message":..}`.
pub(crate) fn error(out: &mut Vec<u8>, kind: &str, message: &str) {
    out.extend_from_slice(b"{\"kind\":");
    string(out, kind);
    out.extend_from_slice(b",\"message\":");
    string(out, message);
    out.push(b'}');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_only_when_needed() {
        for s in [
            "plain",
            "https://h/k?a=b%20c",
            "",
            "quote\"",
            "back\\slash",
            "nl\n",
            "\u{1}",
            "é😀",
        ] {
            let mut out = Vec::new();
            string(&mut out, s);
            let back: String = serde_json::from_slice(&out).unwrap();
            assert_eq!(back, s);
        }
    }
}
