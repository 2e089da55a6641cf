//! The CDN cases of the benchmarks, N times each, for instruction counting under callgrind
//! (independent of machine load). Instructions per URL = (count at 3N - count at N) / 2N:
//!
//! ```text
//! cargo build --profile bench --manifest-path benches/Cargo.toml --example icount_cdn
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null benches/target/release/examples/icount_cdn cf-ours-sha256 20
//! ```
//!
//! Cases: cf-raw-sha256 (bare aws-lc-rs RSA-2048 SHA-256), cf-signer-sha256, cf-ours-sha256
//! (the presigner), cf-policy-sha256 (behind the policy layer), cf-raw-sha1 (bare rsa crate),
//! cf-signer-sha1, cf-ours-sha1, cf-peer-sha1 (cloudfront_sign 0.4.1); cdn-tight (the Cloud CDN
//! floor), cdn-signer, cdn-ours, cdn-policy, cdn-ours-sync, cdn-policy-sync (the synchronous path).

use std::borrow::Cow;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

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
const KEY: &str = "videos/2026/launch.mp4";

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

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let case = args.get(1).map(String::as_str).unwrap_or("cf-ours-sha256");
    let n: u32 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(20);
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let hash = if case.ends_with("sha1") {
        HashAlgorithm::Sha1
    } else {
        HashAlgorithm::Sha256
    };
    let url = format!("https://d111111abcdef8.cloudfront.net/{KEY}");
    let expires = SIGNING_UNIX + EXPIRES as i64;
    let grant = Grant::new(url.clone(), Timestamp::from_unix(expires).unwrap()).unwrap();
    let policy = grant.policy_json(PolicyKind::Canned).unwrap();
    let key = Arc::new(SigningKey::from_pem(PKCS8).unwrap());
    let signer =
        CloudFrontSigner::new(KeyPairId::new("K2JCJMDEHXQW5F").unwrap(), key.clone(), hash)
            .unwrap();
    let cf = CloudFrontPresigner::builder()
        .domain("d111111abcdef8.cloudfront.net")
        .keys(KeyGroup::single(
            KeyPairId::new("K2JCJMDEHXQW5F").unwrap(),
            key,
        ))
        .hash(hash)
        .policy(PolicyKind::Canned)
        .clock(clock())
        .build()
        .unwrap();
    let layer = || {
        PolicyLayer::new(Policy::default().with_key_prefixes(["videos/"]))
            .unwrap()
            .with_clock(clock())
    };
    let cf_policy = layer().layer(cf.clone());
    let cdn_url = format!("https://media.example.com/{KEY}");
    let cdn_key = CloudCdnKey::from_base64("my-key", "nZtRohdNF9m3cKM24IcK4w==").unwrap();
    let floor = CloudCdnFloor::new("my-key", cdn_key.expose_secret());
    let cdn_signer = CloudCdnSigner::new(cdn_key.clone());
    let cdn = CloudCdnPresigner::builder()
        .domain("media.example.com")
        .key(cdn_key)
        .clock(clock())
        .build()
        .unwrap();
    let cdn_policy = layer().layer(cdn.clone());
    let t = Timestamp::from_unix(expires).unwrap();
    let req = request();
    let repeat = |f: &mut dyn FnMut()| {
        for _ in 0..n {
            f();
        }
    };
    match case {
        "cf-raw-sha256" => {
            let pair = aws_lc_rs::signature::RsaKeyPair::from_pkcs8(&der(PKCS8)).unwrap();
            let rng = aws_lc_rs::rand::SystemRandom::new();
            let mut sig = vec![0u8; pair.public_modulus_len()];
            repeat(&mut || {
                pair.sign(
                    &aws_lc_rs::signature::RSA_PKCS1_SHA256,
                    &rng,
                    black_box(policy.as_bytes()),
                    &mut sig,
                )
                .unwrap()
            });
        }
        "cf-raw-sha1" => {
            let k = rsa::PrivateKey::from_pkcs1_der(&der(PKCS1)).unwrap();
            let prefix: &[u8] = &[
                0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04,
                0x14,
            ];
            repeat(&mut || {
                let d = aws_lc_rs::digest::digest(
                    &aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY,
                    black_box(policy.as_bytes()),
                );
                black_box(
                    k.sign(
                        rsa::Pkcs1v15Sign {
                            hash_len: Some(20),
                            prefix: prefix.into(),
                        },
                        d.as_ref(),
                    )
                    .unwrap(),
                );
            });
        }
        "cf-signer-sha256" | "cf-signer-sha1" => repeat(&mut || {
            black_box(
                signer
                    .signed_url(black_box(&url), &grant, PolicyKind::Canned)
                    .unwrap(),
            );
        }),
        "cf-ours-sha256" | "cf-ours-sha1" => repeat(&mut || {
            black_box(rt.block_on(cf.presign(black_box(&req))).unwrap());
        }),
        "cf-policy-sha256" => repeat(&mut || {
            black_box(rt.block_on(cf_policy.presign(black_box(&req))).unwrap());
        }),
        "cf-peer-sha1" => {
            let options = cloudfront_sign::SignedOptions {
                key_pair_id: Cow::from("K2JCJMDEHXQW5F"),
                private_key: Cow::from(PKCS1),
                date_less_than: expires as u64,
                ..Default::default()
            };
            repeat(&mut || {
                black_box(cloudfront_sign::get_signed_url(black_box(&url), &options).unwrap());
            });
        }
        "cdn-tight" => repeat(&mut || {
            black_box(floor.sign(black_box(&cdn_url), expires as u64));
        }),
        "cdn-signer" => repeat(&mut || {
            black_box(cdn_signer.signed_url(black_box(&cdn_url), t).unwrap());
        }),
        "cdn-ours" => repeat(&mut || {
            black_box(rt.block_on(cdn.presign(black_box(&req))).unwrap());
        }),
        "cdn-ours-sync" => repeat(&mut || {
            black_box(cdn.presign_sync(black_box(&req)).unwrap());
        }),
        "cdn-policy-sync" => repeat(&mut || {
            black_box(cdn_policy.presign_sync(black_box(&req)).unwrap());
        }),
        "cdn-policy" => repeat(&mut || {
            black_box(rt.block_on(cdn_policy.presign(black_box(&req))).unwrap());
        }),
        other => panic!("unknown case {other}"),
    }
}
