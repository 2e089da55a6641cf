//! The hashing every provider shares: SHA-256, HMAC-SHA256, lower-case hex.
//!
//! RustCrypto's `sha2` uses the CPU's SHA extensions when present; for the short inputs of
//! signing it is as fast as the C libraries, without their FFI cost.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// HMAC-SHA256 of `data` under `key`.
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so this constructor cannot fail.
    match <Hmac<Sha256> as Mac>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(data);
            mac.finalize().into_bytes().into()
        }
        Err(_) => [0; 32],
    }
}

/// HMAC-SHA256 of several parts, as if concatenated, without building the concatenation.
pub fn hmac_sha256_parts(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    match <Hmac<Sha256> as Mac>::new_from_slice(key) {
        Ok(mut mac) => {
            for p in parts {
                mac.update(p);
            }
            mac.finalize().into_bytes().into()
        }
        Err(_) => [0; 32],
    }
}

/// An incremental SHA-256: hash a canonical request piece by piece, straight from the buffers
/// that already hold its parts, instead of building it as one string first.
#[derive(Clone, Default)]
pub struct Sha256Hasher(Sha256);

impl Sha256Hasher {
    /// A fresh hasher.
    pub fn new() -> Self {
        Sha256Hasher(Sha256::new())
    }

    /// Feeds `data`.
    #[inline]
    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    /// The digest of everything fed.
    pub fn finalize(self) -> [u8; 32] {
        self.0.finalize().into()
    }
}

impl std::fmt::Debug for Sha256Hasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sha256Hasher")
    }
}

/// The lower-case hex of a 32-byte digest, on the stack (64 ASCII bytes).
pub fn hex32(bytes: &[u8; 32]) -> [u8; 64] {
    let mut buf = [0u8; 64];
    for (pair, b) in buf.chunks_exact_mut(2).zip(bytes) {
        if let [hi, lo] = pair {
            *hi = HEX_LOWER.get(usize::from(b >> 4)).copied().unwrap_or(b'0');
            *lo = HEX_LOWER
                .get(usize::from(b & 0x0f))
                .copied()
                .unwrap_or(b'0');
        }
    }
    buf
}

/// Appends the lower-case hex of `bytes` to `out`.
pub fn hex_into(bytes: &[u8], out: &mut String) {
    out.reserve(bytes.len() * 2);
    // Digests are short: format 32 bytes at a time on the stack, then append in one copy.
    let mut buf = [0u8; 64];
    for chunk in bytes.chunks(32) {
        for (pair, b) in buf.chunks_exact_mut(2).zip(chunk) {
            if let [hi, lo] = pair {
                *hi = HEX_LOWER.get(usize::from(b >> 4)).copied().unwrap_or(b'0');
                *lo = HEX_LOWER
                    .get(usize::from(b & 0x0f))
                    .copied()
                    .unwrap_or(b'0');
            }
        }
        let used = buf.get(..chunk.len() * 2).unwrap_or_default();
        // Only ASCII hex digits were written.
        out.push_str(std::str::from_utf8(used).unwrap_or_default());
    }
}

const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";

/// The lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    hex_into(bytes, &mut s);
    s
}

/// The lower-case hex SHA-256 of the empty string (the payload hash of an empty body).
pub const EMPTY_SHA256_HEX: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_of_any_length() {
        let bytes: Vec<u8> = (0..=255u8).chain(0..7).collect();
        let want: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex(&bytes), want);
        assert_eq!(hex(&[]), "");
        let d = sha256(b"abc");
        assert_eq!(std::str::from_utf8(&hex32(&d)).unwrap(), hex(&d));
        let mut s = String::from("x");
        hex_into(&[0xab], &mut s);
        assert_eq!(s, "xab");
    }

    // Vectors from FIPS 180-2 (SHA-256 "abc") and RFC 4231 test case 2 (HMAC-SHA-256).
    #[test]
    fn published_vectors() {
        assert_eq!(
            hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(hex(&sha256(b"")), EMPTY_SHA256_HEX);
        assert_eq!(
            hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let mut h = Sha256Hasher::new();
        h.update(b"a");
        h.update(b"bc");
        assert_eq!(h.finalize(), sha256(b"abc"));
        assert_eq!(
            hmac_sha256_parts(b"Jefe", &[b"what do ya ", b"want for nothing?"]),
            hmac_sha256(b"Jefe", b"what do ya want for nothing?")
        );
    }
}
