//! Azure `credential = "user-delegation"` with `credentials = "SOURCE"`: the Entra ID token for
//! Get User Delegation Key from azure_identity (the `azure-credentials` feature), or an error
//! naming the feature.

use std::sync::Arc;

use presign_core::{Error, TokenSource};

use super::BuildContext;
use super::azure::AzureSettings;
use crate::de::{config_error, join};

/// The token source named `source` for provider `name`, built on its first fetch; the client
/// secret (`client_secret`, `_env`, `_file`) is read now.
#[cfg(feature = "azure-credentials")]
pub(crate) fn token_source(
    s: &AzureSettings,
    source: &str,
    name: &str,
    path: &str,
    ctx: &BuildContext,
) -> Result<Arc<dyn TokenSource>, Error> {
    use presign_credentials_azure::{AzureSource, AzureSourceSettings};
    let at = join(path, "credentials");
    let kind = AzureSource::parse(source).map_err(|reason| config_error(&at, reason))?;
    let client_secret = match &s.client_secret {
        Some(secret) => Some(secret.resolve(&ctx.env, path, "client_secret")?),
        None => None,
    };
    let mut settings = AzureSourceSettings::default();
    settings.tenant_id = s.tenant_id.clone();
    settings.client_id = s.client_id.clone();
    settings.client_secret = client_secret;
    let named = kind
        .into_source(name, settings, Default::default())
        .map_err(|reason| config_error(&at, reason))?;
    Ok(Arc::new(named))
}

/// Without the feature: an error naming it.
#[cfg(not(feature = "azure-credentials"))]
pub(crate) fn token_source(
    _: &AzureSettings,
    source: &str,
    _: &str,
    path: &str,
    _: &BuildContext,
) -> Result<Arc<dyn TokenSource>, Error> {
    Err(config_error(
        &join(path, "credentials"),
        format!(
            "credentials = {:?} gets Entra ID tokens through azure_identity, which this build leaves out: rebuild with the `azure-credentials` feature (cargo build -p presign-cli --features azure-credentials), or give access_token_file / access_token_env",
            source.chars().take(40).collect::<String>()
        ),
    ))
}
