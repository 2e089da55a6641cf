//! [`SecretSource`]: where a credential comes from — inline, an environment variable or a file.

use std::fmt;
use std::path::PathBuf;

use presign_core::secret::{MAX_SECRET_FILE_BYTES, read_secret_file};
use presign_core::{BearerToken, Credential, CredentialSource, Error, SecretString, Timestamp};

use crate::de::{config_error, join};
use crate::env::Environment;

/// Where one credential value comes from.
#[derive(Clone)]
pub enum SecretSource {
    /// Given in the configuration itself.
    Inline(SecretString),
    /// The value of this environment variable (`*_env`).
    Env(String),
    /// The contents of this file, without a trailing newline (`*_file`).
    File(PathBuf),
}

impl SecretSource {
    /// Picks the one source among `field`, `field_env` and `field_file`; giving more than one
    /// is an error at `path.field_env` or `path.field_file`.
    pub(crate) fn choose(
        path: &str,
        field: &str,
        inline: Option<SecretString>,
        env: Option<String>,
        file: Option<PathBuf>,
    ) -> Result<Option<SecretSource>, Error> {
        match (inline, env, file) {
            (None, None, None) => Ok(None),
            (Some(s), None, None) => Ok(Some(SecretSource::Inline(s))),
            (None, Some(e), None) => Ok(Some(SecretSource::Env(e))),
            (None, None, Some(f)) => Ok(Some(SecretSource::File(f))),
            (inline, env, _) => {
                let (at, others) = if env.is_some() && inline.is_some() {
                    (format!("{field}_env"), format!("{field} (inline)"))
                } else if inline.is_some() {
                    (format!("{field}_file"), format!("{field} (inline)"))
                } else {
                    (format!("{field}_file"), format!("{field}_env"))
                };
                Err(config_error(
                    &join(path, &at),
                    format!(
                        "{others} is also given; give {field} one way only: inline, {field}_env or {field}_file"
                    ),
                ))
            }
        }
    }

    /// The field name suffix this source was given with, for paths in errors.
    fn suffix(&self) -> &'static str {
        match self {
            SecretSource::Inline(_) => "",
            SecretSource::Env(_) => "_env",
            SecretSource::File(_) => "_file",
        }
    }

    /// Reads the value. Errors name `path.field[_env|_file]` and never the value.
    pub fn resolve(
        &self,
        env: &Environment,
        path: &str,
        field: &str,
    ) -> Result<SecretString, Error> {
        let at = join(path, &format!("{field}{}", self.suffix()));
        let value = match self {
            SecretSource::Inline(s) => s.clone(),
            SecretSource::Env(name) => SecretString::from(env.get(name).ok_or_else(|| {
                config_error(&at, format!("environment variable {name} is not set"))
            })?),
            SecretSource::File(file) => {
                // A regular file of at most 64 KiB: never a device, FIFO or endless stream.
                let raw = read_secret_file(file, MAX_SECRET_FILE_BYTES).map_err(|e| {
                    config_error(&at, format!("cannot use {}: {e}", file.display()))
                })?;
                SecretString::new(raw.expose_secret().trim_end_matches(['\n', '\r']))
            }
        };
        if value.is_empty() {
            return Err(config_error(&at, "the value is empty"));
        }
        Ok(value)
    }
}

/// The error for a credential the table must give but does not: at `path.field`, naming the
/// three ways to give it.
pub(crate) fn missing_secret(path: &str, field: &str) -> Error {
    config_error(
        &join(path, field),
        format!("missing; give {field}, {field}_env or {field}_file"),
    )
}

/// Reads a credential the table must give: `source` resolved, or [`missing_secret`].
pub(crate) fn resolve_required(
    source: Option<&SecretSource>,
    env: &Environment,
    path: &str,
    field: &str,
) -> Result<SecretString, Error> {
    source
        .ok_or_else(|| missing_secret(path, field))?
        .resolve(env, path, field)
}

/// A bearer token read from its configured source (`access_token`, `access_token_env`,
/// `access_token_file`) at every fetch, so that a file a sidecar refreshes is picked up. Its
/// expiry is unknown here; the service refuses an expired token. The one adapter from
/// configuration to core's [`presign_core::TokenSource`] (GCS signBlob, Azure user delegation).
#[derive(Debug)]
pub(crate) struct ConfiguredToken {
    source: SecretSource,
    env: Environment,
    path: String,
}

impl ConfiguredToken {
    /// The token of the table at `path`, read from `source` with `env`.
    #[cfg_attr(
        not(any(feature = "gcs-sign-blob", feature = "azure-user-delegation")),
        allow(dead_code)
    )]
    pub(crate) fn new(source: SecretSource, env: &Environment, path: &str) -> Self {
        ConfiguredToken {
            source,
            env: env.clone(),
            path: path.to_owned(),
        }
    }
}

#[async_trait::async_trait]
impl CredentialSource<BearerToken> for ConfiguredToken {
    async fn fetch(&self, _now: Timestamp) -> Result<Credential<BearerToken>, Error> {
        let token = self.source.resolve(&self.env, &self.path, "access_token")?;
        Ok(Credential::new(BearerToken::from(token)))
    }

    fn describe(&self) -> String {
        format!("access_token from {}", self.source)
    }
}

impl fmt::Debug for SecretSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretSource::Inline(_) => f.write_str("Inline([REDACTED])"),
            SecretSource::Env(name) => f.debug_tuple("Env").field(name).finish(),
            SecretSource::File(path) => f.debug_tuple("File").field(path).finish(),
        }
    }
}

impl fmt::Display for SecretSource {
    /// `inline`, `env NAME` or `file PATH`: where the value is, never the value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretSource::Inline(_) => f.write_str("inline"),
            SecretSource::Env(name) => write!(f, "env {name}"),
            SecretSource::File(path) => write!(f, "file {}", path.display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choose_and_resolve() {
        let env = Environment::from_pairs([("MY_SECRET", "s3cr3t"), ("EMPTY", "")]);
        let s = SecretSource::choose(
            "p",
            "secret_access_key",
            None,
            Some("MY_SECRET".into()),
            None,
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            s.resolve(&env, "p", "secret_access_key")
                .unwrap()
                .expose_secret(),
            "s3cr3t"
        );
        let e = SecretSource::Env("NOPE".into())
            .resolve(&env, "p", "x")
            .unwrap_err()
            .to_string();
        assert!(e.contains("p.x_env") && e.contains("NOPE"), "{e}");
        let e = SecretSource::Env("EMPTY".into())
            .resolve(&env, "p", "x")
            .unwrap_err()
            .to_string();
        assert!(e.contains("empty"), "{e}");
        let e = SecretSource::choose("p", "x", Some("inline".into()), Some("E".into()), None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("p.x_env") && !e.contains("inline\""), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("secret");
        std::fs::write(&file, "from-file\n").unwrap();
        let s = SecretSource::File(file.clone());
        assert_eq!(
            s.resolve(&env, "p", "x").unwrap().expose_secret(),
            "from-file"
        );
        assert!(
            !format!(
                "{:?} {}",
                SecretSource::Inline("zz-secret".into()),
                SecretSource::Inline("zz-secret".into())
            )
            .contains("zz-secret")
        );
        let e = SecretSource::File(dir.path().join("missing"))
            .resolve(&env, "p", "x")
            .unwrap_err()
            .to_string();
        assert!(e.contains("p.x_file") && e.contains("not found"), "{e}");
        // Never a device, FIFO or directory, never more than 64 KiB.
        for special in ["/dev/zero", "/dev/urandom"] {
            let e = SecretSource::File(special.into())
                .resolve(&env, "p", "x")
                .unwrap_err()
                .to_string();
            assert!(
                e.contains("p.x_file") && e.contains("not a regular file"),
                "{e}"
            );
        }
        let fifo = dir.path().join("fifo");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let e = SecretSource::File(fifo)
            .resolve(&env, "p", "x")
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a regular file"), "{e}");
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'a'; 70_000]).unwrap();
        let e = SecretSource::File(big)
            .resolve(&env, "p", "x")
            .unwrap_err()
            .to_string();
        assert!(e.contains("larger than 65536 bytes"), "{e}");
    }
}
