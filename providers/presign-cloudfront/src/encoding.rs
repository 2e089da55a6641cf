//! CloudFront's URL-safe base64: standard base64 *with* padding, then `+` → `-`, `=` → `_`,
//! `/` → `~`. This is not RFC 4648 base64url (where `_` stands for `/`).

use base64::Engine;

/// Appends the CloudFront base64 of `bytes` to `out`.
///
/// ```
/// let mut s = String::new();
/// presign_cloudfront::encoding::encode_into(&mut s, &[0xfb, 0xff, 0xbf]);
/// assert_eq!(s, "-~-~");
/// ```
pub fn encode_into(out: &mut String, bytes: &[u8]) {
    let start = out.len();
    base64::engine::general_purpose::STANDARD.encode_string(bytes, out);
    let tail = out.split_off(start);
    out.extend(tail.chars().map(|c| match c {
        '+' => '-',
        '=' => '_',
        '/' => '~',
        c => c,
    }));
}

/// The CloudFront base64 of `bytes`.
pub fn encode(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len().div_ceil(3) * 4);
    encode_into(&mut s, bytes);
    s
}

/// Replaces the characters of standard base64 that CloudFront forbids (`go-v2-aws-escape`).
pub fn escape_standard_base64(standard: &str) -> String {
    standard
        .chars()
        .map(|c| match c {
            '+' => '-',
            '=' => '_',
            '/' => '~',
            c => c,
        })
        .collect()
}

/// Decodes CloudFront base64 (for verifiers and inspection); `None` if it is not valid.
pub fn decode(encoded: &str) -> Option<Vec<u8>> {
    let standard: String = encoded
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '=',
            '~' => '/',
            c => c,
        })
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(standard.as_bytes())
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn alphabet() {
        assert_eq!(escape_standard_base64("a+b=c/"), "a-b_c~");
        assert_eq!(encode(b"\xfb\xff"), "-~8_");
        assert_eq!(decode("-~8_").as_deref(), Some(&b"\xfb\xff"[..]));
        assert_eq!(decode("!!"), None);
    }

    proptest! {
        #[test]
        fn round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let e = encode(&bytes);
            prop_assert!(!e.contains(['+', '=', '/']));
            prop_assert_eq!(decode(&e), Some(bytes));
        }
    }
}
