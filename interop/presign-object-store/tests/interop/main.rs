//! presign-object-store against what we did not write: object_store's `Signer` trait as its
//! callers use it, object_store's own credential providers (static, and IMDSv2 against a
//! server on 127.0.0.1), and the AWS documentation's SigV4 example.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod aws_source;
mod signer;

use std::sync::Arc;
use std::time::Duration;

use presign_core::{CredentialSource, FixedClock, Timestamp};
use presign_s3::{Addressing, Credentials, S3Presigner};

/// The AWS documentation's presigned-URL example ("Authenticating Requests: Using Query
/// Parameters (AWS Signature Version 4)", S3 API reference): GET examplebucket/test.txt,
/// 2013-05-24T00:00:00Z, 86400 s, us-east-1, the documented example key pair.
pub(crate) const DOC_TIME: &str = "2013-05-24T00:00:00Z";
pub(crate) const DOC_KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
pub(crate) const DOC_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
pub(crate) const DOC_URL: &str = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256\
     &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
     &X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\
     &X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

/// The documentation example's S3 presigner (its time, bucket, host) over `source`.
pub(crate) fn doc_presigner(source: Arc<dyn CredentialSource<Credentials>>) -> S3Presigner {
    S3Presigner::builder()
        .bucket("examplebucket")
        .region("us-east-1")
        .endpoint("https://s3.amazonaws.com")
        .addressing(Addressing::Virtual)
        .credential_source(source)
        .clock(Arc::new(FixedClock(doc_time())))
        .build()
        .unwrap()
}

pub(crate) fn doc_time() -> Timestamp {
    Timestamp::parse_rfc3339(DOC_TIME).unwrap()
}

/// One day, the example's lifetime.
pub(crate) const DAY: Duration = Duration::from_secs(86_400);
