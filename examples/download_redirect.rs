//! A download redirect: an S3 presigner behind the safe default policy, and the `302` a web
//! handler would answer with.
//!
//! ```text
//! cargo run -p presign-examples --bin download_redirect -- "reports/q4 summary.pdf"
//! ```
//!
//! It signs for the local SeaweedFS of the `dev` profile with AWS's published example key
//! pair; put your bucket, region and credentials source in its place.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;
use std::time::Duration;

use presign_core::{Constraints, Method, ObjectKey, PresignRequest, SyncPresigner};
use presign_policy::{Policy, PolicyLayer};
use presign_s3::{Addressing, Credentials, S3Presigner};

fn main() -> ExitCode {
    let key = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "reports/q4 summary.pdf".to_owned());
    match redirect(&key) {
        Ok(response) => {
            print!("{response}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("download_redirect: error[{}]: {e}", e.kind());
            ExitCode::from(4)
        }
    }
}

/// The HTTP response that sends a browser to a short-lived download URL.
fn redirect(key: &str) -> Result<String, presign_core::Error> {
    let s3 = S3Presigner::builder()
        .name("downloads")
        .bucket("presign-test")
        .region("us-east-1")
        .endpoint("http://127.0.0.1:8333")
        .addressing(Addressing::Path)
        .credentials(Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ))
        .build()?;
    // Downloads only, under reports/, one minute at most.
    let policy = Policy::default()
        .with_default_ttl(Duration::from_secs(60))
        .with_max_ttl(Duration::from_secs(60))
        .with_key_prefixes(["reports/"])
        .forbid(Method::Put);
    let presigner = PolicyLayer::new(policy)?.layer(s3);

    // Have the browser save the file under its own name.
    let file_name = key.rsplit('/').next().unwrap_or(key).replace('"', "");
    let mut constraints = Constraints::default();
    constraints.response.content_disposition =
        Some(format!("attachment; filename=\"{file_name}\""));
    let request =
        PresignRequest::new(Method::Get, ObjectKey::new(key)?).with_constraints(constraints);

    let signed = presigner.presign_sync(&request)?;
    // Log the redacted form only: the URL itself is a bearer token.
    eprintln!("signed {signed}");
    Ok(format!(
        "HTTP/1.1 302 Found\r\nLocation: {}\r\nCache-Control: no-store\r\nReferrer-Policy: no-referrer\r\n\r\n",
        signed.expose_url()
    ))
}
