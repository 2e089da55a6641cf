//! A multi-cloud configuration file (Azure on Azurite, GCS HMAC and RSA, S3 with POST allowed)
//! and what each provider crate signs directly for the same request, to compare the CLI with.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use presign_core::{FixedClock, PresignRequest, Presigner};
use serde_json::Value;

use crate::{ACCESS_KEY, Out, SECRET_KEY, block, now, run_env};

/// Azurite's published development key (not a secret).
pub(crate) const AZURITE_KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
pub(crate) const GCS_HMAC_ID: &str = "GOOG1EEXAMPLEHMACACCESSID";
pub(crate) const GCS_HMAC_SECRET: &str = "gcs-hmac-secret-value-123";

/// A configuration file with an Azure (Azurite), a GCS HMAC and a GCS RSA provider, and an
/// S3 one; POST allowed on `s3post` and `gcspost`.
pub(crate) fn multi_cloud_config(dir: &Path) -> PathBuf {
    let file = dir.join("presign.toml");
    std::fs::write(
        &file,
        format!(
            r#"
            default_provider = "az"

            [policy]
            any_key = true

            [providers.az]
            kind = "azure"
            account = "devstoreaccount1"
            container = "presign-test"
            account_key_env = "AZ_KEY"
            endpoint = "http://127.0.0.1:10000/devstoreaccount1"

            [providers.gh]
            kind = "gcs"
            bucket = "presign-test"
            hmac_access_id = "{GCS_HMAC_ID}"
            hmac_secret_env = "GCS_SECRET"

            [providers.gk]
            kind = "gcs"
            bucket = "presign-test"
            service_account_file = "{sa}"
            url_style = "virtual"

            [providers.gcspost]
            kind = "gcs"
            bucket = "presign-test"
            service_account_file = "{sa}"
            [providers.gcspost.policy]
            allow_methods = ["GET", "PUT", "POST"]
            max_upload_size = "10MiB"

            [providers.s3post]
            kind = "s3"
            bucket = "presign-test"
            region = "us-east-1"
            endpoint = "http://127.0.0.1:8333"
            addressing = "path"
            access_key_id = "{ACCESS_KEY}"
            secret_access_key_env = "S3_SECRET"
            [providers.s3post.policy]
            allow_methods = ["GET", "HEAD", "PUT", "POST"]
            max_upload_size = "5MiB"

            [providers.s3loose]
            kind = "s3"
            bucket = "presign-test"
            region = "us-east-1"
            endpoint = "http://127.0.0.1:8333"
            addressing = "path"
            access_key_id = "{ACCESS_KEY}"
            secret_access_key_env = "S3_SECRET"
            [providers.s3loose.policy]
            constraints = "best-effort"
            "#,
            sa = presign_tests::gcs_service_account_file().display()
        ),
    )
    .unwrap();
    file
}

pub(crate) const MULTI_ENV: [(&str, &str); 3] = [
    ("AZ_KEY", AZURITE_KEY),
    ("GCS_SECRET", GCS_HMAC_SECRET),
    ("S3_SECRET", SECRET_KEY),
];

pub(crate) fn run_multi(file: &Path, args: &[&str], stdin: &str) -> Out {
    let mut all = vec!["--config", file.to_str().unwrap()];
    all.extend_from_slice(args);
    run_env(&all, &MULTI_ENV, stdin)
}

/// What presign-azure itself signs for `request` with the Azurite settings.
pub(crate) fn azure_direct(request: &PresignRequest) -> String {
    let p = presign_azure::AzurePresigner::builder()
        .name("az")
        .account("devstoreaccount1")
        .container("presign-test")
        .account_key(presign_core::SecretString::new(AZURITE_KEY))
        .endpoint("http://127.0.0.1:10000/devstoreaccount1")
        .clock(Arc::new(FixedClock(now())))
        .build()
        .unwrap();
    block(p.presign(request)).unwrap().expose_url().to_owned()
}

pub(crate) fn gcs_direct(
    builder: presign_gcs::GcsPresignerBuilder,
    request: &PresignRequest,
) -> String {
    let p = builder
        .bucket("presign-test")
        .clock(Arc::new(FixedClock(now())))
        .build()
        .unwrap();
    block(p.presign(request)).unwrap().expose_url().to_owned()
}

pub(crate) fn get(key: &str) -> PresignRequest {
    PresignRequest::parse("GET", key)
        .unwrap()
        .signed_at(now())
        .with_ttl(Duration::from_secs(300))
}

pub(crate) fn query_param<'a>(url: &'a str, name: &str) -> Option<&'a str> {
    url.split_once('?')?
        .1
        .split('&')
        .find_map(|p| p.strip_prefix(name)?.strip_prefix('='))
}

/// `(name, value)` pairs of the `fields` object, in the order of the raw JSON text (an object
/// read into a `Value` loses its order).
pub(crate) fn ordered_fields(json_text: &str) -> Vec<(String, String)> {
    let v: Value = serde_json::from_str(json_text).unwrap();
    let start = json_text.find("\"fields\":").unwrap();
    let text = &json_text[start..];
    let mut pairs: Vec<(usize, String, String)> = v["fields"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, val)| {
            let quoted = serde_json::to_string(k).unwrap();
            let at = text.find(&format!("{quoted}:")).unwrap();
            (at, k.clone(), val.as_str().unwrap().to_owned())
        })
        .collect();
    pairs.sort();
    pairs.into_iter().map(|(_, k, v)| (k, v)).collect()
}
