//! [`s3_presigner_builder`]: an S3 presigner from what an `aws-config` [`SdkConfig`] holds.

use std::sync::Arc;

use aws_config::SdkConfig;
use presign_core::Error;
use presign_s3::{S3Presigner, S3PresignerBuilder};

use crate::source::AwsCredentialSource;

/// An [`S3PresignerBuilder`] with the region, endpoint (`endpoint_url`) and credentials
/// provider of `config` (what `aws_config::load_defaults` returns); set the bucket (and
/// addressing, a name) and build. The credentials go through core's cache, so their expiry
/// bounds every URL.
///
/// Refuses a config without a credentials provider (`no_credentials()`); a config without a
/// region keeps the builder's default (`us-east-1`).
///
/// ```no_run
/// # async fn run() -> Result<(), presign_core::Error> {
/// use presign_credentials_aws::{aws_config, s3_presigner_builder};
///
/// let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
/// let s3 = s3_presigner_builder(&sdk)?.bucket("my-bucket").build()?;
/// # let _ = s3; Ok(()) }
/// ```
pub fn s3_presigner_builder(config: &SdkConfig) -> Result<S3PresignerBuilder, Error> {
    let provider = config
        .credentials_provider()
        .ok_or_else(|| Error::Credentials {
            provider: "s3".into(),
            reason: "the aws-config SdkConfig has no credentials provider".into(),
        })?;
    let mut b = S3Presigner::builder().credential_source(Arc::new(
        AwsCredentialSource::from_provider(provider, "aws-config SdkConfig credentials provider"),
    ));
    if let Some(region) = config.region() {
        b = b.region(region.as_ref());
    }
    if let Some(endpoint) = config.endpoint_url() {
        b = b.endpoint(endpoint);
    }
    Ok(b)
}
