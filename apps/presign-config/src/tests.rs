//! Unit tests across modules: precedence, secrets, error paths, the dev profile.

use std::time::Duration;

use presign_core::{FixedClock, Method, PresignRequest, Timestamp};
use presign_policy::{ConstraintMode, ExcessTtl};

use crate::*;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

fn env(pairs: &[(&str, &str)]) -> Environment {
    Environment::from_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
}

fn err(toml: &str) -> String {
    let e = Config::from_toml_str_with_env(toml, env(&[])).unwrap_err();
    assert_eq!(e.kind(), "config", "{e}");
    e.to_string()
}

const PROD: &str = r#"
[providers.prod]
kind = "s3"
bucket = "media"
region = "eu-west-1"
access_key_id = "AKIDPROD"
secret_access_key = "prod-secret-value"
"#;

#[test]
fn dev_profile_is_the_default_without_a_file() {
    let dir = tempfile::tempdir().unwrap();
    // An explicit empty environment: no PRESIGN_CONFIG, no presign.toml in this directory
    // (paths are relative to the process's directory, so use the dev loader directly too).
    let config = Config::dev().unwrap();
    assert_eq!(config.source, ConfigSource::DevProfile);
    assert_eq!(config.default_provider.as_deref(), Some("dev"));
    let registry = Registry::from_config(&config);
    assert_eq!(registry.default_provider(), Some("dev"));
    assert_eq!(registry.names().collect::<Vec<_>>(), vec!["dev"]);
    let entry = registry.resolve(None).unwrap();
    assert_eq!(entry.kind, "s3");
    let shown = format!("{config:?} {registry:?} {entry:?}");
    assert!(!shown.contains(SECRET), "{shown}");
    // Loading with a fixed environment that names no file also gives the dev profile, unless
    // a presign.toml sits in the working directory.
    if !std::path::Path::new("presign.toml").exists() {
        let c = Config::load_with_env(None, env(&[])).unwrap();
        assert_eq!(c.source, ConfigSource::DevProfile);
    }
    drop(dir);
}

#[test]
fn file_then_environment() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("presign.toml");
    std::fs::write(
        &file,
        format!("default_provider = \"prod\"\n[policy]\nmax_ttl = \"10m\"\nany_key = true\n{PROD}"),
    )
    .unwrap();
    // The file alone.
    let c = Config::load_with_env(Some(&file), env(&[])).unwrap();
    assert_eq!(c.source, ConfigSource::File(file.clone()));
    let ProviderSettings::S3(s3) = &c.providers["prod"].settings else {
        panic!("not s3")
    };
    assert_eq!(s3.bucket, "media");
    assert_eq!(c.policy.max_ttl, Some(Duration::from_secs(600)));
    // The environment wins, nested with `__`; PRESIGN_CONFIG names the file.
    let e = env(&[
        ("PRESIGN_CONFIG", file.to_str().unwrap()),
        ("PRESIGN_PROVIDERS__PROD__BUCKET", "other"),
        ("PRESIGN_POLICY__MAX_TTL", "720"),
        ("PRESIGN_PROVIDERS__PROD__POLICY__ALLOW_METHODS", "GET,HEAD"),
        ("UNRELATED", "x"),
        // Other tools' variables under the same prefix are not configuration.
        ("PRESIGN_S3_ENDPOINT", "http://127.0.0.1:1"),
        ("PRESIGN_PYTHON", "python3"),
    ]);
    let c = Config::load_with_env(None, e).unwrap();
    let ProviderSettings::S3(s3) = &c.providers["prod"].settings else {
        panic!("not s3")
    };
    assert_eq!(s3.bucket, "other");
    assert_eq!(c.policy.max_ttl, Some(Duration::from_secs(720)));
    let entry = Registry::from_config(&c).entry("prod").unwrap();
    assert_eq!(entry.policy.max_ttl(), Duration::from_secs(720));
    assert!(!entry.policy.allow_methods().contains(Method::Put));
    // A missing explicit file is an error, not the dev profile.
    let e = Config::load_with_env(Some(&dir.path().join("nope.toml")), env(&[])).unwrap_err();
    assert_eq!(e.kind(), "config");
    assert!(e.to_string().contains("nope.toml"), "{e}");
    // An unknown variable under the prefix is an unknown field.
    let e = Config::load_with_env(Some(&file), env(&[("PRESIGN_PROVIDERS__PROD__BUKET", "x")]))
        .unwrap_err()
        .to_string();
    assert!(e.contains("providers.prod") && e.contains("buket"), "{e}");
}

#[test]
fn environment_adds_to_the_dev_profile() {
    if std::path::Path::new("presign.toml").exists() {
        return;
    }
    let c = Config::load_with_env(
        None,
        env(&[("PRESIGN_PROVIDERS__DEV__ENDPOINT", "http://127.0.0.1:9000")]),
    )
    .unwrap();
    let ProviderSettings::S3(s3) = &c.providers["dev"].settings else {
        panic!("not s3")
    };
    assert_eq!(s3.endpoint.as_deref(), Some("http://127.0.0.1:9000"));
    assert_eq!(s3.bucket, "presign-test");
}

#[test]
fn secrets_from_env_and_file() {
    let dir = tempfile::tempdir().unwrap();
    let secret_file = dir.path().join("secret");
    std::fs::write(&secret_file, "file-secret-value\n").unwrap();
    let toml = format!(
        r#"
        [policy]
        any_key = true
        [providers.a]
        kind = "s3"
        bucket = "bkt"
        region = "us-east-1"
        access_key_id_env = "A_ID"
        secret_access_key_file = "{}"
        session_token_env = "A_TOKEN"
        "#,
        secret_file.display()
    );
    let e = env(&[("A_ID", "AKIDA"), ("A_TOKEN", "token-value")]);
    let c = Config::from_toml_str_with_env(&toml, e).unwrap();
    let ProviderSettings::S3(s3) = &c.providers["a"].settings else {
        panic!("not s3")
    };
    assert!(matches!(s3.access_key_id, Some(SecretSource::Env(ref n)) if n == "A_ID"));
    assert!(matches!(s3.secret_access_key, Some(SecretSource::File(_))));
    let r = Registry::from_config(&c);
    let entry = r.entry("a").unwrap();
    let shown = format!("{c:?} {entry:?}");
    for s in ["file-secret-value", "token-value"] {
        assert!(!shown.contains(s), "{shown}");
    }
    // A missing variable: an error at the field, built lazily.
    let c = Config::from_toml_str_with_env(&toml, env(&[("A_ID", "AKIDA")])).unwrap();
    let e = Registry::from_config(&c).get("a").unwrap_err();
    assert_eq!(e.kind(), "config");
    assert!(
        e.to_string().contains("providers.a.session_token_env")
            && e.to_string().contains("A_TOKEN"),
        "{e}"
    );
    // AWS_* variables when no credential is configured.
    let bare = "[policy]\nany_key = true\n[providers.x]\nkind = \"s3\"\nbucket = \"bkt\"\nregion = \"us-east-1\"\n";
    let c = Config::from_toml_str_with_env(
        bare,
        env(&[
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", "s"),
        ]),
    )
    .unwrap();
    assert!(Registry::from_config(&c).get("x").is_ok());
    let c = Config::from_toml_str_with_env(bare, env(&[])).unwrap();
    let e = Registry::from_config(&c).get("x").unwrap_err().to_string();
    assert!(
        e.contains("providers.x.access_key_id") && e.contains("no credentials"),
        "{e}"
    );
}

#[test]
fn errors_name_the_path() {
    let e = err(&format!(
        "{PROD}\n[providers.prod.policy]\nmax_ttl = \"15x\"\n"
    ));
    assert!(
        e.contains(r#"providers.prod.policy.max_ttl: "15x" is not a duration"#),
        "{e}"
    );
    let e = err(&format!("{PROD}addressing = \"sideways\"\n"));
    assert!(
        e.contains("providers.prod.addressing") && e.contains("sideways"),
        "{e}"
    );
    let e = err(&format!("{PROD}colour = \"blue\"\n"));
    assert!(e.contains("providers.prod") && e.contains("colour"), "{e}");
    let e = err(&format!("{PROD}secret_access_key_env = \"X\"\n"));
    assert!(
        e.contains("providers.prod.secret_access_key_env") && e.contains("one way only"),
        "{e}"
    );
    assert!(!e.contains("prod-secret-value"), "{e}");
    let e = err("[providers.g]\nkind = \"ftp\"\nbucket = \"bkt\"\n");
    assert!(
        e.contains("providers.g.kind") && e.contains("unknown provider kind \"ftp\""),
        "{e}"
    );
    let e = err("[providers.g]\nbucket = \"bkt\"\n");
    assert!(e.contains("providers.g.kind: missing"), "{e}");
    let e = err("[policy]\nallow_methods = [\"GET\", \"PATCH\"]\n");
    assert!(
        e.contains("policy.allow_methods") && e.contains("PATCH"),
        "{e}"
    );
    let e = err("[policy]\nconstraints = \"loose\"\n");
    assert!(e.contains("policy.constraints"), "{e}");
    let e = err("verbose = true\n");
    assert!(e.contains("verbose"), "{e}");
    let e = err(&format!(
        "default_provider = \"nope\"\n[policy]\nany_key = true\n{PROD}"
    ));
    assert!(e.contains("default_provider") && e.contains("prod"), "{e}");
    let e = err(&format!(
        "{PROD}[providers.prod.policy]\ndefault_ttl = \"20m\"\n"
    ));
    assert!(e.contains("providers.prod.policy"), "{e}");
    // A syntax error on a secret's line never quotes the line.
    let e = err("[providers.p]\nsecret_access_key = \"leaky-secret\" oops\n");
    assert!(!e.contains("leaky-secret"), "{e}");
    // A secret of the wrong type is not echoed either.
    let e = err(&format!("{PROD}session_token = 3.25\n"));
    assert!(
        e.contains("providers.prod.session_token") && !e.contains("3.25"),
        "{e}"
    );
}

#[test]
fn policy_tables_merge_field_by_field() {
    let c = Config::from_toml_str_with_env(
        &format!(
            r#"
            [policy]
            max_ttl = "10m"
            on_excess_ttl = "reject"
            key_prefixes = ["public/"]
            {PROD}
            [providers.prod.policy]
            default_ttl = 60
            constraints = "best-effort"
            allow_methods = ["GET", "DELETE"]
            time_bucket = "1m"
            "#
        ),
        env(&[]),
    )
    .unwrap();
    let p = Registry::from_config(&c)
        .entry("prod")
        .unwrap()
        .policy
        .clone();
    assert_eq!(p.default_ttl(), Duration::from_secs(60));
    assert_eq!(p.max_ttl(), Duration::from_secs(600));
    assert_eq!(p.on_excess_ttl(), ExcessTtl::Reject);
    assert_eq!(p.key_prefixes(), vec!["public/".to_string()]);
    assert_eq!(p.constraint_mode(), ConstraintMode::BestEffort);
    assert!(p.allow_methods().contains(Method::Delete) && !p.allow_methods().contains(Method::Put));
    assert_eq!(p.time_bucket(), Some(Duration::from_secs(60)));
}

#[test]
fn registry_signs_through_the_policy() {
    let c = Config::dev().unwrap();
    let t = Timestamp::parse_rfc3339("2024-01-02T03:04:05Z").unwrap();
    let r = Registry::from_config(&c).with_clock(std::sync::Arc::new(FixedClock(t)));
    let p = r.get("dev").unwrap();
    let signed =
        futures_executor::block_on(p.presign(&PresignRequest::parse("GET", "a b.txt").unwrap()))
            .unwrap();
    assert_eq!(signed.signed_at(), t);
    assert!(
        signed
            .expose_url()
            .starts_with("http://127.0.0.1:8333/presign-test/")
    );
    let refused =
        futures_executor::block_on(p.presign(&PresignRequest::parse("DELETE", "a").unwrap()))
            .unwrap_err();
    assert_eq!(refused.kind(), "method_not_allowed");
    let e = r.get("nope").unwrap_err().to_string();
    assert!(e.contains("providers.nope") && e.contains("dev"), "{e}");
}

#[test]
fn inline_provider_from_json() {
    let p = ProviderConfig::from_json(serde_json::json!({
        "kind": "s3", "bucket": "bkt", "region": "us-east-1",
        "access_key_id": "AKID", "secret_access_key": "json-secret",
        "policy": {"max_ttl": 600, "any_key": true}
    }))
    .unwrap();
    assert_eq!(p.policy.max_ttl, Some(Duration::from_secs(600)));
    assert!(!format!("{p:?}").contains("json-secret"));
    let e = ProviderConfig::from_json(
        serde_json::json!({"kind": "s3", "bucket": "bkt", "policy": {"max_ttl": "x"}}),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("provider.policy.max_ttl"), "{e}");
    let entry = p.build("inline", "provider", &BuildContext::new()).unwrap();
    assert_eq!(entry.policy.max_ttl(), Duration::from_secs(600));
    let via_serde: ProviderConfig = serde_json::from_str(
        r#"{"kind":"s3","bucket":"bkt","access_key_id":"A","secret_access_key":"S"}"#,
    )
    .unwrap();
    assert_eq!(via_serde.kind(), "s3");
}

// ---- GCS and Azure ----

const AZURITE_KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/// The inactive service-account key published with the GCS conformance vectors (copied into
/// `tests/vectors/gcs/`, see the README there).
fn sa_file() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/vectors/gcs/test_service_account.not-a-test.json")
}

fn sign(r: &Registry, name: &str, method: &str, key: &str) -> presign_core::PresignedRequest {
    let t = Timestamp::parse_rfc3339("2024-01-02T03:04:05Z").unwrap();
    let req = PresignRequest::parse(method, key).unwrap().signed_at(t);
    futures_executor::block_on(r.get(name).unwrap().presign(&req)).unwrap()
}

#[test]
fn gcs_hmac_and_key_file() {
    let toml = format!(
        r#"
        [policy]
        any_key = true
        [providers.h]
        kind = "gcs"
        bucket = "gcs-bkt"
        hmac_access_id = "GOOG1EXAMPLE"
        hmac_secret_env = "GCS_HMAC"
        url_style = "virtual"
        [providers.h.policy]
        max_upload_size = "5MiB"
        [providers.k]
        kind = "gcs"
        bucket = "gcs-bkt"
        service_account_file = "{}"
        signer = "key"
        "#,
        sa_file().display()
    );
    let c =
        Config::from_toml_str_with_env(&toml, env(&[("GCS_HMAC", "hmac-secret-value")])).unwrap();
    let r = Registry::from_config(&c);
    let entry = r.entry("h").unwrap();
    assert_eq!(entry.kind, "gcs");
    assert_eq!(entry.policy.max_upload_size(), 5 << 20);
    assert!(entry.offers_post());
    assert!(r.get_post("h").is_ok());
    let url = sign(&r, "h", "GET", "a b.txt");
    let url = url.expose_url();
    assert!(
        url.starts_with("https://gcs-bkt.storage.googleapis.com/a%20b.txt?X-Goog-Algorithm=GOOG4-HMAC-SHA256&X-Goog-Credential=GOOG1EXAMPLE%2F20240102%2F"),
        "{url}"
    );
    let url = sign(&r, "k", "GET", "a.txt");
    assert!(
        url.expose_url()
            .starts_with("https://storage.googleapis.com/gcs-bkt/a.txt?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=test-iam-credentials%40dummy-project-id.iam.gserviceaccount.com%2F"),
        "{}",
        url.expose_url()
    );
    let shown = format!("{c:?} {entry:?}");
    assert!(!shown.contains("hmac-secret-value"), "{shown}");
}

#[test]
fn gcs_inline_table_emulator_and_adc() {
    let json = std::fs::read_to_string(sa_file()).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    // The key as an inline table (JSON in, as a batch line or figment gives it).
    let p = ProviderConfig::from_json(serde_json::json!({
        "kind": "gcs", "bucket": "bkt-1", "service_account": v, "policy": {"any_key": true},
    }))
    .unwrap();
    let shown = format!("{p:?}");
    assert!(!shown.contains("PRIVATE KEY"), "{shown}");
    let ctx = BuildContext {
        env: env(&[("STORAGE_EMULATOR_HOST", "127.0.0.1:4443")]),
        ..BuildContext::new()
    };
    let entry = p.build("g", "provider", &ctx).unwrap();
    let req = PresignRequest::parse("GET", "k").unwrap();
    let signed = futures_executor::block_on(entry.presigner.presign(&req)).unwrap();
    assert!(
        signed
            .expose_url()
            .starts_with("http://127.0.0.1:4443/bkt-1/k?"),
        "{}",
        signed.expose_url()
    );
    // As a string too.
    let p = ProviderConfig::from_json(
        serde_json::json!({"kind": "gcs", "bucket": "bkt-1", "service_account": json, "policy": {"any_key": true}}),
    )
    .unwrap();
    assert!(p.build("g", "provider", &BuildContext::new()).is_ok());
    // No key at all: GOOGLE_APPLICATION_CREDENTIALS, else an error naming the field.
    let bare = "[policy]\nany_key = true\n[providers.g]\nkind = \"gcs\"\nbucket = \"bkt-1\"\n";
    let path = sa_file();
    let c = Config::from_toml_str_with_env(
        bare,
        env(&[("GOOGLE_APPLICATION_CREDENTIALS", path.to_str().unwrap())]),
    )
    .unwrap();
    assert!(Registry::from_config(&c).get("g").is_ok());
    let c = Config::from_toml_str_with_env(bare, env(&[])).unwrap();
    let e = Registry::from_config(&c).get("g").unwrap_err().to_string();
    assert!(
        e.contains("providers.g.service_account") && e.contains("GOOGLE_APPLICATION_CREDENTIALS"),
        "{e}"
    );
}

#[test]
fn gcs_errors_name_the_field() {
    let base = "[policy]\nany_key = true\n[providers.g]\nkind = \"gcs\"\nbucket = \"bkt-1\"\nhmac_access_id = \"A\"\nhmac_secret = \"gcs-secret-x\"\n";
    let e = err(&format!("{base}url_style = \"sideways\"\n"));
    assert!(
        e.contains("providers.g.url_style") && e.contains("sideways"),
        "{e}"
    );
    let e = err(&format!("{base}signer = \"magic\"\n"));
    assert!(e.contains("providers.g.signer"), "{e}");
    let e = err(&format!("{base}colour = 1\n"));
    assert!(e.contains("colour"), "{e}");
    let e = err(&format!("{base}service_account = true\n"));
    assert!(e.contains("providers.g.service_account"), "{e}");
    let built = |toml: &str| {
        let c = Config::from_toml_str_with_env(toml, env(&[])).unwrap();
        Registry::from_config(&c).get("g").unwrap_err().to_string()
    };
    let e = built(&format!("{base}url_style = \"bucket-bound\"\n"));
    assert!(e.contains("providers.g.bucket_bound_hostname"), "{e}");
    let e = built(
        "[policy]\nany_key = true\n[providers.g]\nkind = \"gcs\"\nbucket = \"B\"\nhmac_access_id = \"A\"\nhmac_secret = \"s\"\n",
    );
    assert!(e.contains("providers.g.bucket"), "{e}");
    let e = built(
        "[policy]\nany_key = true\n[providers.g]\nkind = \"gcs\"\nbucket = \"bkt-1\"\nhmac_access_id = \"A\"\n",
    );
    assert!(e.contains("providers.g.hmac_secret"), "{e}");
    let e = built(&format!("{base}signer = \"sign-blob\"\n"));
    // Without the feature the signer itself is refused; with it, the missing signing account.
    #[cfg(not(feature = "gcs-sign-blob"))]
    assert!(
        e.contains("providers.g.signer") && e.contains("gcs-sign-blob"),
        "{e}"
    );
    #[cfg(feature = "gcs-sign-blob")]
    assert!(e.contains("providers.g.service_account_email"), "{e}");
    assert!(!e.contains("gcs-secret-x"), "{e}");
}

#[test]
fn azure_account_key_and_refusals() {
    let toml = format!(
        r#"
        [policy]
        any_key = true
        [providers.az]
        kind = "azure"
        account = "devstoreaccount1"
        container = "presign-test"
        account_key = "{AZURITE_KEY}"
        endpoint = "http://127.0.0.1:10000/devstoreaccount1"
        start_backdate = "5m"
        stored_access_policy = "readers"
        "#
    );
    let c = Config::from_toml_str_with_env(&toml, env(&[])).unwrap();
    let r = Registry::from_config(&c);
    let entry = r.entry("az").unwrap();
    assert_eq!(entry.kind, "azure");
    assert!(!entry.offers_post());
    let e = r.get_post("az").unwrap_err().to_string();
    assert!(
        e.contains("does not sign POST policies") && e.contains("azure"),
        "{e}"
    );
    let url = sign(&r, "az", "GET", "a b.txt");
    let url = url.expose_url();
    assert!(
        url.starts_with("http://127.0.0.1:10000/devstoreaccount1/presign-test/a%20b.txt?"),
        "{url}"
    );
    assert!(
        url.contains("st=2024-01-02T02%3A59%3A05Z") || url.contains("st=2024-01-02T02:59:05Z"),
        "{url}"
    );
    assert!(url.contains("si=readers"), "{url}");
    assert!(!format!("{c:?} {entry:?}").contains(AZURITE_KEY));

    let e = err("[providers.az]\nkind = \"azure\"\naccount = \"a\"\n");
    assert!(e.contains("container"), "{e}");
    let e = err(
        "[providers.az]\nkind = \"azure\"\naccount = \"acct\"\ncontainer = \"c\"\ncredential = \"magic\"\n",
    );
    assert!(e.contains("providers.az.credential"), "{e}");
    let built = |toml: &str| {
        let toml = format!("[policy]\nany_key = true\n{toml}");
        let c = Config::from_toml_str_with_env(&toml, env(&[])).unwrap();
        Registry::from_config(&c).get("az").unwrap_err().to_string()
    };
    let e = built(
        "[providers.az]\nkind = \"azure\"\naccount = \"acct1\"\ncontainer = \"cont\"\ncredential = \"user-delegation\"\n",
    );
    // Without the feature the credential itself is refused; with it, the missing token.
    #[cfg(not(feature = "azure-user-delegation"))]
    assert!(
        e.contains("providers.az.credential") && e.contains("azure-user-delegation"),
        "{e}"
    );
    #[cfg(feature = "azure-user-delegation")]
    assert!(e.contains("providers.az.access_token"), "{e}");
    let e = built("[providers.az]\nkind = \"azure\"\naccount = \"acct1\"\ncontainer = \"cont\"\n");
    assert!(e.contains("providers.az.account_key"), "{e}");
    let e = built(
        "[providers.az]\nkind = \"azure\"\naccount = \"Bad_Account\"\ncontainer = \"cont\"\naccount_key = \"a2V5\"\n",
    );
    assert!(e.contains("providers.az.account"), "{e}");
    let e = built(
        "[providers.az]\nkind = \"azure\"\naccount = \"acct1\"\ncontainer = \"cont\"\naccount_key = \"not base64 secret!\"\n",
    );
    assert!(
        e.contains("providers.az.account_key") && !e.contains("secret!"),
        "{e}"
    );
}

#[test]
fn max_upload_size_forms() {
    for (v, n) in [
        ("1048576", 1 << 20),
        ("\"5MiB\"", 5 << 20),
        ("\"100MB\"", 100_000_000),
    ] {
        let c = Config::from_toml_str_with_env(
            &format!("{PROD}[providers.prod.policy]\nmax_upload_size = {v}\nany_key = true\n"),
            env(&[]),
        )
        .unwrap();
        let p = Registry::from_config(&c)
            .entry("prod")
            .unwrap()
            .policy
            .clone();
        assert_eq!(p.max_upload_size(), n, "{v}");
    }
    let e = err("[policy]\nmax_upload_size = \"5 parsecs\"\n");
    assert!(
        e.contains("policy.max_upload_size") && e.contains("MiB"),
        "{e}"
    );
    let e = err("[policy]\nmax_upload_size = 0\n");
    assert!(e.contains("policy.max_upload_size"), "{e}");
}
