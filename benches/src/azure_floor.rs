//! The Azure floor: a blob service SAS (`sr=b`, read) signed with the account key, from the
//! "Create a service SAS" specification (version 2026-10-06, 16-line string to sign).
//!
//! Per URL: format the expiry, build the string to sign, one HMAC-SHA256, base64, and the URL
//! with the blob path and the signature percent-encoded. Same fields as presign-azure's default
//! (no start time, `spr=https,http`).

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt::Write;

/// A floor signer for one account and container.
pub struct AzureFloor {
    key: Vec<u8>,
    url_prefix: String,
    resource_prefix: String,
}

impl AzureFloor {
    /// `key_b64` is the account key as the portal shows it.
    pub fn new(account: &str, key_b64: &str, container: &str) -> Self {
        AzureFloor {
            key: base64::engine::general_purpose::STANDARD
                .decode(key_b64)
                .unwrap_or_default(),
            url_prefix: format!("https://{account}.blob.core.windows.net/{container}/"),
            resource_prefix: format!("/blob/{account}/{container}/"),
        }
    }

    /// A read SAS URL for `blob` expiring at `expiry_unix`.
    pub fn presign_get(&self, blob: &str, expiry_unix: i64) -> String {
        let (y, m, d, hh, mm, ss) = crate::s3_floor::civil(expiry_unix);
        let mut sts = String::with_capacity(160);
        let _ = write!(
            sts,
            "r\n\n{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z\n{}{blob}\n\n\nhttps,http\n2026-10-06\nb\n\n\n\n\n\n\n",
            self.resource_prefix
        );
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).unwrap_or_else(|_| unreachable!());
        mac.update(sts.as_bytes());
        let sig = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        let mut url = String::with_capacity(300);
        url.push_str(&self.url_prefix);
        for b in blob.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
                url.push(char::from(b));
            } else {
                let _ = write!(url, "%{b:02X}");
            }
        }
        let _ = write!(
            url,
            "?sv=2026-10-06&sr=b&sp=r&se={y:04}-{m:02}-{d:02}T{hh:02}%3A{mm:02}%3A{ss:02}Z"
        );
        url.push_str("&spr=https%2Chttp&sig=");
        for c in sig.chars() {
            match c {
                '+' => url.push_str("%2B"),
                '/' => url.push_str("%2F"),
                '=' => url.push_str("%3D"),
                c => url.push(c),
            }
        }
        url
    }
}
