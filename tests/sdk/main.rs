//! Differential tests against the vendors' own SDKs (Python, pinned and installed into
//! `.emulators/sdk-venv` by `.ci/sdk/*.sh`, which `bash .ci/test` runs): hundreds of generated
//! cases (fixed seeds), each signed by presign and by a script calling the SDK (`sdk/azure/`,
//! `sdk/boto3/`, `sdk/botocore/`, `sdk/gcs/`), and compared. Under `CI=true` a missing SDK
//! fails the test; elsewhere it prints a loud SKIPPED line.
//!
//! - [`azure`]: service and user-delegation SAS against `azure-storage-blob`.
//! - [`cloudfront`]: CloudFront signed URLs against botocore's `CloudFrontSigner`.
//! - [`boto3_post`]: S3 POST policies against boto3's `generate_presigned_post`.
//! - [`gateway_openapi`]: the signing gateway's OpenAPI document checked against the running
//!   gateway by schemathesis (no 5xx, every answer as documented).
//! - [`gcs_hmac`]: GOOG4-HMAC-SHA256 URLs against `google-cloud-storage`.
//! - [`s3_partitions`]: the S3 host of every AWS partition against botocore's endpoint rules.
//! - [`inspect`]: `presign inspect` on URLs made by boto3, google-cloud-storage and
//!   azure-storage-blob, every field checked against the request.

mod azure;
mod boto3_post;
mod cloudfront;
mod gateway_openapi;
mod gcs_hmac;
mod inspect;
mod s3_partitions;
