//! `gateway-token JWKS_FILE [SUB] [TTL_SECS]`: makes an ES256 key, writes its JWKS to
//! JWKS_FILE and prints one token for SUB (default `load`), valid TTL_SECS (default 3600),
//! with the demo's issuer and audience. For trying `presign serve` with `jwks_file` and for
//! its load benchmark (README, benches/RESULTS.md); the private key is never written.

use presign_example_gateway_downloads::idp::DemoIdp;

#[allow(clippy::print_stdout, clippy::print_stderr)]
fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: gateway-token JWKS_FILE [SUB] [TTL_SECS]");
        std::process::exit(2);
    };
    let sub = args.next().unwrap_or_else(|| "load".to_owned());
    let ttl: u64 = args.next().and_then(|t| t.parse().ok()).unwrap_or(3600);
    let outcome = DemoIdp::generate().and_then(|idp| {
        std::fs::write(&path, idp.jwks()).map_err(|e| presign_core::Error::Config {
            path,
            reason: e.to_string(),
        })?;
        idp.token(&sub, ttl)
    });
    match outcome {
        Ok(token) => println!("{token}"),
        Err(e) => {
            eprintln!("gateway-token: {e}");
            std::process::exit(1);
        }
    }
}
