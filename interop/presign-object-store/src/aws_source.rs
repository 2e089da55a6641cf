//! [`ObjectStoreAwsSource`]: object_store's AWS credential provider as a presign credential
//! source for `presign-s3`.

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use object_store::aws::{AmazonS3, AwsCredentialProvider};
use presign_core::{Credential, CredentialSource, Error, Timestamp};
use presign_s3::Credentials;

/// How long temporary credentials from object_store are taken to stay valid, by default: five
/// minutes, the margin by which object_store's token cache refreshes them before they expire.
pub const DEFAULT_VALID_FOR: Duration = Duration::from_secs(300);

/// The credentials of an object_store [`AwsCredentialProvider`] (the one an [`AmazonS3`]
/// holds: static keys, web identity, ECS/EKS container credentials, IMDS) as a
/// [`CredentialSource`] of [`presign_s3::Credentials`].
///
/// **Expiry.** object_store caches and refreshes its credentials itself but does not tell
/// when they expire. Keys without a session token are long-term keys (AWS only issues
/// temporary credentials with a token) and are handed out without an expiry. Credentials with
/// a session token are handed out as valid for [`DEFAULT_VALID_FOR`] (five minutes; object_store
/// refreshes them before fewer than that remain), or what
/// [`with_valid_for`](Self::with_valid_for) says: no URL signed with them outlives that, and
/// presign's cache asks object_store again (a cache hit there while they are fresh) instead of
/// keeping them past it.
#[derive(Clone)]
pub struct ObjectStoreAwsSource {
    provider: AwsCredentialProvider,
    valid_for: Duration,
    name: String,
}

impl ObjectStoreAwsSource {
    /// The credentials of `provider`.
    pub fn new(provider: AwsCredentialProvider) -> Self {
        ObjectStoreAwsSource {
            provider,
            valid_for: DEFAULT_VALID_FOR,
            name: "s3".to_owned(),
        }
    }

    /// The credentials `store` signs its own requests with.
    pub fn from_store(store: &AmazonS3) -> Self {
        Self::new(store.credentials().clone())
    }

    /// How long temporary credentials are taken to stay valid after each fetch (their real
    /// expiry is not known; see the type's docs). Longer than object_store's refresh margin
    /// risks URLs that outlive their session.
    #[must_use]
    pub fn with_valid_for(mut self, valid_for: Duration) -> Self {
        self.valid_for = valid_for;
        self
    }

    /// The provider named in errors (the configured name, e.g. `media`).
    #[must_use]
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }
}

impl fmt::Debug for ObjectStoreAwsSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // object_store's providers print their configuration (no secrets), but presign
        // prints no more than it needs.
        f.debug_struct("ObjectStoreAwsSource")
            .field("valid_for", &self.valid_for)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl CredentialSource<Credentials> for ObjectStoreAwsSource {
    async fn fetch(&self, now: Timestamp) -> Result<Credential<Credentials>, Error> {
        let c = self
            .provider
            .get_credential()
            .await
            .map_err(|e| Error::credentials_from(&self.name, &self.describe(), &e))?;
        let keys = Credentials::new(c.key_id.as_str(), c.secret_key.as_str());
        Ok(match &c.token {
            None => Credential::new(keys),
            Some(token) => {
                let expires = now.checked_add(self.valid_for).ok_or_else(|| {
                    Error::invalid_input("valid_for", "too long: past the end of time")
                })?;
                Credential::expiring(
                    keys.with_session_token(token.as_str()).with_expiry(expires),
                    expires,
                )
            }
        })
    }

    fn describe(&self) -> String {
        "object_store AWS credential provider".to_owned()
    }
}
