//! [`KeyGroup`]: the keys of a CloudFront key group, one of them active for signing.
//!
//! A CloudFront key group trusts several public keys, so keys rotate without downtime: add the
//! new public key to the group, configure its private key here and make it active, and give the
//! old key a retirement date. presign signs only with the active key and never signs a URL or
//! cookie that outlives the active key's retirement date ([`KeyGroup::active_retires_at`] is
//! the provider's credential expiry), so a key removed from the group on its date leaves
//! nothing of ours that still depends on it.

use std::fmt;
use std::sync::Arc;

use presign_core::{Error, Timestamp};

use crate::key::{KeyPairId, SigningKey};

/// One configured key.
#[derive(Clone)]
pub struct GroupKey {
    /// Its id in the key group (`K…`) or a legacy key pair id (`APKA…`).
    pub id: KeyPairId,
    /// The private key.
    pub key: Arc<SigningKey>,
    /// When the key leaves the key group; nothing signed with it expires later.
    pub retires_at: Option<Timestamp>,
}

impl fmt::Debug for GroupKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GroupKey")
            .field("id", &self.id)
            .field("key", &self.key)
            .field("retires_at", &self.retires_at)
            .finish()
    }
}

/// Several keys, one active.
#[derive(Debug, Clone)]
pub struct KeyGroup {
    keys: Vec<GroupKey>,
    active: usize,
}

impl KeyGroup {
    /// A group of one key, active, never retiring.
    pub fn single(id: KeyPairId, key: Arc<SigningKey>) -> Self {
        KeyGroup {
            keys: vec![GroupKey {
                id,
                key,
                retires_at: None,
            }],
            active: 0,
        }
    }

    /// A group of `keys` with `active` signing. Ids must be unique and `active` among them.
    pub fn new(keys: Vec<GroupKey>, active: &str) -> Result<Self, Error> {
        let bad = |reason: String| Error::invalid_input("keys", reason);
        if keys.is_empty() {
            return Err(bad("a key group needs at least one key".into()));
        }
        for (i, k) in keys.iter().enumerate() {
            if keys.iter().skip(i + 1).any(|o| o.id == k.id) {
                return Err(bad(format!("key id {} is configured twice", k.id)));
            }
        }
        let active = keys
            .iter()
            .position(|k| k.id.as_str() == active)
            .ok_or_else(|| {
                bad(format!(
                    "the active key {} is not among the configured keys",
                    presign_core::error::display_key(active)
                ))
            })?;
        Ok(KeyGroup { keys, active })
    }

    /// The active key.
    pub fn active(&self) -> Option<&GroupKey> {
        self.keys.get(self.active)
    }

    /// Every configured key.
    pub fn keys(&self) -> &[GroupKey] {
        &self.keys
    }

    /// When the active key retires, if it does.
    pub fn active_retires_at(&self) -> Option<Timestamp> {
        self.active().and_then(|k| k.retires_at)
    }
}
