//! The encoded forms a character takes in logs: raw, percent-encoded once or twice
//! (`%3D`, `%253D`), JSON-escaped (`\u003d`, `\/`, `\"`) and HTML-escaped (`&amp;`, `&#61;`,
//! `&#x3D;`, `&quot;`). The engine reads names, separators and values one *unit* at a time, so
//! every form is handled by the same rules.

/// One decoded unit at a position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    /// The decoded byte (`0xFF` for a non-ASCII escape) and the encoded length.
    Char(u8, usize),
    /// The input ends inside what may be an escape; more input decides.
    Incomplete,
    /// No more input.
    End,
}

/// A decoded byte that matches nothing (non-ASCII escapes).
const NON_ASCII: u8 = 0xFF;

/// How many `%25` layers are decoded (`%3D`, `%253D`, `%25253D`).
const MAX_PERCENT_DEPTH: usize = 3;

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The unit starting at `at`. With `is_final` false, an escape cut off by the end of `buf` is
/// [`Unit::Incomplete`]; with `is_final` true it is its first byte, raw.
pub(crate) fn unit_at(buf: &[u8], at: usize, is_final: bool) -> Unit {
    let Some(&b) = buf.get(at) else {
        return Unit::End;
    };
    let rest = buf.get(at..).unwrap_or_default();
    let decoded = match b {
        b'%' => percent(rest),
        b'\\' => backslash(rest),
        b'&' => entity(rest),
        _ => return Unit::Char(b, 1),
    };
    match decoded {
        Decoded::Char(c, n) => Unit::Char(c, n),
        Decoded::Short(_) if !is_final => Unit::Incomplete,
        Decoded::Short(Some((c, n))) => Unit::Char(c, n),
        Decoded::Short(None) | Decoded::Raw => Unit::Char(b, 1),
    }
}

/// The result of decoding an escape at the start of a slice.
enum Decoded {
    /// The escape decodes to this byte and is this long.
    Char(u8, usize),
    /// The slice ends where the escape might continue; what it decodes to if nothing follows
    /// (`None`: the first byte, raw).
    Short(Option<(u8, usize)>),
    /// Not an escape: the first byte stands for itself.
    Raw,
}

/// `%HH`, with up to [`MAX_PERCENT_DEPTH`] layers of `%25`.
fn percent(s: &[u8]) -> Decoded {
    let mut at = 1;
    let mut depth = 0;
    // What the bytes so far mean if nothing follows: `%` alone is raw, `%25` a percent sign.
    let so_far = |depth: usize, at: usize| {
        if depth == 0 {
            Decoded::Raw
        } else {
            Decoded::Char(b'%', at)
        }
    };
    loop {
        let (h, l) = (s.get(at), s.get(at + 1));
        let (Some(&h), Some(&l)) = (h, l) else {
            // The input ends inside `%`, `%2`, `%25`, `%252`: more input may continue it.
            return if h.is_none_or(|h| h.is_ascii_hexdigit()) {
                Decoded::Short(Some((b'%', at)).filter(|_| depth > 0))
            } else {
                so_far(depth, at)
            };
        };
        let (Some(h), Some(l)) = (hex_value(h), hex_value(l)) else {
            return so_far(depth, at);
        };
        let c = (h << 4) | l;
        at += 2;
        if c == b'%' && depth + 1 < MAX_PERCENT_DEPTH {
            depth += 1;
            continue;
        }
        return Decoded::Char(if c < 0x80 { c } else { NON_ASCII }, at);
    }
}

/// `\uHHHH`, `\/`, `\"`, `\'`, `\\` (JSON and JavaScript string escapes).
fn backslash(s: &[u8]) -> Decoded {
    match s.get(1) {
        None => Decoded::Short(None),
        Some(b'/') => Decoded::Char(b'/', 2),
        Some(b'"') => Decoded::Char(b'"', 2),
        Some(b'\'') => Decoded::Char(b'\'', 2),
        Some(b'u') => {
            let mut v: u32 = 0;
            for i in 2..6 {
                match s.get(i) {
                    None => return Decoded::Short(None),
                    Some(&d) => match hex_value(d) {
                        Some(d) => v = (v << 4) | u32::from(d),
                        None => return Decoded::Raw,
                    },
                }
            }
            Decoded::Char(
                u8::try_from(v)
                    .ok()
                    .filter(|c| *c < 0x80)
                    .unwrap_or(NON_ASCII),
                6,
            )
        }
        Some(_) => Decoded::Raw,
    }
}

/// Named and numeric HTML character references for the characters that matter here.
const ENTITIES: &[(&[u8], u8)] = &[
    (b"&amp;", b'&'),
    (b"&AMP;", b'&'),
    (b"&quot;", b'"'),
    (b"&QUOT;", b'"'),
    (b"&apos;", b'\''),
    (b"&lt;", b'<'),
    (b"&gt;", b'>'),
    (b"&equals;", b'='),
    (b"&sol;", b'/'),
    (b"&plus;", b'+'),
    (b"&quest;", b'?'),
    (b"&colon;", b':'),
    (b"&semi;", b';'),
    (b"&num;", b'#'),
];

/// `&name;`, `&#NN;`, `&#xHH;`.
fn entity(s: &[u8]) -> Decoded {
    if s.get(1) == Some(&b'#') {
        return numeric_reference(s);
    }
    let mut short = false;
    for (name, c) in ENTITIES {
        if s.starts_with(name) {
            return Decoded::Char(*c, name.len());
        }
        if name.starts_with(s) {
            short = true;
        }
    }
    if short {
        Decoded::Short(None)
    } else {
        Decoded::Raw
    }
}

/// `&#NN;` or `&#xHH;` with up to 7 digits.
fn numeric_reference(s: &[u8]) -> Decoded {
    let (radix, start) = match s.get(2) {
        Some(b'x' | b'X') => (16u32, 3),
        Some(_) => (10u32, 2),
        None => return Decoded::Short(None),
    };
    let mut v: u32 = 0;
    let mut i = start;
    loop {
        match s.get(i) {
            None => return Decoded::Short(None),
            Some(b';') if i > start => {
                let c = u8::try_from(v).ok().filter(|c| *c < 0x80);
                return Decoded::Char(c.unwrap_or(NON_ASCII), i + 1);
            }
            Some(&d) => {
                let digit = match radix {
                    16 => hex_value(d).map(u32::from),
                    _ => d.is_ascii_digit().then(|| u32::from(d - b'0')),
                };
                match digit {
                    Some(d) if i < start + 7 => v = v * radix + d,
                    _ => return Decoded::Raw,
                }
            }
        }
        i += 1;
    }
}

/// Bytes that can be part of a parameter name: a name preceded by one is not at a boundary.
pub(crate) fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')
}

/// Whether a name may start at `at`: the start of the input, or after a byte that cannot be part
/// of a name, or after an escape (`%26`, `\u0026`; `&amp;` ends in `;`). `at_input_start` says
/// whether position 0 is the start of the whole input (not a chunk with lost context).
pub(crate) fn is_boundary(buf: &[u8], at: usize, at_input_start: bool) -> bool {
    let Some(before) = at.checked_sub(1) else {
        return at_input_start;
    };
    let Some(&b) = buf.get(before) else {
        return false;
    };
    if !is_name_byte(b) {
        return true;
    }
    let hex = |i: usize| buf.get(i).is_some_and(|b| b.is_ascii_hexdigit());
    // `%HH`, `%25HH`, `%2525HH`.
    if at >= 3 && hex(at - 2) && hex(at - 1) {
        let mut k = at - 2;
        for _ in 0..MAX_PERCENT_DEPTH {
            match k.checked_sub(1).and_then(|i| buf.get(i)) {
                Some(b'%') => return true,
                Some(b'5') if k >= 3 && buf.get(k - 2) == Some(&b'2') => k -= 2,
                _ => break,
            }
        }
    }
    at >= 6
        && buf.get(at - 6) == Some(&b'\\')
        && buf.get(at - 5) == Some(&b'u')
        && (at - 4..at).all(hex)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(s: &str) -> Unit {
        unit_at(s.as_bytes(), 0, true)
    }

    #[test]
    fn decodes_every_form_of_equals() {
        for form in [
            "=", "%3D", "%3d", "%253D", "%25253d", "\\u003d", "\\u003D", "&#61;", "&#x3d;",
            "&#X3D;", "&equals;",
        ] {
            assert_eq!(one(form), Unit::Char(b'=', form.len()), "{form}");
        }
        assert_eq!(one("&amp;"), Unit::Char(b'&', 5));
        assert_eq!(one("\\/"), Unit::Char(b'/', 2));
        assert_eq!(one("%2F"), Unit::Char(b'/', 3));
        assert_eq!(one("%C3%A9"), Unit::Char(NON_ASCII, 3));
        assert_eq!(one("\\u00e9"), Unit::Char(NON_ASCII, 6));
    }

    #[test]
    fn raw_when_not_an_escape() {
        for s in [
            "%zz",
            "%",
            "%2",
            "&foo;",
            "&",
            "\\n",
            "\\",
            "&#;",
            "&#12345678;",
            "\\u12g4",
        ] {
            assert_eq!(one(s), Unit::Char(s.as_bytes()[0], 1), "{s}");
        }
        // `%25` not followed by hex is a percent sign.
        assert_eq!(one("%25zz"), Unit::Char(b'%', 3));
    }

    #[test]
    fn incomplete_only_when_more_input_may_come() {
        for s in [
            "%", "%2", "%25", "%252", "\\", "\\u00", "&am", "&#x3", "&#6",
        ] {
            assert_eq!(unit_at(s.as_bytes(), 0, false), Unit::Incomplete, "{s}");
        }
        assert_eq!(unit_at(b"%zz", 0, false), Unit::Char(b'%', 1));
        assert_eq!(unit_at(b"", 0, false), Unit::End);
    }

    #[test]
    fn boundaries() {
        let b = |s: &str, at| is_boundary(s.as_bytes(), at, true);
        assert!(b("sig", 0));
        assert!(!is_boundary(b"sig", 0, false));
        assert!(b("?sig", 1));
        assert!(b("&amp;sig", 5));
        assert!(b("%26sig", 3));
        assert!(b("%2526sig", 5));
        assert!(b("\\u0026sig", 6));
        assert!(!b("xsig", 1));
        assert!(!b("a-sig", 2));
        assert!(!b("a_sig", 2));
    }
}
