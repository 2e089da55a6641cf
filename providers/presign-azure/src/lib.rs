//! # presign-azure
//!
//! Azure Blob Storage SAS URLs for [`presign_core::Presigner`]:
//!
//! - a **service SAS** for one blob (`sr=b`), signed with the storage account key, optionally
//!   bound to a **stored access policy** (`si`) so that it can be revoked;
//! - a **user-delegation SAS**, signed with a user-delegation key obtained with a Microsoft
//!   Entra ID token through a pluggable [`DelegationKeySource`]; the key is cached and refreshed
//!   before it expires, and no URL outlives it. With the `user-delegation-http` feature,
//!   `HttpDelegationKeySource` fetches the keys from the blob service (`Get User Delegation
//!   Key`) with a bearer token from a [`presign_core::TokenSource`].
//!
//! Both use service version `sv=2026-10-06` ([`SIGNED_VERSION`]).
//! The signature covers the canonicalized resource `/blob/ACCOUNT/CONTAINER/BLOB` with the raw
//! (decoded) blob name; the URL carries the blob name percent-encoded per RFC 3986.
//!
//! ## What a URL enforces
//!
//! Least-privilege permissions per method ([`permissions_for`]); client IPv4 address or range
//! (`sip`); HTTPS only (`spr=https`); start time (`st`); response header overrides
//! (`rscc`, `rscd`, `rsce`, `rscl`, `rsct`); a blob version (`sr=bv`). A service SAS **cannot**
//! bind an upload's Content-Type or size, nor IPv6 clients; such constraints are refused (see
//! [`azure_capabilities`]). The provider signs at most 7 days ([`capabilities::MAX_TTL`]).
//!
//! ## Revocation with a stored access policy
//!
//! A SAS is a bearer token: once handed out it works until it expires, and an account-key
//! SAS can otherwise only be revoked by rotating the account key (which breaks every SAS and
//! every client using that key). A *stored access policy* is the exception: a named policy
//! (up to five per container) set with Set Container ACL. A SAS that names it in `si` is valid
//! only while the policy exists, so deleting the policy (or renaming its identifier) revokes
//! every URL signed with it, at once, without touching the account key.
//!
//! To use it:
//!
//! 1. Create the policy on the container with an identifier and **no permissions and no
//!    expiry** (presign signs those per URL; the service refuses a SAS in which both the
//!    policy and the URL set the same field). For example with the Azure CLI:
//!    `az storage container policy create --account-name ACCOUNT --container-name CONTAINER
//!    --name presign-v1` (no `--permissions`, no `--expiry`).
//! 2. Configure the provider with `stored_access_policy = "presign-v1"`
//!    ([`AzurePresignerBuilder::stored_access_policy`]).
//! 3. To revoke every outstanding URL: delete the policy
//!    (`az storage container policy delete ... --name presign-v1`), then create a new one
//!    (`presign-v2`) and switch the configuration to it. Changes can take up to 30 seconds to
//!    take effect.
//!
//! A user-delegation SAS cannot use a stored access policy; it is revoked by revoking the
//! account's user-delegation keys (`az storage account revoke-delegation-keys`) or by removing
//! the signing identity's role.
//!
//! ## Example
//!
//! ```
//! use presign_azure::AzurePresigner;
//! use presign_core::{PresignRequest, SecretString, SyncPresigner, Method, ObjectKey};
//!
//! let p = AzurePresigner::builder()
//!     .account("myaccount")
//!     .container("uploads")
//!     .account_key(SecretString::new("bXkgYWNjb3VudCBrZXk="))
//!     .build()?;
//! let put = PresignRequest::new(Method::Put, ObjectKey::new("cats/tom.png")?);
//! let signed = p.presign_sync(&put)?;
//! assert!(signed.redacted_url().starts_with("https://myaccount.blob.core.windows.net/uploads/cats/tom.png?"));
//! assert!(signed.redacted_url().contains("&sp=cw&"));
//! assert_eq!(signed.headers(), &[("x-ms-blob-type".to_string(), "BlockBlob".to_string())]);
//! # Ok::<(), presign_core::Error>(())
//! ```

mod builder;
mod capabilities;
mod delegation;
#[cfg(feature = "user-delegation-http")]
mod delegation_http;
mod endpoint;
mod names;
mod permissions;
mod presigner;
mod sas;
mod verify;

pub use builder::{AzurePresignerBuilder, MAX_POLICY_ID_CHARS, MAX_START_BACKDATE};
pub use capabilities::{MAX_TTL, azure_capabilities};
pub use delegation::{
    DEFAULT_KEY_LIFETIME, DEFAULT_REFRESH_BEFORE, DelegationKeySource, MAX_KEY_LIFETIME,
    UserDelegationKey,
};
#[cfg(feature = "user-delegation-http")]
pub use delegation_http::HttpDelegationKeySource;
pub use endpoint::{Endpoint, PUBLIC_CLOUD_SUFFIX};
pub use names::{MAX_BLOB_NAME_CHARS, validate_account, validate_blob, validate_container};
pub use permissions::permissions_for;
pub use presigner::AzurePresigner;
pub use sas::SIGNED_VERSION;

use presign_core::redact::{SecretKind, SecretParam};

/// The SAS query parameter whose value grants access (`sig`), for
/// [`presign_core::redact::Redactor`]. Expiry, permissions and the delegation key's ids stay
/// visible.
pub const SECRET_PARAMS: &[SecretParam] = &[SecretParam::new("sig", SecretKind::Signature)];
