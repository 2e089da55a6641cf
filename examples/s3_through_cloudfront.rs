//! S3 signed URLs served through a CloudFront distribution, shared by every viewer within a
//! time bucket so that CloudFront can cache them, with the effective-lifetime arithmetic.
//!
//! ```text
//! cargo run -p presign-examples --bin s3_through_cloudfront -- videos/launch.mp4
//! ```
//!
//! The distribution must forward all query strings to the S3 origin and include them in the
//! cache key, and use the bucket's regional endpoint as origin (see the README's "S3 through
//! CloudFront"). AWS's published example keys sign here; nothing is sent.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use presign_core::duration::format_duration;
use presign_core::{FixedClock, PresignRequest, Presigner, Timestamp};
use presign_policy::{Policy, PolicyLayer};
use presign_s3::{Credentials, S3Presigner};

fn main() -> ExitCode {
    let key = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "videos/launch.mp4".to_owned());
    match sign(&key) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("s3_through_cloudfront: error[{}]: {e}", e.kind());
            ExitCode::from(4)
        }
    }
}

fn sign(key: &str) -> Result<(), presign_core::Error> {
    let s3 = S3Presigner::builder()
        .bucket("media-bucket")
        .region("eu-west-1")
        // Hand out the distribution's host; sign for the bucket's, which CloudFront sends to S3.
        .served_through("https://d111111abcdef8.cloudfront.net")
        .credentials(Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ))
        .build()?;
    let bucket = Duration::from_secs(60);
    let ttl = Duration::from_secs(300);
    let cache_ttl = Duration::from_secs(120); // the cache behaviour's max TTL for these objects
    let policy = Policy::default()
        .with_time_bucket(bucket)
        .with_max_ttl(Duration::from_secs(600))
        .with_key_prefixes(["videos/"]);
    // Two viewers 40 seconds apart, in the same minute: the same URL, one cache entry.
    let t0 = Timestamp::parse_rfc3339("2026-11-01T12:00:05Z")?;
    let t1 = Timestamp::parse_rfc3339("2026-11-01T12:00:45Z")?;
    let mut urls = Vec::new();
    let s3 = Arc::new(s3);
    for now in [t0, t1] {
        let presigner = PolicyLayer::new(policy.clone())?
            .with_clock(Arc::new(FixedClock(now)))
            .layer(Arc::clone(&s3));
        let signed = futures_executor::block_on(
            presigner.presign(&PresignRequest::parse("GET", key)?.with_ttl(ttl)),
        )?;
        urls.push(signed);
    }
    let same = urls.first().map(|u| u.expose_url()) == urls.last().map(|u| u.expose_url());
    println!("same URL for both viewers: {same}");
    if let Some(u) = urls.first() {
        println!("{}", u.expose_url());
        println!(
            "signed at {} (bucket start), expires {}: the URL lives {} = bucket {} + TTL {}",
            u.signed_at(),
            u.expires_at(),
            format_duration(u.expires_at().duration_since(u.signed_at())),
            format_duration(bucket),
            format_duration(ttl)
        );
        println!(
            "a response cached at the last moment can be served up to {} after the bucket starts (bucket + TTL + cache TTL {})",
            format_duration(bucket + ttl + cache_ttl),
            format_duration(cache_ttl)
        );
    }
    Ok(())
}
