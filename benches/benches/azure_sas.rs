//! One Azure blob read SAS (service SAS, account key), every signer in one run, same inputs:
//! the hand-written floor, presign-azure (bare and behind the policy layer) and object_store
//! `MicrosoftAzure::signed_url`.
//!
//! object_store signs the percent-encoded path as the canonicalized resource (the spec and
//! every SDK sign the decoded blob name), so for this blob name its signature differs from
//! the floor's, and it always signs "now": its URL is not compared, only its speed.
//!
//! Run: `cargo bench --manifest-path benches/Cargo.toml --bench azure_sas`

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use presign_azure::AzurePresigner;
use presign_benches::azure_floor::AzureFloor;
use presign_benches::tight::AzureTight;
use presign_benches::*;
use presign_core::{FixedClock, Presigner, SecretString, Timestamp};
use presign_policy::{Policy, PolicyLayer};

fn signing_time() -> Timestamp {
    Timestamp::from_unix(SIGNING_UNIX).unwrap()
}

fn presign_azure() -> AzurePresigner {
    AzurePresigner::builder()
        .account(AZURE_ACCOUNT)
        .container(BUCKET)
        .account_key(SecretString::new(AZURE_KEY))
        .clock(Arc::new(FixedClock(signing_time())))
        .build()
        .unwrap()
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut g = c.benchmark_group("azure_sas_get");

    // The floor and presign-azure must agree byte for byte before their speeds are compared.
    let floor = AzureFloor::new(AZURE_ACCOUNT, AZURE_KEY, BUCKET);
    let expiry = SIGNING_UNIX + EXPIRES as i64;
    let ours = presign_azure();
    let (request, ours_url) =
        checked_get_request(&rt, &ours, &floor.presign_get(KEY, expiry), "presign-azure");

    g.bench_function("floor (fmt)", |b| {
        b.iter(|| floor.presign_get(black_box(KEY), expiry))
    });

    let tight = AzureTight::new(AZURE_ACCOUNT, AZURE_KEY, BUCKET);
    assert_eq!(
        ours_url,
        tight.presign_get(KEY, expiry),
        "presign-azure and the tight floor disagree"
    );
    g.bench_function("floor (tight)", |b| {
        b.iter(|| tight.presign_get(black_box(KEY), black_box(expiry)))
    });

    // The crypto alone (same string to sign): the part no signer avoids.
    {
        let sts = rt
            .block_on(ours.explain(&request))
            .unwrap()
            .unwrap()
            .string_to_sign;
        let key = [7u8; 64];
        g.bench_function("crypto only (HMAC, no strings)", |b| {
            b.iter(|| crypto_only(&key, None, black_box(sts.as_bytes())))
        });
    }

    g.bench_function("presign-azure", |b| {
        b.iter(|| rt.block_on(ours.presign(black_box(&request))).unwrap())
    });

    let policied = PolicyLayer::new(Policy::default().dangerous().allow_any_key().finish())
        .unwrap()
        .with_clock(Arc::new(FixedClock(signing_time())))
        .layer(presign_azure());
    assert_eq!(
        rt.block_on(policied.presign(&request))
            .unwrap()
            .into_exposed_url(),
        ours_url
    );
    g.bench_function("presign-azure + policy layer", |b| {
        b.iter(|| rt.block_on(policied.presign(black_box(&request))).unwrap())
    });

    // object_store signed_url (account key, offline; always signs at "now").
    {
        use object_store::signer::Signer;
        let azure = object_store::azure::MicrosoftAzureBuilder::new()
            .with_account(AZURE_ACCOUNT)
            .with_access_key(AZURE_KEY)
            .with_container_name(BUCKET)
            .build()
            .unwrap();
        let path = object_store::path::Path::from(KEY);
        let url = rt
            .block_on(azure.signed_url(http::Method::GET, &path, Duration::from_secs(EXPIRES)))
            .unwrap();
        assert!(url.as_str().contains("sig="), "{url}");
        g.bench_function("object_store signed_url", |b| {
            b.iter(|| {
                rt.block_on(azure.signed_url(
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
