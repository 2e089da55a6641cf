//! Static API keys, configured as SHA-256 hashes and compared in constant time.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::config::{ApiKeyConfig, config_error};
use presign_core::Error;

/// The shortest key accepted: shorter ones cannot be random enough for an unsalted hash.
pub const MIN_KEY_BYTES: usize = 32;
/// The longest key looked at.
pub const MAX_KEY_BYTES: usize = 512;

/// The configured keys: names and hashes, never the keys.
#[derive(Clone, Default)]
pub(crate) struct ApiKeys {
    keys: Vec<(String, [u8; 32])>,
}

impl std::fmt::Debug for ApiKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.keys.iter().map(|(n, _)| n))
            .finish()
    }
}

impl ApiKeys {
    /// The keys of `[[serve.auth.api_keys]]`; a bad hash or a repeated name is refused.
    pub(crate) fn from_config(entries: &[ApiKeyConfig]) -> Result<ApiKeys, Error> {
        let mut keys: Vec<(String, [u8; 32])> = Vec::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            let path = format!("auth.api_keys[{i}]");
            if e.name.is_empty()
                || !e
                    .name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
            {
                return Err(config_error(
                    &format!("{path}.name"),
                    "a name of letters, digits, '-', '_' and '.'",
                ));
            }
            if keys.iter().any(|(n, _)| *n == e.name) {
                return Err(config_error(&format!("{path}.name"), "a repeated name"));
            }
            let mut hash = [0u8; 32];
            hex::decode_to_slice(e.sha256.trim(), &mut hash).map_err(|_| {
                config_error(
                    &format!("{path}.sha256"),
                    "not 64 hex digits (the SHA-256 of the key: printf %s \"$KEY\" | sha256sum)",
                )
            })?;
            keys.push((e.name.clone(), hash));
        }
        Ok(ApiKeys { keys })
    }

    /// Whether any key is configured.
    pub(crate) fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The name of the key `presented`, if it is one. Every configured hash is compared, in
    /// constant time, whatever matches.
    pub(crate) fn find(&self, presented: &str) -> Option<&str> {
        if !(MIN_KEY_BYTES..=MAX_KEY_BYTES).contains(&presented.len()) {
            return None;
        }
        let digest: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        let mut found = None;
        for (name, hash) in &self.keys {
            if bool::from(hash.ct_eq(&digest)) {
                found = Some(name.as_str());
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_by_hash_only() {
        let key = "k".repeat(40);
        let hash = hex::encode(Sha256::digest(key.as_bytes()));
        let keys = ApiKeys::from_config(&[ApiKeyConfig {
            name: "ci".into(),
            sha256: hash,
        }])
        .unwrap();
        assert_eq!(keys.find(&key), Some("ci"));
        assert_eq!(keys.find(&"k".repeat(41)), None);
        assert_eq!(keys.find("short"), None);
        assert!(!format!("{keys:?}").contains('k') || format!("{keys:?}") == "[\"ci\"]");
        let bad = ApiKeys::from_config(&[ApiKeyConfig {
            name: "ci".into(),
            sha256: "zz".into(),
        }])
        .unwrap_err();
        assert!(bad.to_string().contains("sha256"), "{bad}");
    }
}
