//! An Azure user-delegation SAS signed with the platform's managed identity: azure_identity
//! gets an Entra ID token, the blob service hands out a user-delegation key for it, presign
//! caches the key and signs, and no URL outlives the key.
//!
//! ```text
//! cargo run -p presign-examples --bin azure_managed_identity -- files/a.txt
//! ```
//!
//! It only talks to 127.0.0.1. The blob service is Azurite's endpoint
//! (`http://127.0.0.1:10000/devstoreaccount1`); the token comes from App Service's identity
//! endpoint when `IDENTITY_ENDPOINT` (and `IDENTITY_HEADER`) name a loopback stand-in, e.g.
//! `IDENTITY_ENDPOINT=http://127.0.0.1:8090/msi/token IDENTITY_HEADER=x`. Otherwise
//! azure_identity would ask IMDS at 169.254.169.254, so the example only builds the presigner
//! and shows that nothing is fetched until the first signature. In production: drop the
//! endpoint, or write `credential = "user-delegation"` with `credentials = "managed-identity"` in
//! `presign.toml`.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use presign_azure::{AzurePresigner, Endpoint, HttpDelegationKeySource};
use presign_core::{BaseUrl, Method, ObjectKey, PresignRequest, Presigner, SyncPresigner};
use presign_credentials_azure::AzureTokenSource;
use presign_policy::{Policy, PolicyLayer};

const ACCOUNT: &str = "devstoreaccount1";
const BLOB: &str = "http://127.0.0.1:10000/devstoreaccount1";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let key = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "files/a.txt".to_owned());
    match run(&key).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("azure_managed_identity: {e}");
            ExitCode::from(5)
        }
    }
}

async fn run(key: &str) -> Result<(), Box<dyn std::error::Error>> {
    // System-assigned identity; `Some(client_id)` picks a user-assigned one.
    let tokens = AzureTokenSource::managed_identity(None, Default::default())?.with_name("files");
    let endpoint = Endpoint::parse(ACCOUNT, BLOB)?;
    let keys = HttpDelegationKeySource::new("files", &endpoint, Arc::new(tokens))?;
    let azure = AzurePresigner::builder()
        .name("files")
        .account(ACCOUNT)
        .container("files")
        .endpoint(BLOB)
        .user_delegation(Arc::new(keys))
        .build()?;
    let presigner = PolicyLayer::new(Policy::default().with_key_prefixes(["files/"]))?.layer(azure);
    let req =
        PresignRequest::new(Method::Get, ObjectKey::new(key)?).with_ttl(Duration::from_secs(600));

    // Nothing has been fetched yet: the synchronous path says so instead of blocking.
    if let Err(e) = presigner.presign_sync(&req) {
        println!("before the first signature: error[{}]", e.kind());
    }
    let loopback_identity = std::env::var("IDENTITY_ENDPOINT")
        .ok()
        .and_then(|v| BaseUrl::parse(&v, "IDENTITY_ENDPOINT").ok())
        .is_some_and(|u| u.is_loopback());
    if !loopback_identity {
        println!(
            "IDENTITY_ENDPOINT does not name a loopback stand-in: not fetching (IMDS is not on 127.0.0.1)"
        );
        return Ok(());
    }
    let signed = presigner.presign(&req).await?;
    println!("expires at {}", signed.expires_at());
    println!("{}", signed.expose_url());
    Ok(())
}
