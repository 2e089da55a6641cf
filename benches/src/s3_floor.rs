//! The S3 floor: a bare SigV4 query presign of one GET, from the AWS specification.
//!
//! It caches the per-day signing key, and per URL does what cannot be avoided: format the
//! date, encode the key, build the canonical request, one SHA-256, the string to sign, one
//! HMAC-SHA256, hex, and the URL. No validation, no options, no policy.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::fmt::Write;

type HmacSha256 = Hmac<Sha256>;

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut m = HmacSha256::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    m.update(data);
    m.finalize().into_bytes().into()
}

/// A floor signer with its signing key derived once.
pub struct Floor {
    host: String,
    credential_prefix: String,
    signing_key: [u8; 32],
    date_time: String,
    scope_tail: String,
}

impl Floor {
    /// Derives the key for the date of `unix` (seconds).
    pub fn new(bucket: &str, region: &str, ak: &str, sk: &str, unix: i64) -> Self {
        let (date, date_time) = format_date(unix);
        let k = hmac(format!("AWS4{sk}").as_bytes(), date.as_bytes());
        let k = hmac(&k, region.as_bytes());
        let k = hmac(&k, b"s3");
        let signing_key = hmac(&k, b"aws4_request");
        Floor {
            host: format!("{bucket}.s3.{region}.amazonaws.com"),
            credential_prefix: format!("{ak}%2F{date}%2F{region}%2Fs3%2Faws4_request"),
            signing_key,
            date_time,
            scope_tail: format!("/{region}/s3/aws4_request\n"),
        }
    }

    /// One presigned GET URL.
    pub fn presign_get(&self, key: &str, expires: u64) -> String {
        let mut path = String::with_capacity(key.len() + 16);
        path.push('/');
        for b in key.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
                path.push(char::from(b));
            } else {
                let _ = write!(path, "%{b:02X}");
            }
        }
        let mut query = String::with_capacity(256);
        let _ = write!(
            query,
            "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={}&X-Amz-Date={}&X-Amz-Expires={expires}&X-Amz-SignedHeaders=host",
            self.credential_prefix, self.date_time
        );
        let creq = format!(
            "GET\n{path}\n{query}\nhost:{}\n\nhost\nUNSIGNED-PAYLOAD",
            self.host
        );
        let hash = Sha256::digest(creq.as_bytes());
        let scope_date = self.date_time.get(..8).unwrap_or_default();
        let mut sts = String::with_capacity(160);
        let _ = write!(
            sts,
            "AWS4-HMAC-SHA256\n{}\n{scope_date}{}",
            self.date_time, self.scope_tail
        );
        for b in hash {
            let _ = write!(sts, "{b:02x}");
        }
        let sig = hmac(&self.signing_key, sts.as_bytes());
        let mut url = String::with_capacity(400);
        let _ = write!(url, "https://{}{path}?{query}&X-Amz-Signature=", self.host);
        for b in sig {
            let _ = write!(url, "{b:02x}");
        }
        url
    }
}

/// `(yyyymmdd, yyyymmddThhmmssZ)` for a Unix time.
pub fn format_date(unix: i64) -> (String, String) {
    let (y, m, d, hh, mm, ss) = civil(unix);
    let date = format!("{y:04}{m:02}{d:02}");
    let dt = format!("{date}T{hh:02}{mm:02}{ss:02}Z");
    (date, dt)
}

/// `(year, month, day, hour, minute, second)` of a Unix time (days-from-civil, inverted).
pub fn civil(unix: i64) -> (i64, i64, i64, i64, i64, i64) {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, secs / 3600, secs % 3600 / 60, secs % 60)
}
