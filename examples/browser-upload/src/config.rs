//! [`Config`]: where the bucket is, how large an upload may be, and the demo user's token.

use std::net::SocketAddr;
use std::time::Duration;

use presign_core::SecretString;

/// The S3 endpoint when `PRESIGN_S3_ENDPOINT` is not set: the local SeaweedFS of `.ci/test`.
pub const DEFAULT_ENDPOINT: &str = "http://127.0.0.1:8333";
/// The bucket the emulator scripts create.
pub const DEFAULT_BUCKET: &str = "presign-test";
/// The largest upload by default: 1 MiB.
pub const DEFAULT_MAX_UPLOAD_BYTES: u64 = 1024 * 1024;
/// The demo user's session token when none is configured. Anyone who reads this file knows
/// it: the server only ever binds a loopback address.
pub const DEFAULT_DEMO_TOKEN: &str = "demo-token";
/// The address the binary listens on by default.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:3000";

/// Everything the server needs. [`Config::default`] targets the local emulator with AWS's
/// published example key pair (not a secret).
#[derive(Debug, Clone)]
pub struct Config {
    /// The S3 endpoint, as the browser reaches it (the form posts there directly).
    pub s3_endpoint: String,
    /// The bucket.
    pub bucket: String,
    /// The bucket's region.
    pub region: String,
    /// The access key id.
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: SecretString,
    /// The largest file a POST policy admits, in bytes.
    pub max_upload_bytes: u64,
    /// How long a POST policy or a download URL stays valid.
    pub ttl: Duration,
    /// The token that signs in the demo user.
    pub demo_token: SecretString,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            s3_endpoint: DEFAULT_ENDPOINT.to_owned(),
            bucket: DEFAULT_BUCKET.to_owned(),
            region: "us-east-1".to_owned(),
            access_key_id: "AKIAIOSFODNN7EXAMPLE".to_owned(),
            secret_access_key: SecretString::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            max_upload_bytes: DEFAULT_MAX_UPLOAD_BYTES,
            ttl: Duration::from_secs(60),
            demo_token: SecretString::new(DEFAULT_DEMO_TOKEN),
        }
    }
}

/// What the binary was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The server's configuration.
    pub config: Config,
    /// The loopback address to listen on (port 0: any free port).
    pub listen: SocketAddr,
}

/// Reads the options from the command line (`args`, without the program name) over the
/// environment (`env`), over the defaults.
///
/// | flag | environment | default |
/// |---|---|---|
/// | `--listen ADDR` | `BROWSER_UPLOAD_LISTEN` | `127.0.0.1:3000` |
/// | `--endpoint URL` | `PRESIGN_S3_ENDPOINT` | `http://127.0.0.1:8333` |
/// | `--bucket NAME` | `BROWSER_UPLOAD_BUCKET` | `presign-test` |
/// | `--max-bytes N` | `BROWSER_UPLOAD_MAX_BYTES` | 1048576 |
/// | `--ttl-secs N` | `BROWSER_UPLOAD_TTL_SECS` | 60 |
/// | (none) | `BROWSER_UPLOAD_TOKEN` | `demo-token` |
///
/// The secret access key and the demo token are read from the environment only, never from
/// the command line (where `ps` shows them). Refuses a listen address that is not loopback:
/// the demo user has a well-known token.
pub fn parse_options(
    args: impl IntoIterator<Item = String>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Options, String> {
    let mut config = Config::default();
    let mut listen = env("BROWSER_UPLOAD_LISTEN").unwrap_or_else(|| DEFAULT_LISTEN.to_owned());
    if let Some(v) = env("PRESIGN_S3_ENDPOINT") {
        config.s3_endpoint = v;
    }
    if let Some(v) = env("BROWSER_UPLOAD_BUCKET") {
        config.bucket = v;
    }
    if let Some(v) = env("BROWSER_UPLOAD_MAX_BYTES") {
        config.max_upload_bytes = parse_number("BROWSER_UPLOAD_MAX_BYTES", &v)?;
    }
    if let Some(v) = env("BROWSER_UPLOAD_TTL_SECS") {
        config.ttl = Duration::from_secs(parse_number("BROWSER_UPLOAD_TTL_SECS", &v)?);
    }
    if let Some(v) = env("BROWSER_UPLOAD_TOKEN") {
        config.demo_token = SecretString::new(v);
    }
    if let Some(v) = env("AWS_ACCESS_KEY_ID") {
        config.access_key_id = v;
    }
    if let Some(v) = env("AWS_SECRET_ACCESS_KEY") {
        config.secret_access_key = SecretString::new(v);
    }
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            return Err(USAGE.to_owned());
        }
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--listen" => listen = value,
            "--endpoint" => config.s3_endpoint = value,
            "--bucket" => config.bucket = value,
            "--max-bytes" => config.max_upload_bytes = parse_number(&flag, &value)?,
            "--ttl-secs" => config.ttl = Duration::from_secs(parse_number(&flag, &value)?),
            other => return Err(format!("unknown option {other}\n{USAGE}")),
        }
    }
    let listen: SocketAddr = listen
        .parse()
        .map_err(|e| format!("listen address {listen:?}: {e}"))?;
    if !listen.ip().is_loopback() {
        return Err(format!(
            "refusing to listen on {listen}: this demo signs in anyone with a well-known token, so it only binds loopback addresses"
        ));
    }
    if config.max_upload_bytes == 0 {
        return Err("the largest upload must be at least 1 byte".to_owned());
    }
    Ok(Options { config, listen })
}

/// The usage text.
pub const USAGE: &str = "usage: browser-upload [--listen 127.0.0.1:3000] [--endpoint URL] [--bucket NAME] [--max-bytes N] [--ttl-secs N]
environment: PRESIGN_S3_ENDPOINT, BROWSER_UPLOAD_LISTEN, BROWSER_UPLOAD_BUCKET, BROWSER_UPLOAD_MAX_BYTES,
  BROWSER_UPLOAD_TTL_SECS, BROWSER_UPLOAD_TOKEN, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY";

fn parse_number(name: &str, value: &str) -> Result<u64, String> {
    value
        .trim()
        .parse()
        .map_err(|e| format!("{name}: {value:?} is not a whole number: {e}"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn flags_override_environment_over_defaults() {
        let env = |k: &str| match k {
            "BROWSER_UPLOAD_MAX_BYTES" => Some("2048".to_owned()),
            "PRESIGN_S3_ENDPOINT" => Some("http://127.0.0.1:9000".to_owned()),
            _ => None,
        };
        let o = parse_options(
            args(&["--max-bytes", "1024", "--listen", "127.0.0.1:0"]),
            env,
        )
        .unwrap();
        assert_eq!(o.config.max_upload_bytes, 1024);
        assert_eq!(o.config.s3_endpoint, "http://127.0.0.1:9000");
        assert_eq!(o.listen.port(), 0);
        let o = parse_options(args(&[]), |_| None).unwrap();
        assert_eq!(o.listen.to_string(), DEFAULT_LISTEN);
        assert_eq!(o.config.max_upload_bytes, DEFAULT_MAX_UPLOAD_BYTES);
    }

    #[test]
    fn refuses_bad_input() {
        for bad in [
            &["--listen", "0.0.0.0:3000"][..],
            &["--max-bytes", "lots"],
            &["--max-bytes", "0"],
            &["--ttl-secs"],
            &["--frobnicate", "1"],
        ] {
            assert!(parse_options(args(bad), |_| None).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn debug_hides_secrets() {
        let d = format!("{:?}", Config::default());
        assert!(
            !d.contains("wJalr") && !d.contains(DEFAULT_DEMO_TOKEN),
            "{d}"
        );
    }
}
