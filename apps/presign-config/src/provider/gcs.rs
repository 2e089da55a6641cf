//! `kind = "gcs"`: Google Cloud Storage V4 signed URLs and POST policies.
//!
//! Fields:
//!
//! | field | meaning |
//! |---|---|
//! | `bucket` | the bucket (required) |
//! | `service_account` | the service-account JSON key, as a TOML table or a string (also `service_account_env`) |
//! | `service_account_file` | a service-account JSON key file |
//! | `hmac_access_id`, `hmac_secret` | an HMAC key (each also `…_env` / `…_file`) |
//! | `signer` | `"key"` (default: sign locally with the key above) or `"sign-blob"` (IAM `signBlob`, keyless; needs the `gcs-sign-blob` feature) |
//! | `endpoint` | a custom endpoint, `[http://\|https://]host[:port]` |
//! | `url_style` | `"path"` (default), `"virtual"` or `"bucket-bound"` |
//! | `bucket_bound_hostname` | the CNAME bound to the bucket, for `url_style = "bucket-bound"` |
//! | `universe_domain` | another universe than `googleapis.com` |
//! | `service_account_email`, `access_token` | `signer = "sign-blob"` only: the account whose Google-managed key signs, and the OAuth token that may call `signBlob` for it (`access_token_env` / `access_token_file`, read again for every signature so a refreshed token is picked up) |
//!
//! From the environment: `STORAGE_EMULATOR_HOST`, when set, is the endpoint (an explicit
//! `endpoint` wins); when no key is configured at all, the key file named by
//! `GOOGLE_APPLICATION_CREDENTIALS` is used.

use std::fmt;
use std::path::PathBuf;

use presign_core::{Error, SecretString};
use presign_gcs::{APPLICATION_CREDENTIALS_ENV, GcsPresigner, SignerKind, UrlStyle};
use presign_policy::Policy;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::Value;

use super::{BuildContext, builder_error};
use crate::de::{config_error, deserialize_at, join, opt_secret};
use crate::env::Environment;
use crate::inline::{self, Refusal};
use crate::registry::ProviderEntry;
use crate::secret::{SecretSource, resolve_required};

/// The kind's name.
pub const KIND: &str = "gcs";

/// The environment variable naming the GCS emulator (`host:port`).
pub const EMULATOR_HOST_ENV: &str = "STORAGE_EMULATOR_HOST";

/// The fields as written; secrets are wrapped at once.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    bucket: String,
    #[serde(default, deserialize_with = "opt_json_secret")]
    service_account: Option<SecretString>,
    #[serde(default)]
    service_account_env: Option<String>,
    #[serde(default)]
    service_account_file: Option<PathBuf>,
    #[serde(default, deserialize_with = "opt_secret")]
    hmac_access_id: Option<SecretString>,
    #[serde(default)]
    hmac_access_id_env: Option<String>,
    #[serde(default)]
    hmac_access_id_file: Option<PathBuf>,
    #[serde(default, deserialize_with = "opt_secret")]
    hmac_secret: Option<SecretString>,
    #[serde(default)]
    hmac_secret_env: Option<String>,
    #[serde(default)]
    hmac_secret_file: Option<PathBuf>,
    #[serde(default)]
    signer: Option<String>,
    #[serde(default)]
    endpoint: Option<String>,
    #[serde(default)]
    url_style: Option<String>,
    #[serde(default)]
    bucket_bound_hostname: Option<String>,
    #[serde(default)]
    universe_domain: Option<String>,
    #[serde(default)]
    service_account_email: Option<String>,
    #[serde(default)]
    credentials: Option<String>,
    #[serde(default, deserialize_with = "opt_secret")]
    access_token: Option<SecretString>,
    #[serde(default)]
    access_token_env: Option<String>,
    #[serde(default)]
    access_token_file: Option<PathBuf>,
}

/// A GCS provider's settings.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct GcsSettings {
    /// The bucket.
    pub bucket: String,
    /// The service-account JSON key (`service_account` / `service_account_env`; a TOML table
    /// is kept as its JSON text).
    pub service_account: Option<SecretSource>,
    /// A service-account JSON key file.
    pub service_account_file: Option<PathBuf>,
    /// The HMAC key's access id.
    pub hmac_access_id: Option<SecretSource>,
    /// The HMAC key's secret.
    pub hmac_secret: Option<SecretSource>,
    /// `key` or `sign-blob`.
    pub signer: Option<SignerKind>,
    /// A custom endpoint.
    pub endpoint: Option<String>,
    /// Path, virtual-hosted or bucket-bound URLs.
    pub url_style: Option<UrlStyle>,
    /// The bucket-bound hostname.
    pub bucket_bound_hostname: Option<String>,
    /// The universe domain.
    pub universe_domain: Option<String>,
    /// `signer = "sign-blob"`: the service account that signs.
    pub service_account_email: Option<String>,
    /// `signer = "sign-blob"`: the OAuth access token that may call `signBlob`.
    pub access_token: Option<SecretSource>,
    /// `signer = "sign-blob"`: a named token source instead of `access_token`
    /// (`metadata-server`, `application-default`).
    pub credentials: Option<String>,
}

/// A JSON key given inline: a table (kept as JSON text) or a string. Never echoed in errors.
fn opt_json_secret<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SecretString>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = SecretString;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("the service-account JSON key as a table or a string")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<SecretString, E> {
            Ok(SecretString::new(v))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<SecretString, E> {
            Ok(SecretString::from(v))
        }
        fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<SecretString, M::Error> {
            let value = Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
            Ok(SecretString::from(value.to_string()))
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<SecretString, E> {
            Err(E::custom(
                "expected the JSON key as a table or a string (value not shown)",
            ))
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<SecretString, E> {
            self.visit_bool(false)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<SecretString, E> {
            self.visit_bool(false)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<SecretString, E> {
            self.visit_bool(false)
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<SecretString, A::Error> {
            self.visit_bool(false)
        }
        fn visit_unit<E: de::Error>(self) -> Result<SecretString, E> {
            self.visit_bool(false)
        }
    }
    d.deserialize_any(V).map(Some)
}

impl GcsSettings {
    /// Reads the settings (without `kind` and `policy`) of the table at `path`.
    pub(crate) fn from_value(value: Value, path: &str) -> Result<Self, Error> {
        let raw: Raw = deserialize_at(value, path)?;
        let service_account = SecretSource::choose(
            path,
            "service_account",
            raw.service_account,
            raw.service_account_env,
            None,
        )?;
        if service_account.is_some() && raw.service_account_file.is_some() {
            return Err(config_error(
                &join(path, "service_account_file"),
                "service_account is also given; give the key one way only: service_account, service_account_env or service_account_file",
            ));
        }
        let signer = raw
            .signer
            .as_deref()
            .map(|s| match s {
                "key" => Ok(SignerKind::Key),
                "sign-blob" => Ok(SignerKind::SignBlob),
                other => Err(config_error(
                    &join(path, "signer"),
                    format!("{other:?} is not a GCS signer; use \"key\" or \"sign-blob\""),
                )),
            })
            .transpose()?;
        let url_style = raw
            .url_style
            .as_deref()
            .map(|s| match s {
                "path" => Ok(UrlStyle::Path),
                "virtual" => Ok(UrlStyle::VirtualHosted),
                "bucket-bound" => Ok(UrlStyle::BucketBoundHostname),
                other => Err(config_error(
                    &join(path, "url_style"),
                    format!(
                        "{other:?} is not a URL style; use \"path\", \"virtual\" or \"bucket-bound\""
                    ),
                )),
            })
            .transpose()?;
        Ok(GcsSettings {
            bucket: raw.bucket,
            service_account,
            service_account_file: raw.service_account_file,
            hmac_access_id: SecretSource::choose(
                path,
                "hmac_access_id",
                raw.hmac_access_id,
                raw.hmac_access_id_env,
                raw.hmac_access_id_file,
            )?,
            hmac_secret: SecretSource::choose(
                path,
                "hmac_secret",
                raw.hmac_secret,
                raw.hmac_secret_env,
                raw.hmac_secret_file,
            )?,
            signer,
            endpoint: raw.endpoint,
            url_style,
            bucket_bound_hostname: raw.bucket_bound_hostname,
            universe_domain: raw.universe_domain,
            service_account_email: raw.service_account_email,
            credentials: raw.credentials,
            access_token: SecretSource::choose(
                path,
                "access_token",
                raw.access_token,
                raw.access_token_env,
                raw.access_token_file,
            )?,
        })
    }

    /// See [`ProviderSettings::inline_refusal`](super::ProviderSettings).
    pub(crate) fn inline_refusal(&self) -> Option<Refusal> {
        if self.signer == Some(SignerKind::SignBlob) {
            return Some(Refusal::new("signer", inline::NETWORK));
        }
        if self.service_account_file.is_some() {
            return Some(Refusal::new(
                "service_account_file",
                "an inline provider cannot read the server's files; give service_account inline",
            ));
        }
        if self.credentials.is_some() {
            return Some(Refusal::new("credentials", inline::AMBIENT));
        }
        let secrets = [
            ("service_account", &self.service_account),
            ("hmac_access_id", &self.hmac_access_id),
            ("hmac_secret", &self.hmac_secret),
            ("access_token", &self.access_token),
        ];
        if let Some(r) = secrets
            .iter()
            .find_map(|(field, s)| inline::server_secret(field, s.as_ref()))
        {
            return Some(r);
        }
        (self.service_account.is_none() && self.hmac_access_id.is_none())
            .then(|| Refusal::new("service_account", inline::AMBIENT))
    }

    /// Adds the credential to `builder`: a key, an HMAC key, `GOOGLE_APPLICATION_CREDENTIALS`,
    /// or a blob signer.
    fn credential(
        &self,
        mut builder: presign_gcs::GcsPresignerBuilder,
        name: &str,
        path: &str,
        ctx: &BuildContext,
    ) -> Result<presign_gcs::GcsPresignerBuilder, Error> {
        let has_key = self.service_account.is_some() || self.service_account_file.is_some();
        let has_hmac = self.hmac_access_id.is_some() || self.hmac_secret.is_some();
        if self.signer == Some(SignerKind::SignBlob) {
            return sign_blob(self, builder, name, path, ctx);
        }
        if self.service_account_email.is_some()
            || self.access_token.is_some()
            || self.credentials.is_some()
        {
            let field = if self.service_account_email.is_some() {
                "service_account_email"
            } else if self.access_token.is_some() {
                "access_token"
            } else {
                "credentials"
            };
            return Err(config_error(
                &join(path, field),
                "is only used with signer = \"sign-blob\"",
            ));
        }
        if has_key && has_hmac {
            return Err(config_error(
                &join(path, "hmac_access_id"),
                "a service-account key is also given; give one credential: service_account / service_account_file, or hmac_access_id + hmac_secret",
            ));
        }
        if let Some(source) = &self.service_account {
            let json = source.resolve(&ctx.env, path, "service_account")?;
            return Ok(builder.service_account_json(json.expose_secret()));
        }
        if let Some(file) = &self.service_account_file {
            return Ok(builder.service_account_file(file.clone()));
        }
        if has_hmac {
            let id = resolve_required(
                self.hmac_access_id.as_ref(),
                &ctx.env,
                path,
                "hmac_access_id",
            )?;
            let secret =
                resolve_required(self.hmac_secret.as_ref(), &ctx.env, path, "hmac_secret")?;
            return Ok(builder.hmac_key(id.expose_secret(), secret));
        }
        // No key configured: the application default credentials' key file.
        match ctx
            .env
            .get(APPLICATION_CREDENTIALS_ENV)
            .filter(|v| !v.is_empty())
        {
            Some(file) => {
                builder = match ctx.env {
                    Environment::Process => builder.application_default_credentials(),
                    Environment::Fixed(_) => builder.service_account_file(file),
                };
                Ok(builder)
            }
            None => Err(config_error(
                &join(path, "service_account"),
                format!(
                    "no credentials: give service_account (a table or string), service_account_file, or hmac_access_id + hmac_secret, or set {APPLICATION_CREDENTIALS_ENV} to a key file, or use signer = \"sign-blob\""
                ),
            )),
        }
    }

    /// Builds the presigner named `name`, wrapped in `policy`.
    pub(crate) fn build(
        &self,
        name: &str,
        path: &str,
        policy: Policy,
        ctx: &BuildContext,
    ) -> Result<ProviderEntry, Error> {
        let mut builder = GcsPresigner::builder()
            .name(name)
            .bucket(&self.bucket)
            .clock(ctx.clock.clone());
        if let Some(v) = &self.endpoint {
            builder = builder.endpoint(v);
        }
        if let Some(v) = self.url_style {
            builder = builder.url_style(v);
        }
        if let Some(v) = &self.bucket_bound_hostname {
            builder = builder.bucket_bound_hostname(v);
        }
        if let Some(v) = &self.universe_domain {
            builder = builder.universe_domain(v);
        }
        if let Some(host) = ctx
            .env
            .get(EMULATOR_HOST_ENV)
            .filter(|h| !h.trim().is_empty())
        {
            if self.endpoint.is_none() && self.url_style == Some(UrlStyle::VirtualHosted) {
                let url = crate::load_checks::endpoint(
                    path,
                    EMULATOR_HOST_ENV,
                    &host,
                    Some(presign_core::endpoint::Scheme::Http),
                )?;
                if url.host_is_ip() {
                    return Err(crate::load_checks::virtual_on_ip(
                        path,
                        EMULATOR_HOST_ENV,
                        &url,
                    ));
                }
            }
            builder = builder.emulator_host(host.trim());
        }
        builder = self.credential(builder, name, path, ctx)?;
        let raw = builder.build().map_err(|e| build_error(path, e))?;
        ProviderEntry::with_post(name, KIND, policy, raw, ctx)
    }
}

/// `signer = "sign-blob"` without the feature: a configuration error naming it.
#[cfg(not(feature = "gcs-sign-blob"))]
fn sign_blob(
    _: &GcsSettings,
    _: presign_gcs::GcsPresignerBuilder,
    _: &str,
    path: &str,
    _: &BuildContext,
) -> Result<presign_gcs::GcsPresignerBuilder, Error> {
    Err(config_error(
        &join(path, "signer"),
        "signer = \"sign-blob\" signs through the IAM Credentials signBlob API, which this build leaves out: rebuild with the `gcs-sign-blob` feature (cargo build -p presign-cli --features gcs-sign-blob), or give a key (service_account, service_account_file, or hmac_access_id + hmac_secret)",
    ))
}

/// `signer = "sign-blob"`: IAM `signBlob` as `service_account_email`, with `access_token`.
#[cfg(feature = "gcs-sign-blob")]
fn sign_blob(
    s: &GcsSettings,
    builder: presign_gcs::GcsPresignerBuilder,
    name: &str,
    path: &str,
    ctx: &BuildContext,
) -> Result<presign_gcs::GcsPresignerBuilder, Error> {
    use std::sync::Arc;
    let email = s.service_account_email.as_deref().ok_or_else(|| {
        config_error(
            &join(path, "service_account_email"),
            "signer = \"sign-blob\" needs the e-mail of the service account that signs",
        )
    })?;
    let tokens: Arc<dyn presign_core::TokenSource> = match (&s.credentials, s.access_token.clone())
    {
        (Some(_), Some(_)) => {
            return Err(config_error(
                &join(path, "credentials"),
                "give either credentials = \"SOURCE\" or access_token (inline, _env or _file), not both",
            ));
        }
        (Some(source), None) => super::gcs_credentials::token_source(source, name, path)?,
        (None, Some(token)) => Arc::new(crate::secret::ConfiguredToken::new(token, &ctx.env, path)),
        (None, None) => {
            return Err(config_error(
                &join(path, "access_token"),
                "signer = \"sign-blob\" needs an OAuth access token source: credentials = \"metadata-server\" or \"application-default\" (the gcp-credentials feature), access_token_file (refreshed by a sidecar), access_token_env or access_token",
            ));
        }
    };
    let signer = presign_gcs::IamSignBlob::new(name, email, tokens)
        .map_err(|e| config_error(&join(path, "service_account_email"), e.to_string()))?;
    Ok(builder
        .blob_signer(Arc::new(signer))
        .signer(SignerKind::SignBlob))
}

/// A builder error as a configuration error at the field it names, when it names one.
fn build_error(path: &str, e: Error) -> Error {
    const FIELDS: &[&str] = &[
        "bucket",
        "endpoint",
        "url_style",
        "bucket_bound_hostname",
        "universe_domain",
        "signer",
    ];
    match &e {
        Error::InvalidInput { field, reason } if field == "emulator_host" => config_error(
            path,
            format!("{EMULATOR_HOST_ENV} from the environment: {reason}"),
        ),
        Error::Credentials { reason, .. } => config_error(path, format!("credentials: {reason}")),
        _ => builder_error(path, &e, FIELDS),
    }
}
