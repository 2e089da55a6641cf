#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr,
    missing_docs
)]
//! Rough speed check against the crypto floor (ignored by default; run with
//! `cargo test -p presign-gcs --release --test perf -- --ignored --nocapture`).
//!
//! Floors: HMAC = SHA-256 of a canonical request + one HMAC of the string to sign + hex;
//! RSA = one raw RSA-2048 PKCS#1 v1.5 SHA-256 signature on the same backend.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use presign_core::crypto::{hex_into, hmac_sha256, sha256};
use presign_core::{FixedClock, PresignRequest, SecretString, Timestamp};
use presign_gcs::GcsPresigner;

fn per_op(iters: u32, mut f: impl FnMut()) -> Duration {
    for _ in 0..iters / 10 {
        f();
    }
    let mut best = Duration::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        for _ in 0..iters {
            f();
        }
        best = best.min(t.elapsed() / iters);
    }
    best
}

#[test]
#[ignore = "timing; run in release"]
fn speed_against_the_floor() {
    let clock = Arc::new(FixedClock(
        Timestamp::parse_rfc3339("2026-01-02T03:04:05Z").unwrap(),
    ));
    let request = PresignRequest::parse("GET", "reports/2026/q4 summary.pdf").unwrap();

    let hmac = GcsPresigner::builder()
        .bucket("examplebucket")
        .hmac_key(
            "GOOG1EXAMPLEACCESSID",
            SecretString::new("secret/key+example"),
        )
        .clock(clock.clone())
        .build()
        .unwrap();
    let v4 = hmac.to_v4_request(&request).unwrap();
    let creq = hmac.explain_v4(&v4).unwrap().canonical_request.unwrap();
    let sts = hmac.explain_v4(&v4).unwrap().string_to_sign;
    let key = [7u8; 32];
    let floor = per_op(200_000, || {
        let mut out = String::with_capacity(400);
        hex_into(&sha256(black_box(creq.as_bytes())), &mut out);
        hex_into(&hmac_sha256(&key, black_box(sts.as_bytes())), &mut out);
        black_box(out);
    });
    let ours = per_op(200_000, || {
        black_box(hmac.sign_v4_blocking(black_box(&v4)).unwrap());
    });
    let explain = per_op(200_000, || {
        black_box(hmac.explain_v4(black_box(&v4)).unwrap());
    });
    println!("HMAC: explain_v4 (canonical request + string to sign, no signature) {explain:?}");
    let ours_generic = per_op(200_000, || {
        let v = hmac.to_v4_request(black_box(&request)).unwrap();
        black_box(hmac.sign_v4_blocking(&v).unwrap());
    });
    println!(
        "HMAC: floor {floor:?}, sign_v4 {ours:?} ({:.2}x), presign mapping + sign {ours_generic:?} ({:.2}x)",
        ours.as_secs_f64() / floor.as_secs_f64(),
        ours_generic.as_secs_f64() / floor.as_secs_f64()
    );

    if std::env::var_os("PRESIGN_PERF_HMAC_ONLY").is_some() {
        return;
    }
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/conformance/gcs");
    let json = std::fs::read_to_string(dir.join("test_service_account.not-a-test.json")).unwrap();
    let rsa = GcsPresigner::builder()
        .bucket("examplebucket")
        .service_account_json(&json)
        .clock(clock)
        .build()
        .unwrap();
    let v4 = rsa.to_v4_request(&request).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let body: String = v["private_key"]
        .as_str()
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    use base64::Engine as _;
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap();
    let pair = aws_lc_rs::signature::RsaKeyPair::from_pkcs8(&der).unwrap();
    let rng = aws_lc_rs::rand::SystemRandom::new();
    let mut sig = vec![0; pair.public_modulus_len()];
    let rsa_floor = per_op(2_000, || {
        pair.sign(
            &aws_lc_rs::signature::RSA_PKCS1_SHA256,
            &rng,
            black_box(sts.as_bytes()),
            &mut sig,
        )
        .unwrap();
    });
    let rsa_ours = per_op(2_000, || {
        black_box(rsa.sign_v4_blocking(black_box(&v4)).unwrap());
    });
    println!(
        "RSA: raw aws-lc-rs {rsa_floor:?}, sign_v4 {rsa_ours:?} ({:.3}x)",
        rsa_ours.as_secs_f64() / rsa_floor.as_secs_f64()
    );
}
