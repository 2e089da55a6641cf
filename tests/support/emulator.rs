//! Finding a running emulator: skip loudly on a developer machine, fail in CI.

use std::net::TcpStream;
use std::time::Duration;

use crate::http::parse_url;

/// Whether the environment says this is CI (`CI=true` or `CI=1`).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

/// The emulator endpoint from `env_var`, else `default`, if something accepts connections
/// there.
///
/// When nothing answers: in CI (`CI=true`) this panics with a clear message, because a missing
/// emulator must not turn into a green run; elsewhere it prints a loud `SKIPPED` line and
/// returns `None`.
pub fn emulator_endpoint(env_var: &str, default: &str) -> Option<String> {
    let endpoint = std::env::var(env_var)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_owned());
    let reachable = parse_url(&endpoint).and_then(|t| {
        let addr = crate::http::loopback_addr(&t.host, t.port)?;
        TcpStream::connect_timeout(&addr, Duration::from_secs(2))
            .map(|_| ())
            .map_err(|e| format!("{addr}: {e}"))
    });
    match reachable {
        Ok(()) => Some(endpoint),
        Err(why) if in_ci() => panic!(
            "emulator at {endpoint} ({env_var}) is not reachable in CI ({why}); \
             the CI script must start it (bash .ci/test)"
        ),
        Err(why) => {
            println!(
                "\n*** SKIPPED: start the emulator with bash .ci/test \
                 (nothing answers at {endpoint}, from {env_var} or the default: {why}) ***\n"
            );
            None
        }
    }
}
