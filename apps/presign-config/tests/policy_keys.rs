#![cfg(test)] // all test code: clippy.toml's allow-*-in-tests cover its helpers too
//! The key choice of a configured policy: named prefixes or `any_key = true`, never an
//! accident. Before issue 8, `key_prefixes = ""` (and `PRESIGN_POLICY__KEY_PREFIXES=""`)
//! silently disabled the prefix rule while `[""]` was refused, and a policy that named no
//! prefixes signed every key.

use presign_config::{Config, Environment, Registry};
use presign_core::{Method, PresignRequest};

const PROVIDER: &str = r#"
[providers.p]
kind = "s3"
bucket = "bkt"
region = "eu-west-1"
access_key_id = "AKIAIOSFODNN7EXAMPLE"
secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
"#;

fn load(toml: &str, env: &[(&str, &str)]) -> Result<Config, presign_core::Error> {
    let env = Environment::from_pairs(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Config::from_toml_str_with_env(toml, env.clone()).and_then(|_| {
        // The environment layer applies through load_with_env, which reads a file.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("presign.toml");
        std::fs::write(&file, toml).unwrap();
        Config::load_with_env(Some(&file), env)
    })
}

/// Signs GET `key` with provider `p`; `Ok` when the policy let it through.
fn signs(config: &Config, key: &str) -> bool {
    let r = PresignRequest::parse("GET", key).unwrap();
    let p = Registry::from_config(config).get("p").unwrap();
    futures_executor::block_on(p.presign(&r)).is_ok()
}

#[test]
fn an_empty_prefix_list_is_refused_in_every_spelling() {
    for (toml, env) in [
        (format!("[policy]\nkey_prefixes = \"\"\n{PROVIDER}"), vec![]),
        (format!("[policy]\nkey_prefixes = []\n{PROVIDER}"), vec![]),
        (
            format!("[policy]\nkey_prefixes = [\"\"]\n{PROVIDER}"),
            vec![],
        ),
        (
            format!("{PROVIDER}[providers.p.policy]\nkey_prefixes = \" , \"\n"),
            vec![],
        ),
        (
            format!("[policy]\nkey_prefixes = [\"uploads/\"]\n{PROVIDER}"),
            vec![("PRESIGN_POLICY__KEY_PREFIXES", "")],
        ),
    ] {
        match load(&toml, &env) {
            Ok(c) => panic!(
                "{toml} {env:?} loaded; signs outside any prefix: {}",
                signs(&c, "anything/at/all")
            ),
            Err(e) => {
                assert_eq!(e.kind(), "config", "{e}");
                assert!(e.to_string().contains("key_prefixes"), "{e}");
            }
        }
    }
}

#[test]
fn no_key_choice_is_refused_and_any_key_is_by_name() {
    let e = load(PROVIDER, &[]).unwrap_err().to_string();
    assert!(
        e.contains("providers.p.policy.key_prefixes") && e.contains("any_key = true"),
        "{e}"
    );
    let any = load(&format!("[policy]\nany_key = true\n{PROVIDER}"), &[]).unwrap();
    assert!(signs(&any, "anything/at/all"));
    let e = load(
        &format!("[policy]\nany_key = true\nkey_prefixes = [\"a/\"]\n{PROVIDER}"),
        &[],
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("any_key") && e.contains("one way"), "{e}");
    // A provider's own choice replaces the top-level one as a whole.
    let c = load(
        &format!(
            "[policy]\nany_key = true\n{PROVIDER}[providers.p.policy]\nkey_prefixes = [\"a/\"]\n"
        ),
        &[],
    )
    .unwrap();
    assert!(signs(&c, "a/x") && !signs(&c, "b/x"));
}

#[test]
fn risky_methods_and_skew_map_to_named_choices() {
    let c = load(
        &format!(
            "[policy]\nany_key = true\nallow_methods = [\"GET\", \"DELETE\"]\nmax_clock_skew = \"5s\"\n{PROVIDER}"
        ),
        &[],
    )
    .unwrap();
    let entry = Registry::from_config(&c).entry("p").unwrap();
    assert!(entry.policy.allow_methods().contains(Method::Delete));
    assert!(!entry.policy.allow_methods().contains(Method::Put));
    assert_eq!(entry.policy.max_clock_skew().as_secs(), 5);
}
