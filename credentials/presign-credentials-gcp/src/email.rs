//! The e-mail of the service account that signs, and the metadata server's ready-made
//! `signBlob` signer.

use std::sync::Arc;

use google_cloud_auth::credentials::mds;
use presign_core::Error;
use presign_gcs::IamSignBlob;
use serde_json::Value;

use crate::token_source::GoogleTokenSource;

/// The service account that signs for the credentials `json` (a `GOOGLE_APPLICATION_CREDENTIALS`
/// file's contents): `client_email` of a service-account key, the target of the
/// `service_account_impersonation_url` of impersonated and external accounts. `None` when the
/// JSON names none (an `authorized_user`): configure the e-mail then.
pub fn signer_email(json: &Value) -> Option<String> {
    if let Some(e) = json.get("client_email").and_then(Value::as_str) {
        return Some(e.to_owned());
    }
    // .../v1/projects/-/serviceAccounts/NAME@PROJECT.iam.gserviceaccount.com:generateAccessToken
    let url = json
        .get("service_account_impersonation_url")
        .and_then(Value::as_str)?;
    let tail = url.rsplit_once("/serviceAccounts/")?.1;
    let email = tail.split_once(':').map_or(tail, |(e, _)| e);
    let email = email.replace("%40", "@");
    (!email.is_empty()).then_some(email)
}

/// A `signBlob` signer for the metadata server's default service account: its e-mail from the
/// metadata server (at `endpoint`, else `GCE_METADATA_HOST`, else `metadata.google.internal`)
/// and its tokens from [`GoogleTokenSource::metadata_server`]. Errors name `provider`.
pub async fn metadata_sign_blob(
    provider: &str,
    endpoint: Option<&str>,
) -> Result<IamSignBlob, Error> {
    let source = match endpoint {
        Some(e) => format!("google metadata server at {e}"),
        None => "google metadata server".to_owned(),
    };
    let mut b = mds::Builder::default();
    if let Some(e) = endpoint {
        b = b.with_endpoint(e);
    }
    let signer = b
        .build_signer()
        .map_err(|e| Error::credentials_from(provider, &source, &e))?;
    let email = signer
        .client_email()
        .await
        .map_err(|e| Error::credentials_from(provider, &source, &e))?;
    let tokens = GoogleTokenSource::metadata_server(endpoint)?.with_name(provider);
    IamSignBlob::new(provider, email, Arc::new(tokens))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_from_keys_and_impersonation_urls() {
        let key = serde_json::json!({"type": "service_account", "client_email": "a@p.iam.gserviceaccount.com"});
        assert_eq!(
            signer_email(&key).as_deref(),
            Some("a@p.iam.gserviceaccount.com")
        );
        let imp = serde_json::json!({
            "type": "impersonated_service_account",
            "service_account_impersonation_url": "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/signer%40p.iam.gserviceaccount.com:generateAccessToken"
        });
        assert_eq!(
            signer_email(&imp).as_deref(),
            Some("signer@p.iam.gserviceaccount.com")
        );
        let user = serde_json::json!({"type": "authorized_user", "refresh_token": "r"});
        assert_eq!(signer_email(&user), None);
    }
}
