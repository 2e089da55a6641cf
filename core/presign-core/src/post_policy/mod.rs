//! Browser form uploads: POST policies ([`PostPresigner`], [`PostPolicyRequest`],
//! [`PresignedPost`]).
//!
//! A POST policy is a signed JSON document listing the conditions a `multipart/form-data` upload
//! must meet (bucket, key or key prefix, size range, content type, ...). The server checks every
//! form field against it. S3 (SigV4, `x-amz-*` fields) and GCS (V4, `x-goog-*` fields,
//! `GOOG4-RSA-SHA256` / `GOOG4-HMAC-SHA256`) share the condition language, so the request, the
//! policy document and the result are provider-neutral; only the field names and the signature
//! differ.
//!
//! How a provider spells the fields and writes the policy document (JSON member order, the
//! `x-amz-*` or `x-goog-*` signing fields) is the provider's business: for S3 and GCS it lives in
//! the `presign-v4` crate.
//!
//! ```
//! use presign_core::post_policy::PostPolicyRequest;
//! use std::time::Duration;
//!
//! let request = PostPolicyRequest::starts_with("uploads/alice/")
//!     .with_ttl(Duration::from_secs(300))
//!     .content_length_range(1, 10 << 20)
//!     .content_type_prefix("image/")
//!     .success_action_status(201);
//! request.validate()?;
//! assert_eq!(request.key_prefix(), "uploads/alice/");
//! # Ok::<(), presign_core::Error>(())
//! ```

use std::sync::Arc;

use async_trait::async_trait;

use crate::error::Error;
use crate::presigner::{AsIs, Prepare, Presigner};

mod presigned;
mod request;

pub use presigned::PresignedPost;
pub use request::{Condition, FILENAME_VARIABLE, KeyCondition, PostPolicyRequest, ValueCondition};

/// A provider that can sign POST policies (browser form uploads). Not every provider can:
/// [`crate::Capabilities::post_policy`] says whether one does. Object-safe:
/// `Arc<dyn PostPresigner>` works.
///
/// As for URLs ([`Presigner::presign_with`]), a provider takes one credential snapshot per
/// policy and passes the request and the snapshot's expiry through `prepare` (exactly once)
/// before signing what it returns.
#[async_trait]
pub trait PostPresigner: Presigner {
    /// Signs one POST policy as `prepare` turns it.
    async fn presign_post_with(
        &self,
        request: &PostPolicyRequest,
        prepare: &mut dyn Prepare<PostPolicyRequest>,
    ) -> Result<PresignedPost, Error>;

    /// Signs one POST policy as it is.
    async fn presign_post(&self, request: &PostPolicyRequest) -> Result<PresignedPost, Error> {
        self.presign_post_with(request, &mut AsIs).await
    }
}

/// The synchronous counterpart of [`PostPresigner`] (see [`crate::SyncPresigner`]): signs when
/// the credential is at hand, else returns [`Error::WouldBlock`].
pub trait SyncPostPresigner: PostPresigner {
    /// Like [`PostPresigner::presign_post_with`], without waiting.
    fn presign_post_sync_with(
        &self,
        request: &PostPolicyRequest,
        prepare: &mut dyn Prepare<PostPolicyRequest>,
    ) -> Result<PresignedPost, Error>;

    /// Like [`PostPresigner::presign_post`], without waiting.
    fn presign_post_sync(&self, request: &PostPolicyRequest) -> Result<PresignedPost, Error> {
        self.presign_post_sync_with(request, &mut AsIs)
    }
}

/// `PostPresigner` and `SyncPostPresigner` for smart pointers: every method forwards.
macro_rules! forward_post_presigner {
    ($($ptr:ident),+) => {$(
        #[async_trait]
        impl<P: PostPresigner + ?Sized> PostPresigner for $ptr<P> {
            async fn presign_post_with(
                &self,
                request: &PostPolicyRequest,
                prepare: &mut dyn Prepare<PostPolicyRequest>,
            ) -> Result<PresignedPost, Error> {
                (**self).presign_post_with(request, prepare).await
            }
        }

        impl<P: SyncPostPresigner + ?Sized> SyncPostPresigner for $ptr<P> {
            fn presign_post_sync_with(
                &self,
                request: &PostPolicyRequest,
                prepare: &mut dyn Prepare<PostPolicyRequest>,
            ) -> Result<PresignedPost, Error> {
                (**self).presign_post_sync_with(request, prepare)
            }
        }
    )+};
}

forward_post_presigner!(Arc, Box);
