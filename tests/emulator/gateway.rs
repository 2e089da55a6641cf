//! The signing gateway (`presign serve`) in front of SeaweedFS and Azurite: what it hands out
//! works against the real server, what it refuses never reaches it.
//!
//! The gateway runs in-process on 127.0.0.1:0 with a JWKS and tokens made here
//! ([`presign_tests::gateway`]). Objects are uploaded through the gateway itself (an API-key
//! principal whose rule allows PUT), then downloaded by following the `303` of a user's GET.

use presign_tests::emulator::emulator_endpoint;
use presign_tests::gateway::{AUDIENCE, ISSUER, TestGateway, TestKeys, claims, s3_provider};
use presign_tests::http::{Response, send};
use presign_tests::seaweedfs;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::azure::{ACCOUNT, CONTAINER, DEFAULT_ENDPOINT, ENDPOINT_ENV, KEY, container_request};

const CI_KEY: &str = "psk_emulator_test_key_8d2f6a4c1e9b7d5f3a1c";

fn config(s3: &str, azure: &str) -> String {
    let ci = hex::encode(Sha256::digest(CI_KEY.as_bytes()));
    format!(
        r#"{provider}
[providers.azure]
kind = "azure"
account = "{ACCOUNT}"
container = "{CONTAINER}"
account_key = "{KEY}"
endpoint = "{azure}"
[providers.azure.policy]
key_prefixes = ["gateway/"]
max_ttl = "5m"

[serve.auth]
issuer = "{ISSUER}"
audience = "{AUDIENCE}"
algorithms = ["ES256"]
jwks_file = "replaced-by-the-test.json"
[[serve.auth.api_keys]]
name = "ci"
sha256 = "{ci}"

[[serve.rules]]
name = "own-files"
all_users = true
provider = "s3"
[serve.rules.policy]
key_prefixes = ["users/{{sub}}/"]

[[serve.rules]]
name = "admins"
claims = {{ role = "admin" }}
provider = "s3"
[serve.rules.policy]
allow_methods = ["GET", "DELETE"]
key_prefixes = ["shared/"]

[[serve.rules]]
name = "ci-s3"
api_keys = ["ci"]
provider = "s3"

[[serve.rules]]
name = "ci-azure"
api_keys = ["ci"]
provider = "azure"

[[serve.rules]]
name = "azure-readers"
all_users = true
provider = "azure"
[serve.rules.policy]
allow_methods = ["GET"]
key_prefixes = ["gateway/{{sub}}/"]
"#,
        provider = s3_provider(
            "s3",
            s3,
            "key_prefixes = [\"users/\", \"shared/\"]\nallow_methods = [\"GET\", \"HEAD\", \"PUT\", \"DELETE\"]\nmax_ttl = \"5m\"",
        ),
    )
}

fn ci() -> Vec<(String, String)> {
    vec![("X-Api-Key".into(), CI_KEY.into())]
}

fn bearer(token: &str) -> Vec<(String, String)> {
    vec![("Authorization".into(), format!("Bearer {token}"))]
}

fn json_of(r: &Response) -> Value {
    serde_json::from_slice(&r.body).unwrap_or_else(|e| panic!("{e}: {}", r.body_snippet()))
}

/// Uploads `body` to `key` of `provider` with a PUT the gateway signs for the `ci` key.
fn upload(gw: &TestGateway, provider: &str, key: &str, body: &[u8]) {
    let r = send(
        "GET",
        &format!("{}/v1/{provider}/{key}?method=PUT&format=json", gw.base),
        &ci(),
        &[],
    )
    .unwrap();
    assert_eq!(r.status, 200, "sign PUT {key}: {}", r.body_snippet());
    let signed = json_of(&r);
    let headers: Vec<(String, String)> = signed["headers"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    let put = send("PUT", signed["url"].as_str().unwrap(), &headers, body).unwrap();
    assert!(
        put.status == 200 || put.status == 201,
        "PUT {key}: {} {}",
        put.status,
        put.body_snippet()
    );
}

/// GET through the gateway, then the redirect's target.
fn download(
    gw: &TestGateway,
    path: &str,
    who: &[(String, String)],
) -> (Response, Option<Response>) {
    let r = send("GET", &format!("{}{path}", gw.base), who, &[]).unwrap();
    let target =
        (r.status == 303).then(|| send("GET", r.header("location").unwrap(), &[], &[]).unwrap());
    (r, target)
}

#[test]
fn gateway_redirects_work_against_seaweedfs_and_azurite() {
    let Some(s3) = seaweedfs::endpoint() else {
        return;
    };
    let Some(azure) = emulator_endpoint(ENDPOINT_ENV, DEFAULT_ENDPOINT) else {
        return;
    };
    let azure = azure.trim_end_matches('/').to_owned();
    let created = container_request(&azure, "PUT", &[], &[]);
    assert!(
        created.status == 201 || created.status == 409,
        "container: {}",
        created.status
    );
    let keys = TestKeys::generate();
    let gw = TestGateway::start(&config(&s3, &azure), &keys);
    let run = presign_tests::gateway::now();
    let alice = bearer(&keys.es256(&claims("alice", 300)));

    // SeaweedFS: the user's own object, through the redirect.
    let body = format!("gateway test {run}\n").into_bytes();
    let key = format!("users/alice/report-{run}.txt");
    upload(&gw, "s3", &key, &body);
    let (r, target) = download(&gw, &format!("/v1/s3/{key}"), &alice);
    assert_eq!(r.status, 303, "{}", r.body_snippet());
    assert_eq!(r.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(r.header("cache-control"), Some("no-store"));
    assert!(r.body.is_empty());
    let target = target.unwrap();
    assert_eq!(target.status, 200, "{}", target.body_snippet());
    assert_eq!(target.body, body);
    println!(
        "ok   s3: 303 to a URL SeaweedFS serves ({} bytes)",
        body.len()
    );

    // ?format=json: the same URL works.
    let r = send(
        "GET",
        &format!("{}/v1/s3/{key}?format=json", gw.base),
        &alice,
        &[],
    )
    .unwrap();
    let url = json_of(&r)["url"].as_str().unwrap().to_owned();
    assert_eq!(send("GET", &url, &[], &[]).unwrap().body, body);

    // Refused: another user's prefix, the same 403 for an object that exists and one that does not.
    let shared = format!("shared/exists-{run}.txt");
    upload(&gw, "s3", &shared, b"shared");
    let (exists, none) = (
        download(&gw, &format!("/v1/s3/{shared}"), &alice).0,
        download(&gw, &format!("/v1/s3/shared/missing-{run}.txt"), &alice).0,
    );
    assert_eq!((exists.status, none.status), (403, 403));
    let strip = |r: &Response| {
        let mut v = json_of(r);
        v.as_object_mut().unwrap().remove("request_id");
        v["error"]["message"] = json!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .replace(&format!("exists-{run}"), "X")
                .replace(&format!("missing-{run}"), "X")
        );
        v
    };
    assert_eq!(strip(&exists), strip(&none), "existence must not show");
    println!("ok   s3: a foreign key is 403 whether or not it exists");

    // DELETE: refused for the user, allowed by the admins' rule, and the server deletes.
    let del = |who: &[(String, String)], k: &str| {
        send(
            "GET",
            &format!("{}/v1/s3/{k}?method=DELETE&format=json", gw.base),
            who,
            &[],
        )
        .unwrap()
    };
    assert_eq!(del(&alice, &key).status, 403);
    let mut admin = claims("root", 300);
    admin["role"] = json!("admin");
    let r = del(&bearer(&keys.es256(&admin)), &shared);
    assert_eq!(r.status, 200, "{}", r.body_snippet());
    let gone = send("DELETE", json_of(&r)["url"].as_str().unwrap(), &[], &[]).unwrap();
    assert_eq!(gone.status, 204, "{}", gone.body_snippet());
    let (_, after) = download(&gw, &format!("/v1/s3/{shared}"), &ci());
    assert_eq!(after.unwrap().status, 404);
    println!("ok   s3: DELETE refused for users (403), allowed for admins, object gone");

    // Azurite: the user's blob under gateway/{sub}/.
    let blob = format!("gateway/alice/note-{run}.txt");
    upload(&gw, "azure", &blob, b"from azurite");
    let (r, target) = download(&gw, &format!("/v1/azure/{blob}"), &alice);
    assert_eq!(r.status, 303, "{}", r.body_snippet());
    let target = target.unwrap();
    assert_eq!(
        (target.status, target.body.as_slice()),
        (200, b"from azurite".as_slice())
    );
    let (r, _) = download(
        &gw,
        &format!("/v1/azure/gateway/bob/note-{run}.txt"),
        &alice,
    );
    assert_eq!(r.status, 403);
    println!("ok   azure: 303 to a SAS Azurite serves; gateway/bob/ is 403");

    // Every decision has its audit line, and none carries a signature.
    let lines = gw.audit_lines();
    assert!(lines.len() >= 10, "{} audit lines", lines.len());
    let text = std::fs::read_to_string(&gw.audit).unwrap();
    let sig = url.split("X-Amz-Signature=").nth(1).unwrap();
    assert!(!text.contains(sig), "a signature reached the audit log");
    gw.stop();
}
