//! `kind = "cloudfront"`: Amazon CloudFront signed URLs and signed cookies (feature
//! `cloudfront`).
//!
//! Fields: `domain` (the distribution's domain) or `base_url`; one key as `key_pair_id` plus
//! `private_key` (PEM, also `private_key_env` / `private_key_file`), or a key group as `keys`
//! (a list of tables with `id`, `private_key[_env|_file]` and an optional `retires_at`, RFC
//! 3339) with `active_key` naming the one that signs; `hash_algorithm` (`SHA1`, the default,
//! or `SHA256`); `policy_kind` (`custom`, the default, or `canned`).
//!
//! ```toml
//! [providers.cdn]
//! kind = "cloudfront"
//! domain = "d111111abcdef8.cloudfront.net"
//! key_pair_id = "K2JCJMDEHXQW5F"
//! private_key_file = "/run/secrets/cloudfront.pem"
//! hash_algorithm = "SHA256"
//! ```

use std::path::PathBuf;
use std::sync::Arc;

use presign_cloudfront::{
    CloudFrontPresigner, GroupKey, HashAlgorithm, KeyGroup, KeyPairId, PolicyKind, SigningKey,
};
use presign_core::{Error, SecretString, Timestamp};
use presign_policy::Policy;
use serde::Deserialize;
use serde_json::Value;

use super::{BuildContext, builder_error};
use crate::de::{config_error, deserialize_at, join, opt_secret};
use crate::registry::ProviderEntry;
use crate::secret::{SecretSource, resolve_required};

/// The kind's name.
pub const KIND: &str = "cloudfront";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKey {
    id: String,
    #[serde(default, deserialize_with = "opt_secret")]
    private_key: Option<SecretString>,
    #[serde(default)]
    private_key_env: Option<String>,
    #[serde(default)]
    private_key_file: Option<PathBuf>,
    #[serde(default)]
    retires_at: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    domain: Option<String>,
    #[serde(default)]
    base_url: Option<String>,
    #[serde(default)]
    key_pair_id: Option<String>,
    #[serde(default, deserialize_with = "opt_secret")]
    private_key: Option<SecretString>,
    #[serde(default)]
    private_key_env: Option<String>,
    #[serde(default)]
    private_key_file: Option<PathBuf>,
    #[serde(default)]
    keys: Vec<RawKey>,
    #[serde(default)]
    active_key: Option<String>,
    #[serde(default)]
    hash_algorithm: Option<String>,
    #[serde(default)]
    policy_kind: Option<String>,
}

/// One configured key.
#[derive(Debug, Clone)]
pub struct KeySettings {
    /// The key id.
    pub id: String,
    /// Where the PEM private key is.
    pub private_key: Option<SecretSource>,
    /// When it leaves the key group.
    pub retires_at: Option<Timestamp>,
}

/// A CloudFront provider's settings.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CloudFrontSettings {
    /// `https://DOMAIN` or the `base_url`.
    pub base_url: String,
    /// The keys (one, or a key group).
    pub keys: Vec<KeySettings>,
    /// The id of the key that signs.
    pub active_key: String,
    /// SHA-1 or SHA-256.
    pub hash: HashAlgorithm,
    /// Canned or custom policies.
    pub policy_kind: PolicyKind,
}

impl CloudFrontSettings {
    /// The first key an inline (untrusted) provider would read from the server's environment
    /// or files.
    pub(crate) fn inline_refusal(&self) -> Option<crate::inline::Refusal> {
        self.keys
            .iter()
            .find_map(|k| crate::inline::server_secret("private_key", k.private_key.as_ref()))
    }

    /// Reads the settings (without `kind` and `policy`) of the table at `path`.
    pub(crate) fn from_value(value: Value, path: &str) -> Result<Self, Error> {
        let raw: Raw = deserialize_at(value, path)?;
        let base_url = super::cdn_base_url(path, raw.domain, raw.base_url)?;
        let mut keys = Vec::new();
        if let Some(id) = raw.key_pair_id {
            let private_key = SecretSource::choose(
                path,
                "private_key",
                raw.private_key,
                raw.private_key_env,
                raw.private_key_file,
            )?;
            keys.push(KeySettings {
                id,
                private_key,
                retires_at: None,
            });
        }
        for (i, k) in raw.keys.into_iter().enumerate() {
            let at = join(path, &format!("keys[{i}]"));
            let retires_at = k
                .retires_at
                .map(|t| {
                    Timestamp::parse_rfc3339(&t)
                        .map_err(|e| config_error(&join(&at, "retires_at"), e.to_string()))
                })
                .transpose()?;
            keys.push(KeySettings {
                id: k.id,
                private_key: SecretSource::choose(
                    &at,
                    "private_key",
                    k.private_key,
                    k.private_key_env,
                    k.private_key_file,
                )?,
                retires_at,
            });
        }
        let active_key = match (raw.active_key, keys.as_slice()) {
            (Some(a), _) => a,
            (None, [only]) => only.id.clone(),
            (None, []) => {
                return Err(config_error(
                    &join(path, "key_pair_id"),
                    "missing; give key_pair_id and private_key (or a keys list with active_key)",
                ));
            }
            (None, _) => {
                return Err(config_error(
                    &join(path, "active_key"),
                    "missing; with several keys, name the one that signs",
                ));
            }
        };
        let hash = raw
            .hash_algorithm
            .as_deref()
            .map(HashAlgorithm::parse)
            .transpose()
            .map_err(|e| builder_error(path, &e, &["hash_algorithm"]))?
            .unwrap_or_default();
        let policy_kind = raw
            .policy_kind
            .as_deref()
            .map(PolicyKind::parse)
            .transpose()
            .map_err(|e| config_error(&join(path, "policy_kind"), e.to_string()))?
            .unwrap_or_default();
        Ok(CloudFrontSettings {
            base_url,
            keys,
            active_key,
            hash,
            policy_kind,
        })
    }

    /// Builds the presigner named `name`, wrapped in `policy`.
    pub(crate) fn build(
        &self,
        name: &str,
        path: &str,
        policy: Policy,
        ctx: &BuildContext,
    ) -> Result<ProviderEntry, Error> {
        let mut group = Vec::with_capacity(self.keys.len());
        for (i, k) in self.keys.iter().enumerate() {
            let at = if self.keys.len() == 1 && k.retires_at.is_none() {
                path.to_owned()
            } else {
                join(path, &format!("keys[{i}]"))
            };
            let pem = resolve_required(k.private_key.as_ref(), &ctx.env, &at, "private_key")?;
            let key = SigningKey::from_pem(pem.expose_secret())
                .map_err(|e| builder_error(&at, &e, &["private_key"]))?;
            let id = KeyPairId::new(k.id.as_str())
                .map_err(|e| config_error(&join(&at, "id"), e.to_string()))?;
            group.push(GroupKey {
                id,
                key: Arc::new(key),
                retires_at: k.retires_at,
            });
        }
        let keys = KeyGroup::new(group, &self.active_key)
            .map_err(|e| config_error(&join(path, "active_key"), e.to_string()))?;
        let raw = CloudFrontPresigner::builder()
            .base_url(&self.base_url)
            .keys(keys)
            .hash(self.hash)
            .policy(self.policy_kind)
            .clock(ctx.clock.clone())
            .name(name)
            .build()
            .map_err(|e| builder_error(path, &e, &["domain", "hash_algorithm", "keys"]))?;
        ProviderEntry::with_cookies(name, KIND, policy, raw, ctx)
    }
}

#[cfg(test)]
mod tests {
    use crate::{Config, Environment, Registry};

    const PEM: &str =
        include_str!("../../../../providers/presign-cloudfront/tests/keys/rsa-2048-pkcs8.pem");

    fn err(toml: &str) -> String {
        match Config::from_toml_str_with_env(toml, Environment::from_pairs([("PEM", PEM)])) {
            Err(e) => e.to_string(),
            Ok(c) => match Registry::from_config(&c).entry("cdn") {
                Err(e) => e.to_string(),
                Ok(_) => String::from("built"),
            },
        }
    }

    #[test]
    fn errors_name_the_field() {
        let head = "[policy]\nany_key = true\n[providers.cdn]\nkind = \"cloudfront\"\n";
        let e = err(&format!(
            "{head}key_pair_id = \"K1\"\nprivate_key_env = \"PEM\"\n"
        ));
        assert!(e.contains("providers.cdn.domain"), "{e}");
        let ok =
            format!("{head}domain = \"d.net\"\nkey_pair_id = \"K1\"\nprivate_key_env = \"PEM\"\n");
        assert_eq!(err(&ok), "built");
        let e = err(&format!("{ok}hash_algorithm = \"MD5\"\n"));
        assert!(e.contains("providers.cdn.hash_algorithm"), "{e}");
        let e = err(&format!("{ok}policy_kind = \"open\"\n"));
        assert!(e.contains("providers.cdn.policy_kind"), "{e}");
        let e = err(&format!("{ok}bogus = 1\n"));
        assert!(e.contains("bogus"), "{e}");
        let e = err(&format!(
            "{head}domain = \"d.net\"\nkey_pair_id = \"K1\"\nprivate_key = \"not a key\"\n"
        ));
        assert!(
            e.contains("providers.cdn.private_key") && !e.contains("not a key"),
            "{e}"
        );
        let group = format!(
            "{head}domain = \"d.net\"\n[[providers.cdn.keys]]\nid = \"KOLD\"\nprivate_key_env = \"PEM\"\nretires_at = \"2027-01-01T00:00:00Z\"\n[[providers.cdn.keys]]\nid = \"KNEW\"\nprivate_key_env = \"PEM\"\n"
        );
        let e = err(&group);
        assert!(e.contains("providers.cdn.active_key"), "{e}");
        let with_active = group.replace(
            "domain = \"d.net\"\n",
            "domain = \"d.net\"\nactive_key = \"KNEW\"\n",
        );
        assert_eq!(err(&with_active), "built");
        let e = err(&group.replace(
            "retires_at = \"2027-01-01T00:00:00Z\"",
            "retires_at = \"soon\"",
        ));
        assert!(e.contains("providers.cdn.keys[0].retires_at"), "{e}");
    }
}
