//! Load a configuration and sign through a named provider.
//!
//! ```text
//! cargo run -p presign-examples --bin config_registry -- [CONFIG.toml] [PROVIDER] [KEY]
//! ```
//!
//! Without a file (or with `-`), the configuration is found as the `presign` command finds it:
//! `$PRESIGN_CONFIG`, `./presign.toml`, else the embedded `dev` profile; `PRESIGN_…`
//! environment variables override it.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::Path;
use std::process::ExitCode;

use presign_config::{Config, Registry};
use presign_core::{Error, PresignRequest, SyncPresigner};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args.first().filter(|p| p.as_str() != "-").map(Path::new);
    let provider = args.get(1).map(String::as_str);
    let key = args.get(2).map_or("uploads/example.txt", String::as_str);
    match sign(path, provider, key) {
        Ok(url) => {
            println!("{url}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("config_registry: error[{}]: {e}", e.kind());
            ExitCode::from(if e.kind() == "config" { 3 } else { 4 })
        }
    }
}

fn sign(path: Option<&Path>, provider: Option<&str>, key: &str) -> Result<String, Error> {
    let config = Config::load(path)?;
    let registry = Registry::from_config(&config);
    for name in registry.names() {
        let marker = if registry.default_provider() == Some(name) {
            " (default)"
        } else {
            ""
        };
        eprintln!("provider {name}{marker}");
    }
    // `resolve(None)` is the default provider; `get(name)` the policy-wrapped presigner.
    let entry = registry.resolve(provider)?;
    let request = PresignRequest::parse("PUT", key)?;
    let signed = entry.sync.presign_sync(&request)?;
    eprintln!(
        "signed with {} ({}), expires {}, max TTL {}s",
        entry.name,
        entry.kind,
        signed.expires_at(),
        entry.policy.max_ttl().as_secs()
    );
    Ok(signed.into_exposed_url())
}
