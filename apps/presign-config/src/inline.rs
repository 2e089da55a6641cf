//! Providers described by a request — a `presign batch` line's inline provider — are not
//! trusted like the operator's configuration: they take secrets only inline (never from the
//! server's environment, files or ambient credentials), make the server call no network
//! service, and their policy can only tighten the operator's top-level one.

use presign_core::Error;

use crate::de::{config_error, join};
use crate::env::Environment;
use crate::provider::{BuildContext, ProviderConfig};
use crate::registry::ProviderEntry;
use crate::secret::SecretSource;

/// Why a field of an inline provider is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    /// The field, as written (`access_key_id_env`).
    pub(crate) field: String,
    /// Why.
    pub(crate) reason: &'static str,
}

impl Refusal {
    /// A refusal of `field` for `reason`.
    pub(crate) fn new(field: impl Into<String>, reason: &'static str) -> Self {
        Refusal {
            field: field.into(),
            reason,
        }
    }
}

/// The reason for a secret read from the server's environment.
const ENV: &str = "an inline provider cannot read the server's environment; give the value inline";
/// The reason for a secret read from the server's files.
const FILE: &str = "an inline provider cannot read the server's files; give the value inline";
/// The reason for a credential left to the server's ambient credentials.
pub(crate) const AMBIENT: &str = "an inline provider must carry its own credentials inline; the server's ambient credentials are never used for it";
/// The reason for a credential fetched over the network.
pub(crate) const NETWORK: &str =
    "an inline provider cannot make the server fetch credentials or signatures over the network";

/// The refusal for `source` of `field` when it reads the server's environment or files.
pub(crate) fn server_secret(field: &str, source: Option<&SecretSource>) -> Option<Refusal> {
    match source {
        Some(SecretSource::Env(_)) => Some(Refusal::new(format!("{field}_env"), ENV)),
        Some(SecretSource::File(_)) => Some(Refusal::new(format!("{field}_file"), FILE)),
        Some(SecretSource::Inline(_)) | None => None,
    }
}

impl ProviderConfig {
    /// Builds a provider described by an untrusted request (a batch line's inline provider),
    /// named `name`, its table at `path`, under the operator's context `ctx`:
    ///
    /// - every secret must be inline: `*_env`, `*_file`, key files and the ambient
    ///   credentials (`AWS_*`, `GOOGLE_APPLICATION_CREDENTIALS`) are refused, naming the
    ///   field, and nothing of the server's environment is read while building it;
    /// - credentials fetched over the network (GCS `signer = "sign-blob"`, Azure
    ///   `credential = "user-delegation"`) are refused;
    /// - its `policy` table, over the operator's top-level `[policy]`, may only tighten that
    ///   top-level policy ([`presign_policy::Policy::check_within`]); the top-level policy
    ///   must name its keys.
    pub fn build_inline(
        &self,
        name: &str,
        path: &str,
        ctx: &BuildContext,
    ) -> Result<ProviderEntry, Error> {
        if let Some(r) = self.settings.inline_refusal() {
            return Err(config_error(&join(path, &r.field), r.reason));
        }
        let policy_path = join(path, "policy");
        let operator = ctx.base_policy.to_policy("policy").map_err(|_| {
            config_error(
                &policy_path,
                "inline providers need the operator's top-level [policy] to name its keys (key_prefixes or any_key); ask the operator",
            )
        })?;
        let policy = self.policy.or(&ctx.base_policy).to_policy(&policy_path)?;
        policy.check_within(&operator).map_err(|e| match e {
            Error::InvalidInput { field, reason } => {
                let field = field.strip_prefix("policy.").unwrap_or(&field);
                config_error(&join(&policy_path, field), reason)
            }
            other => other,
        })?;
        let sealed = BuildContext {
            env: Environment::from_pairs::<String, String, _>([]),
            clock: ctx.clock.clone(),
            base_policy: ctx.base_policy.clone(),
        };
        self.settings.build(name, path, policy, &sealed)
    }
}
