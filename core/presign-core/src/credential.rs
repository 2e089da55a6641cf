//! Credentials apart from signing: a [`Credential`] snapshot (a value and when it expires), the
//! [`CredentialSource`] trait that produces snapshots (environment, files, metadata servers, STS,
//! a vendor's chain, a test double), and [`BearerToken`], the OAuth/Entra ID token that remote
//! signers and key services are called with.
//!
//! A signer is a pure function of (snapshot, request, time). It takes ONE snapshot per signature
//! and hands that snapshot's expiry to the policy layer (see
//! [`Presigner::presign_with`](crate::Presigner::presign_with)), so no URL outlives the
//! credentials that signed it. Sources are cached and refreshed by the one shared
//! [`CredentialCache`](crate::CredentialCache).
//!
//! ```
//! use presign_core::{BearerToken, Credential, CredentialSource, StaticCredential, Timestamp};
//!
//! let expires = Timestamp::parse_rfc3339("2030-01-01T00:00:00Z")?;
//! let source = StaticCredential::new(Credential::expiring(BearerToken::new("ya29.secret"), expires));
//! let snapshot = futures_executor::block_on(source.fetch(Timestamp::MIN))?;
//! assert_eq!(snapshot.expires_at(), Some(expires));
//! assert_eq!(snapshot.value().expose_secret(), "ya29.secret");
//! assert!(!format!("{snapshot:?}").contains("ya29"));
//! assert_eq!(source.describe(), "static");
//! # Ok::<(), presign_core::Error>(())
//! ```

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;

use crate::error::Error;
use crate::secret::SecretString;
use crate::timestamp::Timestamp;

/// One credential snapshot: a value and, for temporary credentials, when it expires.
///
/// Cloning is cheap (the value is reference-counted). `Debug` shows the value's own `Debug`,
/// which for every credential type of presign redacts the secret.
pub struct Credential<T> {
    value: Arc<T>,
    expires_at: Option<Timestamp>,
}

impl<T> Credential<T> {
    /// A credential that does not expire (a long-term key).
    pub fn new(value: T) -> Self {
        Credential {
            value: Arc::new(value),
            expires_at: None,
        }
    }

    /// A temporary credential, valid until `expires_at`.
    pub fn expiring(value: T, expires_at: Timestamp) -> Self {
        Credential {
            value: Arc::new(value),
            expires_at: Some(expires_at),
        }
    }

    /// A snapshot of an already shared value.
    pub fn from_arc(value: Arc<T>, expires_at: Option<Timestamp>) -> Self {
        Credential { value, expires_at }
    }

    /// The credential itself.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The shared value.
    pub fn value_arc(&self) -> &Arc<T> {
        &self.value
    }

    /// When it expires; `None` for long-term credentials.
    pub fn expires_at(&self) -> Option<Timestamp> {
        self.expires_at
    }

    /// Whether it has expired at `now` (a credential is unusable from its expiry on).
    pub fn is_expired_at(&self, now: Timestamp) -> bool {
        self.expires_at.is_some_and(|e| e <= now)
    }
}

impl<T> Clone for Credential<T> {
    fn clone(&self) -> Self {
        Credential {
            value: Arc::clone(&self.value),
            expires_at: self.expires_at,
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for Credential<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("value", &self.value)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Produces credential snapshots: reads the environment or a file, asks a metadata server or
/// STS, runs a vendor's chain. Object-safe: `Arc<dyn CredentialSource<T>>`.
///
/// Implementations do no caching of their own: wrap them in a
/// [`CredentialCache`](crate::CredentialCache), which refreshes ahead of expiry and lets
/// concurrent callers share one fetch. Errors never contain the secret.
///
/// ```
/// use presign_core::{BearerToken, Credential, CredentialSource, Error, Timestamp};
/// use std::time::Duration;
///
/// /// Mints a token that lasts an hour (a stand-in for a metadata server).
/// #[derive(Debug)]
/// struct Minter;
///
/// #[async_trait::async_trait]
/// impl CredentialSource<BearerToken> for Minter {
///     async fn fetch(&self, now: Timestamp) -> Result<Credential<BearerToken>, Error> {
///         let expires = now.checked_add(Duration::from_secs(3600)).unwrap_or(Timestamp::MAX);
///         Ok(Credential::expiring(BearerToken::new("token"), expires))
///     }
///     fn describe(&self) -> String {
///         "minted for one hour".into()
///     }
/// }
/// ```
#[async_trait]
pub trait CredentialSource<T>: Send + Sync + fmt::Debug {
    /// A fresh snapshot. `now` is the caller's clock (the cache's), for sources that ask for a
    /// validity window.
    async fn fetch(&self, now: Timestamp) -> Result<Credential<T>, Error>;

    /// Where the credential comes from, without any secret (`static`, `env AWS_ACCESS_KEY_ID`,
    /// `file /run/secrets/token`, ...): what `presign providers` shows.
    fn describe(&self) -> String;
}

#[async_trait]
impl<T, S: CredentialSource<T> + ?Sized> CredentialSource<T> for Arc<S> {
    async fn fetch(&self, now: Timestamp) -> Result<Credential<T>, Error> {
        (**self).fetch(now).await
    }

    fn describe(&self) -> String {
        (**self).describe()
    }
}

/// A source that always hands out the same snapshot (a key from the configuration, a test).
pub struct StaticCredential<T>(Credential<T>);

impl<T> StaticCredential<T> {
    /// Always `credential`.
    pub fn new(credential: Credential<T>) -> Self {
        StaticCredential(credential)
    }
}

impl<T: fmt::Debug> fmt::Debug for StaticCredential<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("StaticCredential").field(&self.0).finish()
    }
}

#[async_trait]
impl<T: fmt::Debug + Send + Sync> CredentialSource<T> for StaticCredential<T> {
    async fn fetch(&self, _now: Timestamp) -> Result<Credential<T>, Error> {
        Ok(self.0.clone())
    }

    fn describe(&self) -> String {
        "static".to_owned()
    }
}

/// A bearer token (an OAuth 2.0 access token for Google, a Microsoft Entra ID token for Azure):
/// secret, never printed, zeroized on drop.
///
/// Remote signers (GCS IAM `signBlob`) and key services (Azure Get User Delegation Key) obtain
/// theirs from a `CredentialSource<BearerToken>`, so the token's expiry travels with it.
#[derive(Clone)]
pub struct BearerToken(SecretString);

impl BearerToken {
    /// Wraps a token.
    pub fn new(token: impl Into<SecretString>) -> Self {
        BearerToken(token.into())
    }

    /// The token itself: only for the `Authorization` header.
    pub fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }

    /// Refuses a token that cannot go into an `Authorization: Bearer` header (empty, spaces,
    /// control characters), naming `provider` but never the token.
    pub fn validate(&self, provider: &str) -> Result<(), Error> {
        let t = self.0.expose_secret();
        if t.is_empty() || t.chars().any(|c| c.is_control() || c == ' ') {
            return Err(Error::Credentials {
                provider: provider.to_owned(),
                reason: "the access token is empty or has spaces or control characters".into(),
            });
        }
        Ok(())
    }
}

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BearerToken([REDACTED])")
    }
}

impl fmt::Display for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl From<SecretString> for BearerToken {
    fn from(s: SecretString) -> Self {
        BearerToken(s)
    }
}

/// Where bearer tokens come from: any [`CredentialSource`] of [`BearerToken`]s (implement that
/// trait; this one follows), so `Arc<dyn TokenSource>` names one.
pub trait TokenSource: CredentialSource<BearerToken> {}

impl<S: CredentialSource<BearerToken> + ?Sized> TokenSource for S {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_never_print_and_are_checked() {
        let t = BearerToken::new("s3cr3t");
        assert!(!format!("{t:?} {t}").contains("s3cr3t"));
        assert!(t.validate("p").is_ok());
        for bad in ["", "a b", "a\nb"] {
            let e = BearerToken::new(bad).validate("p").unwrap_err();
            assert_eq!(e.kind(), "credentials");
            assert!(!e.to_string().contains("a\nb"));
        }
    }

    #[test]
    fn snapshots_share_their_value() {
        let a = Credential::expiring(1u8, Timestamp::from_unix(10).unwrap());
        let b = a.clone();
        assert!(Arc::ptr_eq(a.value_arc(), b.value_arc()));
        assert!(!a.is_expired_at(Timestamp::from_unix(9).unwrap()));
        assert!(a.is_expired_at(Timestamp::from_unix(10).unwrap()));
        assert!(!Credential::new(1u8).is_expired_at(Timestamp::MAX));
    }
}
