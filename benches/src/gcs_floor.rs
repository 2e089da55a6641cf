//! The GCS floor: a V4 signed GET (path style, `storage.googleapis.com`), from Google's "V4
//! signing process" specification, with an RSA service-account key (`GOOG4-RSA-SHA256`, one
//! SHA-256 and one RSA-2048 PKCS#1 v1.5 SHA-256 signature on aws-lc-rs) or an HMAC key
//! (`GOOG4-HMAC-SHA256`, one SHA-256 and one HMAC-SHA256 with the day's derived key).
//!
//! Per URL: format the date, encode the object name, the canonical request, one SHA-256, the
//! string to sign, the signature, hex, the URL. The credential and the HMAC day key are cached.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::fmt::Write;

const HOST: &str = "storage.googleapis.com";

enum Key {
    Rsa(
        aws_lc_rs::signature::RsaKeyPair,
        aws_lc_rs::rand::SystemRandom,
    ),
    Hmac([u8; 32]),
}

/// A floor signer for one bucket and one key.
pub struct GcsFloor {
    bucket: String,
    algorithm: &'static str,
    credential: String,
    date: String,
    date_time: String,
    key: Key,
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut m = Hmac::<Sha256>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    m.update(data);
    m.finalize().into_bytes().into()
}

/// The email and PKCS#8 DER key of a service-account key file.
pub fn parse_service_account(json: &str) -> (String, Vec<u8>) {
    let v: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
    let email = v["client_email"].as_str().unwrap_or_default().to_owned();
    let body: String = v["private_key"]
        .as_str()
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap_or_default();
    (email, der)
}

/// A raw RSA key pair on aws-lc-rs, for the bare-signature floor.
pub fn rsa_key_pair(der: &[u8]) -> aws_lc_rs::signature::RsaKeyPair {
    aws_lc_rs::signature::RsaKeyPair::from_pkcs8(der).unwrap_or_else(|e| panic!("RSA key: {e}"))
}

impl GcsFloor {
    /// An RSA signer for the service-account key file `json`, signing at `unix`.
    pub fn rsa(bucket: &str, json: &str, unix: i64) -> Self {
        let (email, der) = parse_service_account(json);
        let key = Key::Rsa(rsa_key_pair(&der), aws_lc_rs::rand::SystemRandom::new());
        Self::new(bucket, "GOOG4-RSA-SHA256", &email, key, unix)
    }

    /// An HMAC signer, signing at `unix` (the day key is derived here, once).
    pub fn hmac(bucket: &str, access_id: &str, secret: &str, unix: i64) -> Self {
        let (date, _) = crate::s3_floor::format_date(unix);
        let k = hmac(format!("GOOG4{secret}").as_bytes(), date.as_bytes());
        let k = hmac(&k, b"auto");
        let k = hmac(&k, b"storage");
        let k = hmac(&k, b"goog4_request");
        Self::new(bucket, "GOOG4-HMAC-SHA256", access_id, Key::Hmac(k), unix)
    }

    fn new(bucket: &str, algorithm: &'static str, id: &str, key: Key, unix: i64) -> Self {
        let (date, date_time) = crate::s3_floor::format_date(unix);
        let mut credential = String::new();
        for b in id.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                credential.push(char::from(b));
            } else {
                let _ = write!(credential, "%{b:02X}");
            }
        }
        let _ = write!(credential, "%2F{date}%2Fauto%2Fstorage%2Fgoog4_request");
        GcsFloor {
            bucket: bucket.to_owned(),
            algorithm,
            credential,
            date,
            date_time,
            key,
        }
    }

    /// One signed GET URL for `object`.
    pub fn presign_get(&self, object: &str, expires: u64) -> String {
        let mut path = String::with_capacity(self.bucket.len() + object.len() + 16);
        path.push('/');
        path.push_str(&self.bucket);
        path.push('/');
        for b in object.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
                path.push(char::from(b));
            } else {
                let _ = write!(path, "%{b:02X}");
            }
        }
        let mut query = String::with_capacity(300);
        let _ = write!(
            query,
            "X-Goog-Algorithm={}&X-Goog-Credential={}&X-Goog-Date={}&X-Goog-Expires={expires}&X-Goog-SignedHeaders=host",
            self.algorithm, self.credential, self.date_time
        );
        let creq = format!("GET\n{path}\n{query}\nhost:{HOST}\n\nhost\nUNSIGNED-PAYLOAD");
        let hash = Sha256::digest(creq.as_bytes());
        let mut sts = String::with_capacity(160);
        let _ = write!(
            sts,
            "{}\n{}\n{}/auto/storage/goog4_request\n",
            self.algorithm, self.date_time, self.date
        );
        for b in hash {
            let _ = write!(sts, "{b:02x}");
        }
        let mut url = String::with_capacity(1000);
        let _ = write!(url, "https://{HOST}{path}?{query}&X-Goog-Signature=");
        match &self.key {
            Key::Hmac(k) => {
                for b in hmac(k, sts.as_bytes()) {
                    let _ = write!(url, "{b:02x}");
                }
            }
            Key::Rsa(pair, rng) => {
                let mut sig = vec![0u8; pair.public_modulus_len()];
                pair.sign(
                    &aws_lc_rs::signature::RSA_PKCS1_SHA256,
                    rng,
                    sts.as_bytes(),
                    &mut sig,
                )
                .unwrap_or_else(|e| panic!("RSA: {e}"));
                for b in sig {
                    let _ = write!(url, "{b:02x}");
                }
            }
        }
        url
    }
}
