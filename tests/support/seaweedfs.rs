//! The SeaweedFS S3 emulator the S3 tests run against (`weed mini`, started by
//! `bash .ci/emulators/seaweedfs.sh start` or `bash .ci/test`): its endpoint, bucket and
//! credentials, and a path-style presigner for it.

use presign_s3::{Addressing, Credentials, S3Presigner};

use crate::emulator::emulator_endpoint;

/// The environment variable that overrides [`DEFAULT_ENDPOINT`].
pub const ENDPOINT_ENV: &str = "PRESIGN_S3_ENDPOINT";
/// Where `seaweedfs.sh start` listens.
pub const DEFAULT_ENDPOINT: &str = "http://127.0.0.1:8333";
/// The bucket `seaweedfs.sh start` creates.
pub const BUCKET: &str = "presign-test";
/// The access key id the emulator is configured with.
pub const ACCESS_KEY: &str = "AKIAIOSFODNN7EXAMPLE";
/// The secret access key the emulator is configured with.
pub const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/// The role SeaweedFS's STS hands out temporary credentials for (AssumeRole on the S3 port,
/// signed with [`ACCESS_KEY`]; configured by `seaweedfs.sh start`).
pub const STS_ROLE: &str = "arn:aws:iam::role/PresignRole";

/// The endpoint of a running SeaweedFS; see [`emulator_endpoint`] for what happens when none
/// answers.
pub fn endpoint() -> Option<String> {
    emulator_endpoint(ENDPOINT_ENV, DEFAULT_ENDPOINT)
}

/// The emulator's credentials.
pub fn credentials() -> Credentials {
    Credentials::new(ACCESS_KEY, SECRET_KEY)
}

/// A presigner for [`BUCKET`] at `endpoint`: path addressing, region us-east-1.
pub fn presigner(endpoint: &str, credentials: Credentials) -> S3Presigner {
    S3Presigner::builder()
        .bucket(BUCKET)
        .region("us-east-1")
        .endpoint(endpoint)
        .addressing(Addressing::Path)
        .credentials(credentials)
        .build()
        .unwrap()
}
