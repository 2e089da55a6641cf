//! `presign providers`: capabilities and effective policies, as text and JSON, for the `dev`
//! profile and for every provider kind.

use serde_json::Value;

use crate::SECRET_KEY;
use crate::fixtures::{AZURITE_KEY, GCS_HMAC_SECRET, multi_cloud_config, run_multi};
use crate::run;

#[test]
fn providers_lists_capabilities_and_policy() {
    let out = run(&["providers"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.starts_with("dev [default]  (kind s3)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("max_ttl           15m"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("client-ip-v4"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("  credentials         static; long-term (no expiry)\n"),
        "{}",
        out.stdout
    );
    let out = run(&["providers", "--json"]);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v[0]["name"], "dev");
    assert_eq!(v[0]["credentials"]["source"], "static");
    assert_eq!(v[0]["credentials"]["expires_at"], Value::Null);
    assert_eq!(v[0]["policy"]["max_ttl_secs"], 900);
    assert_eq!(
        v[0]["policy"]["allow_methods"],
        serde_json::json!(["GET", "HEAD", "PUT"])
    );
    assert_eq!(v[0]["constraints"]["content-type"], "enforced");
    assert_eq!(v[0]["constraints"]["client-ip-v4"], "unsupported");
}

#[test]
fn providers_table_covers_every_kind() {
    let dir = tempfile::tempdir().unwrap();
    let file = multi_cloud_config(dir.path());
    let out = run_multi(&file, &["providers", "--json"], "");
    let v = out.ok_json();
    let by_name = |n: &str| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == n)
            .unwrap()
            .clone()
    };
    assert_eq!(by_name("az")["kind"], "azure");
    assert_eq!(by_name("az")["post_policy"], false);
    assert_eq!(by_name("az")["default"], true);
    assert_eq!(by_name("az")["constraints"]["client-ip-v4"], "enforced");
    assert_eq!(by_name("gh")["kind"], "gcs");
    assert_eq!(by_name("gh")["post_policy"], true);
    assert_eq!(by_name("s3post")["post_policy"], true);
    assert_eq!(by_name("s3post")["policy"]["max_upload_size"], 5 << 20);
    let out = run_multi(&file, &["providers"], "");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("az [default]  (kind azure)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("post_policy         no"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("post_policy         yes"),
        "{}",
        out.stdout
    );
    for secret in [AZURITE_KEY, GCS_HMAC_SECRET, SECRET_KEY] {
        assert!(!out.stdout.contains(secret) && !out.stderr.contains(secret));
    }
}

/// A named source (`credentials = "container"`, built with `aws-credentials`): `providers`
/// names it and, when it cannot be reached (no container credentials here), says why instead
/// of an expiry; nothing secret is printed.
#[test]
fn providers_names_the_credential_source() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("presign.toml");
    std::fs::write(
        &file,
        "[policy]\nany_key = true\n[providers.ecs]\nkind = \"s3\"\nbucket = \"media\"\ncredentials = \"container\"\n",
    )
    .unwrap();
    let out = run(&["--config", file.to_str().unwrap(), "providers"]);
    assert!(
        out.stdout.contains(
            "  credentials         aws container credentials, cached, refreshed 5m before expiry; error[credentials]: "
        ),
        "{}",
        out.stdout
    );
    let out = run(&["--config", file.to_str().unwrap(), "providers", "--json"]);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        v[0]["credentials"]["source"],
        "aws container credentials, cached, refreshed 5m before expiry"
    );
    assert_eq!(v[0]["credentials"]["error"]["kind"], "credentials");
}

/// Azure providers report their signing key: the account key as static, a user-delegation
/// provider its key source (Get User Delegation Key at the endpoint, with the token's source)
/// and, when no key can be had (nothing listens on 127.0.0.1:9), why — never the token.
#[test]
fn providers_names_the_azure_key_source() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("presign.toml");
    std::fs::write(
        &file,
        format!(
            "[policy]\nany_key = true\n\
             [providers.key]\nkind = \"azure\"\naccount = \"devstoreaccount1\"\ncontainer = \"files\"\naccount_key = \"{AZURITE_KEY}\"\n\
             [providers.ud]\nkind = \"azure\"\naccount = \"acct\"\ncontainer = \"files\"\ncredential = \"user-delegation\"\n\
             access_token = \"eyJ0.entra-token-never-printed\"\nendpoint = \"http://127.0.0.1:9/acct\"\n"
        ),
    )
    .unwrap();
    let out = run(&["--config", file.to_str().unwrap(), "providers"]);
    assert!(
        out.stdout
            .contains("  credentials         account key (static); long-term (no expiry)\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(
            "  credentials         user-delegation keys from Get User Delegation Key at http://127.0.0.1:9/acct/ with tokens from access_token from "
        ),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout.contains("entra-token-never-printed"),
        "{}",
        out.stdout
    );
    assert!(
        !out.stderr.contains("entra-token-never-printed"),
        "{}",
        out.stderr
    );
    let out = run(&["--config", file.to_str().unwrap(), "providers", "--json"]);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    let by_name = |n: &str| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == n)
            .unwrap()
            .clone()
    };
    assert_eq!(
        by_name("key")["credentials"]["source"],
        "account key (static)"
    );
    assert_eq!(by_name("key")["credentials"]["expires_at"], Value::Null);
    let ud = by_name("ud");
    assert!(
        ud["credentials"]["source"]
            .as_str()
            .is_some_and(|s| s.starts_with("user-delegation keys from Get User Delegation Key")),
        "{ud}"
    );
    assert!(ud["credentials"]["error"]["kind"].is_string(), "{ud}");
    assert!(!out.stdout.contains("entra-token-never-printed"));
}
