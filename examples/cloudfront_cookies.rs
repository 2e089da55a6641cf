//! CloudFront signed cookies for an HLS stream: one grant covers the playlist and every
//! segment under `live/stream-1/`, bound to the viewer's network, behind a policy that only
//! admits that folder.
//!
//! ```text
//! cargo run -p presign-examples --bin cloudfront_cookies -- 203.0.113.0/24
//! ```
//!
//! It signs with a throwaway RSA-2048 key generated for presign's tests (key id
//! `K2JCJMDEHXQW5F`); put your key group's public key id and private key file in their place.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use presign_cloudfront::{CloudFrontPresigner, HashAlgorithm, KeyGroup, KeyPairId, SigningKey};
use presign_core::{
    ClientIp, Constraints, CookieAttributes, CookiePresigner, CookieRequest, ResourcePattern,
    SameSite,
};
use presign_policy::{Policy, PolicyLayer};

const TEST_KEY: &str =
    include_str!("../providers/presign-cloudfront/tests/keys/rsa-2048-pkcs8.pem");

fn main() -> ExitCode {
    let network = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "203.0.113.0/24".to_owned());
    match cookies(&network) {
        Ok(headers) => {
            for h in headers {
                println!("Set-Cookie: {h}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cloudfront_cookies: error[{}]: {e}", e.kind());
            ExitCode::from(4)
        }
    }
}

fn cookies(network: &str) -> Result<Vec<String>, presign_core::Error> {
    let key = Arc::new(SigningKey::from_pem(TEST_KEY)?);
    let cloudfront = CloudFrontPresigner::builder()
        .domain("d111111abcdef8.cloudfront.net")
        .keys(KeyGroup::single(KeyPairId::new("K2JCJMDEHXQW5F")?, key))
        .hash(HashAlgorithm::Sha256)
        .build()?;
    // Streams only, under live/, two hours at most.
    let policy = Policy::default()
        .with_default_ttl(Duration::from_secs(3600))
        .with_max_ttl(Duration::from_secs(7200))
        .with_key_prefixes(["live/"]);
    let presigner = PolicyLayer::new(policy)?.layer(cloudfront);

    let mut constraints = Constraints::default();
    constraints.client_ip = Some(ClientIp::parse(network)?);
    let request =
        CookieRequest::new(ResourcePattern::new("live/stream-1/*")?).with_constraints(constraints);
    let signed = futures_executor::block_on(presigner.presign_cookies(&request))?;
    eprintln!("signed {signed:?}");
    // A player on another site needs SameSite=None.
    let attrs = CookieAttributes {
        same_site: SameSite::None,
        ..CookieAttributes::default()
    };
    Ok(signed.set_cookie_headers(&attrs))
}
