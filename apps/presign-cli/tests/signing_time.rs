#![cfg(test)] // all test code: clippy.toml's allow-*-in-tests cover its helpers too
//! Issue 8, item 2: the clock is authoritative. `url --now`, `post --now` and a batch line's
//! `"now"` used to be taken as given: `--now 2036-01-01T00:00:00Z` on Azure signed
//! `se=2036-01-01T00:05:00Z` with no `st` (valid from today until 2036 under a 15-minute
//! maximum), and batch `"now":"9999-12-31T23:50:00Z"` signed `se=9999-…`. Every test reads
//! the URL's validity the way the cloud does and checks it against the real clock.

mod support;

use base64::Engine;
use support::{assert_within_max, attacked_config, clock_now, rfc3339_from_now, run, validity};

/// Offsets from the real clock, in seconds, that a caller may put in `--now`.
const OFFSETS: &[i64] = &[
    -86_400,
    -600,
    -1,
    0,
    30,
    59,
    61,
    3600,
    86_400,
    2_000_000_000,
];

/// The skew the default policy tolerates.
const SKEW: i64 = 60;

#[test]
fn url_now_in_2036_on_azure_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let config = attacked_config(dir.path(), "");
    let cfg = config.to_str().unwrap();
    let before = clock_now();
    let out = run(
        &[
            "--config",
            cfg,
            "url",
            "--provider",
            "azure",
            "GET",
            "uploads/alice/report.pdf",
            "--now",
            "2036-01-01T00:00:00Z",
        ],
        &[],
        b"",
    );
    if out.code == 0 {
        // What the old code did: a URL valid until 2036.
        assert_within_max(out.stdout.trim(), before);
    }
    assert_eq!(out.code, 4, "{}", out.all());
    assert!(
        out.stderr
            .starts_with("presign: error[signing_time_not_allowed]: "),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty(), "{}", out.stdout);
}

#[test]
fn url_now_never_extends_validity_on_any_provider() {
    let dir = tempfile::tempdir().unwrap();
    let config = attacked_config(dir.path(), "");
    let cfg = config.to_str().unwrap();
    for provider in ["s3", "gcs", "azure"] {
        for &offset in OFFSETS {
            let now = rfc3339_from_now(offset);
            let before = clock_now();
            let out = run(
                &[
                    "--config",
                    cfg,
                    "url",
                    "--provider",
                    provider,
                    "GET",
                    "uploads/alice/a.txt",
                    "--expires-in",
                    "7d",
                    "--now",
                    &now,
                ],
                &[],
                b"",
            );
            if out.code == 0 {
                assert_within_max(out.stdout.trim(), before);
                assert!(
                    offset <= SKEW,
                    "{provider} {offset}: accepted {}",
                    out.stdout
                );
            } else {
                assert!(offset > SKEW, "{provider} {offset}: {}", out.stderr);
                assert!(
                    out.stderr.contains("error[signing_time_not_allowed]"),
                    "{provider} {offset}: {}",
                    out.stderr
                );
            }
        }
    }
}

#[test]
fn batch_now_in_year_9999_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let config = attacked_config(dir.path(), "");
    let cfg = config.to_str().unwrap();
    let mut input = String::new();
    for provider in ["s3", "gcs", "azure"] {
        input.push_str(&format!(
            "{{\"id\":\"{provider}-9999\",\"provider\":\"{provider}\",\"method\":\"GET\",\"key\":\"uploads/alice/a\",\"now\":\"9999-12-31T23:50:00Z\"}}\n"
        ));
        for &offset in OFFSETS {
            input.push_str(&format!(
                "{{\"id\":\"{provider}{offset}\",\"provider\":\"{provider}\",\"method\":\"GET\",\"key\":\"uploads/alice/a\",\"expires_in\":\"7d\",\"now\":\"{}\"}}\n",
                rfc3339_from_now(offset)
            ));
        }
    }
    let before = clock_now();
    let out = run(&["--config", cfg, "batch"], &[], input.as_bytes());
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines = out.lines();
    assert_eq!(lines.len(), 3 * (OFFSETS.len() + 1));
    for line in &lines {
        let id = line["id"].as_str().unwrap();
        match line["url"].as_str() {
            Some(url) => {
                assert_within_max(url, before);
                assert!(!id.ends_with("9999"), "{line}");
            }
            None => assert_eq!(line["error"]["kind"], "signing_time_not_allowed", "{line}"),
        }
    }
    for provider in ["s3", "gcs", "azure"] {
        let refused = lines
            .iter()
            .find(|l| l["id"] == format!("{provider}-9999"))
            .unwrap();
        assert_eq!(refused["error"]["kind"], "signing_time_not_allowed");
    }
}

/// A POST policy's `expiration` is what S3 checks; it must not outlive the clock's maximum.
#[test]
fn post_now_never_extends_the_form_expiration() {
    let dir = tempfile::tempdir().unwrap();
    let config = attacked_config(dir.path(), "");
    let cfg = config.to_str().unwrap();
    for &offset in OFFSETS {
        let now = rfc3339_from_now(offset);
        let before = clock_now();
        let out = run(
            &[
                "--config",
                cfg,
                "post",
                "--provider",
                "s3post",
                "uploads/alice/",
                "--prefix",
                "--expires-in",
                "7d",
                "--now",
                &now,
            ],
            &[],
            b"",
        );
        if out.code != 0 {
            assert!(offset > SKEW, "{offset}: {}", out.stderr);
            assert!(
                out.stderr.contains("signing_time_not_allowed"),
                "{}",
                out.stderr
            );
            continue;
        }
        assert!(offset <= SKEW, "{offset}: accepted");
        let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        let policy = base64::engine::general_purpose::STANDARD
            .decode(v["fields"]["policy"].as_str().unwrap())
            .unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&policy).unwrap();
        let expiration = support::unix(doc["expiration"].as_str().unwrap());
        assert!(
            expiration <= before + 15 * 60 + 2,
            "{offset}: the form is valid until {expiration}, {} s past the maximum",
            expiration - before - 900
        );
    }
}

/// Azure's `st` (not-before, or the configured `start_backdate`) never lets `se` move past the
/// clock's maximum, and a signing time in the past only shortens validity.
#[test]
fn azure_start_times_do_not_lengthen_validity() {
    let dir = tempfile::tempdir().unwrap();
    let extra = format!(
        "[providers.azback]\nkind = \"azure\"\naccount = \"corpaccount\"\ncontainer = \"corp\"\naccount_key = \"{}\"\nstart_backdate = \"5m\"\n",
        support::AZURITE_KEY
    );
    let config = attacked_config(dir.path(), &extra);
    let cfg = config.to_str().unwrap();
    for (provider, not_before) in [
        ("azure", Some(600)),
        ("azure", Some(3600)),
        ("azure", Some(-3600)),
        ("azback", None),
    ] {
        let nb = not_before.map(rfc3339_from_now);
        let mut args = vec![
            "--config",
            cfg,
            "url",
            "--provider",
            provider,
            "GET",
            "uploads/alice/a",
            "--expires-in",
            "15m",
        ];
        if let Some(nb) = &nb {
            args.extend(["--not-before", nb]);
        }
        let before = clock_now();
        let out = run(&args, &[], b"");
        if out.code == 0 {
            assert_within_max(out.stdout.trim(), before);
            let (start, expires) = validity(out.stdout.trim());
            assert!(start.is_some_and(|s| s < expires), "{}", out.stdout);
        } else {
            assert_eq!(out.code, 4, "{provider} {not_before:?}: {}", out.stderr);
        }
    }
}
