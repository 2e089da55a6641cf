//! Tight floors: the same three URLs as the `*_floor` modules, written for speed from the
//! specifications, still sharing no code with presign.
//!
//! Everything that depends only on the key, the bucket and the day is cached at construction:
//! the derived signing key, the encoded credential, the scope, the host, the URL prefix and
//! the fixed pieces of the canonical request and string to sign. Per URL they do only what
//! cannot be avoided: format the date-time (from the Unix time passed in), percent-encode the
//! key, hash the canonical request as its pieces go by (no canonical-request buffer), HMAC the
//! string to sign as its pieces go by (no string-to-sign buffer), hex or base64 the result,
//! and push everything into one `String` allocated once at its final size. No `std::fmt`.
//!
//! The HMAC is keyed per URL (two SHA-256 blocks for the inner and outer pads), as a plain
//! "HMAC with a cached day key" does and as presign does. Caching the keyed HMAC state would
//! save those two blocks in the floor and in presign alike.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";
const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut m = HmacSha256::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    m.update(data);
    m.finalize().into_bytes().into()
}

/// Lower-case hex of a 32-byte digest.
fn hex32(d: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    for (i, b) in d.iter().enumerate() {
        out[2 * i] = HEX_LOWER[usize::from(b >> 4)];
        out[2 * i + 1] = HEX_LOWER[usize::from(b & 15)];
    }
    out
}

fn ascii(b: &[u8]) -> &str {
    std::str::from_utf8(b).unwrap_or_else(|_| unreachable!())
}

/// RFC 3986 unreserved, plus `/` when `slash`.
#[inline]
fn keep(b: u8, slash: bool) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') || (slash && b == b'/')
}

/// Percent-encodes `s` onto `out` (upper-case escapes), copying unreserved runs in one go.
fn encode_into(out: &mut String, s: &str, slash: bool) {
    let bytes = s.as_bytes();
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !keep(b, slash) {
            out.push_str(&s[run..i]);
            out.push('%');
            out.push(char::from(HEX_UPPER[usize::from(b >> 4)]));
            out.push(char::from(HEX_UPPER[usize::from(b & 15)]));
            run = i + 1;
        }
    }
    out.push_str(&s[run..]);
}

/// Decimal digits of `n` (up to 20), as a stack buffer and its used tail.
fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    ascii(&buf[i..])
}

fn two(out: &mut [u8], v: i64) {
    out[0] = b'0' + (v / 10) as u8;
    out[1] = b'0' + (v % 10) as u8;
}

/// `yyyymmddThhmmssZ`.
fn basic_date_time(unix: i64) -> [u8; 16] {
    let (y, m, d, hh, mm, ss) = crate::s3_floor::civil(unix);
    let mut o = *b"00000000T000000Z";
    two(&mut o[0..2], y / 100);
    two(&mut o[2..4], y % 100);
    two(&mut o[4..6], m);
    two(&mut o[6..8], d);
    two(&mut o[9..11], hh);
    two(&mut o[11..13], mm);
    two(&mut o[13..15], ss);
    o
}

/// Pieces shared by SigV4 (S3) and GCS V4 HMAC query signing, cached per key and day.
struct V4 {
    day: i64,
    key: [u8; 32],
    /// `https://host`
    origin: String,
    /// `/` or `/bucket/`
    path_prefix: String,
    /// `X-..-Algorithm=..&X-..-Credential=<encoded>&X-..-Date=`
    query_head: String,
    /// `&X-..-Expires=`
    expires_param: &'static str,
    /// `&X-..-SignedHeaders=host`
    query_tail: &'static str,
    /// `\nhost:<host>\n\nhost\nUNSIGNED-PAYLOAD`
    creq_tail: String,
    /// `ALGORITHM\n`
    sts_head: String,
    /// `\n<scope>\n`
    sts_scope: String,
    /// `&X-..-Signature=`
    signature_param: &'static str,
}

impl V4 {
    fn presign_get(&self, key: &str, unix: i64, expires: u64) -> String {
        assert_eq!(
            unix.div_euclid(86_400),
            self.day,
            "the day key is for another day"
        );
        let dt = basic_date_time(unix);
        let dt = ascii(&dt);
        let mut digits = [0u8; 20];
        let expires = decimal(expires, &mut digits);

        let mut url = String::with_capacity(
            self.origin.len()
                + self.path_prefix.len()
                + key.len() * 3
                + self.query_head.len()
                + 16
                + self.expires_param.len()
                + expires.len()
                + self.query_tail.len()
                + self.signature_param.len()
                + 64,
        );
        url.push_str(&self.origin);
        let path_start = url.len();
        url.push_str(&self.path_prefix);
        encode_into(&mut url, key, true);
        let path_end = url.len();
        url.push('?');
        url.push_str(&self.query_head);
        url.push_str(dt);
        url.push_str(self.expires_param);
        url.push_str(expires);
        url.push_str(self.query_tail);

        let mut h = Sha256::new();
        h.update(b"GET\n");
        h.update(&url.as_bytes()[path_start..path_end]);
        h.update(b"\n");
        h.update(&url.as_bytes()[path_end + 1..]);
        h.update(self.creq_tail.as_bytes());
        let hash = hex32(&h.finalize().into());

        let mut mac = HmacSha256::new_from_slice(&self.key).unwrap_or_else(|_| unreachable!());
        mac.update(self.sts_head.as_bytes());
        mac.update(dt.as_bytes());
        mac.update(self.sts_scope.as_bytes());
        mac.update(&hash);
        let sig = hex32(&mac.finalize().into_bytes().into());

        url.push_str(self.signature_param);
        url.push_str(ascii(&sig));
        url
    }
}

/// Tight S3 SigV4 query presign (virtual-hosted, GET, `UNSIGNED-PAYLOAD`).
pub struct S3Tight(V4);

impl S3Tight {
    /// Derives the day key for the day of `unix` and caches every per-day string.
    pub fn new(bucket: &str, region: &str, ak: &str, sk: &str, unix: i64) -> Self {
        let dt = basic_date_time(unix);
        let date = ascii(&dt[..8]);
        let k = hmac(format!("AWS4{sk}").as_bytes(), date.as_bytes());
        let k = hmac(&k, region.as_bytes());
        let k = hmac(&k, b"s3");
        let key = hmac(&k, b"aws4_request");
        let host = format!("{bucket}.s3.{region}.amazonaws.com");
        let mut query_head = String::from("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=");
        encode_into(&mut query_head, ak, false);
        query_head.push_str(&format!(
            "%2F{date}%2F{region}%2Fs3%2Faws4_request&X-Amz-Date="
        ));
        S3Tight(V4 {
            day: unix.div_euclid(86_400),
            key,
            origin: format!("https://{host}"),
            path_prefix: "/".into(),
            query_head,
            expires_param: "&X-Amz-Expires=",
            query_tail: "&X-Amz-SignedHeaders=host",
            creq_tail: format!("\nhost:{host}\n\nhost\nUNSIGNED-PAYLOAD"),
            sts_head: "AWS4-HMAC-SHA256\n".into(),
            sts_scope: format!("\n{date}/{region}/s3/aws4_request\n"),
            signature_param: "&X-Amz-Signature=",
        })
    }

    /// One presigned GET URL, signed at `unix` (same day as the key).
    pub fn presign_get(&self, key: &str, unix: i64, expires: u64) -> String {
        self.0.presign_get(key, unix, expires)
    }
}

/// Tight GCS V4 HMAC (`GOOG4-HMAC-SHA256`) signed GET, path style on
/// `storage.googleapis.com`.
pub struct GcsHmacTight(V4);

impl GcsHmacTight {
    /// Derives the day key for the day of `unix` and caches every per-day string.
    pub fn new(bucket: &str, access_id: &str, secret: &str, unix: i64) -> Self {
        const HOST: &str = "storage.googleapis.com";
        let dt = basic_date_time(unix);
        let date = ascii(&dt[..8]);
        let k = hmac(format!("GOOG4{secret}").as_bytes(), date.as_bytes());
        let k = hmac(&k, b"auto");
        let k = hmac(&k, b"storage");
        let key = hmac(&k, b"goog4_request");
        let mut query_head = String::from("X-Goog-Algorithm=GOOG4-HMAC-SHA256&X-Goog-Credential=");
        encode_into(&mut query_head, access_id, false);
        query_head.push_str(&format!(
            "%2F{date}%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date="
        ));
        GcsHmacTight(V4 {
            day: unix.div_euclid(86_400),
            key,
            origin: format!("https://{HOST}"),
            path_prefix: format!("/{bucket}/"),
            query_head,
            expires_param: "&X-Goog-Expires=",
            query_tail: "&X-Goog-SignedHeaders=host",
            creq_tail: format!("\nhost:{HOST}\n\nhost\nUNSIGNED-PAYLOAD"),
            sts_head: "GOOG4-HMAC-SHA256\n".into(),
            sts_scope: format!("\n{date}/auto/storage/goog4_request\n"),
            signature_param: "&X-Goog-Signature=",
        })
    }

    /// One signed GET URL, signed at `unix` (same day as the key).
    pub fn presign_get(&self, object: &str, unix: i64, expires: u64) -> String {
        self.0.presign_get(object, unix, expires)
    }
}

/// Tight Azure blob service SAS (`sr=b`, read, account key, `spr=https,http`, version
/// 2026-10-06, no start time).
pub struct AzureTight {
    key: Vec<u8>,
    url_prefix: String,
    resource_prefix: String,
}

impl AzureTight {
    /// `key_b64` is the account key as the portal shows it.
    pub fn new(account: &str, key_b64: &str, container: &str) -> Self {
        AzureTight {
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
        // `yyyy-mm-ddThh:mm:ssZ`
        let mut se = *b"0000-00-00T00:00:00Z";
        two(&mut se[0..2], y / 100);
        two(&mut se[2..4], y % 100);
        two(&mut se[5..7], m);
        two(&mut se[8..10], d);
        two(&mut se[11..13], hh);
        two(&mut se[14..16], mm);
        two(&mut se[17..19], ss);

        let mut mac = HmacSha256::new_from_slice(&self.key).unwrap_or_else(|_| unreachable!());
        mac.update(b"r\n\n");
        mac.update(&se);
        mac.update(b"\n");
        mac.update(self.resource_prefix.as_bytes());
        mac.update(blob.as_bytes());
        mac.update(b"\n\n\nhttps,http\n2026-10-06\nb\n\n\n\n\n\n\n");
        let mut sig = [0u8; 44];
        let n = base64::engine::general_purpose::STANDARD
            .encode_slice(mac.finalize().into_bytes(), &mut sig)
            .unwrap_or_else(|_| unreachable!());

        let mut url = String::with_capacity(self.url_prefix.len() + blob.len() * 3 + 150);
        url.push_str(&self.url_prefix);
        encode_into(&mut url, blob, true);
        url.push_str("?sv=2026-10-06&sr=b&sp=r&se=");
        url.push_str(ascii(&se[..13]));
        url.push_str("%3A");
        url.push_str(ascii(&se[14..16]));
        url.push_str("%3A");
        url.push_str(ascii(&se[17..]));
        url.push_str("&spr=https%2Chttp&sig=");
        let sig = ascii(&sig[..n]);
        let mut run = 0;
        for (i, b) in sig.bytes().enumerate() {
            let esc = match b {
                b'+' => "%2B",
                b'/' => "%2F",
                b'=' => "%3D",
                _ => continue,
            };
            url.push_str(&sig[run..i]);
            url.push_str(esc);
            run = i + 1;
        }
        url.push_str(&sig[run..]);
        url
    }
}
