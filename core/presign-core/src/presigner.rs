//! The signing contract: [`Presigner`] (async, object-safe), its synchronous counterpart
//! [`SyncPresigner`], and the [`Prepare`] hook through which a wrapper (the policy layer) sees
//! the credential snapshot's expiry before anything is signed.
//!
//! A provider takes ONE credential snapshot per signature. In
//! [`presign_with`](Presigner::presign_with) it obtains the snapshot, calls
//! `prepare.prepare(request, snapshot_expiry)` and signs the request that comes back with that
//! same snapshot: the policy layer clamps the lifetime to the credentials that really sign, with
//! one await, not two. [`presign`](Presigner::presign) is the call without a hook ([`AsIs`]).

use std::borrow::Cow;
use std::sync::Arc;

use async_trait::async_trait;

use crate::capabilities::Capabilities;
use crate::error::Error;
use crate::explain::Explanation;
use crate::presigned::PresignedRequest;
use crate::request::PresignRequest;
use crate::timestamp::Timestamp;

/// What a wrapper does to a request once the provider holds its credential snapshot: the policy
/// layer resolves the time-to-live (never past `credentials_expire_at`), the signing time and
/// the constraints here, and returns the request the provider must sign.
///
/// A provider calls it exactly once per signature, before signing, and signs what it returns.
pub trait Prepare<R: Clone>: Send {
    /// The request to sign, given the expiry of the credential snapshot that will sign it.
    fn prepare<'r>(
        &mut self,
        request: &'r R,
        credentials_expire_at: Option<Timestamp>,
    ) -> Result<Cow<'r, R>, Error>;
}

/// The hook that changes nothing: what [`Presigner::presign`] passes.
#[derive(Debug, Clone, Copy, Default)]
pub struct AsIs;

impl<R: Clone> Prepare<R> for AsIs {
    fn prepare<'r>(&mut self, request: &'r R, _: Option<Timestamp>) -> Result<Cow<'r, R>, Error> {
        Ok(Cow::Borrowed(request))
    }
}

/// Signs requests for one bucket or container.
///
/// Implementations are pure apart from obtaining (cached) credentials: the same request, signing
/// time and credential snapshot always give the same URL. The trait is object-safe, so
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
///     async fn presign_with(
///         &self,
///         r: &PresignRequest,
///         prepare: &mut dyn Prepare<PresignRequest>,
///     ) -> Result<PresignedRequest, Error> {
///         let r = prepare.prepare(r, None)?; // long-term credentials: no expiry
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

    /// Signs one request: obtains one credential snapshot, passes `request` and the snapshot's
    /// expiry through `prepare` (exactly once), and signs what `prepare` returns with that
    /// snapshot.
    async fn presign_with(
        &self,
        request: &PresignRequest,
        prepare: &mut dyn Prepare<PresignRequest>,
    ) -> Result<PresignedRequest, Error>;

    /// Signs one request as it is.
    async fn presign(&self, request: &PresignRequest) -> Result<PresignedRequest, Error> {
        self.presign_with(request, &mut AsIs).await
    }

    /// The canonical request and string to sign this presigner would use for the request
    /// `prepare` returns (called as in [`presign_with`](Self::presign_with)), for debugging;
    /// `None` when the provider does not offer it. Contains no secret.
    async fn explain_with(
        &self,
        request: &PresignRequest,
        prepare: &mut dyn Prepare<PresignRequest>,
    ) -> Result<Option<Explanation>, Error> {
        let _ = (request, prepare);
        Ok(None)
    }

    /// [`explain_with`](Self::explain_with) for the request as it is.
    async fn explain(&self, request: &PresignRequest) -> Result<Option<Explanation>, Error> {
        self.explain_with(request, &mut AsIs).await
    }
}

/// The synchronous counterpart of [`Presigner`], for callers without an executor and for hot
/// paths (batch signing, a gateway): the same contract, no future.
///
/// It signs whenever the credential is at hand: static keys, or a cached snapshot that is fresh
/// ([`CredentialCache::peek`](crate::CredentialCache::peek)). When a credential must first be
/// fetched (or a remote signer called), it returns [`Error::WouldBlock`]: use the async
/// [`Presigner::presign`] for that request.
pub trait SyncPresigner: Presigner {
    /// Like [`Presigner::presign_with`], without waiting.
    fn presign_sync_with(
        &self,
        request: &PresignRequest,
        prepare: &mut dyn Prepare<PresignRequest>,
    ) -> Result<PresignedRequest, Error>;

    /// Like [`Presigner::presign`], without waiting.
    fn presign_sync(&self, request: &PresignRequest) -> Result<PresignedRequest, Error> {
        self.presign_sync_with(request, &mut AsIs)
    }
}

/// `Presigner` and `SyncPresigner` for smart pointers to a presigner: every method forwards to
/// the pointee.
macro_rules! forward_presigner {
    ($($ptr:ident),+) => {$(
        #[async_trait]
        impl<P: Presigner + ?Sized> Presigner for $ptr<P> {
            fn capabilities(&self) -> &Capabilities {
                (**self).capabilities()
            }
            async fn presign_with(
                &self,
                request: &PresignRequest,
                prepare: &mut dyn Prepare<PresignRequest>,
            ) -> Result<PresignedRequest, Error> {
                (**self).presign_with(request, prepare).await
            }
            async fn presign(&self, request: &PresignRequest) -> Result<PresignedRequest, Error> {
                (**self).presign(request).await
            }
            async fn explain_with(
                &self,
                request: &PresignRequest,
                prepare: &mut dyn Prepare<PresignRequest>,
            ) -> Result<Option<Explanation>, Error> {
                (**self).explain_with(request, prepare).await
            }
        }

        impl<P: SyncPresigner + ?Sized> SyncPresigner for $ptr<P> {
            fn presign_sync_with(
                &self,
                request: &PresignRequest,
                prepare: &mut dyn Prepare<PresignRequest>,
            ) -> Result<PresignedRequest, Error> {
                (**self).presign_sync_with(request, prepare)
            }
            fn presign_sync(&self, request: &PresignRequest) -> Result<PresignedRequest, Error> {
                (**self).presign_sync(request)
            }
        }
    )+};
}

forward_presigner!(Arc, Box);
