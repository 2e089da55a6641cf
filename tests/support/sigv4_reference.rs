//! AWS Signature Version 4 for presigned URLs, recomputed from the specification with `hmac`
//! and `sha2` alone — not with presign's code — so that tests can check the URLs presign makes
//! against a signature it did not compute.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The access key id of the CLI's embedded `dev` profile (the SeaweedFS emulator's).
pub const DEV_ACCESS_KEY: &str = "AKIAIOSFODNN7EXAMPLE";
/// The secret access key of the CLI's embedded `dev` profile (AWS's published example key).
pub const DEV_SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
/// The signing time [`dev_get_url`] signs at (pass it as `--now`).
pub const DEV_NOW: &str = "2024-01-02T03:04:05Z";

/// HMAC-SHA256 of `data` under `key`.
pub fn hmac_sha256(key: &[u8], data: &str) -> Vec<u8> {
    let mut m = Hmac::<Sha256>::new_from_slice(key).unwrap();
    m.update(data.as_bytes());
    m.finalize().into_bytes().to_vec()
}

/// RFC 3986 percent-encoding of everything but unreserved characters (and `/` when asked).
pub fn uri_encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b'/' if keep_slash => out.push('/'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The URL the CLI's `dev` profile must produce for a plain GET of `key` at [`DEV_NOW`], 300 s:
/// `http://127.0.0.1:8333/presign-test/<key>`, path addressing, us-east-1, `UNSIGNED-PAYLOAD`.
pub fn dev_get_url(key: &str) -> String {
    let (date, time) = ("20240102", "20240102T030405Z");
    let scope = format!("{date}/us-east-1/s3/aws4_request");
    let path = format!("/presign-test/{}", uri_encode(key, true));
    let mut params = [
        ("X-Amz-Algorithm", "AWS4-HMAC-SHA256".to_string()),
        ("X-Amz-Credential", format!("{DEV_ACCESS_KEY}/{scope}")),
        ("X-Amz-Date", time.to_string()),
        ("X-Amz-Expires", "300".to_string()),
        ("X-Amz-SignedHeaders", "host".to_string()),
    ];
    params.sort();
    let query = params
        .iter()
        .map(|(k, v)| format!("{}={}", uri_encode(k, false), uri_encode(v, false)))
        .collect::<Vec<_>>()
        .join("&");
    let canonical = format!("GET\n{path}\n{query}\nhost:127.0.0.1:8333\n\nhost\nUNSIGNED-PAYLOAD");
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{time}\n{scope}\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let mut key_bytes = hmac_sha256(format!("AWS4{DEV_SECRET_KEY}").as_bytes(), date);
    for part in ["us-east-1", "s3", "aws4_request"] {
        key_bytes = hmac_sha256(&key_bytes, part);
    }
    let signature = hex::encode(hmac_sha256(&key_bytes, &string_to_sign));
    format!("http://127.0.0.1:8333{path}?{query}&X-Amz-Signature={signature}")
}
