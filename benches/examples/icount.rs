//! Runs one benchmark case N times, for instruction counting under callgrind (which does not
//! depend on machine load). Instructions per URL = (count at 3N - count at N) / 2N:
//!
//! ```text
//! cargo build --profile bench --manifest-path benches/Cargo.toml --example icount
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null benches/target/release/examples/icount s3-ours 1000
//! ```
//!
//! Cases: s3-floor s3-tight s3-ours s3-policy azure-floor azure-tight azure-ours azure-policy gcs-hmac-floor
//! gcs-hmac-tight gcs-hmac-ours gcs-hmac-policy gcs-rsa-raw gcs-rsa-floor gcs-rsa-ours; the async
//! trait path (`-ours`, `-policy`) and the synchronous path (`-sync`, `-policy-sync`, and
//! `gcs-rsa-policy-sync`). Valgrind hides SHA-NI,
//! so SHA-256 runs its software path there: the counts overstate crypto, equally for all.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use presign_benches::azure_floor::AzureFloor;
use presign_benches::gcs_floor::{GcsFloor, parse_service_account, rsa_key_pair};
use presign_benches::s3_floor::Floor;
use presign_benches::tight::{AzureTight, GcsHmacTight, S3Tight};
use presign_benches::*;
use presign_core::{
    FixedClock, PresignRequest, Presigner, SecretString, SyncPresigner, Timestamp,
};
use presign_policy::{Policy, PolicyLayer};

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock(Timestamp::from_unix(SIGNING_UNIX).unwrap()))
}

fn run(n: u32, mut f: impl FnMut()) {
    for _ in 0..n {
        f();
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let case = args.get(1).map(String::as_str).unwrap_or("s3-ours");
    let n: u32 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let request = PresignRequest::parse("GET", KEY)
        .unwrap()
        .with_ttl(Duration::from_secs(EXPIRES));
    let presign = |p: &dyn Presigner| rt.block_on(p.presign(black_box(&request))).unwrap();
    let sync = |p: &dyn SyncPresigner| p.presign_sync(black_box(&request)).unwrap();
    let s3 = || {
        presign_s3::S3Presigner::builder()
            .bucket(BUCKET)
            .region(REGION)
            .credentials(presign_s3::Credentials::new(
                ACCESS_KEY_ID,
                SECRET_ACCESS_KEY,
            ))
            .clock(clock())
            .build()
            .unwrap()
    };
    let azure = || {
        presign_azure::AzurePresigner::builder()
            .account(AZURE_ACCOUNT)
            .container(BUCKET)
            .account_key(SecretString::new(AZURE_KEY))
            .clock(clock())
            .build()
            .unwrap()
    };
    let gcs_hmac = || {
        presign_gcs::GcsPresigner::builder()
            .bucket(BUCKET)
            .hmac_key(GCS_HMAC_ID, SecretString::new(GCS_HMAC_SECRET))
            .clock(clock())
            .build()
            .unwrap()
    };
    let json = gcs_service_account_json();
    let policy = || {
        PolicyLayer::new(Policy::default().dangerous().allow_any_key().finish())
            .unwrap()
            .with_clock(clock())
    };
    match case {
        "s3-floor" => {
            let f = Floor::new(
                BUCKET,
                REGION,
                ACCESS_KEY_ID,
                SECRET_ACCESS_KEY,
                SIGNING_UNIX,
            );
            run(n, || {
                drop(black_box(f.presign_get(black_box(KEY), EXPIRES)))
            });
        }
        "s3-tight" => {
            let f = S3Tight::new(
                BUCKET,
                REGION,
                ACCESS_KEY_ID,
                SECRET_ACCESS_KEY,
                SIGNING_UNIX,
            );
            run(n, || {
                drop(black_box(f.presign_get(
                    black_box(KEY),
                    black_box(SIGNING_UNIX),
                    EXPIRES,
                )))
            });
        }
        "s3-ours" => {
            let p = s3();
            run(n, || drop(black_box(presign(&p))));
        }
        "s3-policy" => {
            let p = policy().layer(s3());
            run(n, || drop(black_box(presign(&p))));
        }
        "s3-sync" => {
            let p = s3();
            run(n, || drop(black_box(sync(&p))));
        }
        "s3-policy-sync" => {
            let p = policy().layer(s3());
            run(n, || drop(black_box(sync(&p))));
        }
        "azure-floor" => {
            let f = AzureFloor::new(AZURE_ACCOUNT, AZURE_KEY, BUCKET);
            run(n, || {
                drop(black_box(
                    f.presign_get(black_box(KEY), SIGNING_UNIX + EXPIRES as i64),
                ))
            });
        }
        "azure-tight" => {
            let f = AzureTight::new(AZURE_ACCOUNT, AZURE_KEY, BUCKET);
            run(n, || {
                drop(black_box(f.presign_get(
                    black_box(KEY),
                    black_box(SIGNING_UNIX + EXPIRES as i64),
                )))
            });
        }
        "azure-ours" => {
            let p = azure();
            run(n, || drop(black_box(presign(&p))));
        }
        "azure-policy" => {
            let p = policy().layer(azure());
            run(n, || drop(black_box(presign(&p))));
        }
        "azure-sync" => {
            let p = azure();
            run(n, || drop(black_box(sync(&p))));
        }
        "azure-policy-sync" => {
            let p = policy().layer(azure());
            run(n, || drop(black_box(sync(&p))));
        }
        "gcs-hmac-floor" => {
            let f = GcsFloor::hmac(BUCKET, GCS_HMAC_ID, GCS_HMAC_SECRET, SIGNING_UNIX);
            run(n, || {
                drop(black_box(f.presign_get(black_box(KEY), EXPIRES)))
            });
        }
        "gcs-hmac-tight" => {
            let f = GcsHmacTight::new(BUCKET, GCS_HMAC_ID, GCS_HMAC_SECRET, SIGNING_UNIX);
            run(n, || {
                drop(black_box(f.presign_get(
                    black_box(KEY),
                    black_box(SIGNING_UNIX),
                    EXPIRES,
                )))
            });
        }
        "gcs-hmac-ours" => {
            let p = gcs_hmac();
            run(n, || drop(black_box(presign(&p))));
        }
        "gcs-hmac-policy" => {
            let p = policy().layer(gcs_hmac());
            run(n, || drop(black_box(presign(&p))));
        }
        "gcs-hmac-sync" => {
            let p = gcs_hmac();
            run(n, || drop(black_box(sync(&p))));
        }
        "gcs-hmac-policy-sync" => {
            let p = policy().layer(gcs_hmac());
            run(n, || drop(black_box(sync(&p))));
        }
        "gcs-rsa-raw" => {
            let (_, der) = parse_service_account(&json);
            let pair = rsa_key_pair(&der);
            let rng = aws_lc_rs::rand::SystemRandom::new();
            let mut sig = vec![0u8; pair.public_modulus_len()];
            let sts = [b'x'; 160];
            run(n, || {
                pair.sign(
                    &aws_lc_rs::signature::RSA_PKCS1_SHA256,
                    &rng,
                    black_box(&sts),
                    &mut sig,
                )
                .unwrap()
            });
        }
        "gcs-rsa-floor" => {
            let f = GcsFloor::rsa(BUCKET, &json, SIGNING_UNIX);
            run(n, || {
                drop(black_box(f.presign_get(black_box(KEY), EXPIRES)))
            });
        }
        "gcs-rsa-ours" => {
            let p = presign_gcs::GcsPresigner::builder()
                .bucket(BUCKET)
                .service_account_json(&json)
                .clock(clock())
                .build()
                .unwrap();
            run(n, || drop(black_box(presign(&p))));
        }
        "gcs-rsa-policy-sync" => {
            let p = policy().layer(
                presign_gcs::GcsPresigner::builder()
                    .bucket(BUCKET)
                    .service_account_json(&json)
                    .clock(clock())
                    .build()
                    .unwrap(),
            );
            run(n, || drop(black_box(sync(&p))));
        }
        other => panic!("unknown case {other}"),
    }
}
