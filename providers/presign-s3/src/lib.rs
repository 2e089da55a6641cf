//! AWS SigV4 query presigning for S3 and S3-compatible stores.

pub mod signing_key;
pub mod sigv4;
