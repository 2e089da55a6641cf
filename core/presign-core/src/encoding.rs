//! Percent-encoding, the one implementation every provider uses.
//!
//! All three clouds sign the RFC 3986 form: every byte outside the unreserved set
//! `A-Z a-z 0-9 - _ . ~` becomes `%XX` with upper-case hex. Object paths keep `/`
//! ([`EncodeSet::Path`]); query names and values encode it too ([`EncodeSet::Component`]).
//! There is no normalisation: `a/./b` and `a//b` are encoded as they are.

use std::borrow::Cow;

/// Which bytes stay as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodeSet {
    /// Only the unreserved bytes `A-Z a-z 0-9 - _ . ~` stay (query names and values).
    Component,
    /// The unreserved bytes and `/` stay (object paths).
    Path,
}

const fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// Per byte: bit 0 set = kept in [`EncodeSet::Component`], bit 1 set = kept in
/// [`EncodeSet::Path`]. One load per byte instead of a chain of comparisons.
// Evaluated at compile time: an out-of-range index would fail the build, never panic at run time.
#[allow(clippy::indexing_slicing)]
const KEEP: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        if unreserved(b) {
            t[i] = 0b11;
        } else if b == b'/' {
            t[i] = 0b10;
        }
        i += 1;
    }
    t
};

/// `%XX` (upper-case hex) of every byte, 3 bytes each: an escape is one copy.
// Evaluated at compile time: an out-of-range index would fail the build, never panic at run time.
#[allow(clippy::indexing_slicing)]
const ESCAPES_BYTES: [u8; 768] = {
    let mut t = [0u8; 768];
    let mut i = 0;
    while i < 256 {
        t[3 * i] = b'%';
        t[3 * i + 1] = hex_digit((i >> 4) as u8, true) as u8;
        t[3 * i + 2] = hex_digit(i as u8, true) as u8;
        i += 1;
    }
    t
};

/// [`ESCAPES_BYTES`] as text (it is ASCII, so the check cannot fail).
const ESCAPES: &str = match std::str::from_utf8(&ESCAPES_BYTES) {
    Ok(s) => s,
    Err(_) => "",
};

const fn keep_mask(set: EncodeSet) -> u8 {
    match set {
        EncodeSet::Component => 0b01,
        EncodeSet::Path => 0b10,
    }
}

/// Whether `b` stays as it is under the mask of a set.
#[inline(always)]
fn kept(b: u8, mask: u8) -> bool {
    KEEP.get(usize::from(b)).copied().unwrap_or(0) & mask != 0
}

/// The hex digit for the low four bits of `nibble`, upper- or lower-case.
pub(crate) const fn hex_digit(nibble: u8, upper: bool) -> char {
    let n = nibble & 0x0f;
    let c = match n {
        0..=9 => b'0' + n,
        _ if upper => b'A' + n - 10,
        _ => b'a' + n - 10,
    };
    c as char
}

/// Appends `input`, percent-encoded per `set`, to `out`.
///
/// ```
/// use presign_core::encoding::{encode_into, EncodeSet};
/// let mut s = String::new();
/// encode_into(&mut s, "a b/ü+%", EncodeSet::Path);
/// assert_eq!(s, "a%20b/%C3%BC%2B%25");
/// ```
pub fn encode_into(out: &mut String, input: &str, set: EncodeSet) {
    let mask = keep_mask(set);
    let bytes = input.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if kept(b, mask) {
            continue;
        }
        // Everything before `i` is ASCII that stays as is.
        out.push_str(input.get(start..i).unwrap_or_default());
        let e = 3 * usize::from(b);
        out.push_str(ESCAPES.get(e..e + 3).unwrap_or_default());
        start = i + 1;
    }
    out.push_str(input.get(start..).unwrap_or_default());
}

/// `input` percent-encoded per `set`, borrowed when nothing needs encoding.
pub fn encode(input: &str, set: EncodeSet) -> Cow<'_, str> {
    let mask = keep_mask(set);
    if input.bytes().all(|b| kept(b, mask)) {
        return Cow::Borrowed(input);
    }
    let mut s = String::with_capacity(input.len() + input.len() / 2);
    encode_into(&mut s, input, set);
    Cow::Owned(s)
}

/// Decodes `%XX` sequences (either case of hex) into bytes; `+` is left as `+`. A `%` not followed
/// by two hex digits is kept literally. Never fails, never panics.
pub fn decode(input: &str) -> Cow<'_, [u8]> {
    if !input.contains('%') {
        return Cow::Borrowed(input.as_bytes());
    }
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hi = bytes.get(i + 1).and_then(|h| hex_value(*h));
            let lo = bytes.get(i + 2).and_then(|l| hex_value(*l));
            if let (Some(hi), Some(lo)) = (hi, lo) {
                out.push(hi << 4 | lo);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    Cow::Owned(out)
}

/// Decodes as [`decode`] and then as UTF-8 (invalid sequences become U+FFFD).
pub fn decode_lossy(input: &str) -> String {
    String::from_utf8_lossy(&decode(input)).into_owned()
}

const fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rfc3986_unreserved_only() {
        assert_eq!(encode("AZaz09-_.~", EncodeSet::Component), "AZaz09-_.~");
        assert_eq!(encode("a/b c", EncodeSet::Component), "a%2Fb%20c");
        assert_eq!(encode("a/b c", EncodeSet::Path), "a/b%20c");
        assert_eq!(
            encode("!*'();:@&=+$,?#[]", EncodeSet::Component),
            "%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%3F%23%5B%5D"
        );
        assert_eq!(encode("ሴ", EncodeSet::Path), "%E1%88%B4");
        assert_eq!(encode("./a//b/", EncodeSet::Path), "./a//b/");
    }

    #[test]
    fn decode_is_lenient() {
        assert_eq!(&*decode("%2e%2E%zz%4"), b"..%zz%4");
        assert_eq!(decode_lossy("a%20b+c"), "a b+c");
    }

    proptest! {
        #[test]
        fn round_trip(s in any::<String>()) {
            for set in [EncodeSet::Component, EncodeSet::Path] {
                let e = encode(&s, set);
                prop_assert!(e.bytes().all(|b| unreserved(b) || b == b'%' || (set == EncodeSet::Path && b == b'/')));
                prop_assert_eq!(decode(&e).into_owned(), s.as_bytes().to_vec());
            }
        }

        #[test]
        fn decode_never_panics(s in any::<String>()) {
            let _ = decode(&s);
        }
    }
}
