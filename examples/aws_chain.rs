//! An S3 presigner whose credentials come from an `aws-config` credential chain, cached by
//! presign and bounded by their expiry: no URL outlives the session that signed it.
//!
//! ```text
//! cargo run -p presign-examples --bin aws_chain -- reports/q4.pdf
//! ```
//!
//! The chain here is environment variables (`AWS_ACCESS_KEY_ID`, ...), then IMDSv2 at
//! `http://127.0.0.1:1338` (a local metadata mock such as amazon-ec2-metadata-mock; without one
//! the example prints the credentials error). It talks to nothing but 127.0.0.1. In production
//! use `AwsCredentialSource::default_chain().await` (environment, profiles, web identity,
//! ECS/EKS, IMDS at 169.254.169.254) or `credentials = "chain"` in `presign.toml`.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use presign_core::{Method, ObjectKey, PresignRequest, Presigner};
use presign_credentials_aws::AwsCredentialSource;
use presign_credentials_aws::aws_config::environment::EnvironmentVariableCredentialsProvider;
use presign_credentials_aws::aws_config::imds;
use presign_credentials_aws::aws_config::imds::credentials::ImdsCredentialsProvider;
use presign_credentials_aws::aws_config::meta::credentials::CredentialsProviderChain;
use presign_policy::{Policy, PolicyLayer};
use presign_s3::{Addressing, S3Presigner};

const IMDS: &str = "http://127.0.0.1:1338";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let key = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "reports/q4.pdf".to_owned());
    match run(&key).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("aws_chain: {e}");
            ExitCode::from(5)
        }
    }
}

async fn run(key: &str) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let imds_client = imds::Client::builder().endpoint(IMDS)?.build();
    let chain = CredentialsProviderChain::first_try(
        "environment",
        EnvironmentVariableCredentialsProvider::new(),
    )
    .or_else(
        "imds",
        ImdsCredentialsProvider::builder()
            .imds_client(imds_client)
            .build(),
    );
    let source = AwsCredentialSource::from_provider(
        chain,
        format!("aws-config chain: environment, then IMDSv2 at {IMDS}"),
    )
    .with_name("reports");
    let s3 = S3Presigner::builder()
        .name("reports")
        .bucket("presign-test")
        .region("us-east-1")
        .endpoint("http://127.0.0.1:8333")
        .addressing(Addressing::Path)
        .credential_source(Arc::new(source))
        .build()?;
    let presigner = PolicyLayer::new(Policy::default().with_key_prefixes(["reports/"]))?.layer(s3);
    println!(
        "credentials: {}",
        presigner.inner().credential_source_description()
    );
    // Asked for 15 minutes: granted up to 15 minutes, and never past the session's end.
    let req =
        PresignRequest::new(Method::Get, ObjectKey::new(key)?).with_ttl(Duration::from_secs(900));
    let signed = presigner.presign(&req).await?;
    match presigner.inner().credentials_expire_at().await? {
        Some(t) => println!("the credentials expire at {t}"),
        None => println!("long-term credentials (no expiry)"),
    }
    println!("expires at {}", signed.expires_at());
    println!("{}", signed.expose_url());
    Ok(())
}
