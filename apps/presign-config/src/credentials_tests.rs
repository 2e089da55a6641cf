//! `credentials = "SOURCE"` on S3 providers: parsed, refused next to keys and for inline
//! providers, and (with the `aws-credentials` feature) built into a cached, lazily built
//! source; without the feature an error naming it.

use crate::*;

const BASE: &str = "[policy]\nany_key = true\n[providers.p]\nkind = \"s3\"\nbucket = \"media\"\n";

fn entry(extra: &str) -> Result<std::sync::Arc<ProviderEntry>, presign_core::Error> {
    let toml = format!("{BASE}{extra}");
    let c = Config::from_toml_str_with_env(
        &toml,
        Environment::from_pairs(Vec::<(String, String)>::new()),
    )?;
    Registry::from_config(&c).entry("p")
}

#[test]
fn keys_next_to_a_source_are_refused() {
    let e = entry(
        "credentials = \"chain\"\naccess_key_id = \"AKID\"\nsecret_access_key = \"s3cr3t-value\"\n",
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("providers.p.credentials") && e.contains("not both"),
        "{e}"
    );
    assert!(!e.contains("s3cr3t-value"), "{e}");
}

#[cfg(feature = "aws-credentials")]
#[test]
fn named_sources_build_lazily_and_never_block_the_sync_path() {
    use presign_core::SyncPresigner;
    for extra in [
        "credentials = \"chain\"\n",
        "credentials = \"profile\"\nprofile = \"signer\"\n",
        "credentials = \"web-identity\"\n",
        "credentials = \"container\"\n",
        "credentials = \"imds\"\n",
        "credentials = \"environment\"\n",
    ] {
        let e = entry(extra).unwrap();
        // Nothing is fetched while configuring: the sync path says to use the async one.
        let req = presign_core::PresignRequest::new(
            presign_core::Method::Get,
            presign_core::ObjectKey::new("a").unwrap(),
        );
        assert_eq!(
            e.sync.presign_sync(&req).unwrap_err().kind(),
            "would_block",
            "{extra}"
        );
    }
    let e = entry("credentials = \"sso\"\n").unwrap_err().to_string();
    assert!(
        e.contains("providers.p.credentials") && e.contains("web-identity"),
        "{e}"
    );
    let e = entry("credentials = \"profile\"\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("profile = "), "{e}");
}

#[cfg(not(feature = "aws-credentials"))]
#[test]
fn without_the_feature_the_error_names_it() {
    let e = entry("credentials = \"chain\"\n").unwrap_err().to_string();
    assert!(
        e.contains("providers.p.credentials") && e.contains("aws-credentials"),
        "{e}"
    );
}

#[cfg(feature = "gcs-sign-blob")]
const GCS: &str = "[policy]\nany_key = true\n[providers.p]\nkind = \"gcs\"\nbucket = \"assets\"\nsigner = \"sign-blob\"\nservice_account_email = \"signer@p.iam.gserviceaccount.com\"\n";

#[cfg(feature = "gcs-sign-blob")]
fn gcs(extra: &str) -> Result<std::sync::Arc<ProviderEntry>, presign_core::Error> {
    let toml = format!("{GCS}{extra}");
    let c = Config::from_toml_str_with_env(
        &toml,
        Environment::from_pairs(Vec::<(String, String)>::new()),
    )?;
    Registry::from_config(&c).entry("p")
}

#[cfg(feature = "gcp-credentials")]
#[test]
fn gcs_sign_blob_tokens_from_a_named_source() {
    // Built lazily: nothing is fetched (and no runtime is needed) while configuring.
    gcs("credentials = \"metadata-server\"\n").unwrap();
    gcs("credentials = \"application-default\"\n").unwrap();
    let e = gcs("credentials = \"gce\"\n").unwrap_err().to_string();
    assert!(
        e.contains("providers.p.credentials") && e.contains("metadata-server"),
        "{e}"
    );
    let e = gcs("credentials = \"metadata-server\"\naccess_token = \"ya29.tok-value\"\n")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("not both") && !e.contains("ya29.tok-value"),
        "{e}"
    );
}

#[cfg(all(feature = "gcs-sign-blob", not(feature = "gcp-credentials")))]
#[test]
fn gcs_without_the_feature_the_error_names_it() {
    let e = gcs("credentials = \"metadata-server\"\n")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("providers.p.credentials") && e.contains("gcp-credentials"),
        "{e}"
    );
}

#[test]
fn gcs_credentials_need_sign_blob() {
    let toml = "[policy]\nany_key = true\n[providers.p]\nkind = \"gcs\"\nbucket = \"assets\"\nhmac_access_id = \"GOOG1\"\nhmac_secret = \"s\"\ncredentials = \"metadata-server\"\n";
    let c = Config::from_toml_str_with_env(
        toml,
        Environment::from_pairs(Vec::<(String, String)>::new()),
    )
    .unwrap();
    let e = Registry::from_config(&c)
        .entry("p")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("providers.p.credentials") && e.contains("sign-blob"),
        "{e}"
    );
}
