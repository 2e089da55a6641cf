//! User-delegation keys: the [`DelegationKeySource`] trait that fetches them, and how they go
//! into core's shared [`CredentialCache`], which keeps one key for many URLs and refreshes it
//! before it expires.
//!
//! A user-delegation SAS is signed with a key that the blob service hands out
//! (`Get User Delegation Key`) to a caller holding a Microsoft Entra ID token. Fetching a key
//! is a network round trip, so [`crate::AzurePresigner`] fetches one, signs every URL with it,
//! and fetches the next one only when the current key comes within its refresh margin of
//! expiring. Concurrent callers share one fetch. A URL never outlives the key that signs it:
//! the key's expiry goes to the policy layer's hook (see
//! [`presign_core::Presigner::presign_with`]), which clamps to it, and a presign whose expiry
//! would pass it is refused.
//!
//! This crate does no networking itself unless asked: implement [`DelegationKeySource`] with
//! your HTTP client and token provider (a [`presign_core::TokenSource`]), or use a fixed key for
//! tests; `HttpDelegationKeySource` (feature `user-delegation-http`) is the network one.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use base64::Engine as _;
use presign_core::secret::SecretBytes;
use presign_core::{Credential, CredentialCache, CredentialSource, Error, SecretString, Timestamp};

/// The longest lifetime the service grants a user-delegation key: 7 days.
pub const MAX_KEY_LIFETIME: Duration = Duration::from_secs(7 * 24 * 3600);

/// The default lifetime requested for a key: 1 day.
pub const DEFAULT_KEY_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// The default refresh margin: a key is replaced when it has less than 1 hour left.
pub const DEFAULT_REFRESH_BEFORE: Duration = Duration::from_secs(3600);

/// A user-delegation key as returned by `Get User Delegation Key`.
///
/// The time fields are kept exactly as the service returned them (they are copied into the
/// SAS as `skt` and `ske`); [`UserDelegationKey::new`] also parses them.
#[derive(Clone)]
pub struct UserDelegationKey {
    signed_oid: String,
    signed_tid: String,
    signed_start: String,
    signed_expiry: String,
    signed_service: String,
    signed_version: String,
    signed_delegated_user_tid: Option<String>,
    value: SecretString,
    expires_at: Timestamp,
}

impl UserDelegationKey {
    /// A key from the fields of the service's `UserDelegationKey` XML element: `SignedOid`,
    /// `SignedTid`, `SignedStart`, `SignedExpiry`, `SignedService`, `SignedVersion` and `Value`
    /// (base64). `SignedExpiry` must be an RFC 3339 date-time.
    pub fn new(
        signed_oid: impl Into<String>,
        signed_tid: impl Into<String>,
        signed_start: impl Into<String>,
        signed_expiry: impl Into<String>,
        signed_service: impl Into<String>,
        signed_version: impl Into<String>,
        value: SecretString,
    ) -> Result<Self, Error> {
        let signed_expiry = signed_expiry.into();
        let signed_start = signed_start.into();
        let expires_at = Timestamp::parse_rfc3339(&signed_expiry)
            .map_err(|e| Error::invalid_input("user delegation key SignedExpiry", e.to_string()))?;
        Timestamp::parse_rfc3339(&signed_start)
            .map_err(|e| Error::invalid_input("user delegation key SignedStart", e.to_string()))?;
        let key = UserDelegationKey {
            signed_oid: signed_oid.into(),
            signed_tid: signed_tid.into(),
            signed_start,
            signed_expiry,
            signed_service: signed_service.into(),
            signed_version: signed_version.into(),
            signed_delegated_user_tid: None,
            value,
            expires_at,
        };
        for (field, v) in [
            ("SignedOid", &key.signed_oid),
            ("SignedTid", &key.signed_tid),
            ("SignedService", &key.signed_service),
            ("SignedVersion", &key.signed_version),
        ] {
            check_field(field, v)?;
        }
        Ok(key)
    }

    /// Sets `SignedDelegatedUserTid` (the `skdutid` field, service versions 2025-07-05 and
    /// later), when the service returned one.
    pub fn with_delegated_user_tid(mut self, tid: impl Into<String>) -> Result<Self, Error> {
        let tid = tid.into();
        check_field("SignedDelegatedUserTid", &tid)?;
        self.signed_delegated_user_tid = Some(tid);
        Ok(self)
    }

    /// When the key expires.
    pub fn expires_at(&self) -> Timestamp {
        self.expires_at
    }
}

fn check_field(field: &str, v: &str) -> Result<(), Error> {
    if v.is_empty() || v.chars().any(char::is_control) {
        return Err(Error::invalid_input(
            format!("user delegation key {field}"),
            "must be non-empty, without control characters",
        ));
    }
    Ok(())
}

impl fmt::Debug for UserDelegationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserDelegationKey")
            .field("signed_oid", &self.signed_oid)
            .field("signed_tid", &self.signed_tid)
            .field("signed_start", &self.signed_start)
            .field("signed_expiry", &self.signed_expiry)
            .field("signed_service", &self.signed_service)
            .field("signed_version", &self.signed_version)
            .field("signed_delegated_user_tid", &self.signed_delegated_user_tid)
            .field("value", &self.value)
            .finish()
    }
}

/// Fetches user-delegation keys (`Get User Delegation Key`), typically with a Microsoft Entra ID
/// token from a [`presign_core::TokenSource`].
///
/// [`crate::AzurePresigner`] calls it only when it has no usable key: once at first use, then
/// shortly before each key expires. Implementations need no caching of their own.
///
/// ```
/// use presign_azure::{DelegationKeySource, UserDelegationKey};
/// use presign_core::{Error, SecretString, Timestamp};
///
/// /// Hands out one fixed key (for tests).
/// #[derive(Debug)]
/// struct Fixed(UserDelegationKey);
///
/// #[async_trait::async_trait]
/// impl DelegationKeySource for Fixed {
///     async fn fetch(&self, _start: Timestamp, _expiry: Timestamp) -> Result<UserDelegationKey, Error> {
///         Ok(self.0.clone())
///     }
/// }
/// ```
#[async_trait]
pub trait DelegationKeySource: Send + Sync + fmt::Debug {
    /// Fetches a key valid from `start` to `expiry` (the service may shorten either).
    async fn fetch(&self, start: Timestamp, expiry: Timestamp) -> Result<UserDelegationKey, Error>;

    /// Where the keys come from, without any secret (what `presign providers` shows).
    fn describe(&self) -> String {
        "a user-delegation key source".to_owned()
    }
}

/// A fetched key, decoded once.
pub(crate) struct CachedKey {
    pub(crate) signed_oid: String,
    pub(crate) signed_tid: String,
    pub(crate) signed_start: String,
    pub(crate) signed_expiry: String,
    pub(crate) signed_service: String,
    pub(crate) signed_version: String,
    pub(crate) signed_delegated_user_tid: Option<String>,
    pub(crate) key: SecretBytes,
    pub(crate) expires_at: Timestamp,
}

impl fmt::Debug for CachedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedKey")
            .field("signed_oid", &self.signed_oid)
            .field("expires_at", &self.expires_at)
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

/// The keys of a [`DelegationKeySource`] as core credential snapshots: each fetch asks for a
/// key valid from now for `lifetime`, decodes it once, and expires with it.
struct DelegationKeys {
    provider: String,
    source: Arc<dyn DelegationKeySource>,
    lifetime: Duration,
}

impl fmt::Debug for DelegationKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DelegationKeys")
            .field("source", &self.source)
            .field("lifetime", &self.lifetime)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl CredentialSource<CachedKey> for DelegationKeys {
    async fn fetch(&self, start: Timestamp) -> Result<Credential<CachedKey>, Error> {
        let expiry = start.checked_add(self.lifetime).unwrap_or(Timestamp::MAX);
        let k = self.source.fetch(start, expiry).await?;
        let cred = |reason: String| Error::Credentials {
            provider: self.provider.clone(),
            reason,
        };
        if k.expires_at <= start {
            return Err(cred(format!(
                "the user delegation key expired at {}, before it was used at {start}",
                k.expires_at
            )));
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(k.value.expose_secret().trim())
            .map_err(|_| cred("the user delegation key value is not valid base64".into()))?;
        let key = SecretBytes::new(bytes);
        if key.expose_secret().is_empty() {
            return Err(cred("the user delegation key value is empty".into()));
        }
        let expires_at = k.expires_at;
        Ok(Credential::expiring(
            CachedKey {
                signed_oid: k.signed_oid,
                signed_tid: k.signed_tid,
                signed_start: k.signed_start,
                signed_expiry: k.signed_expiry,
                signed_service: k.signed_service,
                signed_version: k.signed_version,
                signed_delegated_user_tid: k.signed_delegated_user_tid,
                key,
                expires_at,
            },
            expires_at,
        ))
    }

    fn describe(&self) -> String {
        format!("user-delegation keys from {}", self.source.describe())
    }
}

/// The cache of user-delegation keys for provider `provider`: one key per `lifetime`, replaced
/// `refresh_before` its expiry, on `clock`.
pub(crate) fn delegation_key_cache(
    provider: String,
    source: Arc<dyn DelegationKeySource>,
    lifetime: Duration,
    refresh_before: Duration,
    clock: presign_core::SharedClock,
) -> CredentialCache<CachedKey> {
    CredentialCache::new(Arc::new(DelegationKeys {
        provider: provider.clone(),
        source,
        lifetime,
    }))
    .with_provider(provider)
    .with_clock(clock)
    .with_refresh_before(refresh_before)
}
