//! Vendor test vectors (copied into `tests/vectors/`, see its README for source and license),
//! signed by presign and compared byte for byte. No server, no SDK: this binary always runs.
//!
//! - [`sigv4`]: the AWS SigV4 test suite (awslabs/aws-c-auth) in query mode, and the S3
//!   documentation's query-auth example.
//! - [`gcs`]: googleapis/conformance-tests `signingV4Tests` (GCS V4 signed URLs).
//! - [`gcs_post`]: googleapis/conformance-tests `postPolicyV4Tests` (GCS V4 POST policies).
//! - [`cloudfront`]: CloudFront signed URL and cookie cases (aws-cli SEP, Ruby, botocore, go-v2).
//! - [`cloud_cdn`]: Google Cloud CDN signed URL, URL prefix and cookie cases.
//! - [`inspect_cdn`]: `presign inspect` decoding the CloudFront and Cloud CDN URL cases.
//! - [`verify_cdn`]: `presign verify` with the Cloud CDN verifier on the Cloud CDN cases.

mod cloud_cdn;
mod cloudfront;
mod gcs;
mod gcs_post;
mod inspect_cdn;
mod sigv4;
mod verify_cdn;
