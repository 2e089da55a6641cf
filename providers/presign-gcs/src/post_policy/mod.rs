//! GCS POST policies V4 (browser form uploads to the XML API), signed by any of the three
//! signers: service-account key (`GOOG4-RSA-SHA256`), HMAC key (`GOOG4-HMAC-SHA256`) or a
//! [`crate::BlobSigner`] such as IAM `signBlob`.
//!
//! [`PostPresigner::presign_post`] (and [`SyncPostPresigner::presign_post_sync`]) turns a
//! [`PostPolicyRequest`] into the bucket URL (`https://storage.googleapis.com/BUCKET/`,
//! `https://BUCKET.storage.googleapis.com/` or the bucket-bound host, per [`crate::UrlStyle`])
//! and the form fields:
//!
//! | field | value |
//! |---|---|
//! | `key` | the key, or `prefix${filename}` for a prefix |
//! | `acl`, `cache-control`, `content-disposition`, `content-encoding`, `content-type` | when requested (exact values) |
//! | `success_action_redirect`, `success_action_status` | when requested |
//! | `x-goog-meta-NAME` | per metadata entry |
//! | extra exact conditions | per [`PostPolicyRequest::extra_conditions`] entry |
//! | `x-goog-algorithm` | `GOOG4-RSA-SHA256` or `GOOG4-HMAC-SHA256` |
//! | `x-goog-credential` | `ID/yyyymmdd/auto/storage/goog4_request` (not percent-encoded) |
//! | `x-goog-date` | `yyyymmddThhmmssZ` |
//! | `policy` | base64 of the policy document |
//! | `x-goog-signature` | hex signature of the `policy` value (RSA, HMAC under the day's derived key, or signBlob) |
//!
//! The fields and conditions come from the provider-neutral [`PostForm`] (shared with S3); GCS
//! orders the conditions as the Google client libraries do, which the vendor conformance
//! vectors fix byte for byte: the `starts-with` and `content-length-range` conditions first,
//! then the exact-value fields sorted by name, then `bucket`, the key, `x-goog-date`,
//! `x-goog-credential` and `x-goog-algorithm`; the JSON has `conditions` before `expiration`
//! ([`JsonOrder::ConditionsFirst`]) and escapes non-ASCII as `\uXXXX`.
//!
//! ```
//! use presign_core::{PostPolicyRequest, SecretString, SyncPostPresigner, Timestamp};
//! use presign_gcs::GcsPresigner;
//! use std::time::Duration;
//!
//! let gcs = GcsPresigner::builder()
//!     .bucket("photos")
//!     .hmac_key("GOOG1EXAMPLE", SecretString::new("example-secret"))
//!     .build()?;
//! let post = gcs.presign_post_sync(
//!     &PostPolicyRequest::starts_with("uploads/")
//!         .with_ttl(Duration::from_secs(300))
//!         .content_length_range(1, 1 << 20)
//!         .content_type_prefix("image/")
//!         .signed_at(Timestamp::parse_rfc3339("2026-01-02T03:04:05Z")?),
//! )?;
//! assert_eq!(post.url(), "https://storage.googleapis.com/photos/");
//! assert_eq!(post.expose_field("key"), Some("uploads/${filename}"));
//! assert_eq!(post.expose_field("x-goog-date"), Some("20260102T030405Z"));
//! assert_eq!(post.client_fields()[0].field(), Some("content-type"));
//! assert!(!format!("{post:?}").contains(post.expose_field("x-goog-signature").unwrap_or("-")));
//! # Ok::<(), presign_core::Error>(())
//! ```

use std::time::Duration;

use async_trait::async_trait;
use presign_core::post_policy::{
    Condition, KeyCondition, PostPolicyRequest, PostPresigner, PresignedPost, SyncPostPresigner,
};
use presign_core::{Error, Prepare, Timestamp, error::display_key};
use presign_v4::post::{FieldStyle, JsonOrder, PolicyDocument, PostForm, signing_fields};

use crate::capabilities::MAX_OBJECT_NAME_BYTES;
use crate::credential::{DayKey, Signature};
use crate::presigner::GcsPresigner;
use crate::request::expires_secs;

/// The POST form field that carries the signature.
pub const SIGNATURE_FIELD: &str = "x-goog-signature";

/// GCS's names: `x-goog-meta-*` metadata, lower-case header fields.
const FIELD_STYLE: FieldStyle = FieldStyle::new("x-goog-meta-", true);

/// A policy ready for its signature.
struct PreparedPost {
    url: String,
    fields: Vec<(String, String)>,
    client_fields: Vec<Condition>,
    policy: PolicyDocument,
    /// The base64 policy: the `policy` field and the bytes signed.
    encoded: String,
    signed_at: Timestamp,
    /// What signs on the signing day.
    day: DayKey,
}

impl GcsPresigner {
    /// The form fields and policy to sign. Refuses what [`PostPolicyRequest::validate`]
    /// refuses, a key or key prefix over 1024 bytes, and a time-to-live outside 1 second to 7
    /// days.
    fn prepare_post(&self, request: &PostPolicyRequest) -> Result<PreparedPost, Error> {
        request.validate()?;
        match &request.key {
            KeyCondition::Exact(key) => key.check_len(MAX_OBJECT_NAME_BYTES, &self.name)?,
            KeyCondition::StartsWith(prefix) if prefix.len() > MAX_OBJECT_NAME_BYTES => {
                return Err(Error::InvalidKey {
                    key: display_key(prefix),
                    reason: format!(
                        "a key prefix of {} bytes is longer than the {MAX_OBJECT_NAME_BYTES} bytes {} allows",
                        prefix.len(),
                        self.name
                    ),
                });
            }
            KeyCondition::StartsWith(_) => {}
        }
        let ttl = request.ttl_or_default();
        let secs = expires_secs(ttl)?;
        let time = request.signing_time.unwrap_or_else(|| self.clock.now());
        let expires_at =
            time.checked_add(Duration::from_secs(secs))
                .ok_or_else(|| Error::InvalidTtl {
                    ttl,
                    reason: "the policy would expire after year 9999".into(),
                })?;

        let form = PostForm::build(&self.bucket, request, FIELD_STYLE);
        let mut conditions = gcs_order(form.conditions);
        let mut fields = form.fields;

        // The signing fields: algorithm, credential, date as fields; as conditions in the
        // Google client libraries' order, date, credential, algorithm.
        let day = self.credential.day_key(time);
        let signing = signing_fields(self.credential.dialect(), day.scope(), time, None);
        conditions.extend(
            signing
                .iter()
                .rev()
                .map(|(n, v)| Condition::eq(n.as_str(), v.as_str())),
        );
        fields.extend(signing);

        let policy =
            PolicyDocument::new(expires_at, conditions).with_order(JsonOrder::ConditionsFirst);
        let encoded = policy.to_base64();
        Ok(PreparedPost {
            url: self.bucket_url(),
            fields,
            client_fields: form.client_fields,
            policy,
            encoded,
            signed_at: time,
            day,
        })
    }

    fn finish_post(&self, prepared: PreparedPost, signature: &Signature) -> PresignedPost {
        let PreparedPost {
            url,
            mut fields,
            client_fields,
            policy,
            encoded,
            signed_at,
            ..
        } = prepared;
        let mut hex = String::with_capacity(signature.as_ref().len() * 2);
        presign_core::crypto::hex_into(signature.as_ref(), &mut hex);
        fields.push(("policy".to_owned(), encoded));
        fields.push((SIGNATURE_FIELD.to_owned(), hex));
        let json = policy.to_json();
        PresignedPost::new(
            url,
            fields,
            policy.conditions,
            json,
            signed_at,
            policy.expiration,
            &*self.name,
        )
        .with_client_fields(client_fields)
        .with_secret_params(crate::SECRET_PARAMS)
    }

    /// The form's action: the origin, `/BUCKET` for path style, and `/`.
    fn bucket_url(&self) -> String {
        let mut url = String::with_capacity(48 + self.path_prefix.len());
        url.push_str(self.origin.origin());
        url.push_str(&self.path_prefix);
        url.push('/');
        url
    }
}

/// The Google client libraries' order: `starts-with` and size conditions (in [`PostForm`]
/// order), the exact-value fields sorted by name, then `bucket` and the key.
fn gcs_order(conditions: Vec<Condition>) -> Vec<Condition> {
    let mut leading = Vec::with_capacity(conditions.len() + 3);
    let mut exact = Vec::with_capacity(conditions.len());
    let mut bucket_and_key = Vec::with_capacity(2);
    for c in conditions {
        match (&c, c.field()) {
            (_, Some("bucket" | "key")) => bucket_and_key.push(c),
            (Condition::Eq { .. }, _) => exact.push(c),
            _ => leading.push(c),
        }
    }
    exact.sort_by(|a, b| a.field().cmp(&b.field()));
    bucket_and_key.sort_by_key(|c| c.field() != Some("bucket"));
    leading.append(&mut exact);
    leading.append(&mut bucket_and_key);
    leading
}

/// Signs with any signer (a signBlob signer calls IAM); the key is long-term, so the policy's
/// hook sees no expiry.
#[async_trait]
impl PostPresigner for GcsPresigner {
    async fn presign_post_with(
        &self,
        request: &PostPolicyRequest,
        prepare: &mut dyn Prepare<PostPolicyRequest>,
    ) -> Result<PresignedPost, Error> {
        let request = prepare.prepare(request, None)?;
        let prepared = self.prepare_post(&request)?;
        let signature = self
            .credential
            .sign(&self.name, &prepared.day, &[prepared.encoded.as_bytes()])
            .await?;
        Ok(self.finish_post(prepared, &signature))
    }
}

/// Local signers only (service-account and HMAC keys); signBlob gives [`Error::WouldBlock`].
impl SyncPostPresigner for GcsPresigner {
    fn presign_post_sync_with(
        &self,
        request: &PostPolicyRequest,
        prepare: &mut dyn Prepare<PostPolicyRequest>,
    ) -> Result<PresignedPost, Error> {
        let request = prepare.prepare(request, None)?;
        let prepared = self.prepare_post(&request)?;
        let signature = self.sign_local(&prepared.day, &[prepared.encoded.as_bytes()])?;
        Ok(self.finish_post(prepared, &signature))
    }
}

#[cfg(test)]
mod tests;
