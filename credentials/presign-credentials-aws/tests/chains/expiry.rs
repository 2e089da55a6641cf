//! No URL outlives its credentials: 2 minutes before they expire, a 15-minute URL is clamped
//! to their expiry (or refused under `reject`).

use std::sync::Arc;
use std::time::Duration;

use presign_core::Presigner;
use presign_credentials_aws::AwsCredentialSource;
use presign_credentials_testkit::clock::StepClock;
use presign_credentials_testkit::server::Response;
use presign_policy::{ExcessTtl, Policy, PolicyLayer};

use crate::imds::imds_server;
use crate::support::{creds_json, get, now, param, presigner};

#[tokio::test]
async fn fifteen_minutes_two_minutes_before_expiry_is_clamped_or_refused() {
    let t0 = now();
    let expires = t0.checked_add(Duration::from_secs(120)).unwrap();
    let server =
        imds_server(move |_| Response::json(creds_json("ASIACLAMPEXAMPLE", expires))).await;
    let clock = Arc::new(StepClock::new(t0));
    let s3 = presigner(
        Arc::new(
            AwsCredentialSource::imds_at(&server.url())
                .unwrap()
                .with_name("prod"),
        ),
        clock.clone(),
    );
    let policy = Policy::default()
        .with_max_ttl(Duration::from_secs(900))
        .with_key_prefixes(["uploads/"]);
    let clamp = PolicyLayer::new(policy.clone())
        .unwrap()
        .with_clock(clock.clone())
        .layer(s3);

    let signed = clamp.presign(&get(Duration::from_secs(900))).await.unwrap();
    assert_eq!(signed.expires_at(), expires);
    assert_eq!(param(signed.expose_url(), "X-Amz-Expires"), Some("120"));

    let reject = PolicyLayer::new(policy.with_excess_ttl(ExcessTtl::Reject))
        .unwrap()
        .with_clock(clock.clone())
        .layer(clamp.into_inner());
    let e = reject
        .presign(&get(Duration::from_secs(900)))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), "credentials_expire_first", "{e}");
    // A URL that fits is still signed.
    let ok = reject.presign(&get(Duration::from_secs(60))).await.unwrap();
    assert_eq!(param(ok.expose_url(), "X-Amz-Expires"), Some("60"));
}
