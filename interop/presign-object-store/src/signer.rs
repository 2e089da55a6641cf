//! [`PolicySigner`]: a policy-wrapped presigner as an `object_store` [`Signer`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use object_store::path::Path;
use object_store::signer::{Method as HttpMethod, SignedUrlOptions, Signer, Url};
use presign_core::{Constraints, Error, Method, ObjectKey, PresignRequest, Presigner};
use presign_policy::Policied;

/// The store name in `object_store::Error::Generic`.
const STORE: &str = "presign";

/// An `object_store` [`Signer`] that signs through presign's policy layer.
///
/// Only a [`Policied`] presigner goes in (`PolicyLayer::new(policy)?.layer(presigner)`), so
/// every URL handed out through object_store's trait passed the policy:
///
/// | object_store asks | presign does |
/// |---|---|
/// | `signed_url(method, path, expires_in)` | signs `method` on the key `path` (its object_store form, `a/b.txt`) for `expires_in`, clamped to the policy's maximum and to the credentials' expiry (or refused under `ExcessTtl::Reject`) |
/// | a key outside the policy's prefixes, a method it does not allow | `Error::PermissionDenied { path, .. }` naming the rule (`key_not_allowed`, `method_not_allowed`) |
/// | `signed_url_opts` with `signed_headers` | `content-type` and `content-md5` bind the upload; other headers are signed when the provider declares them as describing the object, or when the policy names them (`allow_headers`), else refused (`header_not_allowed`) |
/// | `signed_url_opts` with `extra_query` | signed when the provider declares them (`versionId`, `partNumber`, `uploadId`, response overrides) or the policy names them (`allow_query`), else refused |
///
/// A URL is only returned when it works on its own: if the signature needs the client to
/// send a header that object_store's caller did not ask for (a URL is all it gets back),
/// the call is refused with `NotSupported` instead.
pub struct PolicySigner<P> {
    presigner: Arc<Policied<P>>,
}

impl<P: Presigner> PolicySigner<P> {
    /// Signs with `presigner`, behind its policy.
    pub fn new(presigner: Policied<P>) -> Self {
        Self::from_arc(Arc::new(presigner))
    }

    /// The same for a presigner shared with the rest of the application.
    pub fn from_arc(presigner: Arc<Policied<P>>) -> Self {
        PolicySigner { presigner }
    }

    /// The policy-wrapped presigner.
    pub fn presigner(&self) -> &Arc<Policied<P>> {
        &self.presigner
    }

    async fn sign(
        &self,
        method: HttpMethod,
        path: &Path,
        expires_in: Duration,
        options: &SignedUrlOptions,
    ) -> object_store::Result<Url> {
        let refused = |e: Error| to_object_store(path, e);
        let method = presign_method(&method)?;
        let key = ObjectKey::new(path.as_ref()).map_err(refused)?;
        let constraints = constraints(options)?;
        let request = PresignRequest::new(method, key)
            .with_ttl(expires_in)
            .with_constraints(constraints);
        let signed = self.presigner.presign(&request).await.map_err(refused)?;
        // The caller gets a URL and nothing else: every header the signature needs must be one
        // it asked to bind (and so will send).
        for (name, value) in signed.headers() {
            let asked = options
                .signed_headers
                .get_all(name.as_str())
                .iter()
                .any(|v| v.as_bytes() == value.as_bytes());
            if !asked {
                return Err(not_supported(format!(
                    "the signed URL for {path} needs the client to send header {name}, which a URL alone cannot carry"
                )));
            }
        }
        Url::parse(signed.expose_url()).map_err(|e| object_store::Error::Generic {
            store: STORE,
            source: format!("the provider returned a URL that does not parse: {e}").into(),
        })
    }
}

impl<P: Presigner> fmt::Debug for PolicySigner<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PolicySigner")
            .field("presigner", &self.presigner)
            .finish()
    }
}

impl<P> Clone for PolicySigner<P> {
    fn clone(&self) -> Self {
        PolicySigner {
            presigner: self.presigner.clone(),
        }
    }
}

#[async_trait]
impl<P: Presigner + 'static> Signer for PolicySigner<P> {
    async fn signed_url(
        &self,
        method: HttpMethod,
        path: &Path,
        expires_in: Duration,
    ) -> object_store::Result<Url> {
        self.sign(method, path, expires_in, &SignedUrlOptions::default())
            .await
    }

    async fn signed_url_opts(
        &self,
        method: HttpMethod,
        path: &Path,
        expires_in: Duration,
        options: &SignedUrlOptions,
    ) -> object_store::Result<Url> {
        self.sign(method, path, expires_in, options).await
    }
}

/// object_store's HTTP method as presign's.
fn presign_method(method: &HttpMethod) -> object_store::Result<Method> {
    Ok(match *method {
        HttpMethod::GET => Method::Get,
        HttpMethod::HEAD => Method::Head,
        HttpMethod::PUT => Method::Put,
        HttpMethod::POST => Method::Post,
        HttpMethod::DELETE => Method::Delete,
        ref other => {
            return Err(not_supported(format!(
                "presign signs GET, HEAD, PUT, POST and DELETE, not {other}"
            )));
        }
    })
}

/// The options as constraints: `content-type` and `content-md5` as such, other headers and
/// the query as extra signed headers and parameters (the policy and provider judge them).
fn constraints(options: &SignedUrlOptions) -> object_store::Result<Constraints> {
    let mut c = Constraints::default();
    for (name, value) in &options.signed_headers {
        let value = value
            .to_str()
            .map_err(|_| not_supported(format!("header {name}: the value is not visible ASCII")))?
            .to_owned();
        match name.as_str() {
            "content-type" => c.content_type = Some(value),
            "content-md5" => c.content_md5 = Some(value),
            other => c.headers.push((other.to_owned(), value)),
        }
    }
    c.query.extend(options.extra_query.iter().cloned());
    Ok(c)
}

fn not_supported(reason: String) -> object_store::Error {
    object_store::Error::NotSupported {
        source: reason.into(),
    }
}

/// A presign error as object_store's: the policy's refusals as `PermissionDenied` (naming
/// the path and the rule), missing credentials as `Unauthenticated`, requests presign cannot
/// express as `NotSupported`, the rest as `Generic`. presign's errors carry no secret.
fn to_object_store(path: &Path, e: Error) -> object_store::Error {
    let path = path.to_string();
    match e {
        Error::KeyNotAllowed { .. }
        | Error::MethodNotAllowed { .. }
        | Error::InvalidTtl { .. }
        | Error::CredentialsExpireFirst { .. }
        | Error::SigningTimeNotAllowed { .. }
        | Error::HeaderNotAllowed { .. }
        | Error::QueryNotAllowed { .. }
        | Error::ConstraintNotEnforced { .. } => object_store::Error::PermissionDenied {
            path,
            source: Box::new(e),
        },
        Error::Credentials { .. } => object_store::Error::Unauthenticated {
            path,
            source: Box::new(e),
        },
        Error::InvalidKey { .. }
        | Error::UnsupportedMethod { .. }
        | Error::InvalidConstraint { .. } => object_store::Error::NotSupported {
            source: Box::new(e),
        },
        other => object_store::Error::Generic {
            store: STORE,
            source: Box::new(other),
        },
    }
}
