//! One GCS V4 signed GET, every signer in one run, same inputs.
//!
//! RSA (`GOOG4-RSA-SHA256`, the conformance service-account key): a bare aws-lc-rs RSA-2048
//! PKCS#1 v1.5 SHA-256 signature, the hand-written full-URL floor, presign-gcs, object_store
//! `GoogleCloudStorage::signed_url` and the official google-cloud-storage `SignedUrlBuilder`
//! (both always sign "now"; their URLs are checked against the floor at their own
//! `X-Goog-Date`, so all of them do the same work).
//!
//! HMAC (`GOOG4-HMAC-SHA256`): the hand-written floor and presign-gcs.
//!
//! Nothing here touches the network: every signer signs offline with the key file.
//!
//! Run: `cargo bench --manifest-path benches/Cargo.toml --bench gcs_v4`

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use presign_benches::gcs_floor::{GcsFloor, parse_service_account, rsa_key_pair};
use presign_benches::tight::GcsHmacTight;
use presign_benches::*;
use presign_core::{FixedClock, Presigner, SecretString, Timestamp};
use presign_gcs::GcsPresigner;
use presign_policy::{Policy, PolicyLayer};

fn signing_time() -> Timestamp {
    Timestamp::from_unix(SIGNING_UNIX).unwrap()
}

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock(signing_time()))
}

/// The signing time in a URL's `X-Goog-Date`, as Unix seconds.
fn goog_date(url: &str) -> i64 {
    let d = url.split("X-Goog-Date=").nth(1).unwrap().get(..16).unwrap();
    let rfc = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &d[..4],
        &d[4..6],
        &d[6..8],
        &d[9..11],
        &d[11..13],
        &d[13..15]
    );
    Timestamp::parse_rfc3339(&rfc).unwrap().unix()
}

fn rsa(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let json = gcs_service_account_json();
    let mut g = c.benchmark_group("gcs_v4_rsa_get");
    g.sample_size(40);
    g.measurement_time(Duration::from_secs(8));

    let floor = GcsFloor::rsa(BUCKET, &json, SIGNING_UNIX);
    let floor_url = floor.presign_get(KEY, EXPIRES);
    let ours = GcsPresigner::builder()
        .bucket(BUCKET)
        .service_account_json(&json)
        .clock(clock())
        .build()
        .unwrap();
    let (request, _) = checked_get_request(&rt, &ours, &floor_url, "presign-gcs (RSA)");

    // The bare signature: what any GCS RSA signer must pay.
    {
        let (_, der) = parse_service_account(&json);
        let pair = rsa_key_pair(&der);
        let rng = aws_lc_rs::rand::SystemRandom::new();
        let sts = ours.explain(&request).unwrap().string_to_sign;
        let mut sig = vec![0u8; pair.public_modulus_len()];
        g.bench_function("aws-lc-rs RSA-2048 sign only", |b| {
            b.iter(|| {
                pair.sign(
                    &aws_lc_rs::signature::RSA_PKCS1_SHA256,
                    &rng,
                    black_box(sts.as_bytes()),
                    &mut sig,
                )
                .unwrap();
                black_box(&sig);
            })
        });
    }

    g.bench_function("floor (full URL, aws-lc-rs)", |b| {
        b.iter(|| floor.presign_get(black_box(KEY), EXPIRES))
    });
    g.bench_function("presign-gcs", |b| {
        b.iter(|| rt.block_on(ours.presign(black_box(&request))).unwrap())
    });

    // object_store with the service-account key file: signs locally (no `disable_oauth`, which
    // would send the string to sign to IAM signBlob).
    {
        use object_store::signer::Signer;
        let gcs = object_store::gcp::GoogleCloudStorageBuilder::new()
            .with_bucket_name(BUCKET)
            .with_service_account_path(gcs_service_account_path().to_str().unwrap())
            .build()
            .unwrap();
        let path = object_store::path::Path::from(KEY);
        let sign = || {
            rt.block_on(gcs.signed_url(
                http::Method::GET,
                black_box(&path),
                Duration::from_secs(EXPIRES),
            ))
        };
        let url = sign().unwrap().to_string();
        let at = GcsFloor::rsa(BUCKET, &json, goog_date(&url)).presign_get(KEY, EXPIRES);
        assert_eq!(
            url, at,
            "object_store and the floor (at its X-Goog-Date) disagree"
        );
        g.bench_function("object_store signed_url", |b| b.iter(|| sign().unwrap()));
    }

    // The official google-cloud-storage with a service-account signer (offline).
    {
        use google_cloud_storage::builder::storage::SignedUrlBuilder;
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let signer = google_cloud_auth::credentials::service_account::Builder::new(value)
            .build_signer()
            .unwrap();
        let sign = || {
            rt.block_on(
                SignedUrlBuilder::for_object(
                    format!("projects/_/buckets/{BUCKET}"),
                    black_box(KEY),
                )
                .with_method(http::Method::GET)
                .with_expiration(Duration::from_secs(EXPIRES))
                .sign_with(&signer),
            )
        };
        let url = sign().unwrap();
        let at = GcsFloor::rsa(BUCKET, &json, goog_date(&url)).presign_get(KEY, EXPIRES);
        assert_eq!(
            url, at,
            "google-cloud-storage and the floor (at its X-Goog-Date) disagree"
        );
        g.bench_function("google-cloud-storage SignedUrlBuilder", |b| {
            b.iter(|| sign().unwrap())
        });
    }
    g.finish();
}

fn hmac(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut g = c.benchmark_group("gcs_v4_hmac_get");

    let floor = GcsFloor::hmac(BUCKET, GCS_HMAC_ID, GCS_HMAC_SECRET, SIGNING_UNIX);
    let build = || {
        GcsPresigner::builder()
            .bucket(BUCKET)
            .hmac_key(GCS_HMAC_ID, SecretString::new(GCS_HMAC_SECRET))
            .clock(clock())
            .build()
            .unwrap()
    };
    let ours = build();
    let (request, ours_url) = checked_get_request(
        &rt,
        &ours,
        &floor.presign_get(KEY, EXPIRES),
        "presign-gcs (HMAC)",
    );

    g.bench_function("floor (fmt)", |b| {
        b.iter(|| floor.presign_get(black_box(KEY), EXPIRES))
    });
    let tight = GcsHmacTight::new(BUCKET, GCS_HMAC_ID, GCS_HMAC_SECRET, SIGNING_UNIX);
    assert_eq!(
        ours_url,
        tight.presign_get(KEY, SIGNING_UNIX, EXPIRES),
        "presign-gcs (HMAC) and the tight floor disagree"
    );
    g.bench_function("floor (tight)", |b| {
        b.iter(|| tight.presign_get(black_box(KEY), black_box(SIGNING_UNIX), EXPIRES))
    });
    g.bench_function("presign-gcs", |b| {
        b.iter(|| rt.block_on(ours.presign(black_box(&request))).unwrap())
    });
    // The crypto alone (same canonical request and string to sign): the part no signer avoids.
    {
        let e = ours.explain(&request).unwrap();
        let creq = e.canonical_request.clone().unwrap();
        let key = [7u8; 32];
        g.bench_function("crypto only (SHA-256 + HMAC, no strings)", |b| {
            b.iter(|| {
                crypto_only(
                    &key,
                    Some(black_box(creq.as_bytes())),
                    e.string_to_sign.as_bytes(),
                )
            })
        });
    }
    let v4 = ours.to_v4_request(&request).unwrap();
    g.bench_function("presign-gcs sign_v4_blocking (pre-mapped)", |b| {
        b.iter(|| ours.sign_v4_blocking(black_box(&v4)).unwrap())
    });
    let policied = PolicyLayer::new(Policy::default().dangerous().allow_any_key().finish())
        .unwrap()
        .with_clock(clock())
        .layer(build());
    assert_eq!(
        rt.block_on(policied.presign(&request))
            .unwrap()
            .into_exposed_url(),
        ours_url
    );
    g.bench_function("presign-gcs + policy layer", |b| {
        b.iter(|| rt.block_on(policied.presign(black_box(&request))).unwrap())
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = hmac, rsa
}
criterion_main!(benches);
