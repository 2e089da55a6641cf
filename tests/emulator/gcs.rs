//! GCS against fake-gcs-server (`bash .ci/emulators/fake-gcs.sh start` or `bash .ci/test`):
//! http://127.0.0.1:4443 (`PRESIGN_GCS_ENDPOINT`), bucket `presign-test`.
//!
//! fake-gcs-server routes signed-URL requests but checks no signature, expiry or signed header
//! (fsouza/fake-gcs-server#381). So every URL this test sends is also verified here, offline and
//! independently of presign-gcs: the canonical request is rebuilt from the URL and the headers
//! the client sends, the string to sign from it, and `X-Goog-Signature` is checked with the
//! service account's RSA public key (aws-lc-rs) or the HMAC key (constant-time compare); the
//! expiry must be `X-Goog-Date + X-Goog-Expires`. Both signers run: RSA (the inactive
//! conformance key) and HMAC.

use std::time::Duration;

use aws_lc_rs::signature::{self, KeyPair, RsaKeyPair, UnparsedPublicKey};
use base64::Engine as _;
use presign_core::crypto::{hex, hmac_sha256, sha256};
use presign_core::encoding::decode_lossy;
use presign_core::secret::constant_time_eq;
use presign_core::{
    Constraints, ContentLength, Method, ObjectKey, PresignRequest, PresignedRequest, Presigner,
    SecretString, Timestamp,
};
use presign_gcs::GcsPresigner;
use presign_tests::basic_time::basic_to_rfc3339;
use presign_tests::emulator::emulator_endpoint;
use presign_tests::http;
use presign_tests::scenarios::{Column, flip_char, run_table, tamper_param, tricky_keys};

const ENDPOINT_ENV: &str = "PRESIGN_GCS_ENDPOINT";
const DEFAULT_ENDPOINT: &str = "http://127.0.0.1:4443";
const BUCKET: &str = "presign-test";
const HMAC_ID: &str = "GOOG1EPRESIGNTESTHMACACCESSIDEXAMPLE0000";
const HMAC_SECRET: &str = "bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ";

/// What the verifier knows: the public half of the RSA key, or the HMAC secret.
enum Key {
    Rsa { email: String, public_der: Vec<u8> },
    Hmac { id: String, secret: String },
}

fn service_account_json() -> String {
    std::fs::read_to_string(presign_tests::gcs_service_account_file()).unwrap()
}

/// The RSA public key and e-mail, parsed here from the JSON (not through presign-gcs).
fn rsa_key(json: &str) -> Key {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let pem = v["private_key"].as_str().unwrap();
    let body: String = pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect::<String>();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body.trim())
        .unwrap();
    let pair = RsaKeyPair::from_pkcs8(&der).unwrap();
    Key::Rsa {
        email: v["client_email"].as_str().unwrap().to_owned(),
        public_der: pair.public_key().as_ref().to_vec(),
    }
}

fn unhex(s: &str) -> Result<Vec<u8>, String> {
    if !s.len().is_multiple_of(2) {
        return Err(format!("odd-length hex {s:?}"));
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).map_err(|_| format!("bad hex {s:?}")))
        .collect()
}

/// `20190201T090000Z` -> timestamp.
fn parse_goog_date(s: &str) -> Result<Timestamp, String> {
    let rfc = basic_to_rfc3339(s).ok_or_else(|| format!("bad X-Goog-Date {s:?}"))?;
    Timestamp::parse_rfc3339(&rfc).map_err(|e| e.to_string())
}

/// Verifies `url` as a V4 signed URL for `method` with the `headers` the client sends, rebuilt
/// from scratch; returns the URL's (signing time, expiry).
fn verify_url(
    key: &Key,
    method: &str,
    url: &str,
    headers: &[(String, String)],
) -> Result<(Timestamp, Timestamp), String> {
    let (_, rest) = url.split_once("://").ok_or("no scheme")?;
    let slash = rest.find('/').ok_or("no path")?;
    let (authority, path_query) = rest.split_at(slash);
    let (path, query) = path_query.split_once('?').ok_or("no query")?;
    let host = match authority.rsplit_once(':') {
        Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => authority,
    };
    let mut pairs: Vec<(&str, &str)> = query
        .split('&')
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect();
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .ok_or(format!("no {name}"))
    };
    let signature = unhex(get("X-Goog-Signature")?)?;
    let algorithm = get("X-Goog-Algorithm")?.to_owned();
    let date = get("X-Goog-Date")?.to_owned();
    let expires: u64 = get("X-Goog-Expires")?
        .parse()
        .map_err(|_| "X-Goog-Expires is not a number")?;
    let credential = decode_lossy(get("X-Goog-Credential")?);
    let signed_list = decode_lossy(get("X-Goog-SignedHeaders")?);
    pairs.retain(|(n, _)| *n != "X-Goog-Signature");
    pairs.sort_unstable();
    let canonical_query = pairs
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("&");

    let mut hs: Vec<(String, String)> = vec![("host".into(), host.to_owned())];
    for (n, v) in headers {
        hs.push((
            n.trim().to_ascii_lowercase(),
            v.split_whitespace().collect::<Vec<_>>().join(" "),
        ));
    }
    hs.sort();
    let names: Vec<&str> = hs.iter().map(|(n, _)| n.as_str()).collect();
    if names.join(";") != signed_list {
        return Err(format!(
            "signed headers {signed_list:?} are not the headers sent {names:?}"
        ));
    }
    let payload = hs
        .iter()
        .find(|(n, _)| n == "x-goog-content-sha256")
        .map_or("UNSIGNED-PAYLOAD".to_owned(), |(_, v)| v.clone());
    let canonical_headers: String = hs.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();
    let canonical_request = format!(
        "{method}\n{path}\n{canonical_query}\n{canonical_headers}\n{signed_list}\n{payload}"
    );
    let (id, scope) = credential
        .split_once('/')
        .ok_or("credential has no scope")?;
    let scope_parts: Vec<&str> = scope.split('/').collect();
    if scope_parts.len() != 4
        || scope_parts[0] != &date[..8]
        || scope_parts[1..] != ["auto", "storage", "goog4_request"]
    {
        return Err(format!("bad scope {scope:?} for date {date}"));
    }
    let string_to_sign = format!(
        "{algorithm}\n{date}\n{scope}\n{}",
        hex(&sha256(canonical_request.as_bytes()))
    );
    match key {
        Key::Rsa { email, public_der } => {
            if algorithm != "GOOG4-RSA-SHA256" || id != email {
                return Err(format!(
                    "credential {id} / {algorithm} is not the service account's"
                ));
            }
            UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, public_der)
                .verify(string_to_sign.as_bytes(), &signature)
                .map_err(|_| "RSA signature does not verify".to_owned())?;
        }
        Key::Hmac {
            id: want_id,
            secret,
        } => {
            if algorithm != "GOOG4-HMAC-SHA256" || id != want_id {
                return Err(format!(
                    "credential {id} / {algorithm} is not the HMAC key's"
                ));
            }
            let mut k = hmac_sha256(
                format!("GOOG4{secret}").as_bytes(),
                scope_parts[0].as_bytes(),
            );
            for part in &scope_parts[1..] {
                k = hmac_sha256(&k, part.as_bytes());
            }
            let want = hmac_sha256(&k, string_to_sign.as_bytes());
            if !constant_time_eq(&want, &signature) {
                return Err("HMAC signature does not verify".into());
            }
        }
    }
    if expires == 0 || expires > 604_800 {
        return Err(format!("X-Goog-Expires {expires} is outside 1..=604800"));
    }
    let signed_at = parse_goog_date(&date)?;
    let expires_at = signed_at
        .checked_add(Duration::from_secs(expires))
        .ok_or("expiry overflows")?;
    Ok((signed_at, expires_at))
}

/// Verifies a presigned request and its validity window.
fn verify(key: &Key, signed: &PresignedRequest) -> Result<(), String> {
    let (at, until) = verify_url(
        key,
        signed.method().as_str(),
        signed.expose_url(),
        signed.headers(),
    )?;
    if at != signed.signed_at() || until != signed.expires_at() {
        return Err(format!(
            "window {at}..{until} from the URL, {}..{} reported",
            signed.signed_at(),
            signed.expires_at()
        ));
    }
    Ok(())
}

struct GcsColumn {
    label: &'static str,
    presigner: GcsPresigner,
    key: Key,
}

fn columns(endpoint: &str) -> Vec<GcsColumn> {
    let json = service_account_json();
    vec![
        GcsColumn {
            label: "gcs RSA (fake-gcs-server)",
            presigner: GcsPresigner::builder()
                .bucket(BUCKET)
                .endpoint(endpoint)
                .service_account_json(&json)
                .build()
                .unwrap(),
            key: rsa_key(&json),
        },
        GcsColumn {
            label: "gcs HMAC (fake-gcs-server)",
            presigner: GcsPresigner::builder()
                .bucket(BUCKET)
                // As STORAGE_EMULATOR_HOST would give it: no scheme means http.
                .emulator_host(endpoint.trim_start_matches("http://"))
                .hmac_key(HMAC_ID, SecretString::new(HMAC_SECRET))
                .build()
                .unwrap(),
            key: Key::Hmac {
                id: HMAC_ID.into(),
                secret: HMAC_SECRET.into(),
            },
        },
    ]
}

impl Column for GcsColumn {
    fn name(&self) -> String {
        self.label.into()
    }

    fn presigner(&self) -> &dyn Presigner {
        &self.presigner
    }

    fn signature_param(&self) -> &str {
        "X-Goog-Signature"
    }

    fn expiry_param(&self) -> &str {
        "X-Goog-Expires"
    }

    fn cannot_judge(&self, scenario: &str) -> Option<String> {
        const NO_SIGNATURE_CHECK: &str = "fake-gcs-server checks no V4 signature (fsouza/fake-gcs-server#381); the signature, expiry and signed headers are verified offline in tricky_keys_round_trip_with_verified_signatures";
        match scenario {
            "PUT with another Content-Type"
            | "changed signature"
            | "changed expiry"
            | "changed key"
            | "unsigned extra query parameter"
            | "GET URL used for PUT"
            | "expired URL" => Some(NO_SIGNATURE_CHECK.into()),
            "response-content-disposition comes back" => {
                Some("fake-gcs-server ignores response-* overrides".into())
            }
            _ => None,
        }
    }

    fn key_quirk(&self, key: &str) -> Option<String> {
        quirk(key)
    }

    fn verify_offline(
        &self,
        _request: &PresignRequest,
        signed: &PresignedRequest,
    ) -> Result<(), String> {
        verify(&self.key, signed)
    }
}

/// Keys fake-gcs-server cannot store or serve as they are.
fn quirk(key: &str) -> Option<String> {
    if key.split('/').any(|s| s == "." || s == "..") {
        Some("fake-gcs-server cleans . and .. segments out of the request path, so the object is stored under another name".into())
    } else if key.contains("//") {
        Some("fake-gcs-server merges // in the request path, so the object is stored under another name".into())
    } else {
        None
    }
}

fn presign(p: &GcsPresigner, r: &PresignRequest) -> PresignedRequest {
    futures_executor::block_on(p.presign(r)).unwrap()
}

#[test]
fn offline_verifier_rejects_tampering() {
    // The verifier must not be vacuous: every tampering is caught without any server.
    let now = Timestamp::parse_rfc3339("2026-01-02T03:04:05Z").unwrap();
    for col in columns(DEFAULT_ENDPOINT) {
        let p = &col.presigner;
        let mut c = Constraints::default();
        c.content_type = Some("text/plain".into());
        let r = PresignRequest::new(Method::Put, ObjectKey::new("a b/ü?.txt").unwrap())
            .with_ttl(Duration::from_secs(600))
            .with_constraints(c)
            .signed_at(now);
        let s = presign(p, &r);
        verify(&col.key, &s).unwrap();
        let url = s.expose_url();
        let m = "PUT";
        let h = s.headers();
        let bad_sig = tamper_param(url, "X-Goog-Signature", flip_char).unwrap();
        let bad_exp = tamper_param(url, "X-Goog-Expires", |_| "601".into()).unwrap();
        let bad_key = url.replacen("?", "x?", 1);
        let extra = format!("{url}&foo=bar");
        let other_type = vec![("content-type".to_owned(), "image/png".to_owned())];
        for (what, method, u, headers) in [
            ("signature", m, bad_sig.as_str(), h),
            ("expiry", m, bad_exp.as_str(), h),
            ("key", m, bad_key.as_str(), h),
            ("extra query", m, extra.as_str(), h),
            ("method", "GET", url, h),
            ("content type", m, url, other_type.as_slice()),
            ("missing header", m, url, &[][..]),
        ] {
            assert!(
                verify_url(&col.key, method, u, headers).is_err(),
                "{}: changed {what} still verifies",
                col.label
            );
        }
    }
}

#[test]
fn gcs_scenarios_against_fake_gcs_server() {
    let Some(endpoint) = emulator_endpoint(ENDPOINT_ENV, DEFAULT_ENDPOINT) else {
        return;
    };
    for col in columns(&endpoint) {
        let prefix = format!(
            "scenarios/{}/{}/",
            if matches!(col.key, Key::Rsa { .. }) {
                "rsa"
            } else {
                "hmac"
            },
            Timestamp::now().unix()
        );
        let summary = run_table(&col, &prefix);
        summary.assert_all_passed();
    }
}

#[test]
fn tricky_keys_round_trip_with_verified_signatures() {
    let Some(endpoint) = emulator_endpoint(ENDPOINT_ENV, DEFAULT_ENDPOINT) else {
        return;
    };
    let (mut stored, mut url_only) = (0usize, 0usize);
    for col in columns(&endpoint) {
        let prefix = format!(
            "verified/{}/{}/",
            if matches!(col.key, Key::Rsa { .. }) {
                "rsa"
            } else {
                "hmac"
            },
            Timestamp::now().unix()
        );
        let mut keys = tricky_keys(&prefix);
        for (label, k) in [
            ("reserved chars", "!$&'()*+,;=:@[]"),
            ("backslash and quotes", "a\\b\"c'd"),
            ("tilde and dots", "~user/.hidden/file."),
            ("emoji and CJK", "📦/漢字/ファイル.txt"),
            ("leading slash", "/lead"),
        ] {
            keys.push((label, format!("{prefix}{k}")));
        }
        for (label, key) in keys {
            let body = format!("body of {key}").into_bytes();
            let mut c = Constraints::default();
            c.content_type = Some("text/plain; charset=utf-8".into());
            c.content_length = Some(ContentLength::Range {
                min: 1,
                max: 1 << 20,
            });
            let put_req = PresignRequest::new(Method::Put, ObjectKey::new(key.clone()).unwrap())
                .with_ttl(Duration::from_secs(300))
                .with_constraints(c);
            let put = presign(&col.presigner, &put_req);
            verify(&col.key, &put).unwrap_or_else(|e| panic!("{}: PUT {label}: {e}", col.label));
            assert!(
                put.headers()
                    .iter()
                    .any(|(n, v)| n == "x-goog-content-length-range" && v == "1,1048576"),
                "{:?}",
                put.headers()
            );
            let get_req = PresignRequest::new(Method::Get, ObjectKey::new(key.clone()).unwrap())
                .with_ttl(Duration::from_secs(120));
            let get = presign(&col.presigner, &get_req);
            verify(&col.key, &get).unwrap_or_else(|e| panic!("{}: GET {label}: {e}", col.label));
            let put_r = http::send("PUT", put.expose_url(), put.headers(), &body).unwrap();
            let get_r = http::send("GET", get.expose_url(), get.headers(), &[]).unwrap();
            let ok =
                (200..300).contains(&put_r.status) && get_r.status == 200 && get_r.body == body;
            match quirk(&key) {
                None => {
                    assert!(
                        ok,
                        "{}: {label} ({key:?}): PUT {} GET {} {}",
                        col.label,
                        put_r.status,
                        get_r.status,
                        get_r.body_snippet()
                    );
                    stored += 1;
                }
                Some(why) => {
                    println!(
                        "[{}] {label}: judged on the URL only ({why}); server said PUT {} GET {}",
                        col.label, put_r.status, get_r.status
                    );
                    url_only += 1;
                }
            }
        }
    }
    println!(
        "GCS tricky keys: {stored} passed (stored, read back, signatures verified), {url_only} judged on the verified URL only"
    );
}
