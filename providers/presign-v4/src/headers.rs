//! Canonical headers: names lower-cased, values with their whitespace folded, sorted, repeated
//! names merged.

use std::borrow::Cow;

/// Whether `c` counts as whitespace in a header value (space, tab, CR, LF).
const fn is_header_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// A header value as SigV4 and GCS V4 sign it: leading and trailing whitespace removed, each run
/// of whitespace (spaces, tabs, line breaks) inside turned into one space. Borrowed when nothing
/// changes.
///
/// ```
/// use presign_v4::canonical_header_value;
/// assert_eq!(canonical_header_value("\tabc\t\t\t\tdef\t"), "abc def");
/// assert_eq!(canonical_header_value(" xyz ,  abc, def  , xyz   "), "xyz , abc, def , xyz");
/// ```
pub fn canonical_header_value(value: &str) -> Cow<'_, str> {
    // Fast path (hosts, most values): no byte at or below a space, so no whitespace to trim
    // or fold. A branch-free fold the compiler can vectorize.
    if !value.bytes().fold(false, |seen, b| seen | (b <= b' ')) {
        return Cow::Borrowed(value);
    }
    // The whitespace is ASCII, so a byte scan decides (multi-byte UTF-8 never matches it).
    let is_ws = |b: u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let trimmed = value.trim_matches(is_header_ws);
    let mut prev_ws = false;
    let clean = trimmed.bytes().all(|b| {
        let ws = is_ws(b);
        let bad = ws && (b != b' ' || prev_ws);
        prev_ws = ws;
        !bad
    });
    if clean {
        return Cow::Borrowed(trimmed);
    }
    let mut out = String::with_capacity(trimmed.len());
    let mut prev_ws = false;
    for c in trimmed.chars() {
        if is_header_ws(c) {
            if !prev_ws {
                out.push(' ');
            }
            prev_ws = true;
        } else {
            out.push(c);
            prev_ws = false;
        }
    }
    Cow::Owned(out)
}

/// A header name as signed: surrounding whitespace removed, ASCII lower-case. Borrowed when
/// nothing changes.
pub fn canonical_header_name(name: &str) -> Cow<'_, str> {
    let name = name.trim_matches(is_header_ws);
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// The canonical (signed) headers of a request: names lower-cased, values canonicalized, sorted
/// by name; a repeated name is merged into one entry, its values joined by `,` in the order they
/// were pushed.
#[derive(Debug, Clone, Default)]
pub struct CanonicalHeaders<'a> {
    entries: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    sorted: bool,
}

impl<'a> CanonicalHeaders<'a> {
    /// An empty set with room for `n` headers.
    pub fn with_capacity(n: usize) -> Self {
        CanonicalHeaders {
            entries: Vec::with_capacity(n),
            sorted: true,
        }
    }

    /// Adds one header (raw name and value; they are canonicalized here).
    pub fn push(&mut self, name: &'a str, value: &'a str) {
        self.push_cow(canonical_header_name(name), canonical_header_value(value));
    }

    /// Adds one header whose name is already lower-case and value already canonical.
    pub fn push_cow(&mut self, name: Cow<'a, str>, value: Cow<'a, str>) {
        if let Some((last, _)) = self.entries.last() {
            if *last > name {
                self.sorted = false;
            } else if *last == name {
                // Merged below; mark for the merge pass.
                self.sorted = false;
            }
        }
        self.entries.push((name, value));
    }

    fn normalize(&mut self) {
        if self.sorted {
            return;
        }
        // Stable: values of a repeated header keep their order.
        self.entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut merged: Vec<(Cow<'a, str>, Cow<'a, str>)> = Vec::with_capacity(self.entries.len());
        for (name, value) in self.entries.drain(..) {
            match merged.last_mut() {
                Some((last, joined)) if *last == name => {
                    let v = joined.to_mut();
                    v.push(',');
                    v.push_str(&value);
                }
                _ => merged.push((name, value)),
            }
        }
        self.entries = merged;
        self.sorted = true;
    }

    /// Sorts and merges, then returns the entries `(lower-case name, canonical value)`.
    pub fn entries(&mut self) -> &[(Cow<'a, str>, Cow<'a, str>)] {
        self.normalize();
        &self.entries
    }

    /// Sorts and merges, then returns the entries `(lower-case name, canonical value)`.
    pub fn into_entries(mut self) -> Vec<(Cow<'a, str>, Cow<'a, str>)> {
        self.normalize();
        self.entries
    }

    /// Whether a header of this (lower-case) name is present.
    pub fn contains(&self, lower_name: &str) -> bool {
        self.entries.iter().any(|(n, _)| n == lower_name)
    }

    /// The canonical value of a header (the first one pushed, before any merge).
    pub fn get(&self, lower_name: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(n, _)| n == lower_name)
            .map(|(_, v)| &**v)
    }

    /// Appends `name:value\n` for each header to `out`.
    pub fn write_canonical(&mut self, out: &mut String) {
        self.normalize();
        for (name, value) in &self.entries {
            out.push_str(name);
            out.push(':');
            out.push_str(value);
            out.push('\n');
        }
    }

    /// Appends the signed-headers list `a;b;c` to `out`.
    pub fn write_signed(&mut self, out: &mut String) {
        self.normalize();
        for (i, (name, _)) in self.entries.iter().enumerate() {
            if i > 0 {
                out.push(';');
            }
            out.push_str(name);
        }
    }

    /// The signed-headers list `a;b;c`.
    pub fn signed_headers(&mut self) -> String {
        let mut s = String::with_capacity(self.entries.len() * 16);
        self.write_signed(&mut s);
        s
    }
}

/// One canonical header: lower-case name, canonical value.
pub type Header<'a> = (Cow<'a, str>, Cow<'a, str>);

/// The canonical headers of a request to `host` with the other signed `headers`: `host` plus
/// `headers`, names lower-cased, values canonicalized, sorted by name; repeated names merged,
/// their values joined by `,` in the given order.
pub fn canonical_headers<'a>(host: &'a str, headers: &[(&'a str, &'a str)]) -> Vec<Header<'a>> {
    let mut out = CanonicalHeaders::with_capacity(headers.len() + 1);
    out.push("host", host);
    for (name, value) in headers {
        out.push(name, value);
    }
    out.into_entries()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values() {
        assert_eq!(canonical_header_value("value1"), "value1");
        assert_eq!(canonical_header_value(" value1 "), "value1");
        assert_eq!(canonical_header_value("a  b"), "a b");
        assert_eq!(canonical_header_value("a\tb"), "a b");
        assert_eq!(canonical_header_value("abc    "), "abc");
        assert_eq!(canonical_header_value("a\n  b\n   c"), "a b c");
        assert!(matches!(canonical_header_value("a b"), Cow::Borrowed(_)));
        assert!(matches!(
            canonical_header_value("bucket.s3.us-east-1.amazonaws.com"),
            Cow::Borrowed("bucket.s3.us-east-1.amazonaws.com")
        ));
        assert_eq!(canonical_header_value(""), "");
        assert_eq!(canonical_header_value("a\u{1}b"), "a\u{1}b");
        assert!(matches!(canonical_header_name("x-a"), Cow::Borrowed(_)));
        assert_eq!(canonical_header_name(" X-A "), "x-a");
    }

    #[test]
    fn headers_sort_and_merge() {
        let mut h = CanonicalHeaders::with_capacity(4);
        h.push("My-Header1", "v2");
        h.push("Content-Type", "x");
        h.push("host", "example.com");
        h.push("my-header1", "v1");
        let flat: Vec<(String, String)> = h
            .entries()
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        assert_eq!(
            flat,
            vec![
                ("content-type".to_string(), "x".to_string()),
                ("host".to_string(), "example.com".to_string()),
                ("my-header1".to_string(), "v2,v1".to_string())
            ]
        );
        assert_eq!(h.signed_headers(), "content-type;host;my-header1");
        let mut s = String::new();
        h.write_canonical(&mut s);
        assert_eq!(s, "content-type:x\nhost:example.com\nmy-header1:v2,v1\n");
    }

    #[test]
    fn host_and_headers_sort_and_merge() {
        let h = canonical_headers(
            "example.com",
            &[
                ("My-Header1", "v2"),
                ("Content-Type", "x"),
                ("my-header1", "v1"),
            ],
        );
        let flat: Vec<(&str, &str)> = h.iter().map(|(n, v)| (&**n, &**v)).collect();
        assert_eq!(
            flat,
            vec![
                ("content-type", "x"),
                ("host", "example.com"),
                ("my-header1", "v2,v1")
            ]
        );
    }
}
