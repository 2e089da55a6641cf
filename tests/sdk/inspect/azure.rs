//! azure-storage-blob `generate_blob_sas` (account key and user delegation key),
//! `generate_container_sas` (with a stored access policy) and `generate_account_sas` decoded by
//! `presign inspect`.

use presign_azure::AzurePresigner;
use presign_core::{Method, SecretString, Timestamp};
use presign_inspect::{CredentialKind, GrantScope, Part, Provider, verify};
use presign_tests::rng::Rng;
use presign_tests::sdk::sdk_python;
use serde_json::{Value, json};

use super::{NAMES, codes, inspect_all_ways, lifetime_codes, sorted, urls, verify_all_ways};

const START: i64 = 1_767_322_800; // 2026-01-02T03:00:00Z
/// Azurite's published development key (not a secret).
const KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const PERMISSIONS: &[&str] = &["r", "r", "rw", "cw", "c", "d", "rwd", "rl"];
const LIFETIMES: &[i64] = &[300, 900, 3600, 90_000];

fn iso(t: i64) -> String {
    Timestamp::from_unix(t).unwrap().to_string()
}

#[test]
fn azure_storage_blob_sas_decode_field_by_field() {
    let Some(py) = sdk_python(
        "sdk/inspect/azure",
        "azure.storage.blob",
        ".ci/sdk/azure.sh",
    ) else {
        return;
    };
    let mut rng = Rng(0x1235_0003);
    let mut cases = Vec::new();
    for id in 0..120u64 {
        let kind = match id % 6 {
            4 => "container",
            5 => "account",
            _ => "blob",
        };
        let delegation = kind == "blob" && rng.chance(40);
        let lifetime = rng.pick(LIFETIMES);
        let azurite = rng.chance(30);
        let mut case = json!({
            "id": id,
            "kind": kind,
            "account": "devstoreaccount1",
            "endpoint": if azurite {
                "http://127.0.0.1:10000/devstoreaccount1"
            } else {
                "https://devstoreaccount1.blob.core.windows.net"
            },
            "container": "photos-1",
            "blob": format!("{}{}", rng.pick(NAMES), id),
            "permission": rng.pick(PERMISSIONS),
            "expiry": iso(START + lifetime),
            "start": rng.chance(70).then(|| iso(START)),
            "ip": rng.chance(30).then_some("203.0.113.0-203.0.113.255"),
            "protocol": if rng.chance(60) { "https" } else { "https,http" },
            "account_key": KEY,
        });
        if delegation {
            case["delegation_key"] = json!({
                "oid": "11111111-2222-3333-4444-555555555555",
                "tid": "66666666-7777-8888-9999-000000000000",
                "start": iso(START - 60),
                "expiry": iso(START + 3600),
                "service": "b",
                "version": "2026-10-06",
                "value": "dXNlci1kZWxlZ2F0aW9uLWtleS12YWx1ZS0zMi1ieXRlcyE=",
            });
        }
        if kind == "container" && rng.chance(50) {
            case["policy_id"] = json!("read-policy");
        }
        cases.push(case);
    }
    let urls = urls(
        &py,
        "tests/sdk/inspect/azure_urls.py",
        &Value::Array(cases.clone()),
    );
    assert_eq!(urls.len(), cases.len());
    let now = Timestamp::from_unix(START + 60).unwrap();
    let presigner = AzurePresigner::builder()
        .account("devstoreaccount1")
        .container("photos-1")
        .account_key(SecretString::new(KEY))
        .build()
        .unwrap();
    let mut verified = 0;
    for case in &cases {
        let id = case["id"].as_u64().unwrap();
        let url = &urls[&id];
        let r = inspect_all_ways(url, now);
        let ctx = format!("case {id}: {url}");
        let kind = case["kind"].as_str().unwrap();
        let delegation = case.get("delegation_key").is_some();
        let expiry = Timestamp::parse_rfc3339(case["expiry"].as_str().unwrap()).unwrap();
        let start = case["start"]
            .as_str()
            .map(|s| Timestamp::parse_rfc3339(s).unwrap());
        assert_eq!(r.provider, Provider::Azure, "{ctx}");
        let scheme = match (kind, delegation) {
            ("account", _) => "account SAS",
            (_, true) => "user delegation SAS",
            _ => "service SAS",
        };
        assert_eq!(r.scheme, scheme, "{ctx}");
        assert_eq!(r.account.as_deref(), Some("devstoreaccount1"), "{ctx}");
        assert_eq!(r.expires_at, expiry, "{ctx}");
        assert_eq!(r.signed_at, start, "{ctx}");
        assert_eq!(r.remaining_secs, expiry.unix() - now.unix(), "{ctx}");
        assert_eq!(r.client_ip.as_deref(), case["ip"].as_str(), "{ctx}");
        assert_eq!(r.protocol.as_deref(), case["protocol"].as_str(), "{ctx}");
        let letters: String = r
            .permissions
            .iter()
            .filter_map(|p| p.chars().next())
            .collect();
        let mut want_letters: Vec<char> = case["permission"].as_str().unwrap().chars().collect();
        let mut got_letters: Vec<char> = letters.chars().collect();
        want_letters.sort_unstable();
        got_letters.sort_unstable();
        assert_eq!(got_letters, want_letters, "{ctx}");
        let (grant, bucket, object) = match kind {
            "account" => (GrantScope::Account, None, None),
            "container" => (GrantScope::Container, Some("photos-1"), None),
            _ => (GrantScope::Object, Some("photos-1"), case["blob"].as_str()),
        };
        assert_eq!(r.grant, grant, "{ctx}");
        assert_eq!(r.bucket.as_deref(), bucket, "{ctx}");
        assert_eq!(r.object.as_deref(), object, "{ctx}");
        let credential = if delegation {
            CredentialKind::UserDelegationKey
        } else {
            CredentialKind::AccountKey
        };
        assert_eq!(r.credential.kind, credential, "{ctx}");
        assert_eq!(
            r.credential.stored_access_policy.as_deref(),
            case["policy_id"].as_str(),
            "{ctx}"
        );
        // The checklist, from the request alone.
        let lifetime = match start {
            Some(s) => expiry.unix() - s.unix(),
            None => expiry.unix() - now.unix(),
        };
        let mut want = lifetime_codes(lifetime as u64);
        let sp = case["permission"].as_str().unwrap();
        if sp.contains('d') {
            want.push("delete-permission");
        }
        if sp.contains(['c', 'w']) {
            want.push("write-permission");
        }
        if case["protocol"] != "https" {
            want.push("http-allowed");
        }
        match kind {
            "account" => want.push("account-sas"),
            "container" => want.push("container-wide"),
            _ => {}
        }
        if !delegation && case.get("policy_id").is_none() {
            want.push("not-revocable");
        }
        if delegation && expiry.unix() > START + 3600 {
            want.push("expires-after-key");
        }
        assert_eq!(codes(&r), sorted(want, &[]), "{ctx}");
        // presign verify with the account key: blob SAS signed with it.
        if kind == "blob" && !delegation {
            let method = match sp {
                p if p.contains('r') => Method::Get,
                p if p.contains('d') => Method::Delete,
                _ => Method::Put,
            };
            verify_all_ways(&presigner, url, method, &[], now, false);
            // A SAS signs permissions, not a method: one they do not allow is named.
            let other = if sp.contains('d') {
                Method::Post
            } else {
                Method::Delete
            };
            let v = verify(&presigner, url, other, &[], now).unwrap();
            assert_eq!(v.part, Some(Part::Method), "{ctx}: {}", v.message);
            verified += 1;
        }
    }
    assert_eq!(verified, 46, "every account-key blob SAS verified");
}
