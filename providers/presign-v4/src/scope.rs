//! The credential scope (`yyyymmdd/region/service/terminator`), the HMAC signing key derived for
//! it, and a one-entry cache that keeps them for the day: each signature then formats no scope
//! and costs one HMAC.

use std::fmt;
use std::sync::{Arc, RwLock};

use presign_core::crypto::{hmac_sha256, hmac_sha256_parts};
use presign_core::encoding::{EncodeSet, encode_into};
use presign_core::secret::{SecretArray, SecretBytes};
use presign_core::{SecretString, Timestamp};

use crate::dialect::Dialect;

/// Appends the credential scope `yyyymmdd/region/service/terminator` to `out`.
pub fn write_scope(
    out: &mut String,
    time: Timestamp,
    region: &str,
    service: &str,
    terminator: &str,
) {
    time.write_date(out);
    out.push('/');
    out.push_str(region);
    out.push('/');
    out.push_str(service);
    out.push('/');
    out.push_str(terminator);
}

/// Derives an HMAC signing key the SigV4 way, which GCS V4 HMAC keys share:
/// `HMAC(HMAC(HMAC(HMAC(prefix + secret, yyyymmdd), region), service), terminator)`, for
/// example prefix `AWS4` and terminator `aws4_request`, or `GOOG4` and `goog4_request`.
/// Every intermediate value is zeroized.
///
/// ```
/// use presign_v4::derive_signing_key;
/// use presign_core::Timestamp;
/// // The key of the AWS documentation's S3 presigned-URL example.
/// let t = Timestamp::parse_rfc3339("2013-05-24T00:00:00Z")?;
/// let k = derive_signing_key(b"AWS4", b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", t, "us-east-1", "s3", "aws4_request");
/// assert_eq!(k.len(), 32);
/// # Ok::<(), presign_core::Error>(())
/// ```
pub fn derive_signing_key(
    prefix: &[u8],
    secret: &[u8],
    time: Timestamp,
    region: &str,
    service: &str,
    terminator: &str,
) -> SecretArray<32> {
    let mut date = String::with_capacity(8);
    time.write_date(&mut date);
    let mut seed = Vec::with_capacity(prefix.len() + secret.len());
    seed.extend_from_slice(prefix);
    seed.extend_from_slice(secret);
    let seed = SecretBytes::new(seed);
    let k_date = SecretArray::new(hmac_sha256(seed.expose_secret(), date.as_bytes()));
    let k_region = SecretArray::new(hmac_sha256(&*k_date, region.as_bytes()));
    let k_service = SecretArray::new(hmac_sha256(&*k_region, service.as_bytes()));
    SecretArray::new(hmac_sha256(&*k_service, terminator.as_bytes()))
}

/// Who signs, for which day, region and service: the credential scope and the credential
/// strings built from it once (`X-Amz-Credential` / `X-Goog-Credential`, percent-encoded, and the
/// plain form a POST policy carries).
#[derive(Clone, PartialEq, Eq)]
pub struct Scope {
    day: i64,
    date: Box<str>,
    id: Box<str>,
    region: Box<str>,
    service: Box<str>,
    /// `yyyymmdd/region/service/terminator`.
    scope: Box<str>,
    /// `ID%2Fyyyymmdd%2Fregion%2Fservice%2Fterminator`.
    encoded_credential: Box<str>,
}

impl Scope {
    /// The scope of `id` (an access key id, a service account's e-mail, an HMAC access id) for
    /// the day of `time` (UTC), `region` and `service`, ending in `dialect`'s terminator.
    pub fn new(dialect: &Dialect, id: &str, time: Timestamp, region: &str, service: &str) -> Self {
        let mut date = String::with_capacity(8);
        time.write_date(&mut date);
        let mut scope = String::with_capacity(date.len() + region.len() + service.len() + 16);
        write_scope(&mut scope, time, region, service, dialect.terminator);
        let mut credential = String::with_capacity(id.len() + scope.len() + 16);
        encode_into(&mut credential, id, EncodeSet::Component);
        credential.push_str("%2F");
        encode_into(&mut credential, &scope, EncodeSet::Component);
        Scope {
            day: time.unix_day(),
            date: date.into(),
            id: id.into(),
            region: region.into(),
            service: service.into(),
            scope: scope.into(),
            encoded_credential: credential.into(),
        }
    }

    /// Whether this is the scope of `id` on the day of `time` in `region` for `service`.
    pub fn matches(&self, id: &str, time: Timestamp, region: &str, service: &str) -> bool {
        self.day == time.unix_day()
            && *self.region == *region
            && *self.service == *service
            && *self.id == *id
    }

    /// Whether `time` falls on this scope's day.
    pub fn covers(&self, time: Timestamp) -> bool {
        self.day == time.unix_day()
    }

    /// `yyyymmdd/region/service/terminator`.
    pub fn as_str(&self) -> &str {
        &self.scope
    }

    /// The credential parameter's value, percent-encoded: `ID%2Fyyyymmdd%2F...`.
    pub fn encoded_credential(&self) -> &str {
        &self.encoded_credential
    }

    /// The credential as a POST form carries it, not encoded: `ID/yyyymmdd/...`.
    pub fn credential(&self) -> String {
        let mut c = String::with_capacity(self.id.len() + 1 + self.scope.len());
        c.push_str(&self.id);
        c.push('/');
        c.push_str(&self.scope);
        c
    }

    /// The signer's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The date stamp, `yyyymmdd`.
    pub fn date(&self) -> &str {
        &self.date
    }

    /// The region (`us-east-1`; `auto` for GCS).
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The service (`s3`; `storage` for GCS).
    pub fn service(&self) -> &str {
        &self.service
    }
}

impl fmt::Debug for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scope")
            .field("id", &self.id)
            .field("scope", &self.scope)
            .finish()
    }
}

/// An HMAC signing key derived for one [`Scope`]. Zeroized on drop, never printed.
pub struct SigningKey {
    scope: Scope,
    key: SecretArray<32>,
}

impl SigningKey {
    /// Derives the key of `secret` for the scope of `id` on the day of `time`, `region` and
    /// `service`: `HMAC(HMAC(HMAC(HMAC(PREFIX + secret, yyyymmdd), region), service),
    /// terminator)` with `dialect`'s prefix and terminator.
    pub fn derive(
        dialect: &Dialect,
        id: &str,
        secret: &SecretString,
        time: Timestamp,
        region: &str,
        service: &str,
    ) -> Self {
        let key = derive_signing_key(
            dialect.key_prefix.as_bytes(),
            secret.expose_secret().as_bytes(),
            time,
            region,
            service,
            dialect.terminator,
        );
        SigningKey {
            scope: Scope::new(dialect, id, time, region, service),
            key,
        }
    }

    /// The scope the key was derived for.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// HMAC-SHA256 of the concatenated `parts` (a string to sign in pieces) under this key.
    pub fn sign_parts(&self, parts: &[&[u8]]) -> [u8; 32] {
        hmac_sha256_parts(&*self.key, parts)
    }

    /// HMAC-SHA256 of `data` under this key.
    pub fn sign(&self, data: &[u8]) -> [u8; 32] {
        hmac_sha256(&*self.key, data)
    }

    /// The key bytes (for tests against published derivations).
    pub fn expose_secret(&self) -> &[u8; 32] {
        &self.key
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("key", &"[REDACTED]")
            .field("scope", &self.scope)
            .finish()
    }
}

/// A one-entry cache of what depends only on the signer and the day ([`Scope`], [`SigningKey`]):
/// built once per day, not once per signature.
pub struct DayCache<T> {
    slot: RwLock<Option<Arc<T>>>,
}

impl<T> Default for DayCache<T> {
    fn default() -> Self {
        DayCache {
            slot: RwLock::new(None),
        }
    }
}

impl<T> DayCache<T> {
    /// An empty cache.
    pub fn new() -> Self {
        DayCache::default()
    }

    /// The cached value when `fits` says it still applies, else a fresh one from `make` (which
    /// replaces it).
    pub fn get(&self, fits: impl Fn(&T) -> bool, make: impl FnOnce() -> T) -> Arc<T> {
        {
            let slot = self.slot.read().unwrap_or_else(|p| p.into_inner());
            if let Some(v) = slot.as_ref()
                && fits(v)
            {
                return Arc::clone(v);
            }
        }
        let fresh = Arc::new(make());
        let mut slot = self.slot.write().unwrap_or_else(|p| p.into_inner());
        *slot = Some(Arc::clone(&fresh));
        fresh
    }
}

impl<T> fmt::Debug for DayCache<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let slot = self.slot.read().unwrap_or_else(|p| p.into_inner());
        f.debug_struct("DayCache")
            .field("filled", &slot.is_some())
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
        let k = SigningKey::derive(
            &Dialect::AWS4_HMAC_SHA256,
            "AKID",
            &secret,
            t,
            "us-east-1",
            "iam",
        );
        assert_eq!(
            hex(k.expose_secret()),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
        );
        assert!(!format!("{k:?}").contains("f4780e"));
        assert_eq!(k.scope().as_str(), "20120215/us-east-1/iam/aws4_request");
        assert_eq!(
            k.scope().encoded_credential(),
            "AKID%2F20120215%2Fus-east-1%2Fiam%2Faws4_request"
        );
        assert_eq!(
            k.scope().credential(),
            "AKID/20120215/us-east-1/iam/aws4_request"
        );
    }

    #[test]
    fn cache_keeps_one_entry_per_fit() {
        let cache = DayCache::new();
        let d = &Dialect::GOOG4_RSA_SHA256;
        let t = Timestamp::from_unix(1_000_000).unwrap();
        let get = |t: Timestamp, id: &str| {
            cache.get(
                |s: &Scope| s.matches(id, t, "auto", "storage"),
                || Scope::new(d, id, t, "auto", "storage"),
            )
        };
        let a = get(t, "a@b");
        let b = get(Timestamp::from_unix(1_000_100).unwrap(), "a@b");
        assert!(Arc::ptr_eq(&a, &b));
        let next_day = Timestamp::from_unix(1_000_000 + 86_400).unwrap();
        let c = get(next_day, "a@b");
        assert!(!Arc::ptr_eq(&a, &c));
        assert!(!Arc::ptr_eq(&c, &get(next_day, "other@b")));
    }
}
