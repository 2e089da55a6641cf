//! S3 POST policies (browser form uploads) signed with SigV4.
//!
//! [`SyncPostPresigner::presign_post_sync`] (and [`PostPresigner::presign_post`]) turns a
//! [`PostPolicyRequest`] into the bucket URL and the form fields:
//!
//! | field | value |
//! |---|---|
//! | `key` | the key, or `prefix${filename}` for a prefix |
//! | `acl`, `Cache-Control`, `Content-Disposition`, `Content-Encoding`, `Content-Type` | when requested (exact values) |
//! | `success_action_redirect`, `success_action_status` | when requested |
//! | `x-amz-meta-NAME` | per metadata entry, in order |
//! | extra exact conditions | per [`PostPolicyRequest::extra_conditions`] entry, in order |
//! | `x-amz-algorithm` | `AWS4-HMAC-SHA256` |
//! | `x-amz-credential` | `AKID/yyyymmdd/region/s3/aws4_request` |
//! | `x-amz-date` | `yyyymmddThhmmssZ` |
//! | `x-amz-security-token` | for temporary credentials |
//! | `policy` | base64 of the policy document |
//! | `x-amz-signature` | hex HMAC-SHA256 of the `policy` value under the cached signing key |
//!
//! The policy document always has a `bucket` condition first (some S3-compatible stores accept
//! a policy without one, which would then replay against any bucket the key may write), then
//! one condition per field above (`starts-with` for a key prefix or a `Content-Type` prefix),
//! then the extra conditions, then the `content-length-range` when requested, then the
//! `x-amz-*` signing fields (the fields and conditions before the signing ones come from
//! `presign_v4::post::PostForm`, shared with GCS).
//! The document is deterministic: the same request and signing time give the same bytes.
//!
//! ```
//! use presign_core::{PostPolicyRequest, SyncPostPresigner, Timestamp};
//! use presign_s3::{Addressing, Credentials, S3Presigner};
//! use std::time::Duration;
//!
//! let s3 = S3Presigner::builder()
//!     .bucket("presign-test")
//!     .endpoint("http://127.0.0.1:8333")
//!     .addressing(Addressing::Path)
//!     .credentials(Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))
//!     .build()?;
//! let post = s3.presign_post_sync(
//!     &PostPolicyRequest::starts_with("uploads/")
//!         .with_ttl(Duration::from_secs(300))
//!         .content_length_range(1, 1 << 20)
//!         .content_type_prefix("image/")
//!         .signed_at(Timestamp::parse_rfc3339("2026-01-02T03:04:05Z")?),
//! )?;
//! assert_eq!(post.url(), "http://127.0.0.1:8333/presign-test/");
//! assert_eq!(post.expose_field("key"), Some("uploads/${filename}"));
//! assert_eq!(post.client_fields()[0].field(), Some("Content-Type"));
//! assert!(!format!("{post:?}").contains(post.expose_field("x-amz-signature").unwrap_or("-")));
//! # Ok::<(), presign_core::Error>(())
//! ```

use std::time::Duration;

use async_trait::async_trait;
use presign_core::crypto::hex;
use presign_core::post_policy::{
    KeyCondition, PostPolicyRequest, PostPresigner, PresignedPost, SyncPostPresigner,
};
use presign_core::{Credential, Error, Prepare};
use presign_v4::Dialect;
use presign_v4::post::{FieldStyle, PolicyDocument, PostForm, conditions_of, signing_fields};

use crate::credential::Credentials;

use crate::capabilities::{MAX_KEY_BYTES, MAX_TTL};
use crate::presigner::S3Presigner;

/// The form field (and condition) that carries the signature.
pub(crate) const SIGNATURE_FIELD: &str = "x-amz-signature";

/// What the server substitutes with the uploaded file's name in the `key` field.
pub use presign_v4::post::FILENAME_VARIABLE;

/// S3's names: `x-amz-meta-*` metadata, `Cache-Control`-style header fields.
const FIELD_STYLE: FieldStyle = FieldStyle::new("x-amz-meta-", false);

impl S3Presigner {
    /// Signs a POST policy with the snapshot `credentials`.
    ///
    /// Refuses what [`PostPolicyRequest::validate`] refuses, an exact key over 1024 bytes, a
    /// time-to-live outside 1 second to 7 days, and a policy that would outlive temporary
    /// credentials.
    fn sign_post_with(
        &self,
        credentials: &Credential<Credentials>,
        request: &PostPolicyRequest,
    ) -> Result<PresignedPost, Error> {
        request.validate()?;
        if let KeyCondition::Exact(key) = &request.key {
            key.check_len(MAX_KEY_BYTES, self.name())?;
        }
        let ttl = request.ttl_or_default();
        if ttl.as_secs() < 1 || ttl > MAX_TTL {
            return Err(Error::InvalidTtl {
                ttl,
                reason: format!(
                    "provider {} (S3) accepts POST policies of 1 second to 7 days (604800 s)",
                    self.name()
                ),
            });
        }
        let time = request.signing_time.unwrap_or_else(|| self.now());
        let expires_at = time
            .checked_add(Duration::from_secs(ttl.as_secs()))
            .ok_or_else(|| Error::InvalidTtl {
                ttl,
                reason: "the policy would expire after year 9999".into(),
            })?;
        if let Some(limit) = credentials.expires_at()
            && expires_at > limit
        {
            return Err(Error::CredentialsExpireFirst {
                provider: self.name().to_owned(),
                expires_at,
                credentials_expire_at: limit,
            });
        }

        let form = PostForm::build(self.bucket(), request, FIELD_STYLE);
        let mut fields = form.fields;
        let mut conditions = form.conditions;

        let credentials = credentials.value();
        let key = self.signing_key(credentials, time);
        let signing = signing_fields(
            &Dialect::AWS4_HMAC_SHA256,
            key.scope(),
            time,
            credentials.session_token(),
        );
        conditions.extend(conditions_of(&signing));
        fields.extend(signing);

        let policy = PolicyDocument::new(expires_at, conditions);
        let json = policy.to_json();
        let encoded = policy.to_base64();
        let signature = hex(&key.sign(encoded.as_bytes()));
        fields.push(("policy".to_owned(), encoded));
        fields.push((SIGNATURE_FIELD.to_owned(), signature));

        Ok(PresignedPost::new(
            self.bucket_url(),
            fields,
            policy.conditions,
            json,
            time,
            expires_at,
            self.name(),
        )
        .with_client_fields(form.client_fields)
        .with_secret_params(crate::SECRET_PARAMS))
    }
}

#[async_trait]
impl PostPresigner for S3Presigner {
    async fn presign_post_with(
        &self,
        request: &PostPolicyRequest,
        prepare: &mut dyn Prepare<PostPolicyRequest>,
    ) -> Result<PresignedPost, Error> {
        let credentials = self.snapshot().await?;
        let request = prepare.prepare(request, credentials.expires_at())?;
        self.sign_post_with(&credentials, &request)
    }
}

impl SyncPostPresigner for S3Presigner {
    fn presign_post_sync_with(
        &self,
        request: &PostPolicyRequest,
        prepare: &mut dyn Prepare<PostPolicyRequest>,
    ) -> Result<PresignedPost, Error> {
        let credentials = self.snapshot_now()?;
        let request = prepare.prepare(request, credentials.expires_at())?;
        self.sign_post_with(&credentials, &request)
    }
}

#[cfg(test)]
mod tests;
