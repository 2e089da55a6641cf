//! What the gateway's own end-to-end tests share: the configuration, and a client that
//! sends the request target byte for byte (so `../` reaches the server unnormalized).

use presign_tests::gateway::{AUDIENCE, ISSUER, s3_provider};
use presign_tests::http::{Response, send};
use sha2::{Digest, Sha256};

/// The API key of the `ci` principal (a random-looking test value, never a real key).
pub(crate) const CI_KEY: &str = "psk_test_4f1c2b9a7e6d5c3b2a19f8e7d6c5b4a3";

/// A gateway configuration: provider `media` (S3 on the local SeaweedFS address, any
/// request signs without contacting it) and three rules: every user under `users/{sub}/`,
/// admins (claim `role = "admin"`) GET and DELETE under `shared/`, API key `ci` under
/// `shared/`. `extra_limits` is appended to `[serve.limits]`.
pub(crate) fn config(extra_limits: &str) -> String {
    let ci_hash = hex::encode(Sha256::digest(CI_KEY.as_bytes()));
    format!(
        r#"{provider}
[serve.auth]
issuer = "{ISSUER}"
audience = "{AUDIENCE}"
algorithms = ["ES256", "EdDSA", "RS256"]
jwks_file = "replaced-by-the-test.json"
leeway = "30s"
cookie = "presign_token"
[[serve.auth.api_keys]]
name = "ci"
sha256 = "{ci_hash}"

[[serve.rules]]
name = "own-files"
all_users = true
provider = "media"
[serve.rules.policy]
key_prefixes = ["users/{{sub}}/"]

[[serve.rules]]
name = "admins"
claims = {{ role = "admin" }}
provider = "media"
[serve.rules.policy]
allow_methods = ["GET", "DELETE"]
key_prefixes = ["shared/"]

[[serve.rules]]
name = "ci"
api_keys = ["ci"]
provider = "media"
[serve.rules.policy]
key_prefixes = ["shared/"]

[serve.limits]
max_batch = 20
max_body_bytes = 4096
{extra_limits}
"#,
        provider = s3_provider(
            "media",
            "http://127.0.0.1:8333",
            "key_prefixes = [\"users/\", \"shared/\"]\nallow_methods = [\"GET\", \"HEAD\", \"PUT\", \"DELETE\"]\nmax_ttl = \"10m\"",
        ),
    )
}

/// `Authorization: Bearer TOKEN`.
pub(crate) fn bearer(token: &str) -> Vec<(String, String)> {
    vec![("Authorization".into(), format!("Bearer {token}"))]
}

/// A request with these headers.
pub(crate) fn call(method: &str, url: &str, headers: &[(String, String)], body: &[u8]) -> Response {
    send(method, url, headers, body).unwrap_or_else(|e| panic!("{method} {url}: {e}"))
}

/// The response's request id.
pub(crate) fn request_id(r: &Response) -> String {
    r.header("x-request-id")
        .unwrap_or_else(|| panic!("no x-request-id: {} {:?}", r.status, r.headers))
        .to_owned()
}

/// The body as JSON.
pub(crate) fn json(r: &Response) -> serde_json::Value {
    serde_json::from_slice(&r.body)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.body_snippet()))
}
