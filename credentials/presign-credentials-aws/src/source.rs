//! [`AwsCredentialSource`]: an `aws-config` credentials provider as a presign
//! [`CredentialSource`].

use std::fmt;

use async_trait::async_trait;
use aws_config::default_provider::credentials::DefaultCredentialsChain;
use aws_config::ecs::EcsCredentialsProvider;
use aws_config::environment::EnvironmentVariableCredentialsProvider;
use aws_config::imds::credentials::ImdsCredentialsProvider;
use aws_config::profile::ProfileFileCredentialsProvider;
use aws_config::provider_config::ProviderConfig;
use aws_config::web_identity_token::WebIdentityTokenCredentialsProvider;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use presign_core::{Credential, CredentialSource, Error, Timestamp};
use presign_s3::Credentials;

use crate::convert;

/// Credentials for [`presign_s3`] from an `aws-config` provider (see the [crate docs](crate)).
///
/// It does no caching of its own: give it to
/// [`S3PresignerBuilder::credential_source`](presign_s3::S3PresignerBuilder::credential_source),
/// which puts it behind core's [`CredentialCache`](presign_core::CredentialCache).
#[derive(Clone)]
pub struct AwsCredentialSource {
    provider: SharedCredentialsProvider,
    description: String,
    name: String,
}

impl AwsCredentialSource {
    /// The AWS SDKs' default chain, in their order: environment variables, the shared
    /// config/credentials profile (`AWS_PROFILE`, `credential_process`, `role_arn` with
    /// `source_profile` or `credential_source`), web identity, ECS/EKS container credentials,
    /// IMDSv2. The region (for STS) comes from the usual places.
    pub async fn default_chain() -> Self {
        let chain = DefaultCredentialsChain::builder().build().await;
        Self::from_provider(chain, "aws-config default chain")
    }

    /// The profile `name` of the shared config and credentials files (`AWS_CONFIG_FILE`,
    /// `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/`), with `credential_process` and
    /// `role_arn` + `source_profile` resolved through STS.
    pub async fn profile(name: &str) -> Self {
        let conf = ProviderConfig::with_default_region().await;
        let p = ProfileFileCredentialsProvider::builder()
            .configure(&conf)
            .profile_name(name)
            .build();
        Self::from_provider(p, format!("aws profile {name}"))
    }

    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and, for temporary keys,
    /// `AWS_SESSION_TOKEN`. aws-config's environment provider does not read
    /// `AWS_CREDENTIAL_EXPIRATION`: these credentials come without an expiry, so URLs are
    /// bounded by the policy alone.
    pub fn environment() -> Self {
        Self::from_provider(
            EnvironmentVariableCredentialsProvider::new(),
            "aws environment variables",
        )
    }

    /// Web identity federation (EKS IRSA, GitHub OIDC, ...): the token in
    /// `AWS_WEB_IDENTITY_TOKEN_FILE` exchanged for `AWS_ROLE_ARN` by STS
    /// `AssumeRoleWithWebIdentity` (`AWS_ENDPOINT_URL_STS` overrides the endpoint).
    pub async fn web_identity() -> Self {
        let conf = ProviderConfig::with_default_region().await;
        let p = WebIdentityTokenCredentialsProvider::builder()
            .configure(&conf)
            .build();
        Self::from_provider(p, "aws web identity (STS AssumeRoleWithWebIdentity)")
    }

    /// ECS/EKS container credentials: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (ECS) or
    /// `AWS_CONTAINER_CREDENTIALS_FULL_URI` (EKS Pod Identity, loopback or HTTPS only), with
    /// `AWS_CONTAINER_AUTHORIZATION_TOKEN` or `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`.
    pub fn container() -> Self {
        Self::from_provider(
            EcsCredentialsProvider::builder().build(),
            "aws container credentials",
        )
    }

    /// The EC2 instance metadata service, IMDSv2 (a session token first);
    /// `AWS_EC2_METADATA_SERVICE_ENDPOINT` overrides the endpoint.
    pub fn imds() -> Self {
        Self::from_provider(
            ImdsCredentialsProvider::builder().build(),
            "aws instance metadata (IMDSv2)",
        )
    }

    /// The instance metadata service at `endpoint` (`http://127.0.0.1:PORT` in tests).
    pub fn imds_at(endpoint: &str) -> Result<Self, Error> {
        let client = aws_config::imds::Client::builder()
            .endpoint(endpoint)
            .map_err(|e| Error::Config {
                path: "credentials.endpoint".into(),
                reason: format!("not an IMDS endpoint: {e}"),
            })?
            .build();
        Ok(Self::from_provider(
            ImdsCredentialsProvider::builder()
                .imds_client(client)
                .build(),
            format!("aws instance metadata (IMDSv2) at {endpoint}"),
        ))
    }

    /// Any `aws-config` provider (an `SdkConfig`'s, one built by hand), described as
    /// `description` (no secret: `presign providers` shows it).
    pub fn from_provider(
        provider: impl ProvideCredentials + 'static,
        description: impl Into<String>,
    ) -> Self {
        AwsCredentialSource {
            provider: SharedCredentialsProvider::new(provider),
            description: description.into(),
            name: "s3".to_owned(),
        }
    }

    /// The provider named in errors (the configured name, e.g. `prod`).
    #[must_use]
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }
}

impl fmt::Debug for AwsCredentialSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsCredentialSource")
            .field("source", &self.description)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl CredentialSource<Credentials> for AwsCredentialSource {
    async fn fetch(&self, _now: Timestamp) -> Result<Credential<Credentials>, Error> {
        let c = self
            .provider
            .provide_credentials()
            .await
            .map_err(|e| convert::error(&e, &self.name, &self.description))?;
        convert::snapshot(&c, &self.name)
    }

    fn describe(&self) -> String {
        self.description.clone()
    }
}
