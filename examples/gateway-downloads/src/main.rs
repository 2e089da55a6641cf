//! `gateway-downloads [ADDR]`: serves the page and the gateway on ADDR (127.0.0.1:8090 by
//! default) against the local SeaweedFS; the audit log goes to standard output.
//!
//! ```text
//! bash .ci/emulators/seaweedfs.sh install && bash .ci/emulators/seaweedfs.sh start
//! cargo run -p presign-example-gateway-downloads --bin gateway-downloads
//! # open http://127.0.0.1:8090/, sign in as alice, follow the links
//! ```

use presign_example_gateway_downloads::{DemoConfig, app};

#[allow(clippy::print_stderr)]
fn main() {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8090".to_owned());
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("gateway-downloads: {e}");
            std::process::exit(1);
        }
    };
    let outcome = runtime.block_on(async {
        let (router, gateway) = app(&DemoConfig::default()).map_err(|e| e.to_string())?;
        let listener = tokio::net::TcpListener::bind(&addr)
            .await
            .map_err(|e| format!("{addr}: {e}"))?;
        eprintln!("gateway-downloads: http://{addr}/");
        presign_serve::serve_router(
            gateway,
            router,
            listener,
            None,
            presign_serve::shutdown_signal(),
        )
        .await
        .map_err(|e| e.to_string())
    });
    if let Err(e) = outcome {
        eprintln!("gateway-downloads: {e}");
        std::process::exit(1);
    }
}
