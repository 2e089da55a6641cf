//! CDN signatures, every signer in one run, same inputs.
//!
//! CloudFront (RSA-2048, a canned-policy GET URL): a bare aws-lc-rs RSA-2048 PKCS#1 v1.5
//! SHA-256 signature of the policy (the floor for SHA-256), presign-cloudfront's signer, its
//! presigner and the presigner behind the policy layer; for SHA-1 (CloudFront's default, signed
//! by RustCrypto's rsa because AWS-LC's safe API does not sign SHA-1) a bare `rsa` signature,
//! presign, and the peer crate `cloudfront_sign` 0.4.1 (the only CloudFront signer found on
//! crates.io; SHA-1 only). Every signer's URL is first checked equal to presign's.
//!
//! Cloud CDN (HMAC-SHA1 signed URL): the tight hand-written floor, presign-cloud-cdn's signer,
//! its presigner and the presigner behind the policy layer.
//!
//! Run: `cargo bench --manifest-path benches/Cargo.toml --bench cdn`

use std::borrow::Cow;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use presign_benches::cdn_floor::CloudCdnFloor;
use presign_benches::{EXPIRES, SIGNING_UNIX};
use presign_cloud_cdn::{CloudCdnKey, CloudCdnPresigner, CloudCdnSigner};
use presign_cloudfront::{
    CloudFrontPresigner, CloudFrontSigner, Grant, HashAlgorithm, KeyGroup, KeyPairId, PolicyKind,
    SigningKey,
};
use presign_core::{FixedClock, PresignRequest, Presigner, SyncPresigner, Timestamp};
use presign_policy::{Policy, PolicyLayer};
use rsa::pkcs1::DecodeRsaPrivateKey;

const PKCS8: &str =
    include_str!("../../providers/presign-cloudfront/tests/keys/rsa-2048-pkcs8.pem");
const PKCS1: &str =
    include_str!("../../providers/presign-cloudfront/tests/keys/rsa-2048-pkcs1.pem");
const DOMAIN: &str = "d111111abcdef8.cloudfront.net";
const KEY: &str = "videos/2026/launch.mp4";
const KEY_ID: &str = "K2JCJMDEHXQW5F";

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock(Timestamp::from_unix(SIGNING_UNIX).unwrap()))
}

fn request() -> PresignRequest {
    PresignRequest::parse("GET", KEY)
        .unwrap()
        .with_ttl(Duration::from_secs(EXPIRES))
}

fn der(pem: &str) -> Vec<u8> {
    presign_core::pem::decode(pem).unwrap().der.to_vec()
}

fn cloudfront(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let url = format!("https://{DOMAIN}/{KEY}");
    let expires = SIGNING_UNIX + EXPIRES as i64;
    let grant = Grant::new(url.clone(), Timestamp::from_unix(expires).unwrap()).unwrap();
    let policy = grant.policy_json(PolicyKind::Canned).unwrap();
    let key = Arc::new(SigningKey::from_pem(PKCS8).unwrap());
    let mut g = c.benchmark_group("cloudfront_rsa2048_get");
    g.sample_size(30);
    g.measurement_time(Duration::from_secs(6));

    for hash in [HashAlgorithm::Sha256, HashAlgorithm::Sha1] {
        let h = hash.as_str();
        let signer =
            CloudFrontSigner::new(KeyPairId::new(KEY_ID).unwrap(), key.clone(), hash).unwrap();
        let presigner = CloudFrontPresigner::builder()
            .domain(DOMAIN)
            .keys(KeyGroup::single(
                KeyPairId::new(KEY_ID).unwrap(),
                key.clone(),
            ))
            .hash(hash)
            .policy(PolicyKind::Canned)
            .clock(clock())
            .build()
            .unwrap();
        let policied = PolicyLayer::new(Policy::default().with_key_prefixes(["videos/"]))
            .unwrap()
            .with_clock(clock())
            .layer(presigner.clone());
        let ours = signer.signed_url(&url, &grant, PolicyKind::Canned).unwrap();
        assert_eq!(
            presigner.presign_sync(&request()).unwrap().expose_url(),
            ours
        );
        assert_eq!(
            rt.block_on(policied.presign(&request()))
                .unwrap()
                .expose_url(),
            ours
        );

        match hash {
            HashAlgorithm::Sha256 => {
                let pair = aws_lc_rs::signature::RsaKeyPair::from_pkcs8(&der(PKCS8)).unwrap();
                let rng = aws_lc_rs::rand::SystemRandom::new();
                let mut sig = vec![0u8; pair.public_modulus_len()];
                pair.sign(
                    &aws_lc_rs::signature::RSA_PKCS1_SHA256,
                    &rng,
                    policy.as_bytes(),
                    &mut sig,
                )
                .unwrap();
                assert!(ours.contains(&presign_cloudfront::encoding::encode(&sig)));
                g.bench_function("aws-lc-rs RSA-2048 SHA-256 sign only", |b| {
                    b.iter(|| {
                        pair.sign(
                            &aws_lc_rs::signature::RSA_PKCS1_SHA256,
                            &rng,
                            black_box(policy.as_bytes()),
                            &mut sig,
                        )
                        .unwrap()
                    })
                });
            }
            HashAlgorithm::Sha1 => {
                let rsa_key = rsa::PrivateKey::from_pkcs1_der(&der(PKCS1)).unwrap();
                let prefix: &[u8] = &[
                    0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00,
                    0x04, 0x14,
                ];
                g.bench_function("rsa 0.10 RSA-2048 SHA-1 sign only", |b| {
                    b.iter(|| {
                        let d = aws_lc_rs::digest::digest(
                            &aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY,
                            black_box(policy.as_bytes()),
                        );
                        rsa_key
                            .sign(
                                rsa::Pkcs1v15Sign {
                                    hash_len: Some(20),
                                    prefix: prefix.into(),
                                },
                                d.as_ref(),
                            )
                            .unwrap()
                    })
                });
                let options = cloudfront_sign::SignedOptions {
                    key_pair_id: Cow::from(KEY_ID),
                    private_key: Cow::from(PKCS1),
                    date_less_than: expires as u64,
                    ..Default::default()
                };
                assert_eq!(
                    cloudfront_sign::get_signed_url(&url, &options).unwrap(),
                    ours
                );
                g.bench_function("cloudfront_sign 0.4.1 (SHA-1)", |b| {
                    b.iter(|| cloudfront_sign::get_signed_url(black_box(&url), &options).unwrap())
                });
            }
        }
        g.bench_function(format!("presign-cloudfront signer ({h})"), |b| {
            b.iter(|| {
                signer
                    .signed_url(black_box(&url), &grant, PolicyKind::Canned)
                    .unwrap()
            })
        });
        g.bench_function(format!("presign CloudFrontPresigner ({h})"), |b| {
            b.iter(|| presigner.presign_sync(black_box(&request())).unwrap())
        });
        g.bench_function(format!("presign + policy layer ({h})"), |b| {
            b.iter(|| {
                rt.block_on(policied.presign(black_box(&request())))
                    .unwrap()
            })
        });
    }
    g.finish();
}

fn cloud_cdn(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let url = format!("https://media.example.com/{KEY}");
    let expires = SIGNING_UNIX as u64 + EXPIRES;
    let key = CloudCdnKey::from_base64("my-key", "nZtRohdNF9m3cKM24IcK4w==").unwrap();
    let floor = CloudCdnFloor::new("my-key", key.expose_secret());
    let signer = CloudCdnSigner::new(key.clone());
    let presigner = CloudCdnPresigner::builder()
        .domain("media.example.com")
        .key(key)
        .clock(clock())
        .build()
        .unwrap();
    let policied = PolicyLayer::new(Policy::default().with_key_prefixes(["videos/"]))
        .unwrap()
        .with_clock(clock())
        .layer(presigner.clone());
    let t = Timestamp::from_unix(expires as i64).unwrap();
    let want = floor.sign(&url, expires);
    assert_eq!(signer.signed_url(&url, t).unwrap(), want);
    assert_eq!(
        presigner.presign_sync(&request()).unwrap().expose_url(),
        want
    );
    assert_eq!(
        rt.block_on(policied.presign(&request()))
            .unwrap()
            .expose_url(),
        want
    );

    let mut g = c.benchmark_group("cloud_cdn_hmac_get");
    g.bench_function("tight floor", |b| {
        b.iter(|| floor.sign(black_box(&url), expires))
    });
    g.bench_function("presign-cloud-cdn signer", |b| {
        b.iter(|| signer.signed_url(black_box(&url), t).unwrap())
    });
    g.bench_function("presign CloudCdnPresigner", |b| {
        b.iter(|| presigner.presign_sync(black_box(&request())).unwrap())
    });
    g.bench_function("presign + policy layer (sync)", |b| {
        b.iter(|| policied.presign_sync(black_box(&request())).unwrap())
    });
    g.bench_function("presign + policy layer", |b| {
        b.iter(|| {
            rt.block_on(policied.presign(black_box(&request())))
                .unwrap()
        })
    });
    // The same with the request built once, as the floor gets its URL and as
    // examples/icount_cdn.rs counts: the rows above also parse and validate the key (an
    // `Arc<str>` allocated and freed) on every iteration.
    let req = request();
    g.bench_function("presign CloudCdnPresigner, request built once", |b| {
        b.iter(|| presigner.presign_sync(black_box(&req)).unwrap())
    });
    g.bench_function("presign + policy layer (sync), request built once", |b| {
        b.iter(|| policied.presign_sync(black_box(&req)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, cloudfront, cloud_cdn);
criterion_main!(benches);
