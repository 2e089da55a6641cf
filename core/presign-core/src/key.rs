//! [`ObjectKey`]: a raw object name, validated once.
//!
//! Keys are raw: `reports/q4 summary.pdf`, never `reports/q4%20summary.pdf`. Each provider
//! encodes them by its own rules, so a caller never pre-encodes (a `%` in a key is a literal
//! percent sign, and is signed and sent as `%25`).

use std::fmt;
use std::sync::Arc;

use crate::error::{Error, display_key};

/// The longest key any supported provider accepts, in bytes (S3 and GCS: 1024 bytes of UTF-8;
/// Azure: 1024 characters, which providers check themselves).
pub const MAX_KEY_BYTES: usize = 4096;

/// A validated object key: non-empty, valid UTF-8, no control characters (U+0000 to U+001F,
/// U+007F to U+009F), at most [`MAX_KEY_BYTES`] bytes. Providers check their own, tighter
/// length limit with [`ObjectKey::check_len`]. Reference-counted: cloning one (as the policy
/// layer does per URL) allocates nothing.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectKey(Arc<str>);

impl ObjectKey {
    /// Validates `key`; the error says what is wrong (and shows the key shortened and escaped).
    pub fn new(key: impl Into<String>) -> Result<Self, Error> {
        let key: String = key.into();
        let invalid = |reason: String| Error::InvalidKey {
            key: display_key(&key),
            reason,
        };
        if key.is_empty() {
            return Err(invalid("the key is empty".into()));
        }
        if key.len() > MAX_KEY_BYTES {
            return Err(invalid(format!(
                "{} bytes is longer than {MAX_KEY_BYTES} bytes",
                key.len()
            )));
        }
        if let Some((at, c)) = key.char_indices().find(|(_, c)| c.is_control()) {
            return Err(invalid(format!(
                "control character U+{:04X} at byte {at}",
                u32::from(c)
            )));
        }
        Ok(ObjectKey(Arc::from(key)))
    }

    /// Validates raw bytes, refusing invalid UTF-8 as well.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        match std::str::from_utf8(bytes) {
            Ok(s) => ObjectKey::new(s),
            Err(e) => Err(Error::InvalidKey {
                key: display_key(&String::from_utf8_lossy(bytes)),
                reason: format!("invalid UTF-8 at byte {}", e.valid_up_to()),
            }),
        }
    }

    /// The raw key.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Length in bytes of UTF-8.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false: a key is never empty. (Present for API completeness.)
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Refuses the key when it is longer than `max_bytes` bytes, naming the provider.
    pub fn check_len(&self, max_bytes: usize, provider: &str) -> Result<(), Error> {
        if self.len() > max_bytes {
            return Err(Error::InvalidKey {
                key: display_key(self.as_str()),
                reason: format!(
                    "{} bytes is longer than the {max_bytes} bytes {provider} allows",
                    self.len()
                ),
            });
        }
        Ok(())
    }

    /// Refuses a key with a `.` or `..` segment for `provider`, whose URLs carry the key in
    /// the path as it is: HTTP clients (curl, browsers, most libraries) remove such segments
    /// before they send the request (RFC 3986 section 5.2.4), so the request would not match
    /// the signature and could only be refused. (Azure's encoder writes dots as `%2E` instead.)
    ///
    /// ```
    /// use presign_core::ObjectKey;
    /// assert!(ObjectKey::new("a/../b")?.check_no_dot_segments("s3").is_err());
    /// assert!(ObjectKey::new("a/..b/.c")?.check_no_dot_segments("s3").is_ok());
    /// # Ok::<(), presign_core::Error>(())
    /// ```
    pub fn check_no_dot_segments(&self, provider: &str) -> Result<(), Error> {
        if self.segments().any(|s| s == "." || s == "..") {
            return Err(Error::InvalidKey {
                key: display_key(self.as_str()),
                reason: format!(
                    "it has a '.' or '..' segment; HTTP clients remove such segments from the path before sending, so a {provider} URL for it would not match its signature"
                ),
            });
        }
        Ok(())
    }

    /// The key's `/`-separated segments.
    pub fn segments(&self) -> impl Iterator<Item = &str> {
        self.0.split('/')
    }
}

impl fmt::Debug for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ObjectKey({:?})", &*self.0)
    }
}

impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for ObjectKey {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<&str> for ObjectKey {
    type Error = Error;
    fn try_from(s: &str) -> Result<Self, Error> {
        ObjectKey::new(s)
    }
}

impl TryFrom<String> for ObjectKey {
    type Error = Error;
    fn try_from(s: String) -> Result<Self, Error> {
        ObjectKey::new(s)
    }
}

impl std::str::FromStr for ObjectKey {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        ObjectKey::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn refuses_bad_keys_with_reasons() {
        let e = ObjectKey::new("").unwrap_err().to_string();
        assert!(e.contains("empty"), "{e}");
        let e = ObjectKey::new("a\0b").unwrap_err().to_string();
        assert!(e.contains("U+0000") && e.contains("byte 1"), "{e}");
        let e = ObjectKey::new("a\u{85}").unwrap_err().to_string();
        assert!(e.contains("U+0085"), "{e}");
        let e = ObjectKey::from_bytes(b"ok\xff").unwrap_err().to_string();
        assert!(e.contains("UTF-8"), "{e}");
        let long = "k".repeat(1025);
        let key = ObjectKey::new(long).unwrap();
        let e = key.check_len(1024, "s3").unwrap_err().to_string();
        assert!(e.contains("1025") && e.contains("s3"), "{e}");
    }

    #[test]
    fn accepts_odd_but_legal_keys() {
        for k in [
            "a b",
            "a+b",
            "100%",
            "#?=&",
            "ünï/ç😀",
            "a//b",
            "./x",
            "dir/",
            "a\\b",
        ] {
            assert_eq!(ObjectKey::new(k).unwrap().as_str(), k);
        }
    }

    proptest! {
        #[test]
        fn never_panics_and_keeps_valid_keys(s in any::<String>()) {
            match ObjectKey::new(s.clone()) {
                Ok(k) => prop_assert_eq!(k.as_str(), s.as_str()),
                Err(e) => prop_assert_eq!(e.kind(), "invalid_key"),
            }
        }
    }
}
