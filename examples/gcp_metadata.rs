//! Keyless GCS signing on GCE, GKE or Cloud Run: the metadata server says which service
//! account runs the code and hands out its tokens (google-cloud-auth), IAM `signBlob` signs
//! with the account's Google-managed key, and the URL goes through presign's policy.
//!
//! ```text
//! cargo run -p presign-examples --bin gcp_metadata -- exports/day.csv
//! ```
//!
//! Everything here is on 127.0.0.1: a metadata server at `http://127.0.0.1:8080` (a local
//! emulator of `metadata.google.internal`), a `signBlob` stand-in at `http://127.0.0.1:8081`
//! and fake-gcs-server's endpoint (`http://127.0.0.1:4443`); without them the example prints
//! the error. In production drop the endpoints (`metadata_sign_blob("exports", None)`, no
//! `with_endpoint`) or write `signer = "sign-blob"` with `credentials = "metadata-server"` in
//! `presign.toml`.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use presign_core::{Method, ObjectKey, PresignRequest, Presigner};
use presign_credentials_gcp::metadata_sign_blob;
use presign_gcs::{GcsPresigner, SignerKind};
use presign_policy::{Policy, PolicyLayer};

const METADATA: &str = "http://127.0.0.1:8080";
const IAM: &str = "http://127.0.0.1:8081";
const GCS: &str = "http://127.0.0.1:4443";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let key = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "exports/day.csv".to_owned());
    match run(&key).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gcp_metadata: {e}");
            ExitCode::from(5)
        }
    }
}

async fn run(key: &str) -> Result<(), Box<dyn std::error::Error>> {
    // The account's e-mail and tokens from the metadata server; signBlob as that account.
    let signer = metadata_sign_blob("exports", Some(METADATA))
        .await?
        .with_endpoint(IAM)?;
    let gcs = GcsPresigner::builder()
        .name("exports")
        .bucket("presign-test")
        .endpoint(GCS)
        .signer(SignerKind::SignBlob)
        .blob_signer(Arc::new(signer))
        .build()?;
    let presigner = PolicyLayer::new(Policy::default().with_key_prefixes(["exports/"]))?.layer(gcs);
    let req =
        PresignRequest::new(Method::Get, ObjectKey::new(key)?).with_ttl(Duration::from_secs(300));
    // The async path: signBlob is a network call (the sync path answers `would_block`).
    let signed = presigner.presign(&req).await?;
    println!("expires at {}", signed.expires_at());
    println!("{}", signed.expose_url());
    Ok(())
}
