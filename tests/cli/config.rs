//! The configuration file, `PRESIGN_CONFIG` and `PRESIGN_` overrides, secrets from the
//! environment, and configuration errors naming the path (exit code 3).

use crate::{NOW, run, run_env};

#[test]
fn config_file_and_environment() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("presign.toml");
    std::fs::write(
        &file,
        r#"
        default_provider = "media"
        [policy]
        max_ttl = "10m"
        any_key = true
        [providers.media]
        kind = "s3"
        bucket = "media-bkt"
        region = "eu-west-1"
        access_key_id = "AKIDMEDIA"
        secret_access_key_env = "MEDIA_SECRET"
        [providers.media.policy]
        allow_methods = ["GET", "DELETE"]
        on_excess_ttl = "reject"
        "#,
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let env = [("MEDIA_SECRET", "media-secret-value")];
    let out = run_env(
        &["--config", path, "url", "DELETE", "old/x", "--now", NOW],
        &env,
        "",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with("https://media-bkt.s3.eu-west-1.amazonaws.com/old/x?"),
        "{}",
        out.stdout
    );
    // Top-level max_ttl with the provider's reject mode.
    let out = run_env(
        &["--config", path, "url", "GET", "x", "--expires-in", "11m"],
        &env,
        "",
    );
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("error[invalid_ttl]"), "{}", out.stderr);
    // The secret's variable is missing: a configuration error naming the path.
    let out = run_env(&["--config", path, "url", "GET", "x"], &[], "");
    assert_eq!(out.code, 3);
    assert!(
        out.stderr.contains("providers.media.secret_access_key_env"),
        "{}",
        out.stderr
    );
    // PRESIGN_CONFIG and PRESIGN_ overrides.
    let env2 = [
        ("PRESIGN_CONFIG", path),
        ("MEDIA_SECRET", "media-secret-value"),
        ("PRESIGN_PROVIDERS__MEDIA__BUCKET", "env-bkt"),
    ];
    let out = run_env(&["url", "GET", "x"], &env2, "");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with("https://env-bkt.s3.eu-west-1.amazonaws.com/x?"),
        "{}",
        out.stdout
    );
    // A bad value in the file: exit 3 with the path.
    std::fs::write(&file, "[providers.prod]\nkind = \"s3\"\nbucket = \"bkt\"\n[providers.prod.policy]\nmax_ttl = \"15x\"\n").unwrap();
    let out = run(&["--config", path, "providers"]);
    assert_eq!(out.code, 3);
    assert!(
        out.stderr
            .contains(r#"providers.prod.policy.max_ttl: "15x" is not a duration"#),
        "{}",
        out.stderr
    );
}
