//! A bounded upload to Google Cloud Storage: a presigned PUT that GCS itself refuses when the
//! body's Content-Type differs or its size falls outside a range (`x-goog-content-length-range`).
//!
//! ```text
//! cargo run -p presign-examples --bin gcs_sized_upload -- uploads/alice/avatar.png
//! ```
//!
//! It signs with a made-up GCS HMAC key for the local fake-gcs-server (`bash .ci/test` starts
//! one on 127.0.0.1:4443); use `service_account_file` or an HMAC key of your own in its place.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;
use std::time::Duration;

use presign_core::{
    Constraints, ContentLength, Method, ObjectKey, PresignRequest, SecretString, SyncPresigner,
};
use presign_gcs::GcsPresigner;
use presign_policy::{Policy, PolicyLayer};

fn main() -> ExitCode {
    let key = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "uploads/alice/avatar.png".to_owned());
    match upload_url(&key) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gcs_sized_upload: error[{}]: {e}", e.kind());
            ExitCode::from(4)
        }
    }
}

fn upload_url(key: &str) -> Result<String, presign_core::Error> {
    let gcs = GcsPresigner::builder()
        .name("avatars")
        .bucket("presign-test")
        .hmac_key(
            "GOOG1EXAMPLEACCESSID",
            SecretString::new("example-hmac-secret"),
        )
        .emulator_host("127.0.0.1:4443")
        .build()?;
    // Uploads only, under uploads/, two minutes at most.
    let policy = Policy::default()
        .with_max_ttl(Duration::from_secs(120))
        .with_key_prefixes(["uploads/"])
        .forbid(Method::Get)
        .forbid(Method::Head);
    let presigner = PolicyLayer::new(policy)?.layer(gcs);

    let mut constraints = Constraints::default();
    constraints.content_type = Some("image/png".into());
    constraints.content_length = Some(ContentLength::Range {
        min: 1,
        max: 2 * 1024 * 1024,
    });
    constraints.create_only = true;
    let request =
        PresignRequest::new(Method::Put, ObjectKey::new(key)?).with_constraints(constraints);
    let signed = presigner.presign_sync(&request)?;

    // The client must send these headers exactly, or GCS answers 403.
    let mut curl = format!(
        "curl -X PUT --data-binary @avatar.png '{}'",
        signed.expose_url()
    );
    for (name, value) in signed.headers() {
        curl.push_str(&format!(" -H '{name}: {value}'"));
    }
    eprintln!("signed {signed}");
    Ok(format!("{curl}\n"))
}
