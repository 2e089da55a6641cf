//! An Azure Blob download that only works over HTTPS from one office network: a service SAS
//! with `sip` and `spr=https`, which Azure Storage enforces (S3 and GCS URLs cannot, so the
//! strict policy would refuse the same request there).
//!
//! ```text
//! cargo run -p presign-examples --bin azure_ip_bound -- "reports/q4 summary.pdf" 203.0.113.0/24
//! ```
//!
//! It signs for Azurite's published development account; use your account and a key read from
//! the environment in its place.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use presign_azure::AzurePresigner;
use presign_core::{
    ClientIp, Constraints, Method, ObjectKey, PresignRequest, SecretString, SyncPresigner,
};
use presign_policy::{Policy, PolicyLayer};

/// Azurite's published development key (not a secret).
const AZURITE_KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let key = args
        .next()
        .unwrap_or_else(|| "reports/q4 summary.pdf".to_owned());
    let network = args.next().unwrap_or_else(|| "203.0.113.0/24".to_owned());
    match sign(&key, &network) {
        Ok(url) => {
            println!("{url}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("azure_ip_bound: error[{}]: {e}", e.kind());
            ExitCode::from(4)
        }
    }
}

fn sign(key: &str, network: &str) -> Result<String, presign_core::Error> {
    let azure = AzurePresigner::builder()
        .account("devstoreaccount1")
        .container("presign-test")
        .account_key(SecretString::new(AZURITE_KEY))
        .build()?;
    let presigner =
        PolicyLayer::new(Policy::default().with_key_prefixes(["reports/"]))?.layer(azure);

    let mut constraints = Constraints::default();
    constraints.client_ip = Some(ClientIp::parse(network)?);
    constraints.https_only = true;
    let request =
        PresignRequest::new(Method::Get, ObjectKey::new(key)?).with_constraints(constraints);
    let signed = presigner.presign_sync(&request)?;
    eprintln!("signed {signed}");
    Ok(signed.into_exposed_url())
}
