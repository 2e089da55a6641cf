//! A browser form upload to S3 with a server-enforced size limit: a POST policy for
//! `uploads/alice/` accepting images up to 5 MiB, printed as an HTML form.
//!
//! ```text
//! cargo run -p presign-examples --bin s3_post_form > form.html
//! ```
//!
//! A presigned PUT cannot bound an upload's size on S3 unless the client declares the exact
//! length; a POST policy's `content-length-range` can. (`examples/browser-upload` is the full
//! web application.)

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use presign_core::post_policy::{PostPolicyRequest, SyncPostPresigner};
use presign_policy::{Policy, PolicyLayer};
use presign_s3::{Addressing, Credentials, S3Presigner};

fn main() -> ExitCode {
    match form() {
        Ok(html) => {
            print!("{html}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("s3_post_form: error[{}]: {e}", e.kind());
            ExitCode::from(4)
        }
    }
}

fn form() -> Result<String, presign_core::Error> {
    let s3 = S3Presigner::builder()
        .bucket("presign-test")
        .endpoint("http://127.0.0.1:8333")
        .addressing(Addressing::Path)
        .credentials(Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ))
        .build()?;
    // POST policies must be allowed by name; every policy carries a size limit.
    let policy = Policy::default()
        .with_key_prefixes(["uploads/"])
        .with_max_upload_size(5 * 1024 * 1024)
        .dangerous()
        .allow_post()
        .finish();
    let presigner = PolicyLayer::new(policy)?.layer(s3);

    let request = PostPolicyRequest::starts_with("uploads/alice/").content_type_prefix("image/");
    let post = presigner.presign_post_sync(&request)?;
    eprintln!("signed {post:?}");

    let mut html = format!(
        "<form action=\"{}\" method=\"post\" enctype=\"multipart/form-data\">\n",
        escape(post.url())
    );
    for (name, value) in post.expose_fields() {
        html.push_str(&format!(
            "  <input type=\"hidden\" name=\"{}\" value=\"{}\">\n",
            escape(name),
            escape(value)
        ));
    }
    html.push_str("  <input type=\"text\" name=\"Content-Type\" value=\"image/png\">\n");
    html.push_str("  <input type=\"file\" name=\"file\">\n  <button>Upload</button>\n</form>\n");
    Ok(html)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
