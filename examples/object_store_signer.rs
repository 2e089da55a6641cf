//! object_store users get presign's policy: an `object_store::signer::Signer` that signs
//! through a policy-wrapped S3 presigner, whose credentials come from the application's own
//! object_store `AmazonS3`.
//!
//! ```text
//! cargo run -p presign-examples --bin object_store_signer -- uploads/report.csv
//! ```
//!
//! It signs for the local SeaweedFS of the `dev` profile (127.0.0.1:8333, bucket
//! `presign-test`) with AWS's published example key pair and sends nothing: the store's
//! credentials here are static; an `AmazonS3` built `from_env()` on EC2, ECS or EKS hands over
//! its temporary ones the same way. A key outside `uploads/` is refused.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use futures_executor::block_on;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path;
use object_store::signer::{Method, Signer};
use presign_object_store::{ObjectStoreAwsSource, PolicySigner};
use presign_policy::{Policy, PolicyLayer};
use presign_s3::{Addressing, S3Presigner};

const ENDPOINT: &str = "http://127.0.0.1:8333";
const BUCKET: &str = "presign-test";

fn main() -> ExitCode {
    let key = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "uploads/report.csv".to_owned());
    match run(&key) {
        Ok(url) => {
            println!("{url}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("object_store_signer: {e}");
            ExitCode::from(4)
        }
    }
}

fn run(key: &str) -> Result<String, Box<dyn std::error::Error>> {
    // The application's object_store client, as it already exists.
    let store = AmazonS3Builder::new()
        .with_endpoint(ENDPOINT)
        .with_allow_http(true)
        .with_bucket_name(BUCKET)
        .with_region("us-east-1")
        .with_access_key_id("AKIAIOSFODNN7EXAMPLE")
        .with_secret_access_key("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
        .build()?;
    // presign signs with the store's credentials, behind a policy...
    let s3 = S3Presigner::builder()
        .name("uploads")
        .bucket(BUCKET)
        .region("us-east-1")
        .endpoint(ENDPOINT)
        .addressing(Addressing::Path)
        .credential_source(Arc::new(
            ObjectStoreAwsSource::from_store(&store).with_name("uploads"),
        ))
        .build()?;
    let policy = Policy::default()
        .with_max_ttl(Duration::from_secs(600))
        .with_key_prefixes(["uploads/"]);
    // ...and object_store's trait is all the rest of the code sees.
    let signer: Arc<dyn Signer> = Arc::new(PolicySigner::new(PolicyLayer::new(policy)?.layer(s3)));
    // Asked for an hour: the policy grants 10 minutes (X-Amz-Expires=600).
    let url =
        block_on(signer.signed_url(Method::PUT, &Path::parse(key)?, Duration::from_secs(3600)))?;
    Ok(url.to_string())
}
