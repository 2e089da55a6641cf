//! The SigV4 signing key: derived from the secret access key, a date, a region and a service
//! with four HMACs, then cached so that each signature costs one HMAC.

use std::fmt;
use std::sync::{Arc, RwLock};

use presign_core::canonical::derive_signing_key;
use presign_core::secret::SecretArray;
use presign_core::{SecretString, Timestamp};

/// A derived SigV4 signing key and the scope it was derived for. Zeroized on drop, never
/// printed.
pub struct SigningKey {
    key: SecretArray<32>,
    day: i64,
    date: String,
    region: Box<str>,
    service: Box<str>,
    access_key_id: Box<str>,
    /// `yyyymmdd/region/service/aws4_request`.
    scope: Box<str>,
    /// `X-Amz-Credential`, percent-encoded: `AKID%2Fyyyymmdd%2Fregion%2Fservice%2Faws4_request`.
    credential: Box<str>,
}

impl SigningKey {
    /// Derives the key for the day of `time` (UTC), `region` and `service`:
    /// `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, yyyymmdd), region), service), "aws4_request")`.
    pub fn derive(
        access_key_id: &str,
        secret_access_key: &SecretString,
        time: Timestamp,
        region: &str,
        service: &str,
    ) -> Self {
        let mut date = String::with_capacity(8);
        time.write_date(&mut date);
        let key = derive_signing_key(
            b"AWS4",
            secret_access_key.expose_secret().as_bytes(),
            time,
            region,
            service,
            "aws4_request",
        );
        let scope = format!("{date}/{region}/{service}/aws4_request");
        let mut credential = String::with_capacity(access_key_id.len() + scope.len() + 16);
        presign_core::encoding::encode_into(
            &mut credential,
            access_key_id,
            presign_core::encoding::EncodeSet::Component,
        );
        credential.push_str("%2F");
        presign_core::encoding::encode_into(
            &mut credential,
            &scope,
            presign_core::encoding::EncodeSet::Component,
        );
        SigningKey {
            key,
            day: time.unix_day(),
            date,
            region: region.into(),
            service: service.into(),
            access_key_id: access_key_id.into(),
            scope: scope.into(),
            credential: credential.into(),
        }
    }

    /// Whether this key signs for `access_key_id` on the day of `time` in `region` for `service`.
    pub fn matches(
        &self,
        access_key_id: &str,
        time: Timestamp,
        region: &str,
        service: &str,
    ) -> bool {
        self.day == time.unix_day()
            && *self.region == *region
            && *self.service == *service
            && *self.access_key_id == *access_key_id
    }

    /// The key bytes. Use them only to sign.
    pub(crate) fn expose_secret(&self) -> &[u8; 32] {
        &self.key
    }

    /// The date stamp (`yyyymmdd`) the key was derived for.
    pub fn date(&self) -> &str {
        &self.date
    }

    /// The credential scope, `yyyymmdd/region/service/aws4_request`.
    pub fn scope(&self) -> &str {
        &self.scope
    }

    /// The encoded `X-Amz-Credential` value (access key id and scope).
    pub(crate) fn encoded_credential(&self) -> &str {
        &self.credential
    }

    /// The region the key was derived for.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The service the key was derived for.
    pub fn service(&self) -> &str {
        &self.service
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("key", &"[REDACTED]")
            .field("date", &self.date)
            .field("region", &self.region)
            .field("service", &self.service)
            .field("access_key_id", &self.access_key_id)
            .finish()
    }
}

/// A one-entry cache of the signing key: the four-HMAC derivation runs once per
/// (date, region, service, access key id), not once per signature.
#[derive(Default)]
pub struct SigningKeyCache {
    slot: RwLock<Option<Arc<SigningKey>>>,
}

impl SigningKeyCache {
    /// An empty cache.
    pub fn new() -> Self {
        SigningKeyCache::default()
    }

    /// The cached key when it matches, else a freshly derived one (which replaces it).
    pub fn get(
        &self,
        access_key_id: &str,
        secret_access_key: &SecretString,
        time: Timestamp,
        region: &str,
        service: &str,
    ) -> Arc<SigningKey> {
        {
            let slot = self.slot.read().unwrap_or_else(|p| p.into_inner());
            if let Some(k) = slot.as_ref()
                && k.matches(access_key_id, time, region, service)
            {
                return Arc::clone(k);
            }
        }
        let key = Arc::new(SigningKey::derive(
            access_key_id,
            secret_access_key,
            time,
            region,
            service,
        ));
        let mut slot = self.slot.write().unwrap_or_else(|p| p.into_inner());
        *slot = Some(Arc::clone(&key));
        key
    }
}

impl fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let slot = self.slot.read().unwrap_or_else(|p| p.into_inner());
        f.debug_struct("SigningKeyCache")
            .field("cached", &slot.as_ref().map(|k| (k.date(), k.region())))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use presign_core::crypto::hex;

    #[test]
    fn derivation_matches_the_aws_documentation() {
        // "Examples of how to derive a signing key for Signature Version 4" (AWS General
        // Reference): secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20120215, us-east-1, iam.
        let t = Timestamp::parse_rfc3339("2012-02-15T00:00:00Z").unwrap();
        let secret = SecretString::new("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        let k = SigningKey::derive("AKID", &secret, t, "us-east-1", "iam");
        assert_eq!(
            hex(k.expose_secret()),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
        );
        assert!(!format!("{k:?}").contains("f4780e"));
    }

    #[test]
    fn cache_reuses_per_day_and_scope() {
        let secret = SecretString::new("s");
        let cache = SigningKeyCache::new();
        let t = Timestamp::from_unix(1_000_000).unwrap();
        let a = cache.get("AK", &secret, t, "r", "s3");
        let b = cache.get(
            "AK",
            &secret,
            Timestamp::from_unix(1_000_100).unwrap(),
            "r",
            "s3",
        );
        assert!(Arc::ptr_eq(&a, &b));
        let next_day = Timestamp::from_unix(1_000_000 + 86_400).unwrap();
        let c = cache.get("AK", &secret, next_day, "r", "s3");
        assert!(!Arc::ptr_eq(&a, &c));
        let d = cache.get("AK", &secret, next_day, "other", "s3");
        assert!(!Arc::ptr_eq(&c, &d));
    }
}
