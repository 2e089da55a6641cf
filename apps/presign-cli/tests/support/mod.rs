//! Shared by the trust-boundary tests of the `presign` command: an in-process runner, the
//! attacker's-eye configuration of issue 8, and readers of a URL's validity that parse the
//! URL as a server would (not with presign's own code).
#![allow(dead_code, unreachable_pub)] // each test file uses some of it

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use presign_config::Environment;
use serde_json::Value;

/// Azurite's published development key (not a secret).
pub const AZURITE_KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
/// AWS's published example key pair (not a credential).
pub const ACCESS_KEY: &str = "AKIAIOSFODNN7EXAMPLE";
/// AWS's published example secret key.
pub const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
/// A GCS HMAC pair made up for tests.
pub const GCS_HMAC_ID: &str = "GOOG1EEXAMPLEHMACACCESSID";
/// Its secret.
pub const GCS_HMAC_SECRET: &str = "gcs-hmac-secret-value-123";

/// The maximum time-to-live of the policy under attack.
pub const MAX_TTL: Duration = Duration::from_secs(15 * 60);

/// What one run printed.
#[derive(Debug)]
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    /// Asserts success and returns stdout.
    pub fn ok(&self) -> &str {
        assert_eq!(self.code, 0, "{}", self.stderr);
        &self.stdout
    }

    /// The JSON lines of stdout.
    pub fn lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}")))
            .collect()
    }

    /// Every byte printed, on both streams.
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

/// The `presign: warning[KIND]: ...` line of `stderr`; panics when there is none.
pub fn warning<'a>(stderr: &'a str, kind: &str) -> &'a str {
    let start = format!("presign: warning[{kind}]: ");
    stderr
        .lines()
        .find(|l| l.starts_with(&start))
        .unwrap_or_else(|| panic!("no warning[{kind}] on stderr: {stderr:?}"))
}

/// Runs `presign ARGS` in-process with exactly `env` as its environment and `stdin`.
pub fn run(args: &[&str], env: &[(&str, &str)], stdin: &[u8]) -> Out {
    let mut input = Cursor::new(stdin.to_vec());
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let env = Environment::from_pairs(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let mut argv = vec!["presign"];
    argv.extend_from_slice(args);
    let code = presign_cli::run_with_env(argv, env, &mut input, &mut stdout, &mut stderr);
    Out {
        code,
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// The operator's configuration of issue 8, one provider per cloud, each with the policy
/// `max_ttl = "15m"`, GET/HEAD/PUT only, `key_prefixes = ["uploads/alice/"]`; plus `s3post`,
/// which also allows POST. `extra` is appended (more tables).
pub fn attacked_config(dir: &Path, extra: &str) -> PathBuf {
    let file = dir.join("presign.toml");
    let text = format!(
        r#"
default_provider = "s3"

[policy]
max_ttl = "15m"
allow_methods = ["GET", "HEAD", "PUT"]
key_prefixes = ["uploads/alice/"]

[providers.s3]
kind = "s3"
bucket = "corp-bucket"
region = "eu-west-1"
access_key_id = "{ACCESS_KEY}"
secret_access_key = "{SECRET_KEY}"

[providers.s3post]
kind = "s3"
bucket = "corp-bucket"
region = "eu-west-1"
access_key_id = "{ACCESS_KEY}"
secret_access_key = "{SECRET_KEY}"
[providers.s3post.policy]
allow_methods = ["GET", "HEAD", "PUT", "POST"]

[providers.gcs]
kind = "gcs"
bucket = "corp-bucket"
hmac_access_id = "{GCS_HMAC_ID}"
hmac_secret = "{GCS_HMAC_SECRET}"

[providers.azure]
kind = "azure"
account = "corpaccount"
container = "corp"
account_key = "{AZURITE_KEY}"
{extra}
"#
    );
    std::fs::write(&file, text).unwrap();
    file
}

/// The real clock, in Unix seconds.
pub fn clock_now() -> i64 {
    i64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
    .unwrap()
}

/// An RFC 3339 time `offset` seconds from the real clock.
pub fn rfc3339_from_now(offset: i64) -> String {
    presign_core::Timestamp::from_unix(clock_now() + offset)
        .unwrap()
        .to_rfc3339()
}

/// Percent-decodes a query value (`%3A` -> `:`).
pub fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(&String::from_utf8_lossy(&b[i + 1..i + 3]), 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// The query parameters of `url`, decoded.
pub fn query(url: &str) -> Vec<(String, String)> {
    let q = url.split_once('?').map_or("", |(_, q)| q);
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// The value of query parameter `name` in `url`.
pub fn param(url: &str, name: &str) -> Option<String> {
    query(url)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// Unix seconds of an RFC 3339 `YYYY-MM-DDTHH:MM:SSZ` or basic `YYYYMMDDTHHMMSSZ` time,
/// computed here from the civil date (days from civil, Howard Hinnant's algorithm).
pub fn unix(t: &str) -> i64 {
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    assert_eq!(digits.len(), 14, "not a UTC timestamp: {t}");
    let n = |a: usize, b: usize| digits[a..b].parse::<i64>().unwrap();
    let (y, m, d) = (n(0, 4), n(4, 6), n(6, 8));
    let (hh, mm, ss) = (n(8, 10), n(10, 12), n(12, 14));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * 86_400 + hh * 3600 + mm * 60 + ss
}

/// The instants between which a signed URL is accepted by its cloud, read from the URL the
/// way the cloud reads it: `(valid_from, expires)` in Unix seconds. S3: `X-Amz-Date` +
/// `X-Amz-Expires`; GCS: `X-Goog-Date` + `X-Goog-Expires`; Azure: `st` (or none) and `se`.
pub fn validity(url: &str) -> (Option<i64>, i64) {
    if let Some(date) = param(url, "X-Amz-Date") {
        let exp: i64 = param(url, "X-Amz-Expires").unwrap().parse().unwrap();
        return (Some(unix(&date)), unix(&date) + exp);
    }
    if let Some(date) = param(url, "X-Goog-Date") {
        let exp: i64 = param(url, "X-Goog-Expires").unwrap().parse().unwrap();
        return (Some(unix(&date)), unix(&date) + exp);
    }
    let se = param(url, "se").unwrap_or_else(|| panic!("no expiry in {url}"));
    (param(url, "st").map(|s| unix(&s)), unix(&se))
}

/// Asserts the property of issue 8 item 2: by the real clock (read before the run as
/// `clock_before`), the URL is not valid for longer than [`MAX_TTL`].
pub fn assert_within_max(url: &str, clock_before: i64) {
    let (_, expires) = validity(url);
    let latest = clock_before + i64::try_from(MAX_TTL.as_secs()).unwrap() + 2;
    assert!(
        expires <= latest,
        "valid until {expires}, {} s past the clock + max_ttl: {url}",
        expires - latest + 2
    );
}
