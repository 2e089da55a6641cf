//! Shared pieces of the presign benchmarks: the common workload and the hand-written floors.
//!
//! The floors are deliberately minimal, independent implementations written from the
//! providers' specifications (they share no code with presign): they show what the crypto
//! and string building cost at the least, so presign's overhead can be read as a ratio.

pub mod s3_floor;

/// The benchmark's bucket.
pub const BUCKET: &str = "examplebucket";
/// The benchmark's key (a space makes encoding do some work).
pub const KEY: &str = "reports/2026/q4 summary.pdf";
/// The AWS documentation's example access key id.
pub const ACCESS_KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
/// The AWS documentation's example secret key.
pub const SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
/// The region.
pub const REGION: &str = "us-east-1";
/// URL lifetime in seconds.
pub const EXPIRES: u64 = 300;
/// The fixed signing time: 2026-11-01T12:00:00Z.
pub const SIGNING_UNIX: i64 = 1_793_534_400;
