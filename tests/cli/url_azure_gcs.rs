//! `presign url` on Azure and GCS providers from a configuration file: the URL is exactly what
//! presign-azure / presign-gcs sign for the same request, constraints become SAS fields or are
//! refused, and `STORAGE_EMULATOR_HOST` applies.

use presign_core::Timestamp;

use crate::fixtures::{
    AZURITE_KEY, GCS_HMAC_ID, GCS_HMAC_SECRET, MULTI_ENV, azure_direct, gcs_direct, get,
    multi_cloud_config, query_param, run_multi,
};
use crate::{NOW, run_env};

#[test]
fn azure_url_matches_presign_azure_and_enforces_constraints() {
    let dir = tempfile::tempdir().unwrap();
    let file = multi_cloud_config(dir.path());
    let key = "reports/q4 summary.pdf";
    let out = run_multi(&file, &["url", "GET", key, "--now", NOW], "");
    let url = out.ok().trim_end();
    assert_eq!(url, azure_direct(&get(key)));
    // Shape: Azurite path, service SAS for one blob, read only, signed.
    assert!(
        url.starts_with(
            "http://127.0.0.1:10000/devstoreaccount1/presign-test/reports/q4%20summary.pdf?"
        ),
        "{url}"
    );
    assert_eq!(query_param(url, "sr"), Some("b"));
    assert_eq!(query_param(url, "sp"), Some("r"));
    assert_eq!(query_param(url, "se"), Some("2024-01-02T03%3A09%3A05Z"));
    let sig = query_param(url, "sig").unwrap();
    assert!(!sig.is_empty(), "{url}");
    // --ip, --https-only and --not-before become sip, spr and st: Azure enforces them, and the
    // URL is the provider's own.
    let out = run_multi(
        &file,
        &[
            "url",
            "--provider",
            "az",
            "GET",
            key,
            "--now",
            NOW,
            "--ip",
            "203.0.113.7",
            "--https-only",
            "--not-before",
            "2024-01-02T03:05:00Z",
            "--json",
        ],
        "",
    );
    let v = out.ok_json();
    assert_eq!(v["provider"], "az");
    assert_eq!(v["dropped"], serde_json::json!([]));
    let url = v["url"].as_str().unwrap();
    assert_eq!(query_param(url, "sip"), Some("203.0.113.7"), "{url}");
    assert_eq!(query_param(url, "spr"), Some("https"), "{url}");
    assert_eq!(
        query_param(url, "st"),
        Some("2024-01-02T03%3A05%3A00Z"),
        "{url}"
    );
    let mut c = presign_core::Constraints::default();
    c.client_ip = Some(presign_core::ClientIp::parse("203.0.113.7").unwrap());
    c.https_only = true;
    c.not_before = Some(Timestamp::parse_rfc3339("2024-01-02T03:05:00Z").unwrap());
    assert_eq!(url, azure_direct(&get(key).with_constraints(c)));
    // No POST policies on Azure.
    let out = run_multi(&file, &["post", "uploads/a.png"], "");
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(
        out.stderr.contains("does not sign POST policies") && out.stderr.contains("azure"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains(AZURITE_KEY));
}

#[test]
fn gcs_urls_match_presign_gcs() {
    let dir = tempfile::tempdir().unwrap();
    let file = multi_cloud_config(dir.path());
    let key = "ünï/çødé+100%.bin";
    // HMAC key.
    let out = run_multi(
        &file,
        &["url", "--provider", "gh", "GET", key, "--now", NOW],
        "",
    );
    let url = out.ok().trim_end();
    let direct = gcs_direct(
        presign_gcs::GcsPresigner::builder().hmac_key(
            GCS_HMAC_ID,
            presign_core::SecretString::new(GCS_HMAC_SECRET),
        ),
        &get(key),
    );
    assert_eq!(url, direct);
    assert!(
        url.starts_with(
            "https://storage.googleapis.com/presign-test/%C3%BCn%C3%AF/%C3%A7%C3%B8d%C3%A9%2B100%25.bin?"
        ),
        "{url}"
    );
    assert_eq!(
        query_param(url, "X-Goog-Algorithm"),
        Some("GOOG4-HMAC-SHA256")
    );
    assert_eq!(query_param(url, "X-Goog-Date"), Some("20240102T030405Z"));
    assert_eq!(query_param(url, "X-Goog-Expires"), Some("300"));
    assert_eq!(
        query_param(url, "X-Goog-Credential"),
        Some(format!("{GCS_HMAC_ID}%2F20240102%2Fauto%2Fstorage%2Fgoog4_request").as_str())
    );
    assert_eq!(query_param(url, "X-Goog-Signature").unwrap().len(), 64);
    assert!(!url.contains(GCS_HMAC_SECRET));
    // RSA key from service_account_file, virtual-hosted.
    let out = run_multi(
        &file,
        &["url", "--provider", "gk", "GET", "a b.txt", "--now", NOW],
        "",
    );
    let url = out.ok().trim_end();
    let direct = gcs_direct(
        presign_gcs::GcsPresigner::builder()
            .service_account_file(presign_tests::gcs_service_account_file())
            .url_style(presign_gcs::UrlStyle::VirtualHosted),
        &get("a b.txt"),
    );
    assert_eq!(url, direct);
    assert!(
        url.starts_with("https://presign-test.storage.googleapis.com/a%20b.txt?X-Goog-Algorithm=GOOG4-RSA-SHA256&"),
        "{url}"
    );
    assert_eq!(query_param(url, "X-Goog-Signature").unwrap().len(), 512);
    // STORAGE_EMULATOR_HOST from the environment.
    let mut env = MULTI_ENV.to_vec();
    env.push(("STORAGE_EMULATOR_HOST", "127.0.0.1:4443"));
    let out = run_env(
        &[
            "--config",
            file.to_str().unwrap(),
            "url",
            "--provider",
            "gh",
            "GET",
            "k",
            "--now",
            NOW,
        ],
        &env,
        "",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with("http://127.0.0.1:4443/presign-test/k?"),
        "{}",
        out.stdout
    );
    // GCS cannot enforce an IP restriction either.
    let out = run_multi(
        &file,
        &["url", "--provider", "gh", "GET", "k", "--ip", "10.0.0.1"],
        "",
    );
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(
        out.stderr.contains("constraint_not_enforced") && out.stderr.contains("gh"),
        "{}",
        out.stderr
    );
}
