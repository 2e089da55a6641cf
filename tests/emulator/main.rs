//! Presigned URLs and POST policies sent to real storage servers on 127.0.0.1, which accept or
//! refuse them: SeaweedFS (S3), Azurite (Azure Blob) and fake-gcs-server (GCS, with every
//! signature also verified offline because the emulator checks none).
//!
//! `bash .ci/test` installs and starts the emulators; under `CI=true` a missing emulator fails
//! the test, elsewhere it prints a loud SKIPPED line. Run under the machine-wide lock:
//! `CI=true flock /tmp/presign-emulators.lock bash .ci/test -p presign-tests --test emulator`.
//!
//! - [`s3_sts`]: temporary credentials from SeaweedFS's STS (aws-config `AssumeRoleProvider`)
//!   sign URLs that SeaweedFS accepts.
//! - [`s3`], [`s3_post`]: the S3 column of the scenario table, S3-only extras, POST policies.
//! - [`azure`]: the Azure column, plus Azure-only scenarios.
//! - [`gcs`]: the GCS column (RSA and HMAC signers) and tricky keys.
//! - [`gateway`]: the signing gateway (`presign serve`) in front of SeaweedFS and Azurite.
//! - [`gateway_browser`]: the gateway-downloads example in headless Chromium (downloads
//!   through `presign serve`, no `Referer` to the storage host).
//! - [`object_store_signer`]: presign-object-store's `Signer` adapter, through the policy, on
//!   SeaweedFS.
//! - [`browser_upload`]: the browser-upload example end to end in headless Chromium, against
//!   the same SeaweedFS (it also needs `.ci/browser.sh install`).

mod azure;
mod browser_upload;
mod gateway;
mod gateway_browser;
mod gcs;
mod object_store_signer;
mod s3;
mod s3_post;
mod s3_sts;
