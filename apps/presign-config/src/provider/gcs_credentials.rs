//! GCS `signer = "sign-blob"` with `credentials = "SOURCE"`: the OAuth token for `signBlob`
//! from google-cloud-auth (the `gcp-credentials` feature), or an error naming the feature.

use std::sync::Arc;

use presign_core::{Error, TokenSource};

use crate::de::{config_error, join};

/// The token source named `source` for provider `name`, built on its first fetch.
#[cfg(feature = "gcp-credentials")]
pub(crate) fn token_source(
    source: &str,
    name: &str,
    path: &str,
) -> Result<Arc<dyn TokenSource>, Error> {
    let source = presign_credentials_gcp::GoogleSource::parse(source)
        .map_err(|reason| config_error(&join(path, "credentials"), reason))?;
    Ok(Arc::new(source.into_source(name)))
}

/// Without the feature: an error naming it.
#[cfg(not(feature = "gcp-credentials"))]
pub(crate) fn token_source(
    source: &str,
    _: &str,
    path: &str,
) -> Result<Arc<dyn TokenSource>, Error> {
    Err(config_error(
        &join(path, "credentials"),
        format!(
            "credentials = {:?} gets signBlob tokens through google-cloud-auth, which this build leaves out: rebuild with the `gcp-credentials` feature (cargo build -p presign-cli --features gcp-credentials), or give access_token_file / access_token_env",
            source.chars().take(40).collect::<String>()
        ),
    ))
}
