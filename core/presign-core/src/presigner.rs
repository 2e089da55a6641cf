//! The [`Presigner`] trait, implemented by every provider and by the policy layer.

use std::sync::Arc;

use async_trait::async_trait;

use crate::capabilities::Capabilities;
use crate::error::Error;
use crate::explain::Explanation;
use crate::presigned::PresignedRequest;
use crate::request::PresignRequest;
use crate::timestamp::Timestamp;

/// Signs requests for one bucket or container.
///
/// Implementations are pure apart from obtaining (cached) credentials: the same request, signing
/// time and credentials always give the same URL. The trait is object-safe, so
/// `Arc<dyn Presigner>` works for applications that pick a provider at run time.
///
/// ```
/// use presign_core::*;
/// use std::time::Duration;
///
/// /// A toy presigner that "signs" by appending the key's length.
/// #[derive(Debug)]
/// struct Toy(Capabilities);
///
/// #[async_trait::async_trait]
/// impl Presigner for Toy {
///     fn capabilities(&self) -> &Capabilities { &self.0 }
///     async fn presign(&self, r: &PresignRequest) -> Result<PresignedRequest, Error> {
///         let now = r.signing_time.unwrap_or_else(Timestamp::now);
///         let expires = now.checked_add(r.ttl_or_default()).unwrap_or(Timestamp::MAX);
///         let url = format!("https://example.invalid/{}?sig={}", r.key, r.key.len());
///         Ok(PresignedRequest::new(r.method, url, vec![], now, expires, "toy"))
///     }
/// }
///
/// let p: std::sync::Arc<dyn Presigner> =
///     std::sync::Arc::new(Toy(Capabilities::new("toy", Duration::from_secs(60))));
/// let signed = futures_executor::block_on(p.presign(&PresignRequest::parse("GET", "a")?))?;
/// assert_eq!(signed.redacted_url(), "https://example.invalid/a?sig=REDACTED");
/// # Ok::<(), presign_core::Error>(())
/// ```
#[async_trait]
pub trait Presigner: Send + Sync + std::fmt::Debug {
    /// What this provider can sign and enforce.
    fn capabilities(&self) -> &Capabilities;

    /// Signs one request.
    async fn presign(&self, request: &PresignRequest) -> Result<PresignedRequest, Error>;

    /// When the signing credentials expire, if they are temporary. The policy layer never
    /// signs a URL that outlives them.
    async fn credentials_expire_at(&self) -> Result<Option<Timestamp>, Error> {
        Ok(None)
    }

    /// The canonical request and string to sign this presigner would use for `request`, for
    /// debugging; `None` when the provider does not offer it. Contains no secret.
    async fn explain(&self, request: &PresignRequest) -> Result<Option<Explanation>, Error> {
        let _ = request;
        Ok(None)
    }
}

/// `Presigner` for smart pointers to a presigner: every method forwards to the pointee.
macro_rules! forward_presigner {
    ($($ptr:ident),+) => {$(
        #[async_trait]
        impl<P: Presigner + ?Sized> Presigner for $ptr<P> {
            fn capabilities(&self) -> &Capabilities {
                (**self).capabilities()
            }
            async fn presign(&self, request: &PresignRequest) -> Result<PresignedRequest, Error> {
                (**self).presign(request).await
            }
            async fn credentials_expire_at(&self) -> Result<Option<Timestamp>, Error> {
                (**self).credentials_expire_at().await
            }
            async fn explain(
                &self,
                request: &PresignRequest,
            ) -> Result<Option<Explanation>, Error> {
                (**self).explain(request).await
            }
        }
    )+};
}

forward_presigner!(Arc, Box);
