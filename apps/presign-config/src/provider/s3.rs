//! `kind = "s3"`: Amazon S3 and S3-compatible stores (MinIO, SeaweedFS, Garage, R2, ...).
//!
//! Fields: `bucket`, `region`, `endpoint`, `public_endpoint`, `served_through` (a CDN whose
//! origin is the bucket), `addressing = "virtual" |
//! "path"`, and the credentials `access_key_id`, `secret_access_key`, `session_token`, each
//! also as `…_env` (the name of an environment variable) or `…_file` (a file holding it).
//! When no credential field is given at all, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
//! `AWS_SESSION_TOKEN` are read from the environment. `session_token_expires_at` (an RFC 3339
//! time, `"2026-12-02T06:00:00Z"`) says when the session token's temporary credentials expire:
//! no URL outlives them (the time-to-live is clamped to them, or the request refused under
//! `on_excess_ttl = "reject"`).
//!
//! Instead of keys, `credentials` names a source of temporary credentials (the `aws-credentials`
//! feature, through `aws-config`): `"chain"` (the SDKs' default chain), `"environment"`,
//! `"profile"` with `profile = "NAME"`, `"web-identity"` (IRSA), `"container"` (ECS/EKS),
//! `"imds"`. They are fetched on first use, cached, refreshed ahead of expiry, and no URL
//! outlives them.

use std::path::PathBuf;

use presign_core::{Error, SecretString, Timestamp};
use presign_policy::Policy;
use presign_s3::{Addressing, Credentials, S3Presigner};
use serde::Deserialize;
use serde_json::Value;

use super::{BuildContext, builder_error};
use crate::de::{config_error, deserialize_at, join, opt_secret};
use crate::inline::{self, Refusal};
use crate::registry::ProviderEntry;
use crate::secret::{SecretSource, missing_secret};

/// The kind's name.
pub const KIND: &str = "s3";

/// Bucket addressing (`addressing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AddressingConfig {
    /// `https://BUCKET.s3.REGION.amazonaws.com/KEY`.
    Virtual,
    /// `https://ENDPOINT/BUCKET/KEY`.
    Path,
}

/// The fields as written; secrets are wrapped at once.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    bucket: String,
    #[serde(default)]
    region: Option<String>,
    #[serde(default)]
    endpoint: Option<String>,
    #[serde(default)]
    public_endpoint: Option<String>,
    #[serde(default)]
    served_through: Option<String>,
    #[serde(default)]
    addressing: Option<AddressingConfig>,
    #[serde(default)]
    credentials: Option<String>,
    #[serde(default)]
    profile: Option<String>,
    #[serde(default, deserialize_with = "opt_secret")]
    access_key_id: Option<SecretString>,
    #[serde(default)]
    access_key_id_env: Option<String>,
    #[serde(default)]
    access_key_id_file: Option<PathBuf>,
    #[serde(default, deserialize_with = "opt_secret")]
    secret_access_key: Option<SecretString>,
    #[serde(default)]
    secret_access_key_env: Option<String>,
    #[serde(default)]
    secret_access_key_file: Option<PathBuf>,
    #[serde(default, deserialize_with = "opt_secret")]
    session_token: Option<SecretString>,
    #[serde(default)]
    session_token_env: Option<String>,
    #[serde(default)]
    session_token_file: Option<PathBuf>,
    #[serde(default)]
    session_token_expires_at: Option<Value>,
}

/// An S3 provider's settings.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct S3Settings {
    /// The bucket.
    pub bucket: String,
    /// The region (`us-east-1`, ...).
    pub region: Option<String>,
    /// A custom endpoint (`http://127.0.0.1:8333`).
    pub endpoint: Option<String>,
    /// The endpoint put in URLs, when clients reach the store under another name.
    pub public_endpoint: Option<String>,
    /// A CDN (CloudFront) whose origin is the bucket: URLs on its host, signed for the bucket's.
    pub served_through: Option<String>,
    /// Virtual-host or path-style addressing.
    pub addressing: Option<AddressingConfig>,
    /// A named source of temporary credentials (`chain`, `profile`, `web-identity`, ...),
    /// instead of keys.
    pub credentials: Option<String>,
    /// The profile, with `credentials = "profile"`.
    pub profile: Option<String>,
    /// The access key id.
    pub access_key_id: Option<SecretSource>,
    /// The secret access key.
    pub secret_access_key: Option<SecretSource>,
    /// The session token of temporary credentials.
    pub session_token: Option<SecretSource>,
    /// When the temporary credentials of the session token expire.
    pub session_token_expires_at: Option<Timestamp>,
}

impl S3Settings {
    /// Reads the settings (without `kind` and `policy`) of the table at `path`.
    pub(crate) fn from_value(value: Value, path: &str) -> Result<Self, Error> {
        let raw: Raw = deserialize_at(value, path)?;
        Ok(S3Settings {
            bucket: raw.bucket,
            region: raw.region,
            endpoint: raw.endpoint,
            public_endpoint: raw.public_endpoint,
            served_through: raw.served_through,
            addressing: raw.addressing,
            credentials: raw.credentials,
            profile: raw.profile,
            access_key_id: SecretSource::choose(
                path,
                "access_key_id",
                raw.access_key_id,
                raw.access_key_id_env,
                raw.access_key_id_file,
            )?,
            secret_access_key: SecretSource::choose(
                path,
                "secret_access_key",
                raw.secret_access_key,
                raw.secret_access_key_env,
                raw.secret_access_key_file,
            )?,
            session_token: SecretSource::choose(
                path,
                "session_token",
                raw.session_token,
                raw.session_token_env,
                raw.session_token_file,
            )?,
            session_token_expires_at: raw
                .session_token_expires_at
                .map(|v| expiry(&v, path))
                .transpose()?,
        })
    }

    /// See [`ProviderSettings::inline_refusal`](super::ProviderSettings).
    pub(crate) fn inline_refusal(&self) -> Option<Refusal> {
        if self.credentials.is_some() {
            return Some(Refusal::new("credentials", inline::AMBIENT));
        }
        let secrets = [
            ("access_key_id", &self.access_key_id),
            ("secret_access_key", &self.secret_access_key),
            ("session_token", &self.session_token),
        ];
        if secrets.iter().all(|(_, s)| s.is_none()) {
            return Some(Refusal::new("access_key_id", inline::AMBIENT));
        }
        secrets
            .iter()
            .find_map(|(field, s)| inline::server_secret(field, s.as_ref()))
    }

    fn credentials(&self, path: &str, ctx: &BuildContext) -> Result<Credentials, Error> {
        let (id, secret, token) = if self.access_key_id.is_none()
            && self.secret_access_key.is_none()
            && self.session_token.is_none()
        {
            let from = |var: &str| SecretSource::Env(var.to_owned());
            let token = ctx
                .env
                .get("AWS_SESSION_TOKEN")
                .is_some()
                .then(|| from("AWS_SESSION_TOKEN"));
            if ctx.env.get("AWS_ACCESS_KEY_ID").is_none() {
                return Err(config_error(
                    &join(path, "access_key_id"),
                    "no credentials: give access_key_id and secret_access_key (inline, _env or _file), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
                ));
            }
            (
                from("AWS_ACCESS_KEY_ID"),
                from("AWS_SECRET_ACCESS_KEY"),
                token,
            )
        } else {
            (
                self.access_key_id
                    .clone()
                    .ok_or_else(|| missing_secret(path, "access_key_id"))?,
                self.secret_access_key
                    .clone()
                    .ok_or_else(|| missing_secret(path, "secret_access_key"))?,
                self.session_token.clone(),
            )
        };
        let id = id.resolve(&ctx.env, path, "access_key_id")?;
        let secret = secret.resolve(&ctx.env, path, "secret_access_key")?;
        let mut credentials = Credentials::new(id.expose_secret(), secret);
        if let Some(token) = token {
            credentials =
                credentials.with_session_token(token.resolve(&ctx.env, path, "session_token")?);
        }
        if let Some(at) = self.session_token_expires_at {
            credentials = credentials.with_expiry(at);
        }
        Ok(credentials)
    }

    /// Builds the presigner named `name`, wrapped in `policy`.
    pub(crate) fn build(
        &self,
        name: &str,
        path: &str,
        policy: Policy,
        ctx: &BuildContext,
    ) -> Result<ProviderEntry, Error> {
        let mut builder = S3Presigner::builder()
            .name(name)
            .bucket(self.bucket.as_str())
            .clock(ctx.clock.clone());
        builder = match &self.credentials {
            Some(source) => self.named_source(builder, source, name, path)?,
            None => builder.credentials(self.credentials(path, ctx)?),
        };
        if let Some(region) = &self.region {
            builder = builder.region(region.as_str());
        }
        if let Some(endpoint) = &self.endpoint {
            builder = builder.endpoint(endpoint);
        }
        if let Some(endpoint) = &self.public_endpoint {
            builder = builder.public_endpoint(endpoint);
        }
        if let Some(cdn) = &self.served_through {
            builder = builder.served_through(cdn);
        }
        if let Some(addressing) = self.addressing {
            builder = builder.addressing(match addressing {
                AddressingConfig::Virtual => Addressing::Virtual,
                AddressingConfig::Path => Addressing::Path,
            });
        }
        let raw = builder.build().map_err(|e| build_error(path, e))?;
        ProviderEntry::with_post_and_status(name, KIND, policy, raw, ctx)
    }
}

impl S3Settings {
    /// `credentials = "SOURCE"`: refuses keys next to it, then the source (or, without the
    /// feature, an error naming it).
    fn named_source(
        &self,
        builder: presign_s3::S3PresignerBuilder,
        source: &str,
        name: &str,
        path: &str,
    ) -> Result<presign_s3::S3PresignerBuilder, Error> {
        let at = join(path, "credentials");
        if self.access_key_id.is_some()
            || self.secret_access_key.is_some()
            || self.session_token.is_some()
        {
            return Err(config_error(
                &at,
                "give either credentials = \"SOURCE\" or keys (access_key_id, secret_access_key, session_token), not both",
            ));
        }
        named_aws_source(builder, source, self.profile.as_deref(), name, &at)
    }
}

#[cfg(feature = "aws-credentials")]
fn named_aws_source(
    builder: presign_s3::S3PresignerBuilder,
    source: &str,
    profile: Option<&str>,
    name: &str,
    at: &str,
) -> Result<presign_s3::S3PresignerBuilder, Error> {
    let source = presign_credentials_aws::AwsSource::parse(source, profile)
        .map_err(|reason| config_error(at, &reason))?;
    Ok(builder.credential_source(std::sync::Arc::new(source.into_source(name))))
}

#[cfg(not(feature = "aws-credentials"))]
fn named_aws_source(
    _: presign_s3::S3PresignerBuilder,
    source: &str,
    _: Option<&str>,
    _: &str,
    at: &str,
) -> Result<presign_s3::S3PresignerBuilder, Error> {
    Err(config_error(
        at,
        format!(
            "credentials = {:?} reads the platform's identity through aws-config, which this build leaves out: rebuild with the `aws-credentials` feature (cargo build -p presign-cli --features aws-credentials), or give access_key_id and secret_access_key",
            source.chars().take(40).collect::<String>()
        ),
    ))
}

/// `session_token_expires_at`: an RFC 3339 time, as a string (a TOML date-time is read as
/// one too).
fn expiry(value: &Value, path: &str) -> Result<Timestamp, Error> {
    let at = join(path, "session_token_expires_at");
    // figment hands a TOML date-time over as a one-entry table holding its text.
    let text = match value {
        Value::String(s) => Some(s.as_str()),
        Value::Object(m) if m.len() == 1 => m.values().next().and_then(Value::as_str),
        _ => None,
    };
    let text = text.ok_or_else(|| {
        config_error(
            &at,
            "expected an RFC 3339 time such as \"2026-12-02T06:00:00Z\"",
        )
    })?;
    Timestamp::parse_rfc3339(text.trim()).map_err(|_| {
        config_error(
            &at,
            format!(
                "{:?} is not an RFC 3339 time such as \"2026-12-02T06:00:00Z\"",
                text.chars().take(64).collect::<String>()
            ),
        )
    })
}

/// A builder error as a configuration error at the field it names, when it names one.
fn build_error(path: &str, e: Error) -> Error {
    const FIELDS: &[&str] = &[
        "bucket",
        "region",
        "endpoint",
        "public_endpoint",
        "served_through",
        "addressing",
    ];
    builder_error(path, &e, FIELDS)
}
