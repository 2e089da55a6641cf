//! `presign batch` on arbitrary input: any bytes, any lines, inline providers on or off (the
//! first byte decides). Properties: no panic; one answer per non-blank line, each a JSON
//! object on one line with no raw carriage return; nothing of the configured secrets printed.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use presign_cli::{BatchOptions, run_batch};
use presign_config::{Config, Environment, Registry};

/// The secret values of [`CONFIG`]; no output may contain them.
const SECRETS: &[&str] = &[
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "fuzz-gcs-hmac-secret-value",
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
];

const CONFIG: &str = r#"
default_provider = "s3"
[policy]
key_prefixes = ["uploads/", "docs"]
allow_methods = ["GET", "HEAD", "PUT", "POST"]
[providers.s3]
kind = "s3"
bucket = "bkt"
region = "eu-west-1"
access_key_id = "AKIAIOSFODNN7EXAMPLE"
secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
[providers.gcs]
kind = "gcs"
bucket = "bkt-1"
hmac_access_id = "GOOG1EFUZZ"
hmac_secret = "fuzz-gcs-hmac-secret-value"
[providers.azure]
kind = "azure"
account = "devstoreaccount1"
container = "cont"
account_key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
[providers.loose]
kind = "s3"
bucket = "bkt"
region = "cn-north-1"
access_key_id = "AKIAIOSFODNN7EXAMPLE"
secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
[providers.loose.policy]
constraints = "best-effort"
any_key = true
time_bucket = "1m"
"#;

static REGISTRY: LazyLock<Registry> = LazyLock::new(|| {
    let config =
        Config::from_toml_str_with_env(CONFIG, Environment::from_pairs::<String, String, _>([]))
            .expect("the fuzz configuration loads");
    Registry::from_config(&config)
});

fuzz_target!(|data: &[u8]| {
    let Some((&flags, input)) = data.split_first() else {
        return;
    };
    let options = BatchOptions::default().with_inline_providers(flags & 1 == 1);
    let mut out = Vec::new();
    let stats = run_batch(&REGISTRY, options, &mut &input[..], &mut out)
        .expect("in-memory input and output cannot fail");
    let text = std::str::from_utf8(&out).expect("batch output is UTF-8");
    assert!(!text.contains('\r'), "a raw carriage return in the output");
    let answers = text.lines().count();
    assert_eq!(
        u64::try_from(answers).expect("count"),
        stats.lines,
        "one answer per request line"
    );
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("each answer is JSON");
        assert!(v.is_object(), "each answer is an object");
    }
    for secret in SECRETS {
        assert!(!text.contains(secret), "a configured secret was printed");
    }
});
