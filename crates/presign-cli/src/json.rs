//! Writing JSON straight into a reused buffer (the batch's hot path).

use presign_core::{PresignedRequest, Timestamp};

/// Appends `s` as a JSON string.
pub(crate) fn string(out: &mut Vec<u8>, s: &str) {
    // Writing to a Vec cannot fail, and a &str always serializes.
    let _ = serde_json::to_writer(&mut *out, s);
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
