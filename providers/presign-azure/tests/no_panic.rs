#![cfg(test)] // all test code: clippy.toml's allow-*-in-tests cover its helpers too
//! Property tests: any valid key and any constraint values either sign or give an error, never a
//! panic; a signed URL's path always decodes back to the blob name.

use std::sync::Arc;
use std::time::Duration;

use futures_executor::block_on;
use presign_azure::AzurePresigner;
use presign_core::encoding::decode_lossy;
use presign_core::{
    ClientIp, Constraints, FixedClock, Method, ObjectKey, PresignRequest, Presigner, SecretString,
    Timestamp,
};
use proptest::prelude::*;

fn presigner() -> AzurePresigner {
    AzurePresigner::builder()
        .account("acct")
        .container("ctr")
        .account_key(SecretString::new("a2V5LWJ5dGVz"))
        .endpoint("http://127.0.0.1:10000/acct")
        .start_backdate(Duration::from_secs(300))
        .clock(Arc::new(FixedClock(
            Timestamp::from_unix(1_700_000_000).unwrap(),
        )))
        .build()
        .unwrap()
}

proptest! {
    #[test]
    fn never_panics_and_paths_round_trip(
        key in any::<String>(),
        method in 0usize..5,
        ttl in 0u64..800_000,
        ip in proptest::option::of(any::<u32>()),
        rscd in proptest::option::of(any::<String>()),
        version in proptest::option::of("[ -~]{0,70}"),
        create_only in any::<bool>(),
        https in any::<bool>(),
    ) {
        let Ok(key) = ObjectKey::new(key) else { return Ok(()) };
        let p = presigner();
        let mut c = Constraints::default();
        c.client_ip = ip.map(|v| ClientIp::single(std::net::Ipv4Addr::from(v).into()));
        c.response.content_disposition = rscd;
        c.version = version;
        c.create_only = create_only;
        c.https_only = https;
        let r = PresignRequest::new(Method::ALL[method], key.clone())
            .with_ttl(Duration::from_secs(ttl))
            .with_constraints(c);
        if let Ok(s) = block_on(p.presign(&r)) {
            let base = s.expose_url().split_once('?').unwrap().0;
            let path = base.strip_prefix("http://127.0.0.1:10000/acct/ctr/").unwrap();
            prop_assert_eq!(decode_lossy(path), key.as_str());
            prop_assert!(!s.expose_url().contains(['#', ' ', '\n']));
        }
    }
}
