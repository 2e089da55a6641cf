//! The canonical request of the V4 family, apart from its headers ([`crate::headers`]): the
//! canonical URI, the canonical query, and a sink that hashes the request as it is produced.
//!
//! ```text
//! METHOD \n canonical-uri \n canonical-query \n canonical-headers \n signed-headers \n payload
//! ```
//!
//! Everything borrows where it can: a canonical request for a plain key allocates only the
//! output strings, which matters when one HMAC costs less than a microsecond.

use std::borrow::Cow;

use presign_core::crypto::{Sha256Hasher, hex32};
use presign_core::encoding::{EncodeSet, encode, encode_into};

/// Removes `.` and `..` segments and empty segments (`//`) from a path, as SigV4 does for
/// services other than S3. A path that ended in a directory (`/`, `/.`, `/..`) keeps its
/// trailing `/`. The result always starts with `/`.
///
/// ```
/// use presign_v4::normalize_path;
/// assert_eq!(normalize_path("//example//"), "/example/");
/// assert_eq!(normalize_path("/a/b/../c/./d"), "/a/c/d");
/// assert_eq!(normalize_path("/example/.."), "/");
/// ```
pub fn normalize_path(path: &str) -> Cow<'_, str> {
    let needs = !path.starts_with('/')
        || path.contains("//")
        || path.split('/').any(|s| s == "." || s == "..");
    if !needs {
        return Cow::Borrowed(path);
    }
    let mut segments: Vec<&str> = Vec::new();
    for s in path.split('/') {
        match s {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let last = path.rsplit('/').next().unwrap_or_default();
    let dir = matches!(last, "" | "." | "..");
    let mut out = String::with_capacity(path.len() + 1);
    for s in &segments {
        out.push('/');
        out.push_str(s);
    }
    if dir || segments.is_empty() {
        out.push('/');
    }
    Cow::Owned(out)
}

/// Appends the canonical URI of a raw (not encoded) `path` to `out`: normalized when asked,
/// encoded once, and once more when `double_encode` is set (so `%` becomes `%25`).
pub fn write_canonical_uri(
    out: &mut String,
    path: &str,
    encoded_path: &str,
    normalize: bool,
    double_encode: bool,
) {
    let single: Cow<'_, str> = if normalize {
        let n = normalize_path(path);
        match n {
            Cow::Borrowed(_) => Cow::Borrowed(encoded_path),
            Cow::Owned(n) => Cow::Owned(encode(&n, EncodeSet::Path).into_owned()),
        }
    } else {
        Cow::Borrowed(encoded_path)
    };
    if double_encode {
        encode_into(out, &single, EncodeSet::Path);
    } else {
        out.push_str(&single);
    }
}

/// The canonical query string: names and values percent-encoded (RFC 3986 unreserved set),
/// sorted by encoded name and then encoded value, joined as `name=value&...`.
#[derive(Debug, Clone, Default)]
pub struct CanonicalQuery<'a> {
    entries: Vec<(Cow<'a, str>, Cow<'a, str>)>,
}

impl<'a> CanonicalQuery<'a> {
    /// An empty query with room for `n` parameters.
    pub fn with_capacity(n: usize) -> Self {
        CanonicalQuery {
            entries: Vec::with_capacity(n),
        }
    }

    /// Adds a raw (not yet encoded) parameter.
    pub fn push(&mut self, name: &'a str, value: &'a str) {
        self.entries.push((
            encode(name, EncodeSet::Component),
            encode(value, EncodeSet::Component),
        ));
    }

    /// Adds a parameter whose name and value are already encoded.
    pub fn push_encoded(&mut self, name: Cow<'a, str>, value: Cow<'a, str>) {
        self.entries.push((name, value));
    }

    /// Whether a parameter with this encoded name was pushed (case-sensitive).
    pub fn contains(&self, encoded_name: &str) -> bool {
        self.entries.iter().any(|(n, _)| n == encoded_name)
    }

    /// Sorts and appends `name=value&...` to `out`.
    pub fn write_into(&mut self, out: &mut String) {
        self.entries.sort_unstable();
        for (i, (name, value)) in self.entries.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            out.push_str(name);
            out.push('=');
            out.push_str(value);
        }
    }

    /// Sorts and returns `name=value&...`.
    pub fn finish(mut self) -> String {
        let len: usize = self
            .entries
            .iter()
            .map(|(n, v)| n.len() + v.len() + 2)
            .sum();
        let mut s = String::with_capacity(len);
        self.write_into(&mut s);
        s
    }
}

/// A canonical request fed straight into SHA-256 piece by piece, never into a buffer of its
/// own; the text is copied into `capture` only when one is given (explaining).
///
/// ```
/// use presign_v4::HashSink;
/// use presign_core::crypto::{hex, sha256};
///
/// let mut text = String::new();
/// let mut sink = HashSink::new(Some(&mut text));
/// sink.put_request("GET", "/k", "", &[("host".into(), "example.com".into())], "host", "UNSIGNED-PAYLOAD");
/// let digest = sink.finalize_hex();
/// let want = "GET\n/k\n\nhost:example.com\n\nhost\nUNSIGNED-PAYLOAD";
/// assert_eq!(text, want);
/// assert_eq!(digest.as_slice(), hex(&sha256(want.as_bytes())).as_bytes());
/// ```
#[derive(Debug)]
pub struct HashSink<'c> {
    hasher: Sha256Hasher,
    capture: Option<&'c mut String>,
}

impl<'c> HashSink<'c> {
    /// A fresh sink; what is put is also appended to `capture` when given.
    pub fn new(capture: Option<&'c mut String>) -> Self {
        HashSink {
            hasher: Sha256Hasher::new(),
            capture,
        }
    }

    /// Feeds `s`.
    #[inline]
    pub fn put(&mut self, s: &str) {
        self.hasher.update(s.as_bytes());
        if let Some(c) = self.capture.as_deref_mut() {
            c.push_str(s);
        }
    }

    /// Feeds a whole canonical request from its parts (the headers already canonical and
    /// sorted): `METHOD\nURI\nQUERY\nname:value\n...\n\nSIGNED\nPAYLOAD`.
    pub fn put_request(
        &mut self,
        method: &str,
        canonical_uri: &str,
        canonical_query: &str,
        headers: &[(Cow<'_, str>, Cow<'_, str>)],
        signed_headers: &str,
        payload: &str,
    ) {
        for part in [method, "\n", canonical_uri, "\n", canonical_query, "\n"] {
            self.put(part);
        }
        for (name, value) in headers {
            for part in [&**name, ":", &**value, "\n"] {
                self.put(part);
            }
        }
        for part in ["\n", signed_headers, "\n", payload] {
            self.put(part);
        }
    }

    /// The lower-case hex SHA-256 of everything fed, on the stack.
    pub fn finalize_hex(self) -> [u8; 64] {
        hex32(&self.hasher.finalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization() {
        for (input, want) in [
            ("/", "/"),
            ("", "/"),
            ("//", "/"),
            ("/./", "/"),
            ("/./example", "/example"),
            ("/example/..", "/"),
            ("/example1/example2/../..", "/"),
            ("//example//", "/example/"),
            ("/a/b/..", "/a/"),
            ("/a/./b", "/a/b"),
            ("/../a", "/a"),
            ("a/b", "/a/b"),
            ("/a b/", "/a b/"),
        ] {
            assert_eq!(normalize_path(input), want, "{input}");
        }
    }

    #[test]
    fn query_sorts_by_encoded_name_then_value() {
        let mut q = CanonicalQuery::with_capacity(4);
        q.push("prefix", "/foo");
        q.push("X-Goog-Meta-Foo", "bar");
        q.push("a", "2");
        q.push("a", "1");
        assert_eq!(q.finish(), "X-Goog-Meta-Foo=bar&a=1&a=2&prefix=%2Ffoo");
        let mut q = CanonicalQuery::default();
        q.push("aA0\u{e9}/=%-_.~", "~ ._-%=/\u{e9}0Aa");
        assert_eq!(
            q.finish(),
            "aA0%C3%A9%2F%3D%25-_.~=~%20._-%25%3D%2F%C3%A90Aa"
        );
    }

    #[test]
    fn uri_forms() {
        let mut s = String::new();
        write_canonical_uri(&mut s, "/a b/./c", "/a%20b/./c", false, false);
        assert_eq!(s, "/a%20b/./c");
        s.clear();
        write_canonical_uri(&mut s, "/a b/./c", "/a%20b/./c", true, false);
        assert_eq!(s, "/a%20b/c");
        s.clear();
        write_canonical_uri(&mut s, "/a b/./c", "/a%20b/./c", true, true);
        assert_eq!(s, "/a%2520b/c");
        s.clear();
        write_canonical_uri(&mut s, "/a b", "/a%20b", false, true);
        assert_eq!(s, "/a%2520b");
    }
}
