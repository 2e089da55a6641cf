//! AWS credential chains for [`presign_s3`], from the official
//! [`aws-config`](https://docs.rs/aws-config) crate, behind presign's one credential cache.
//!
//! [`AwsCredentialSource`] is a [`presign_core::CredentialSource`] of [`presign_s3::Credentials`]
//! over any `aws-config` credentials provider:
//!
//! | constructor | where the credentials come from |
//! |---|---|
//! | [`AwsCredentialSource::default_chain`] | the SDK's default chain: environment, shared config/credentials profiles (`credential_process`, `role_arn` + `source_profile`, SSO is left out), web identity (`AWS_WEB_IDENTITY_TOKEN_FILE`, IRSA), ECS/EKS container credentials, IMDSv2 |
//! | [`AwsCredentialSource::profile`] | one named profile of the shared files |
//! | [`AwsCredentialSource::environment`] | `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` |
//! | [`AwsCredentialSource::web_identity`] | `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` through STS `AssumeRoleWithWebIdentity` |
//! | [`AwsCredentialSource::container`] | `AWS_CONTAINER_CREDENTIALS_FULL_URI` / `_RELATIVE_URI` (+ `AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE]`) |
//! | [`AwsCredentialSource::imds`] | the EC2 instance metadata service, IMDSv2 (session token first) |
//! | [`AwsCredentialSource::from_provider`] | any `ProvideCredentials` (an `SdkConfig`'s, your own) |
//!
//! Every constructor reads the environment the way the AWS SDKs do, including the endpoint
//! overrides (`AWS_ENDPOINT_URL_STS`, `AWS_EC2_METADATA_SERVICE_ENDPOINT`, the container URIs),
//! which is also how the tests point them at servers on 127.0.0.1.
//!
//! The S3 presigner wraps the source in core's [`presign_core::CredentialCache`]: credentials
//! are fetched once, refreshed ahead of their expiry by one caller while the others keep
//! signing, the synchronous path does no I/O while they are fresh, and each snapshot's expiry
//! goes to the policy layer so that no URL outlives the credentials that signed it (clamped, or
//! refused under `on_excess_ttl = "reject"`).
//!
//! [`AwsSource`] names a source the way the configuration does (`credentials = "chain"`,
//! `"profile"` with `profile = "NAME"`, `"web-identity"`, `"container"`, `"imds"`,
//! `"environment"`) and builds it on the first fetch.
//!
//! [`s3_presigner_builder`] turns an `aws-config` [`SdkConfig`](aws_config::SdkConfig)
//! (region, endpoint, credentials provider) into an [`presign_s3::S3PresignerBuilder`].
//!
//! ```no_run
//! # async fn run() -> Result<(), presign_core::Error> {
//! use presign_credentials_aws::AwsCredentialSource;
//! use presign_s3::S3Presigner;
//! use std::sync::Arc;
//!
//! let s3 = S3Presigner::builder()
//!     .bucket("my-bucket")
//!     .region("eu-west-1")
//!     .credential_source(Arc::new(AwsCredentialSource::default_chain().await))
//!     .build()?;
//! # let _ = s3; Ok(()) }
//! ```
//!
//! `aws-config` needs a Tokio runtime for its HTTP client: call the async presign path (or
//! the first fetch) inside one.

mod convert;
mod named;
mod sdk_config;
mod source;

pub use named::{AwsSource, NamedAwsSource};
pub use sdk_config::s3_presigner_builder;
pub use source::AwsCredentialSource;

/// The `aws-config` crate this one is built on, for building providers by hand.
pub use aws_config;
