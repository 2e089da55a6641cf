//! GCS against fake-gcs-server (`bash .ci/emulators/fake-gcs.sh start` or `bash .ci/test`):
//! http://127.0.0.1:4443 (`PRESIGN_GCS_ENDPOINT`), bucket `presign-test`.
//!
//! fake-gcs-server routes signed-URL requests but checks no signature, expiry or signed header
//! (fsouza/fake-gcs-server#381). So every URL this test sends is also verified offline,
//! independently of presign-gcs, by [`verifier`] (canonical request rebuilt from the URL and the
//! headers sent, signature checked with the RSA public key or the HMAC key, expiry from
//! `X-Goog-Date + X-Goog-Expires`). Both signers run: RSA (the inactive conformance key) and
//! HMAC.

use std::time::Duration;

use presign_core::{
    Constraints, ContentLength, Method, ObjectKey, PresignRequest, PresignedRequest, Presigner,
    SecretString, Timestamp,
};
use presign_gcs::GcsPresigner;
use presign_tests::emulator::emulator_endpoint;
use presign_tests::http;
use presign_tests::scenarios::{Column, flip_char, run_table, tamper_param, tricky_keys};

mod verifier;

use verifier::{Key, rsa_key, service_account_json, verify, verify_url};

const ENDPOINT_ENV: &str = "PRESIGN_GCS_ENDPOINT";
const DEFAULT_ENDPOINT: &str = "http://127.0.0.1:4443";
const BUCKET: &str = "presign-test";
const HMAC_ID: &str = "GOOG1EPRESIGNTESTHMACACCESSIDEXAMPLE0000";
const HMAC_SECRET: &str = "bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ";

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
    fn signs_dot_segments(&self) -> bool {
        false
    }

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
            if key.split('/').any(|s| s == "." || s == "..") {
                // Refused: HTTP clients remove the segment, so the URL could only be refused.
                let r = PresignRequest::new(Method::Put, ObjectKey::new(key.clone()).unwrap());
                let e = futures_executor::block_on(col.presigner.presign(&r)).unwrap_err();
                assert_eq!(e.kind(), "invalid_key", "{}: {label}", col.label);
                continue;
            }
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
