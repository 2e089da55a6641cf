//! A Google Cloud CDN signed URL for one download, and a signed cookie for a folder of
//! segments, both behind the default policy (5 minutes, GET only).
//!
//! ```text
//! cargo run -p presign-examples --bin cloud_cdn_url -- "videos/intro clip.mp4"
//! ```
//!
//! The key is the test key of Google's own samples (`nZtRohdNF9m3cKM24IcK4w==`, key name
//! `my-key`); create yours with `gcloud compute backend-services add-signed-url-key`.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use presign_cloud_cdn::{CloudCdnKey, CloudCdnPresigner};
use presign_core::{
    CookieAttributes, CookiePresigner, CookieRequest, PresignRequest, Presigner, ResourcePattern,
};
use presign_policy::{Policy, PolicyLayer};

fn main() -> ExitCode {
    let key = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "videos/intro clip.mp4".to_owned());
    match sign(&key) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cloud_cdn_url: error[{}]: {e}", e.kind());
            ExitCode::from(4)
        }
    }
}

fn sign(key: &str) -> Result<(), presign_core::Error> {
    let cdn = CloudCdnPresigner::builder()
        .domain("media.example.com")
        .key(CloudCdnKey::from_base64(
            "my-key",
            "nZtRohdNF9m3cKM24IcK4w==",
        )?)
        .build()?;
    let presigner = PolicyLayer::new(Policy::default().with_key_prefixes(["videos/"]))?.layer(cdn);
    let url = futures_executor::block_on(presigner.presign(&PresignRequest::parse("GET", key)?))?;
    println!("{}", url.expose_url());
    let folder = CookieRequest::new(ResourcePattern::new("videos/segments/*")?);
    let cookies = futures_executor::block_on(presigner.presign_cookies(&folder))?;
    for h in cookies.set_cookie_headers(&CookieAttributes::default()) {
        println!("Set-Cookie: {h}");
    }
    Ok(())
}
