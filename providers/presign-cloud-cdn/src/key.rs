//! Cloud CDN keys: a key name and 16 secret bytes, given as base64url.

use std::fmt;

use base64::Engine;
use hmac::{Hmac, Mac};
use presign_core::Error;
use presign_core::secret::SecretBytes;
use sha1::Sha1;

/// A Cloud CDN key name: 1 to 63 characters, a lower-case letter first, then lower-case letters,
/// digits or `-` (RFC 1035, as `gcloud` requires), so it goes into URLs and cookies unescaped.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct KeyName(String);

impl KeyName {
    /// Validates `name`.
    pub fn new(name: impl Into<String>) -> Result<Self, Error> {
        let name = name.into();
        let b = name.as_bytes();
        let ok = (1..=63).contains(&b.len())
            && b.first().is_some_and(u8::is_ascii_lowercase)
            && b.iter()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
            && b.last() != Some(&b'-');
        if ok {
            Ok(KeyName(name))
        } else {
            Err(Error::invalid_input(
                "key_name",
                format!(
                    "{} is not a Cloud CDN key name (1 to 63 lower-case letters, digits or '-', starting with a letter)",
                    presign_core::error::display_key(&name)
                ),
            ))
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for KeyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyName({:?})", self.0)
    }
}

/// A Cloud CDN signing key: its name and 128-bit value. `Debug` shows only the name; the value
/// is zeroized on drop.
#[derive(Clone)]
pub struct CloudCdnKey {
    name: KeyName,
    value: SecretBytes,
    /// The HMAC state after absorbing the key, so each signature starts from it.
    mac: Hmac<Sha1>,
}

impl fmt::Debug for CloudCdnKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CloudCdnKey({:?}, [REDACTED])", self.name.0)
    }
}

impl CloudCdnKey {
    /// The key from its base64url text as `gcloud` and the console give it (padding optional;
    /// standard base64 also accepted). It must decode to 16 bytes.
    pub fn from_base64(name: &str, value: &str) -> Result<Self, Error> {
        let name = KeyName::new(name)?;
        let text = value.trim();
        let label = name.0.clone();
        let bad = move || {
            Error::invalid_input(
                "key",
                format!("the value of Cloud CDN key {label} is not base64url of 16 bytes"),
            )
        };
        let engines = [
            base64::engine::general_purpose::URL_SAFE,
            base64::engine::general_purpose::URL_SAFE_NO_PAD,
            base64::engine::general_purpose::STANDARD,
            base64::engine::general_purpose::STANDARD_NO_PAD,
        ];
        let bytes = engines
            .iter()
            .find_map(|e| e.decode(text).ok())
            .map(SecretBytes::new)
            .ok_or_else(&bad)?;
        Self::from_bytes(name, bytes).map_err(|_| bad())
    }

    /// The key from its 16 raw bytes.
    pub fn from_bytes(name: KeyName, value: SecretBytes) -> Result<Self, Error> {
        if value.expose_secret().len() != 16 {
            return Err(Error::invalid_input(
                "key",
                format!(
                    "Cloud CDN key {} is {} bytes; Cloud CDN keys are 128 bits (16 bytes)",
                    name.0,
                    value.expose_secret().len()
                ),
            ));
        }
        let mac = <Hmac<Sha1> as Mac>::new_from_slice(value.expose_secret())
            .map_err(|_| Error::invalid_input("key", "unusable HMAC key"))?;
        Ok(CloudCdnKey { name, value, mac })
    }

    /// The key name.
    pub fn name(&self) -> &KeyName {
        &self.name
    }

    /// The key bytes (for verifiers).
    pub fn expose_secret(&self) -> &[u8] {
        self.value.expose_secret()
    }

    /// HMAC-SHA1 of the concatenation of `parts`.
    pub fn hmac(&self, parts: &[&[u8]]) -> [u8; 20] {
        let mut mac = self.mac.clone();
        for p in parts {
            mac.update(p);
        }
        mac.finalize().into_bytes().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_lengths() {
        assert!(KeyName::new("my-key").is_ok());
        for bad in ["", "My-key", "1key", "key-", "a b", &"k".repeat(64)] {
            assert!(KeyName::new(bad).is_err(), "{bad}");
        }
        let e = CloudCdnKey::from_base64("k", "nZtRohdNF9m3cKM24IcK").unwrap_err();
        assert!(e.to_string().contains("16 bytes"), "{e}");
        let k = CloudCdnKey::from_base64("k", "nZtRohdNF9m3cKM24IcK4w").unwrap();
        assert!(!format!("{k:?}").contains("nZt"));
    }
}
