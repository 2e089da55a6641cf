//! An S3 presigner from an `aws-config` `SdkConfig`, behind presign's policy: the URL never
//! outlives the temporary credentials. Sends nothing: the credentials here are a published
//! example pair with a 2-minute expiry; in an application they come from
//! `aws_config::load_defaults(..)` or `AwsCredentialSource::default_chain()` (IMDS, ECS/EKS,
//! IRSA, profiles, ...).
//!
//! `cargo run -p presign-examples --bin aws_sdk_config`

#![allow(clippy::print_stdout)]

use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use presign_core::{Method, ObjectKey, PresignRequest, Presigner};
use presign_credentials_aws::aws_config::{Region, SdkConfig};
use presign_credentials_aws::s3_presigner_builder;
use presign_policy::{Policy, PolicyLayer};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let session = Credentials::new(
        "ASIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        Some("IQoJb3JpZ2luX2VjEXAMPLE".into()),
        Some(SystemTime::now() + Duration::from_secs(120)),
        "example",
    );
    let sdk = SdkConfig::builder()
        .region(Region::new("eu-west-1"))
        .credentials_provider(SharedCredentialsProvider::new(session))
        .build();
    let s3 = s3_presigner_builder(&sdk)?.bucket("my-bucket").build()?;
    let presigner = PolicyLayer::new(
        Policy::default()
            .with_max_ttl(Duration::from_secs(900))
            .with_key_prefixes(["reports/"]),
    )?
    .layer(s3);

    let req = PresignRequest::new(Method::Get, ObjectKey::new("reports/q4.pdf")?)
        .with_ttl(Duration::from_secs(900));
    let signed = presigner.presign(&req).await?;
    // Asked for 15 minutes; the session ends in 2, and so does the URL.
    println!(
        "expires at {} (credentials: {})",
        signed.expires_at(),
        presigner.inner().credential_source_description()
    );
    println!("{}", signed.redacted_url());
    Ok(())
}
