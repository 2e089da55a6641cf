#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr,
    missing_docs
)]
//! The S3 column of the emulator scenario table, against SeaweedFS (`weed mini`, started by
//! `bash .ci/emulators/seaweedfs.sh start` or `bash .ci/test`): http://127.0.0.1:8333
//! (`PRESIGN_S3_ENDPOINT`), bucket `presign-test`, path addressing, region us-east-1.

use presign_core::{PresignRequest, PresignedRequest, Presigner, Timestamp};
use presign_s3::{Addressing, Credentials, S3Presigner};
use presign_tests::emulator::emulator_endpoint;
use presign_tests::scenarios::{Column, run_table};

const ENDPOINT_ENV: &str = "PRESIGN_S3_ENDPOINT";
const DEFAULT_ENDPOINT: &str = "http://127.0.0.1:8333";
const BUCKET: &str = "presign-test";
const ACCESS_KEY: &str = "AKIAIOSFODNN7EXAMPLE";
const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

struct S3Column {
    presigner: S3Presigner,
    wrong_token: S3Presigner,
}

fn presigner(endpoint: &str, credentials: Credentials) -> S3Presigner {
    S3Presigner::builder()
        .bucket(BUCKET)
        .region("us-east-1")
        .endpoint(endpoint)
        .addressing(Addressing::Path)
        .credentials(credentials)
        .build()
        .unwrap()
}

impl S3Column {
    fn new(endpoint: &str) -> Self {
        S3Column {
            presigner: presigner(endpoint, Credentials::new(ACCESS_KEY, SECRET_KEY)),
            // SeaweedFS has no STS: a made-up token on valid long-term keys must be refused.
            wrong_token: presigner(
                endpoint,
                Credentials::new(ACCESS_KEY, SECRET_KEY)
                    .with_session_token("FwoGZXIvYXdzEMadeUpSessionTokenForTheScenarioTable"),
            ),
        }
    }
}

/// `20260102T030405Z` → timestamp.
fn parse_amz_date(s: &str) -> Option<Timestamp> {
    let b = s.as_bytes();
    if b.len() != 16 {
        return None;
    }
    let rfc = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &s[0..4],
        &s[4..6],
        &s[6..8],
        &s[9..11],
        &s[11..13],
        &s[13..15]
    );
    Timestamp::parse_rfc3339(&rfc).ok()
}

fn param<'a>(url: &'a str, name: &str) -> Option<&'a str> {
    url.split_once('?')?
        .1
        .split('&')
        .find_map(|p| p.strip_prefix(name)?.strip_prefix('='))
}

impl Column for S3Column {
    fn name(&self) -> String {
        "s3 (SeaweedFS)".into()
    }

    fn presigner(&self) -> &dyn Presigner {
        &self.presigner
    }

    fn presigner_with_wrong_token(&self) -> Option<&dyn Presigner> {
        Some(&self.wrong_token)
    }

    fn signature_param(&self) -> &str {
        "X-Amz-Signature"
    }

    fn expiry_param(&self) -> &str {
        "X-Amz-Expires"
    }

    fn key_quirk(&self, key: &str) -> Option<String> {
        if key.split('/').any(|s| s == "." || s == "..") {
            Some("SeaweedFS refuses keys with . or .. segments (400)".into())
        } else if key.contains("//") {
            Some("SeaweedFS stores a//b as a/b".into())
        } else if key.ends_with('/') {
            Some("SeaweedFS stores a key ending in / as a directory marker".into())
        } else if key.split('/').any(|s| s.len() > 255) {
            Some("SeaweedFS refuses path segments over 255 bytes".into())
        } else {
            None
        }
    }

    fn verify_offline(
        &self,
        request: &PresignRequest,
        signed: &PresignedRequest,
    ) -> Result<(), String> {
        let url = signed.expose_url();
        let date = param(url, "X-Amz-Date").ok_or("no X-Amz-Date")?;
        let time = parse_amz_date(date).ok_or_else(|| format!("bad X-Amz-Date {date}"))?;
        let again = self
            .presigner
            .sign(&request.clone().signed_at(time))
            .map_err(|e| e.to_string())?;
        let want = param(again.expose_url(), "X-Amz-Signature");
        if want.is_some() && want == param(url, "X-Amz-Signature") && again.expose_url() == url {
            Ok(())
        } else {
            Err("re-signing at the URL's own X-Amz-Date gives another URL".into())
        }
    }
}

#[test]
fn s3_scenarios_against_seaweedfs() {
    let Some(endpoint) = emulator_endpoint(ENDPOINT_ENV, DEFAULT_ENDPOINT) else {
        return;
    };
    let column = S3Column::new(&endpoint);
    let prefix = format!("scenarios/{}/", Timestamp::now().unix());
    let summary = run_table(&column, &prefix);
    summary.assert_all_passed();
    assert_eq!(summary.not_judged(), 0, "{summary}");
}
