//! `presign serve`: the signing gateway (the `presign-serve` crate) with this configuration.

use std::io::Write;

use presign_config::Config;
use presign_serve::{Gateway, GatewayOptions, ServeConfig};

use crate::args::ServeArgs;
use crate::{EXIT_OK, Failure};

pub(crate) fn run(config: &Config, a: &ServeArgs, stderr: &mut dyn Write) -> Result<i32, Failure> {
    let mut serve = ServeConfig::from_value(config.serve.as_ref())?;
    if let Some(listen) = a.listen {
        serve.listen = listen;
    }
    if a.check {
        let gateway = Gateway::with_serve_config(
            config,
            &serve,
            GatewayOptions::default().with_audit_file(None),
        )?;
        writeln!(
            stderr,
            "presign serve: configuration ok: {} rule(s), listen {}",
            serve.rules.len(),
            serve.listen
        )?;
        drop(gateway);
        return Ok(EXIT_OK);
    }
    presign_serve::run_with(config, &serve, |addr| {
        let _ = writeln!(stderr, "presign serve: listening on {addr}");
    })?;
    Ok(EXIT_OK)
}
