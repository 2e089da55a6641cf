//! `presign inspect` on URLs made by the vendors' own SDKs (boto3, google-cloud-storage,
//! azure-storage-blob; scripts beside this file): every field of each report is checked
//! against the request that produced the URL, and every URL is also checked whole-and-cut
//! (truncated anywhere it decodes or names the part, never panics).

mod azure;
mod gcs;
mod s3;

use std::collections::BTreeMap;
use std::path::PathBuf;

use presign_core::verify::Verifier;
use presign_core::{Method, Timestamp};
use presign_inspect::{Part, Report, inspect, verify};
use presign_tests::sdk::run_sdk_script;
use serde_json::Value;

/// Object names with the characters that break naive encoders.
pub(crate) const NAMES: &[&str] = &[
    "a.txt",
    "reports/2026/q4 summary.pdf",
    "ünï/çødé.bin",
    "a+b=c&d.txt",
    "100%/50%25",
    "why?#hash",
    "~tilde/it's (1).txt",
    "日本語/😀.png",
    "dir/",
    "a//b",
    "[x]{y}|^`<>",
    "semi;colon:at@dollar$comma,",
];

/// Runs an SDK script over `cases` and returns each case's URL by id; a case the SDK refused
/// fails the test.
pub(crate) fn urls(py: &PathBuf, script: &str, cases: &Value) -> BTreeMap<u64, String> {
    let out = run_sdk_script(py, script, cases);
    let mut urls = BTreeMap::new();
    for line in out.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).unwrap();
        let id = v["id"].as_u64().unwrap();
        match v["url"].as_str() {
            Some(url) => urls.insert(id, url.to_owned()),
            None => panic!("{script}: case {id} refused by the SDK: {}", v["error"]),
        };
    }
    urls
}

/// Inspects `url` at `now`, and every truncation of it: a cut URL decodes or says which part
/// is wrong.
pub(crate) fn inspect_all_ways(url: &str, now: Timestamp) -> Report {
    let report = inspect(url, now).unwrap_or_else(|e| panic!("{url}: {e}"));
    for cut in (0..url.len())
        .step_by(7)
        .filter(|c| url.is_char_boundary(*c))
    {
        if let Err(e) = inspect(&url[..cut], now) {
            assert!(!e.to_string().is_empty());
        }
    }
    report
}

/// The finding codes of a report, sorted.
pub(crate) fn codes(r: &Report) -> Vec<&'static str> {
    let mut c: Vec<_> = r.findings.iter().map(|f| f.code).collect();
    c.sort_unstable();
    c
}

/// The lifetime findings the checklist asks for, from the lifetime alone.
pub(crate) fn lifetime_codes(secs: u64) -> Vec<&'static str> {
    match secs {
        0..=900 => vec![],
        901..=86_400 => vec!["lifetime-over-15m"],
        _ => vec!["lifetime-over-24h"],
    }
}

/// `v` plus `more`, sorted.
pub(crate) fn sorted(mut v: Vec<&'static str>, more: &[&'static str]) -> Vec<&'static str> {
    v.extend_from_slice(more);
    v.sort_unstable();
    v
}

/// `verify` says the SDK's URL is valid for the request that made it, and names the part for
/// each single-field change: the method (where signed), a signed header's value, a missing
/// signed header, the path re-encoded, the time window, the key id.
pub(crate) fn verify_all_ways(
    verifier: &dyn Verifier,
    url: &str,
    method: Method,
    headers: &[(String, String)],
    now: Timestamp,
    method_signed: bool,
) {
    let v = verify(verifier, url, method, headers, now).unwrap_or_else(|e| panic!("{url}: {e}"));
    assert!(v.valid, "{url}: {}", v.message);
    let part = |url: &str, m: Method, h: &[(String, String)], t: Timestamp| {
        let v = verify(verifier, url, m, h, t).unwrap_or_else(|e| panic!("{url}: {e}"));
        assert!(
            !v.valid,
            "{url}: still valid after a change ({m}, {h:?}, {t})"
        );
        v.part.unwrap()
    };
    if method_signed {
        let other = if method == Method::Get {
            Method::Delete
        } else {
            Method::Get
        };
        assert_eq!(part(url, other, headers, now), Part::Method, "{url}");
    }
    if let Some(((name, value), rest)) = headers.split_first() {
        let mut changed = vec![(name.clone(), format!("{value}x"))];
        changed.extend_from_slice(rest);
        assert_eq!(part(url, method, &changed, now), Part::Header, "{url}");
        assert_eq!(part(url, method, rest, now), Part::MissingHeader, "{url}");
    }
    let late = Timestamp::from_unix(v.report.expires_at.unix()).unwrap();
    assert_eq!(part(url, method, headers, late), Part::TimeWindow, "{url}");
    if let Some(at) = url.find("%20") {
        let plus = format!("{}+{}", &url[..at], &url[at + 3..]);
        if plus.find('?') > Some(at) {
            assert_eq!(
                part(&plus, method, headers, now),
                Part::CanonicalPath,
                "{plus}"
            );
        }
    }
}
