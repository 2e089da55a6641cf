//! The hand-written floor for a Google Cloud CDN signed URL: the key absorbed into an HMAC-SHA1
//! state once, then per URL one pre-sized `String`, one MAC and one base64url encoding. Written
//! from Google's documentation; shares no code with presign-cloud-cdn.

use base64::Engine;
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// A Cloud CDN signer reduced to the work every signer must do.
pub struct CloudCdnFloor {
    mac: Hmac<Sha1>,
    key_name: String,
}

impl CloudCdnFloor {
    /// `key` is the decoded 16-byte key.
    pub fn new(key_name: &str, key: &[u8]) -> Self {
        CloudCdnFloor {
            mac: <Hmac<Sha1> as Mac>::new_from_slice(key).unwrap(),
            key_name: key_name.to_owned(),
        }
    }

    /// `url?Expires=N&KeyName=K&Signature=S` (the URL has no query).
    pub fn sign(&self, url: &str, expires: u64) -> String {
        let mut out = String::with_capacity(url.len() + 80);
        out.push_str(url);
        out.push_str("?Expires=");
        let mut buf = itoa_u64(expires);
        out.push_str(buf.as_str());
        out.push_str("&KeyName=");
        out.push_str(&self.key_name);
        let mut mac = self.mac.clone();
        mac.update(out.as_bytes());
        let sig = mac.finalize().into_bytes();
        out.push_str("&Signature=");
        base64::engine::general_purpose::URL_SAFE.encode_string(sig, &mut out);
        buf.clear();
        out
    }
}

fn itoa_u64(mut n: u64) -> String {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    String::from_utf8(digits[i..].to_vec()).unwrap()
}
