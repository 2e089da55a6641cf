//! GCS HMAC keys (`GOOG4-HMAC-SHA256`): the signing key is derived the SigV4 way
//! (`GOOG4` + secret, date, `auto`, `storage`, `goog4_request`) with presign-core's
//! [`derive_signing_key`], and cached for the day so that each URL costs one HMAC.

use std::sync::Mutex;

use presign_core::canonical::derive_signing_key;
use presign_core::crypto::hmac_sha256;
use presign_core::secret::SecretArray;
use presign_core::{SecretString, Timestamp};

use crate::v4::{LOCATION, SERVICE, TERMINATOR};

/// An HMAC access id and secret, with the derived key of the last day used.
pub(crate) struct HmacKey {
    pub(crate) access_id: String,
    secret: SecretString,
    cache: Mutex<Option<(i64, SecretArray<32>)>>,
}

impl std::fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HmacKey")
            .field("access_id", &self.access_id)
            .field("secret", &self.secret)
            .finish()
    }
}

impl HmacKey {
    pub(crate) fn new(access_id: String, secret: SecretString) -> Self {
        HmacKey {
            access_id,
            secret,
            cache: Mutex::new(None),
        }
    }

    fn key_for(&self, time: Timestamp) -> SecretArray<32> {
        let day = time.unix_day();
        if let Ok(guard) = self.cache.lock()
            && let Some((d, k)) = guard.as_ref()
            && *d == day
        {
            return SecretArray::new(**k);
        }
        let key = derive_signing_key(
            b"GOOG4",
            self.secret.expose_secret().as_bytes(),
            time,
            LOCATION,
            SERVICE,
            TERMINATOR,
        );
        if let Ok(mut guard) = self.cache.lock() {
            *guard = Some((day, SecretArray::new(*key)));
        }
        key
    }

    /// HMAC-SHA256 of the string to sign under the key of `time`'s day.
    pub(crate) fn sign(&self, time: Timestamp, string_to_sign: &[u8]) -> [u8; 32] {
        hmac_sha256(&*self.key_for(time), string_to_sign)
    }
}
