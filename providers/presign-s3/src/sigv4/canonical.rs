//! The pieces of a SigV4 canonical request: path, query, headers.

use std::borrow::Cow;

use presign_core::encoding::{EncodeSet, encode, encode_into};

/// Removes `.` and `..` segments and empty segments (`//`) from a path, as SigV4 does for
/// services other than S3. A path that ended in a directory (`/`, `/.`, `/..`) keeps its
/// trailing `/`. The result always starts with `/`.
///
/// ```
/// use presign_s3::sigv4::normalize_path;
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

/// A header value as SigV4 signs it: leading and trailing whitespace removed, each run of
/// whitespace inside turned into one space (shared with GCS V4 in `presign_core::canonical`).
///
/// ```
/// use presign_s3::sigv4::canonical_header_value;
/// assert_eq!(canonical_header_value("  \"a   b \t c\" "), "\"a b c\"");
/// ```
pub use presign_core::canonical::canonical_header_value;

/// One canonical header: lower-case name, canonical value.
pub(crate) type Header<'a> = (Cow<'a, str>, Cow<'a, str>);

/// The canonical headers: `host` plus `headers`, names lower-cased, values canonicalized,
/// sorted by name; repeated names are merged into one, their values joined by `,` in the given
/// order.
pub(crate) fn canonical_headers<'a>(
    host: &'a str,
    headers: &[(&'a str, &'a str)],
) -> Vec<Header<'a>> {
    let mut out = presign_core::canonical::CanonicalHeaders::with_capacity(headers.len() + 1);
    out.push("host", host);
    for (name, value) in headers {
        out.push(name, value);
    }
    out.into_entries()
}

/// Appends the canonical URI of a raw (not encoded) `path` to `out`: normalized when asked,
/// encoded once, and once more when `double_encode` is set (so `%` becomes `%25`).
pub(crate) fn write_canonical_uri(
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
    fn headers_sort_and_merge() {
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
