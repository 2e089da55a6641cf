#![cfg(test)] // all test code: clippy.toml's allow-*-in-tests cover its helpers too
//! Issue 8, item 1: a batch line's inline provider could name the server's secrets
//! (`*_env`, `*_file`, the ambient `AWS_*` / `GOOGLE_APPLICATION_CREDENTIALS`) and carry a
//! `policy` table that raised `max_ttl` to 7 days and allowed DELETE. Inline providers are
//! now off unless the operator passes `--allow-inline-providers`; even then they take
//! secrets only inline and their policy can only tighten the operator's.

mod support;

use support::{attacked_config, clock_now, run, validity};

/// Values planted in the server's environment and files: none may ever be printed.
const PLANTED_ID: &str = "AKIAPLANTEDPRODKEYID";
const PLANTED_SECRET: &str = "planted-prod-secret-value/K7MDENG";
const PLANTED_FILE: &str = "line1-secret-db-password=hunter2\nline2-more-secret\n";
const NEXT_CALLER_KEY: &str = "bmV4dC1jYWxsZXItYXp1cmUta2V5LXNlY3JldA==";

fn planted_env(file: &str) -> Vec<(String, String)> {
    vec![
        ("PROD_AWS_KEY_ID".into(), PLANTED_ID.into()),
        ("PROD_AWS_SECRET".into(), PLANTED_SECRET.into()),
        ("AWS_ACCESS_KEY_ID".into(), PLANTED_ID.into()),
        ("AWS_SECRET_ACCESS_KEY".into(), PLANTED_SECRET.into()),
        ("GOOGLE_APPLICATION_CREDENTIALS".into(), file.into()),
        ("DB_PASSWORD".into(), "hunter2".into()),
    ]
}

/// No byte sequence of a planted value (nor a recognizable piece of one) in `text`.
fn assert_nothing_planted(text: &str) {
    for planted in [
        PLANTED_ID,
        PLANTED_SECRET,
        "hunter2",
        "line1-secret",
        "line2-more",
        "root:x:0:0",
        NEXT_CALLER_KEY,
    ] {
        assert!(!text.contains(planted), "{planted:?} leaked: {text}");
    }
}

/// `presign --config CONFIG batch [FLAGS]`.
fn batch(
    config: &std::path::Path,
    flags: &[&str],
    env: &[(String, String)],
    input: &str,
) -> support::Out {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut argv = vec!["--config", config.to_str().unwrap(), "batch"];
    argv.extend_from_slice(flags);
    run(&argv, &env, input.as_bytes())
}

/// The issue's line, verbatim: the server's key, a 7-day DELETE outside the prefixes.
const ISSUE_LINE: &str = r#"{"provider":{"kind":"s3","bucket":"prod-bucket","region":"eu-west-1","access_key_id_env":"PROD_AWS_KEY_ID","secret_access_key_env":"PROD_AWS_SECRET","policy":{"max_ttl":"7d","allow_methods":["GET","DELETE"],"key_prefixes":[]}},"method":"DELETE","key":"secret/payroll.csv","expires_in":604800}"#;

#[test]
fn inline_providers_are_off_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let config = attacked_config(dir.path(), "");
    let secret_file = dir.path().join("db.env");
    std::fs::write(&secret_file, PLANTED_FILE).unwrap();
    let env = planted_env(secret_file.to_str().unwrap());
    let out = batch(&config, &[], &env, ISSUE_LINE);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_nothing_planted(&out.all());
    let lines = out.lines();
    assert_eq!(lines.len(), 1);
    assert!(lines[0].get("url").is_none(), "signed: {}", lines[0]);
    let message = lines[0]["error"]["message"].as_str().unwrap();
    assert!(message.contains("--allow-inline-providers"), "{message}");
}

/// Every way an inline provider could read the server: each line is refused, naming the
/// field, and nothing read is printed — also with inline providers allowed.
#[test]
fn inline_providers_never_read_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let config = attacked_config(dir.path(), "");
    let secret_file = dir.path().join("db.env");
    std::fs::write(&secret_file, PLANTED_FILE).unwrap();
    let f = secret_file.to_str().unwrap();
    let env = planted_env(f);
    let s3 = r#""kind":"s3","bucket":"corp-bucket","region":"eu-west-1""#;
    let inline_s3 = r#""access_key_id":"AKIDINLINE","secret_access_key":"inline-secret""#;
    let lines = [
        // (inline provider body, the field the refusal names)
        (format!(r#"{s3},"access_key_id_env":"PROD_AWS_KEY_ID","secret_access_key_env":"PROD_AWS_SECRET""#), "access_key_id_env"),
        (format!(r#"{s3},"access_key_id":"AKIDINLINE","secret_access_key_env":"DB_PASSWORD""#), "secret_access_key_env"),
        (format!(r#"{s3},"access_key_id_file":"{f}","secret_access_key":"x""#), "access_key_id_file"),
        (format!(r#"{s3},"access_key_id_file":"/etc/passwd","secret_access_key":"x""#), "access_key_id_file"),
        (format!(r#"{s3},"access_key_id_file":"/dev/stdin","secret_access_key":"x""#), "access_key_id_file"),
        (format!(r#"{s3},{inline_s3},"session_token_file":"{f}""#), "session_token_file"),
        (s3.to_string(), "access_key_id"),
        (r#""kind":"gcs","bucket":"corp-bucket""#.to_string(), "service_account"),
        (format!(r#""kind":"gcs","bucket":"corp-bucket","service_account_file":"{f}""#), "service_account_file"),
        (r#""kind":"gcs","bucket":"corp-bucket","service_account_env":"DB_PASSWORD""#.to_string(), "service_account_env"),
        (format!(r#""kind":"gcs","bucket":"corp-bucket","hmac_access_id":"GOOG1X","hmac_secret_file":"{f}""#), "hmac_secret_file"),
        (r#""kind":"gcs","bucket":"corp-bucket","signer":"sign-blob","service_account_email":"a@b.iam.gserviceaccount.com","access_token":"t""#.to_string(), "signer"),
        (r#""kind":"azure","account":"acct1","container":"cont""#.to_string(), "account_key"),
        (r#""kind":"azure","account":"acct1","container":"cont","account_key_env":"DB_PASSWORD""#.to_string(), "account_key_env"),
        (format!(r#""kind":"azure","account":"acct1","container":"cont","account_key_file":"{f}""#), "account_key_file"),
        (r#""kind":"azure","account":"acct1","container":"cont","credential":"user-delegation","access_token":"t","endpoint":"http://127.0.0.1:9/acct1""#.to_string(), "credential"),
    ];
    let mut input = String::new();
    for (i, (body, _)) in lines.iter().enumerate() {
        input.push_str(&format!(
            "{{\"id\":{i},\"provider\":{{{body}}},\"method\":\"GET\",\"key\":\"uploads/alice/a\"}}\n"
        ));
    }
    // The caller after the `/dev/stdin` line, with a key of its own.
    input.push_str(&format!(
        "{{\"id\":\"next\",\"provider\":{{\"kind\":\"azure\",\"account\":\"acct2\",\"container\":\"cont\",\"account_key\":\"{NEXT_CALLER_KEY}\"}},\"method\":\"GET\",\"key\":\"uploads/alice/b\"}}\n"
    ));
    let out = batch(&config, &["--allow-inline-providers"], &env, &input);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_nothing_planted(&out.all());
    let answers = out.lines();
    assert_eq!(answers.len(), lines.len() + 1, "{}", out.stdout);
    for (i, (_, field)) in lines.iter().enumerate() {
        let a = &answers[i];
        assert_eq!(a["id"], i, "{a}");
        assert!(a.get("url").is_none(), "line {i} signed: {a}");
        let m = a["error"]["message"]
            .as_str()
            .unwrap_or_else(|| panic!("line {i}: {a}"));
        assert!(
            m.contains(&format!("provider.{field}")) && m.contains("inline provider"),
            "line {i}: {m}"
        );
    }
    // The next caller was answered as its own line, not swallowed.
    let next = answers.last().unwrap();
    assert_eq!(next["id"], "next");
    assert!(
        next["url"].as_str().is_some_and(|u| u.contains("acct2")),
        "{next}"
    );
}

/// The issue's line with inline providers allowed and inline credentials: its policy table
/// cannot raise the TTL, add DELETE, or drop the prefixes; a narrower one is enforced.
#[test]
fn an_inline_policy_only_tightens_the_operators() {
    let dir = tempfile::tempdir().unwrap();
    let config = attacked_config(dir.path(), "");
    let creds = r#""kind":"s3","bucket":"prod-bucket","region":"eu-west-1","access_key_id":"AKIDINLINE","secret_access_key":"inline-secret""#;
    let wider = [
        r#"{"max_ttl":"7d","allow_methods":["GET","DELETE"],"key_prefixes":[]}"#,
        r#"{"max_ttl":"7d"}"#,
        r#"{"allow_methods":["GET","DELETE"]}"#,
        r#"{"key_prefixes":[]}"#,
        r#"{"key_prefixes":["secret/"]}"#,
        r#"{"key_prefixes":["uploads/"]}"#,
        r#"{"any_key":true}"#,
        r#"{"constraints":"best-effort"}"#,
        r#"{"allow_headers":["x-amz-copy-source"]}"#,
    ];
    let mut input = String::new();
    for (i, policy) in wider.iter().enumerate() {
        for (method, key) in [
            ("DELETE", "secret/payroll.csv"),
            ("GET", "secret/payroll.csv"),
            ("GET", "uploads/alice/a"),
        ] {
            input.push_str(&format!(
                "{{\"id\":\"{i}-{method}-{key}\",\"provider\":{{{creds},\"policy\":{policy}}},\"method\":\"{method}\",\"key\":\"{key}\",\"expires_in\":604800}}\n"
            ));
        }
    }
    let narrow = r#"{"max_ttl":"1m","default_ttl":"30s","key_prefixes":["uploads/alice/photos/"],"allow_methods":["GET"]}"#;
    for (method, key) in [
        ("GET", "uploads/alice/photos/p.png"),
        ("GET", "uploads/alice/a"),
        ("PUT", "uploads/alice/photos/p.png"),
    ] {
        input.push_str(&format!(
            "{{\"id\":\"narrow-{method}-{key}\",\"provider\":{{{creds},\"policy\":{narrow}}},\"method\":\"{method}\",\"key\":\"{key}\",\"expires_in\":604800}}\n"
        ));
    }
    let before = clock_now();
    let out = batch(&config, &["--allow-inline-providers"], &[], &input);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let answers = out.lines();
    assert_eq!(answers.len(), wider.len() * 3 + 3);
    for a in &answers {
        let id = a["id"].as_str().unwrap();
        match a["url"].as_str() {
            None => {}
            Some(url) => {
                // Only the narrow policy's one allowed request may be signed, within 1 minute.
                assert_eq!(id, "narrow-GET-uploads/alice/photos/p.png", "{a}");
                let (_, expires) = validity(url);
                assert!(expires <= before + 60 + 2, "{a}");
            }
        }
    }
    let signed = answers.iter().filter(|a| a.get("url").is_some()).count();
    assert_eq!(signed, 1, "{}", out.stdout);
    for a in answers.iter().take(wider.len() * 3) {
        let m = a["error"]["message"].as_str().unwrap();
        assert!(m.contains("provider.policy"), "{m}");
        assert!(
            !m.contains("uploads/alice"),
            "the operator's prefixes leaked: {m}"
        );
    }
}
