//! "Sign only what users may touch": allowed key prefixes and the segment rules that keep a
//! key from escaping them.

use std::borrow::Cow;

use presign_core::encoding::decode;
use presign_core::error::display_key;
use presign_core::{Error, ObjectKey};

/// Checks `key` against the allowed `prefixes`. With no prefixes every valid key passes (a
/// [`Policy`](crate::Policy) only has none when it allows any key by name). The error names
/// the rule, never the allowed prefixes.
///
/// With prefixes, the key must equal a prefix or continue it after a `/` (prefix `docs` admits
/// `docs/a`, not `docs-private/a`; prefix `docs/` admits `docs/a`), and no segment may be
/// empty, `.` or `..` — also after percent-decoding (up to three times: `%2e%2e`,
/// `%252e%252e`) and with `\` read as a separator, because some servers, proxies and
/// applications read keys that way.
///
/// ```
/// use presign_core::ObjectKey;
/// use presign_policy::check_key;
/// let prefixes = vec!["docs".to_string()];
/// assert!(check_key(&ObjectKey::new("docs/a.pdf")?, &prefixes).is_ok());
/// assert!(check_key(&ObjectKey::new("docs-private/a.pdf")?, &prefixes).is_err());
/// assert!(check_key(&ObjectKey::new("docs/%2e%2e/secret")?, &prefixes).is_err());
/// # Ok::<(), presign_core::Error>(())
/// ```
pub fn check_key(key: &ObjectKey, prefixes: &[String]) -> Result<(), Error> {
    if prefixes.is_empty() {
        return Ok(());
    }
    let refuse = |reason: String| Error::KeyNotAllowed {
        key: display_key(key.as_str()),
        reason,
    };
    if let Some(reason) = bad_segment(key.as_str()) {
        return Err(refuse(reason));
    }
    if prefixes.iter().any(|p| under_prefix(key.as_str(), p)) {
        return Ok(());
    }
    Err(refuse("it is outside the allowed key prefixes".into()))
}

/// Whether `key` is `prefix` itself or lies under it at a `/` boundary.
pub(crate) fn under_prefix(key: &str, prefix: &str) -> bool {
    match key.strip_prefix(prefix) {
        None => false,
        Some("") => !prefix.ends_with('/'),
        Some(rest) => prefix.ends_with('/') || rest.starts_with('/'),
    }
}

/// Why a key's segments are unsafe, if they are.
pub(crate) fn bad_segment(key: &str) -> Option<String> {
    // Borrowed until a round decodes something: a key without `%` costs one pass, no copy.
    let mut current = Cow::Borrowed(key);
    for round in 0..4 {
        if let Some(what) = unsafe_segment(&current) {
            let how = if round == 0 {
                ""
            } else {
                " once percent-decoded"
            };
            return Some(format!(
                "it has {what}{how}; such keys are refused under a prefix rule"
            ));
        }
        if round == 3 || !current.contains('%') {
            break;
        }
        let decoded = String::from_utf8_lossy(&decode(&current)).into_owned();
        if decoded == *current {
            break;
        }
        current = Cow::Owned(decoded);
    }
    None
}

/// The first empty, `.` or `..` segment of `key`, with `/` and `\\` as separators (bytes: both
/// are ASCII, so no UTF-8 sequence holds them).
fn unsafe_segment(key: &str) -> Option<&'static str> {
    key.as_bytes()
        .split(|b| matches!(b, b'/' | b'\\'))
        .find_map(|segment| match segment {
            b"" => Some("an empty segment"),
            b"." => Some("a '.' segment"),
            b".." => Some("a '..' segment"),
            _ => None,
        })
}

/// Checks one configured prefix; the reason says what is wrong.
pub(crate) fn validate_prefix(prefix: &str) -> Result<(), String> {
    if prefix.is_empty() {
        return Err(
            "an empty prefix would allow every key; leave key_prefixes empty instead".into(),
        );
    }
    let trimmed = prefix.strip_suffix('/').unwrap_or(prefix);
    if let Some(reason) = bad_segment(trimmed) {
        return Err(format!("prefix {prefix:?} is unsafe: {reason}"));
    }
    ObjectKey::new(prefix)
        .map(|_| ())
        .map_err(|e| format!("prefix {prefix:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn allowed(key: &str, prefixes: &[&str]) -> bool {
        let prefixes: Vec<String> = prefixes.iter().map(|s| (*s).to_owned()).collect();
        check_key(&ObjectKey::new(key).unwrap(), &prefixes).is_ok()
    }

    #[test]
    fn prefix_boundaries() {
        assert!(allowed("docs/a", &["docs"]));
        assert!(allowed("docs", &["docs"]));
        assert!(!allowed("docs-private/x", &["docs"]));
        assert!(!allowed("docsx", &["docs"]));
        assert!(allowed("docs/a", &["docs/"]));
        assert!(!allowed("docs", &["docs/"]));
        assert!(allowed("users/alice/p.png", &["users/bob", "users/alice"]));
        assert!(!allowed("users/alicex/p.png", &["users/alice"]));
        assert!(allowed("anything/at/all", &[]));
    }

    #[test]
    fn bypass_attempts_are_refused() {
        let p = &["docs"];
        for key in [
            "docs/../secret",
            "docs/a/../../secret",
            "docs/./a",
            "docs//a",
            "docs/a/",
            "docs/%2e%2e/secret",
            "docs/%2E%2E/secret",
            "docs/%252e%252e/secret",
            "docs%2F..%2Fsecret",
            "docs/..%5Csecret",
            "docs\\..\\secret",
            "docs/.%2e/secret",
            "docs/..",
        ] {
            let prefixes = vec!["docs".to_string()];
            let err = check_key(&ObjectKey::new(key).unwrap(), &prefixes).unwrap_err();
            assert_eq!(err.kind(), "key_not_allowed", "{key}");
            assert!(!allowed(key, p), "{key}");
        }
        // Dots inside names are fine.
        assert!(allowed("docs/a..b/.hidden/x.tar.gz", p));
        assert!(allowed("docs/%41", p));
    }

    #[test]
    fn error_names_key_and_rule() {
        let prefixes = vec!["docs".to_string()];
        let m = check_key(&ObjectKey::new("other/x").unwrap(), &prefixes)
            .unwrap_err()
            .to_string();
        assert!(m.contains("other/x") && m.contains("prefixes"), "{m}");
        assert!(!m.contains("docs"), "the allow-list is never shown: {m}");
    }

    #[test]
    fn prefixes_are_validated() {
        assert!(validate_prefix("").is_err());
        assert!(validate_prefix("a/../b").is_err());
        assert!(validate_prefix("a//b").is_err());
        assert!(validate_prefix("uploads/").is_ok());
    }

    proptest! {
        #[test]
        fn allowed_keys_really_are_under_a_prefix(key in "[a-z./%\\\\]{1,12}") {
            if let Ok(k) = ObjectKey::new(key.clone()) {
                let prefixes = vec!["a".to_string()];
                if check_key(&k, &prefixes).is_ok() {
                    prop_assert!(key == "a" || key.starts_with("a/"));
                    let decoded = presign_core::encoding::decode_lossy(&key);
                    prop_assert!(!decoded.split(['/', '\\']).any(|s| s == ".." || s == "." || s.is_empty()));
                }
            }
        }
    }
}
