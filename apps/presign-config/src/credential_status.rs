//! [`CredentialStatus`]: where a provider's signing credentials come from and when the current
//! ones expire, for `presign providers` (never a secret).

use std::fmt;

use async_trait::async_trait;
use presign_azure::AzurePresigner;
use presign_core::{Error, Timestamp};
use presign_policy::Policied;
use presign_s3::S3Presigner;

/// The credential side of a built provider.
#[async_trait]
pub trait CredentialStatus: Send + Sync + fmt::Debug {
    /// Where the credentials come from (`static`, `aws-config default chain, cached, ...`).
    fn source(&self) -> String;

    /// When the credentials that would sign now expire (`None` for long-term keys); fetches
    /// them if none are cached, as the next signature would.
    async fn expires_at(&self) -> Result<Option<Timestamp>, Error>;
}

#[async_trait]
impl CredentialStatus for Policied<S3Presigner> {
    fn source(&self) -> String {
        self.inner().credential_source_description()
    }

    async fn expires_at(&self) -> Result<Option<Timestamp>, Error> {
        self.inner().credentials_expire_at().await
    }
}

#[async_trait]
impl CredentialStatus for Policied<AzurePresigner> {
    fn source(&self) -> String {
        self.inner().credential_source_description()
    }

    async fn expires_at(&self) -> Result<Option<Timestamp>, Error> {
        self.inner().credentials_expire_at().await
    }
}
