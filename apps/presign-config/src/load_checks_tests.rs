//! Settings refused when the configuration is loaded (issue 8 item 4), not at the first
//! signature: each error names the field and the rule, and never a secret. Each of these
//! configurations loaded without a word before (checked on commit 37a7737).

use crate::*;

const S3: &str = "[policy]\nany_key = true\n[providers.p]\nkind = \"s3\"\nbucket = \"media\"\nregion = \"eu-west-1\"\naccess_key_id = \"AKIAIOSFODNN7EXAMPLE\"\nsecret_access_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"\n";
const GCS: &str = "[policy]\nany_key = true\n[providers.p]\nkind = \"gcs\"\nbucket = \"media\"\nhmac_secret = \"gcs-hmac-secret-value-123\"\n";
const AZURE: &str = "[policy]\nany_key = true\n[providers.p]\nkind = \"azure\"\naccount = \"devstoreaccount1\"\ncontainer = \"c\"\naccount_key = \"Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==\"\n";

fn load(toml: &str) -> Result<Config, presign_core::Error> {
    Config::from_toml_str_with_env(
        toml,
        Environment::from_pairs(Vec::<(String, String)>::new()),
    )
}

/// The error of loading `toml`, which must name `field` (the whole path) first.
fn refused(toml: &str, field: &str) -> String {
    let e = load(toml).expect_err(toml);
    assert_eq!(e.kind(), "config", "{e}");
    let e = e.to_string();
    assert!(
        e.starts_with(&format!("configuration error at {field}: ")),
        "{e}"
    );
    e
}

#[test]
fn a_time_bucket_as_long_as_the_providers_maximum_is_refused() {
    // The policy's own maximum: refused by the policy.
    let e = refused(
        &format!("{S3}[providers.p.policy]\nmax_ttl = \"15m\"\ntime_bucket = \"15m\"\n"),
        "providers.p.policy.time_bucket",
    );
    assert!(e.contains("shorter than max_ttl"), "{e}");
    // A policy allowing 30 days over a provider that signs 7: the provider's.
    for (kind, extra) in [("s3", S3), ("gcs", GCS), ("azure", AZURE)] {
        let extra = if kind == "gcs" {
            format!("{extra}hmac_access_id = \"GOOG1EXAMPLE\"\n")
        } else {
            extra.to_owned()
        };
        let e = refused(
            &format!("{extra}[providers.p.policy]\nmax_ttl = \"30d\"\ntime_bucket = \"7d\"\n"),
            "providers.p.policy.time_bucket",
        );
        assert!(
            e.contains("7d must be shorter than the longest time-to-live providers.p signs (7d")
                && e.contains(&format!("kind {kind}"))
                && e.contains("no URL could be signed"),
            "{e}"
        );
    }
    // Set in the top-level table: named there.
    let e = refused(
        &S3.replace(
            "any_key = true",
            "any_key = true\nmax_ttl = \"8d\"\ntime_bucket = \"7d\"",
        ),
        "policy.time_bucket",
    );
    assert!(e.contains("providers.p signs"), "{e}");
    // Shorter than both maxima: loads.
    load(&format!(
        "{S3}[providers.p.policy]\nmax_ttl = \"30d\"\ntime_bucket = \"6d\"\n"
    ))
    .unwrap();
}

#[test]
fn virtual_gcs_urls_on_an_ip_endpoint_are_refused() {
    let gcs = format!("{GCS}hmac_access_id = \"GOOG1EXAMPLE\"\n");
    for endpoint in [
        "http://127.0.0.1:4443",
        "https://10.0.0.7",
        "10.0.0.7:9000",
        "http://[::1]:4443/",
    ] {
        let e = refused(
            &format!("{gcs}endpoint = \"{endpoint}\"\nurl_style = \"virtual\"\n"),
            "providers.p.url_style",
        );
        assert!(
            e.contains("is an IP address") && e.contains("use url_style = \"path\""),
            "{e}"
        );
    }
    // Path style on an IP, and virtual on a name, load.
    load(&format!(
        "{gcs}endpoint = \"http://127.0.0.1:4443\"\nurl_style = \"path\"\n"
    ))
    .unwrap();
    load(&format!(
        "{gcs}endpoint = \"https://storage.example.com\"\nurl_style = \"virtual\"\n"
    ))
    .unwrap();
}

#[test]
fn a_virtual_gcs_provider_on_an_ip_emulator_host_is_refused_when_built() {
    let gcs = format!("{GCS}hmac_access_id = \"GOOG1EXAMPLE\"\nurl_style = \"virtual\"\n");
    let env = Environment::from_pairs([("STORAGE_EMULATOR_HOST", "127.0.0.1:4443")]);
    let config = Config::from_toml_str_with_env(&gcs, env).unwrap();
    let e = Registry::from_config(&config)
        .entry("p")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("providers.p.url_style") && e.contains("STORAGE_EMULATOR_HOST"),
        "{e}"
    );
}

#[test]
fn an_azure_endpoint_path_with_dot_segments_is_refused() {
    for endpoint in [
        "http://127.0.0.1:10000/devstoreaccount1/..",
        "http://127.0.0.1:10000/other/../devstoreaccount1",
        "https://proxy.example.com/./acct",
        "http://127.0.0.1:10000/x/%2E%2e/devstoreaccount1",
    ] {
        let e = refused(
            &format!("{AZURE}endpoint = \"{endpoint}\"\n"),
            "providers.p.endpoint",
        );
        assert!(e.contains("'.' or '..' segment"), "{e}");
    }
    load(&format!(
        "{AZURE}endpoint = \"http://127.0.0.1:10000/devstoreaccount1/..x/.y\"\n"
    ))
    .unwrap();
}

#[test]
fn ip_like_hosts_that_are_not_ip_addresses_are_refused() {
    for (field, host) in [
        ("endpoint", "999.1.1.1"),
        ("endpoint", "1.2.3"),
        ("endpoint", "127.1"),
        ("endpoint", "0x7f.0.0.1"),
        ("endpoint", "010.0.0.1"),
        ("endpoint", "256.0.0.1"),
        ("endpoint", "s3.0x10"),
        ("public_endpoint", "1.2.3.4.5"),
        ("served_through", "999.1.1.1"),
    ] {
        let e = refused(
            &format!("{S3}{field} = \"https://{host}:8443\"\n"),
            &format!("providers.p.{field}"),
        );
        assert!(
            e.contains(&format!(
                "{host:?} looks like an IPv4 address but is not one"
            )),
            "{e}"
        );
    }
    for ok in [
        "http://127.0.0.1:8333",
        "https://10.1.2.3",
        "https://s3.eu-west-1.amazonaws.com",
        "https://1.2.3.4.nip.io",
        "http://[::1]:9000",
    ] {
        load(&format!("{S3}endpoint = \"{ok}\"\n")).unwrap();
    }
}

#[test]
fn control_characters_in_a_gcs_hmac_id_are_refused_without_showing_it() {
    for (id, what) in [
        ("GOOG1\\u0000EXAMPLE", "a control character"),
        ("GOOG1EXAMPLE\\r\\nX-Injected: 1", "a control character"),
        ("GOOG1\\tEXAMPLE", "a control character"),
        ("secret/with/slashes", "'/'"),
        ("two words", "a space"),
    ] {
        let e = refused(
            &format!("{GCS}hmac_access_id = \"{id}\"\n"),
            "providers.p.hmac_access_id",
        );
        assert!(e.contains(&format!("contains {what}")), "{e}");
        for part in ["GOOG1", "EXAMPLE", "slashes", "words", "Injected"] {
            assert!(!e.contains(part), "{e}");
        }
    }
    load(&format!("{GCS}hmac_access_id = \"GOOG1EXAMPLE\"\n")).unwrap();
}

#[test]
fn a_session_tokens_expiry_is_read_and_goes_with_the_token() {
    let temp = format!("{S3}session_token = \"FwoGZXIvYXdzEXAMPLE\"\n");
    // Quoted, or a TOML date-time: the credentials then report it.
    for line in [
        "session_token_expires_at = \"2099-12-02T06:00:00Z\"",
        "session_token_expires_at = 2099-12-02T06:00:00Z",
        "session_token_expires_at = \"2099-12-02T07:00:00+01:00\"",
    ] {
        let config = load(&format!("{temp}{line}\n")).unwrap();
        let entry = Registry::from_config(&config).entry("p").unwrap();
        let status = entry.credentials.clone().unwrap();
        let at = futures_executor::block_on(status.expires_at()).unwrap();
        // python3: calendar.timegm((2099, 12, 2, 6, 0, 0))
        assert_eq!(at.map(|t| t.unix()), Some(4_099_874_400), "{line}");
    }
    for (extra, words) in [
        (
            format!("{temp}session_token_expires_at = \"tomorrow\"\n"),
            "\"tomorrow\" is not an RFC 3339 time",
        ),
        (
            format!("{temp}session_token_expires_at = 3\n"),
            "expected an RFC 3339 time",
        ),
        (
            format!("{S3}session_token_expires_at = \"2099-12-02T06:00:00Z\"\n"),
            "without session_token",
        ),
    ] {
        let e = refused(&extra, "providers.p.session_token_expires_at");
        assert!(e.contains(words), "{e}");
        assert!(!e.contains("wJalrXUtnFEMI"), "{e}");
    }
    // Next to a named source (which reports its own expiry).
    let e = refused(
        "[policy]\nany_key = true\n[providers.p]\nkind = \"s3\"\nbucket = \"b\"\ncredentials = \"chain\"\nsession_token_expires_at = \"2099-12-02T06:00:00Z\"\n",
        "providers.p.session_token_expires_at",
    );
    assert!(e.contains("reports its own expiry"), "{e}");
    // With the environment's AWS_SESSION_TOKEN (no key given): accepted.
    load("[policy]\nany_key = true\n[providers.p]\nkind = \"s3\"\nbucket = \"b\"\nregion = \"us-east-1\"\nsession_token_expires_at = \"2099-12-02T06:00:00Z\"\n").unwrap();
}
