//! `browser-upload`: serves the browser-upload example on a loopback address.
//!
//! ```text
//! cargo run -p presign-example-browser-upload -- --listen 127.0.0.1:3000 --max-bytes 1048576
//! ```

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use presign_example_browser_upload::{app, parse_options, serve};

fn main() -> ExitCode {
    let options = match parse_options(std::env::args().skip(1), |k| std::env::var(k).ok()) {
        Ok(o) => o,
        Err(message) => {
            eprintln!("browser-upload: {message}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("browser-upload: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let endpoint = options.config.s3_endpoint.clone();
        let max = options.config.max_upload_bytes;
        let router = match app(options.config) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("browser-upload: error[{}]: {e}", e.kind());
                return ExitCode::from(4);
            }
        };
        let listener = match tokio::net::TcpListener::bind(options.listen).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("browser-upload: cannot listen on {}: {e}", options.listen);
                return ExitCode::FAILURE;
            }
        };
        match listener.local_addr() {
            Ok(addr) => println!(
                "browser-upload: open http://{addr}/ (sign in with the demo token; uploads of at most {max} bytes go to {endpoint})"
            ),
            Err(e) => eprintln!("browser-upload: listening, address unknown: {e}"),
        }
        tokio::select! {
            served = serve(listener, router) => match served {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("browser-upload: server stopped: {e}");
                    ExitCode::FAILURE
                }
            },
            _ = tokio::signal::ctrl_c() => ExitCode::SUCCESS,
        }
    })
}
