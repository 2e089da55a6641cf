//! # presign-cloud-cdn
//!
//! Google Cloud CDN signed requests, HMAC-SHA1 with a 128-bit key shared with the backend
//! service or bucket (`gcloud compute backend-services add-signed-url-key`):
//!
//! - **signed URLs**: `…?Expires=<n>&KeyName=<name>&Signature=<sig>`, the HMAC of the whole URL
//!   up to `&Signature`;
//! - **signed URL prefixes**: `…?URLPrefix=<b64(prefix)>&Expires=<n>&KeyName=<name>&Signature=<sig>`,
//!   valid for every URL that starts with the prefix;
//! - **signed cookies**: `Cloud-CDN-Cookie=URLPrefix=<b64>:Expires=<n>:KeyName=<name>:Signature=<sig>`.
//!
//! Signatures and `URLPrefix` are RFC 4648 base64url *with* padding. A URL that already
//! carries one of these parameters is refused. Cloud CDN enforces only the expiry (and the
//! prefix): no method, client IP, start time or header.
//!
//! ```
//! use presign_cloud_cdn::{CloudCdnKey, CloudCdnSigner};
//! use presign_core::Timestamp;
//! let key = CloudCdnKey::from_base64("my-key", "nZtRohdNF9m3cKM24IcK4w==")?;
//! let signer = CloudCdnSigner::new(key);
//! let url = signer.signed_url("http://35.186.234.33/index.html", Timestamp::from_unix(1549751401)?)?;
//! assert_eq!(url, "http://35.186.234.33/index.html?Expires=1549751401&KeyName=my-key&Signature=CRFqQnVfFyiUyR63OQf-HRUpIwc=");
//! # Ok::<(), presign_core::Error>(())
//! ```

pub mod key;
pub mod presigner;
pub mod signer;
mod verify;

pub use key::{CloudCdnKey, KeyName};
pub use presigner::{CloudCdnPresigner, CloudCdnPresignerBuilder};
pub use signer::{COOKIE_NAME, CloudCdnSigner};

use presign_core::redact::{SecretKind, SecretParam};

/// The parameter whose value grants access in Cloud CDN signed URLs and inside the
/// `Cloud-CDN-Cookie` value (`…:KeyName=k:Signature=…`), for
/// [`presign_core::redact::Redactor`]. `Expires`, `KeyName` and `URLPrefix` stay visible.
pub const SECRET_PARAMS: &[SecretParam] = &[SecretParam::new("Signature", SecretKind::Signature)];
