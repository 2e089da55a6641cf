//! One presigned S3 GET, every signer in one run, same inputs:
//! the hand-written floor, presign-s3 (bare and behind the policy layer), aws-sigv4,
//! aws-sdk-s3 `presigned()` and object_store `signed_url`.
//!
//! Run: `cargo bench --manifest-path benches/Cargo.toml --bench s3_get`

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use criterion::{Criterion, criterion_group, criterion_main};
use presign_benches::s3_floor::Floor;
use presign_benches::tight::S3Tight;
use presign_benches::*;
use presign_core::{FixedClock, Presigner, Timestamp};
use presign_policy::{Policy, PolicyLayer};
use presign_s3::{Credentials, S3Presigner};

fn signing_time() -> Timestamp {
    Timestamp::from_unix(SIGNING_UNIX).unwrap()
}

fn presign_s3() -> S3Presigner {
    S3Presigner::builder()
        .bucket(BUCKET)
        .region(REGION)
        .credentials(Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY))
        .clock(Arc::new(FixedClock(signing_time())))
        .build()
        .unwrap()
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut g = c.benchmark_group("s3_presign_get");

    // The floor and presign-s3 must agree byte for byte before their speeds are compared.
    let floor = Floor::new(
        BUCKET,
        REGION,
        ACCESS_KEY_ID,
        SECRET_ACCESS_KEY,
        SIGNING_UNIX,
    );
    let ours = presign_s3();
    let (request, ours_url) =
        checked_get_request(&rt, &ours, &floor.presign_get(KEY, EXPIRES), "presign-s3");

    g.bench_function("floor (fmt)", |b| {
        b.iter(|| floor.presign_get(black_box(KEY), EXPIRES))
    });

    let tight = S3Tight::new(
        BUCKET,
        REGION,
        ACCESS_KEY_ID,
        SECRET_ACCESS_KEY,
        SIGNING_UNIX,
    );
    assert_eq!(
        ours_url,
        tight.presign_get(KEY, SIGNING_UNIX, EXPIRES),
        "presign-s3 and the tight floor disagree"
    );
    g.bench_function("floor (tight)", |b| {
        b.iter(|| tight.presign_get(black_box(KEY), black_box(SIGNING_UNIX), EXPIRES))
    });

    // The crypto alone (same canonical request and string to sign): the part no signer avoids.
    {
        let e = ours.explain(&request).unwrap();
        let key = [7u8; 32];
        g.bench_function("crypto only (SHA-256 + HMAC, no strings)", |b| {
            b.iter(|| {
                crypto_only(
                    &key,
                    Some(black_box(e.canonical_request.as_bytes())),
                    e.string_to_sign.as_bytes(),
                )
            })
        });
    }

    g.bench_function("presign-s3", |b| {
        b.iter(|| rt.block_on(ours.presign(black_box(&request))).unwrap())
    });

    let policied = PolicyLayer::new(Policy::default().dangerous().allow_any_key().finish())
        .unwrap()
        .with_clock(Arc::new(FixedClock(signing_time())))
        .layer(presign_s3());
    assert_eq!(
        rt.block_on(policied.presign(&request))
            .unwrap()
            .into_exposed_url(),
        ours_url
    );
    g.bench_function("presign-s3 + policy layer", |b| {
        b.iter(|| rt.block_on(policied.presign(black_box(&request))).unwrap())
    });

    // aws-sigv4, configured for S3 (single encoding, no normalisation), fixed time.
    {
        use aws_sigv4::http_request::{
            PercentEncodingMode, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
            UriPathNormalizationMode, sign,
        };
        let identity = aws_credential_types::Credentials::new(
            ACCESS_KEY_ID,
            SECRET_ACCESS_KEY,
            None,
            None,
            "bench",
        )
        .into();
        let time = UNIX_EPOCH + Duration::from_secs(SIGNING_UNIX as u64);
        let url =
            format!("https://{BUCKET}.s3.{REGION}.amazonaws.com/reports/2026/q4%20summary.pdf");
        g.bench_function("aws-sigv4", |b| {
            b.iter(|| {
                let mut settings = SigningSettings::default();
                settings.signature_location = SignatureLocation::QueryParams;
                settings.expires_in = Some(Duration::from_secs(EXPIRES));
                settings.percent_encoding_mode = PercentEncodingMode::Single;
                settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
                let params = aws_sigv4::sign::v4::SigningParams::builder()
                    .identity(&identity)
                    .region(REGION)
                    .name("s3")
                    .time(time)
                    .settings(settings)
                    .build()
                    .unwrap()
                    .into();
                let signable = SignableRequest::new(
                    "GET",
                    black_box(&url),
                    std::iter::empty(),
                    SignableBody::UnsignedPayload,
                )
                .unwrap();
                let (instructions, _) = sign(signable, &params).unwrap().into_parts();
                let mut req = http::Request::builder().uri(&url).body(()).unwrap();
                instructions.apply_to_request_http1x(&mut req);
                req.uri().to_string()
            })
        });
    }

    // aws-sdk-s3 presigned(), fixed start time.
    {
        use aws_sdk_s3::config::{BehaviorVersion, Region};
        use aws_sdk_s3::presigning::PresigningConfig;
        let conf = aws_sdk_s3::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(REGION))
            .credentials_provider(aws_sdk_s3::config::Credentials::new(
                ACCESS_KEY_ID,
                SECRET_ACCESS_KEY,
                None,
                None,
                "bench",
            ))
            .build();
        let client = aws_sdk_s3::Client::from_conf(conf);
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(SIGNING_UNIX as u64);
        let pc = PresigningConfig::builder()
            .start_time(start)
            .expires_in(Duration::from_secs(EXPIRES))
            .build()
            .unwrap();
        g.bench_function("aws-sdk-s3 presigned()", |b| {
            b.iter(|| {
                rt.block_on(
                    client
                        .get_object()
                        .bucket(BUCKET)
                        .key(black_box(KEY))
                        .presigned(pc.clone()),
                )
                .unwrap()
                .uri()
                .to_owned()
            })
        });
    }

    // object_store signed_url (always signs at "now"; same work otherwise).
    {
        use object_store::signer::Signer;
        let s3 = object_store::aws::AmazonS3Builder::new()
            .with_bucket_name(BUCKET)
            .with_region(REGION)
            .with_access_key_id(ACCESS_KEY_ID)
            .with_secret_access_key(SECRET_ACCESS_KEY)
            .build()
            .unwrap();
        let path = object_store::path::Path::from(KEY);
        g.bench_function("object_store signed_url", |b| {
            b.iter(|| {
                rt.block_on(s3.signed_url(
                    http::Method::GET,
                    black_box(&path),
                    Duration::from_secs(EXPIRES),
                ))
                .unwrap()
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
