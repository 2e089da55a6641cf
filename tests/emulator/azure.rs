//! The Azure column of the emulator scenario table, plus Azure-only scenarios, against Azurite
//! (`bash .ci/emulators/azurite.sh start` or `bash .ci/test`):
//! `PRESIGN_AZURITE_ENDPOINT` (default `http://127.0.0.1:10000/devstoreaccount1`), account
//! `devstoreaccount1` with Azurite's published key. The test creates its own container
//! (`presign-azure`) with a SharedKey-signed request.
//!
//! What Azurite 3.35 cannot judge (listed as "not judged", never as passed):
//! - `sip`: it never checks the client address (`validateIPRange() { return true; }`); a
//!   tampered `sip` is still caught, because it is signed.
//! - a stored access policy that leaves permissions and expiry to the URL (the documented way
//!   to use `si` for revocation): Azurite replaces `sp`/`st`/`se` with the policy's and answers
//!   500; only the revocation half (no such policy → 403) is judged.
//! - blob names with a backslash (Azurite answers 403); the URL is checked offline instead.
//! - blob versions (`sr=bv`): Azurite has no blob versioning.

use std::time::Duration;

use base64::Engine as _;
use presign_azure::AzurePresigner;
use presign_core::crypto::hmac_sha256;
use presign_core::encoding::{EncodeSet, decode_lossy, encode};
use presign_core::{PresignRequest, PresignedRequest, Presigner, SecretString, Timestamp};
use presign_tests::emulator::emulator_endpoint;
use presign_tests::scenarios::{Column, Verdict, decoded_path, run_table};

mod sas_scenarios;
mod shared_key;

use sas_scenarios::azure_scenarios;
pub(crate) use shared_key::container_request;

pub(crate) const ENDPOINT_ENV: &str = "PRESIGN_AZURITE_ENDPOINT";
pub(crate) const DEFAULT_ENDPOINT: &str = "http://127.0.0.1:10000/devstoreaccount1";
pub(crate) const ACCOUNT: &str = "devstoreaccount1";
/// Azurite's published development account key (not a secret).
pub(crate) const KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const WRONG_KEY: &str = "d3Jvbmcta2V5LWZvci10aGUtZW11bGF0b3ItdGVzdA==";
pub(crate) const CONTAINER: &str = "presign-azure";

fn presigner(endpoint: &str, key: &str, policy: Option<&str>) -> AzurePresigner {
    let mut b = AzurePresigner::builder()
        .name("azure")
        .account(ACCOUNT)
        .container(CONTAINER)
        .account_key(SecretString::new(key))
        .endpoint(endpoint);
    if let Some(p) = policy {
        b = b.stored_access_policy(p);
    }
    b.build().unwrap()
}

struct AzureColumn {
    presigner: AzurePresigner,
}

impl Column for AzureColumn {
    fn signs_dot_segments(&self) -> bool {
        true
    }

    fn name(&self) -> String {
        "azure (Azurite)".into()
    }

    fn presigner(&self) -> &dyn Presigner {
        &self.presigner
    }

    fn signature_param(&self) -> &str {
        "sig"
    }

    fn expiry_param(&self) -> &str {
        "se"
    }

    fn tamper_expiry(&self, value: &str) -> String {
        let t = Timestamp::parse_rfc3339(&decode_lossy(value)).unwrap();
        let later = t.checked_add(Duration::from_secs(60)).unwrap().to_rfc3339();
        encode(&later, EncodeSet::Component).into_owned()
    }

    fn cannot_judge(&self, scenario: &str) -> Option<String> {
        match scenario {
            "PUT with the signed Content-Type" | "PUT with another Content-Type" => Some(
                "a service SAS cannot bind the upload's Content-Type (capability: unsupported; presign refuses the constraint)".into(),
            ),
            "GET URL used for PUT" => Some(
                "the table sends the GET's (empty) header list, and Azure refuses a PUT without x-ms-blob-type (400) before it looks at the SAS; judged with the header in \"read URL used for PUT (with x-ms-blob-type)\"".into(),
            ),
            "unsigned extra query parameter" => Some(
                "Azure does not sign unknown query parameters and ignores them (200 on Azure too), so there is nothing to judge".into(),
            ),
            _ => None,
        }
    }

    fn key_quirk(&self, key: &str) -> Option<String> {
        key.contains('\\')
            .then(|| "Azurite answers 403 to blob names with a backslash".into())
    }

    fn verify_offline(
        &self,
        _request: &PresignRequest,
        signed: &PresignedRequest,
    ) -> Result<(), String> {
        verify_sas(signed.expose_url(), KEY)
    }
}

/// An independent verifier: rebuilds the sv=2026-10-06 service-SAS string-to-sign from the URL
/// (decoded blob path and query fields) and checks `sig` with the account key.
fn verify_sas(url: &str, key: &str) -> Result<(), String> {
    let (base, query) = url.split_once('?').ok_or("no query")?;
    let q: Vec<(String, String)> = query
        .split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (decode_lossy(k), decode_lossy(v))
        })
        .collect();
    let f = |name: &str| {
        q.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    };
    let path = decoded_path(base);
    let blob = path
        .strip_prefix(&format!("/{ACCOUNT}/{CONTAINER}/"))
        .ok_or_else(|| format!("unexpected path {path:?}"))?;
    let sts = [
        f("sp"),
        f("st"),
        f("se"),
        &format!("/blob/{ACCOUNT}/{CONTAINER}/{blob}"),
        f("si"),
        f("sip"),
        f("spr"),
        f("sv"),
        f("sr"),
        f("versionid"),
        f("ses"),
        f("rscc"),
        f("rscd"),
        f("rsce"),
        f("rscl"),
        f("rsct"),
    ]
    .join("\n");
    let b64 = base64::engine::general_purpose::STANDARD;
    let mac = hmac_sha256(&b64.decode(key).unwrap(), sts.as_bytes());
    if b64.encode(mac) == f("sig") {
        Ok(())
    } else {
        Err(format!("sig does not verify offline for {blob:?}"))
    }
}

#[test]
fn azure_column_against_azurite() {
    let Some(endpoint) = emulator_endpoint(ENDPOINT_ENV, DEFAULT_ENDPOINT) else {
        return;
    };
    let endpoint = endpoint.trim_end_matches('/').to_owned();
    let created = container_request(&endpoint, "PUT", &[], &[]);
    assert!(
        created.status == 201 || created.status == 409,
        "create container {CONTAINER}: {} {}",
        created.status,
        created.body_snippet()
    );
    let column = AzureColumn {
        presigner: presigner(&endpoint, KEY, None),
    };
    let mut summary = run_table(&column, "table/");
    azure_scenarios(&endpoint, &column.presigner, &mut summary);
    println!("{summary}");
    summary.assert_all_passed();
    // Signature tampering at least must have been judged.
    let judged = |name: &str| {
        summary
            .outcomes
            .iter()
            .any(|o| o.scenario == name && o.verdict == Verdict::Passed)
    };
    for must in [
        "valid GET returns the body",
        "read URL used for PUT (with x-ms-blob-type)",
        "changed signature",
        "expired URL",
        "changed sip (signed value edited)",
        "spr=https used over http",
    ] {
        assert!(judged(must), "{must} was not judged");
    }
}
