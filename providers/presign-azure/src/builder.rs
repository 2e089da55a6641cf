//! [`AzurePresignerBuilder`]: every configuration field of an Azure provider.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use presign_core::clock::system_clock;
use presign_core::secret::SecretBytes;
use presign_core::{Error, SecretString, SharedClock};

use crate::capabilities::azure_capabilities;
use crate::delegation::{
    DEFAULT_KEY_LIFETIME, DEFAULT_REFRESH_BEFORE, DelegationKeySource, MAX_KEY_LIFETIME,
    delegation_key_cache,
};
use crate::endpoint::Endpoint;
use crate::names::{validate_account, validate_container};
use crate::presigner::{AzurePresigner, Credential};

/// The largest `start_backdate` accepted: 1 day.
pub const MAX_START_BACKDATE: Duration = Duration::from_secs(24 * 3600);

/// The longest stored access policy identifier (`si`), in characters.
pub const MAX_POLICY_ID_CHARS: usize = 64;

/// Builds an [`AzurePresigner`]. Configuration fields map one to one:
///
/// | config field | builder method |
/// |---|---|
/// | provider name | [`name`](Self::name) (default `azure`) |
/// | `account` | [`account`](Self::account) (required) |
/// | `container` | [`container`](Self::container) (required) |
/// | `account_key` / `account_key_env` / `account_key_file` | [`account_key`](Self::account_key) |
/// | `credential = "user-delegation"` | [`user_delegation`](Self::user_delegation) |
/// | `endpoint` | [`endpoint`](Self::endpoint) (URL or sovereign-cloud suffix) |
/// | `stored_access_policy` | [`stored_access_policy`](Self::stored_access_policy) |
/// | `start_backdate` | [`start_backdate`](Self::start_backdate) |
///
/// ```
/// use presign_azure::AzurePresigner;
/// use presign_core::SecretString;
///
/// let p = AzurePresigner::builder()
///     .account("devstoreaccount1")
///     .container("presign-test")
///     .account_key(SecretString::new("a2V5"))
///     .endpoint("http://127.0.0.1:10000/devstoreaccount1")
///     .start_backdate(std::time::Duration::from_secs(300))
///     .build()?;
/// # Ok::<(), presign_core::Error>(())
/// ```
#[derive(Default)]
#[must_use]
pub struct AzurePresignerBuilder {
    name: Option<String>,
    account: Option<String>,
    container: Option<String>,
    account_key: Option<SecretString>,
    delegation: Option<Arc<dyn DelegationKeySource>>,
    endpoint: Option<String>,
    stored_access_policy: Option<String>,
    start_backdate: Option<Duration>,
    clock: Option<SharedClock>,
    key_lifetime: Option<Duration>,
    key_refresh_before: Option<Duration>,
}

impl fmt::Debug for AzurePresignerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AzurePresignerBuilder")
            .field("name", &self.name)
            .field("account", &self.account)
            .field("container", &self.container)
            .field("account_key", &self.account_key)
            .field("delegation", &self.delegation)
            .field("endpoint", &self.endpoint)
            .field("stored_access_policy", &self.stored_access_policy)
            .field("start_backdate", &self.start_backdate)
            .finish_non_exhaustive()
    }
}

impl AzurePresignerBuilder {
    /// The provider name shown in results, errors and capabilities (default `azure`).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The storage account name (3 to 24 lower-case letters and digits).
    pub fn account(mut self, account: impl Into<String>) -> Self {
        self.account = Some(account.into());
        self
    }

    /// The container every URL points into.
    pub fn container(mut self, container: impl Into<String>) -> Self {
        self.container = Some(container.into());
        self
    }

    /// Signs service SASes with the storage account key (base64, as the portal shows it). It is
    /// decoded once, at [`build`](Self::build), and kept zeroized-on-drop.
    pub fn account_key(mut self, key: SecretString) -> Self {
        self.account_key = Some(key);
        self
    }

    /// Signs user-delegation SASes with keys from `source` (`credential = "user-delegation"`).
    /// Keys are cached and refreshed before they expire; see [`DelegationKeySource`](crate::DelegationKeySource).
    pub fn user_delegation(mut self, source: Arc<dyn DelegationKeySource>) -> Self {
        self.delegation = Some(source);
        self
    }

    /// The blob endpoint: a full URL (`https://custom.example.com`, Azurite's
    /// `http://127.0.0.1:10000/devstoreaccount1`) or a sovereign-cloud endpoint suffix
    /// (`core.chinacloudapi.cn`). Default: `https://ACCOUNT.blob.core.windows.net`.
    pub fn endpoint(mut self, endpoint: &str) -> Self {
        self.endpoint = Some(endpoint.to_owned());
        self
    }

    /// Binds every SAS to the container's stored access policy `id` (the `si` field), which
    /// makes the URLs revocable: delete or rename the policy (Set Container ACL) and every URL
    /// signed with it stops working at once.
    ///
    /// The policy must leave the permissions and the expiry empty, because presign signs them
    /// in each URL (least-privilege `sp`, short `se`); the service refuses a SAS in which the
    /// policy and the URL both set the same field. A container holds at most five stored
    /// access policies. Account-key SAS only: a user-delegation SAS cannot name one.
    pub fn stored_access_policy(mut self, id: impl Into<String>) -> Self {
        self.stored_access_policy = Some(id.into());
        self
    }

    /// Sets the start `st` to the signing time minus `backdate` when a request has no
    /// not-before constraint, so that a URL works on servers whose clock is a little behind
    /// (Microsoft suggests up to 15 minutes). Without it, no `st` is signed and the URL is
    /// valid from the moment it is made. At most [`MAX_START_BACKDATE`].
    pub fn start_backdate(mut self, backdate: Duration) -> Self {
        self.start_backdate = Some(backdate);
        self
    }

    /// The clock that gives the signing time (default: the system clock).
    pub fn clock(mut self, clock: SharedClock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// How long a requested user-delegation key is valid (default 1 day, at most 7 days).
    pub fn delegation_key_lifetime(mut self, lifetime: Duration) -> Self {
        self.key_lifetime = Some(lifetime);
        self
    }

    /// How long before its expiry a user-delegation key is replaced (default 1 hour). It must
    /// be shorter than the key lifetime.
    pub fn delegation_key_refresh_before(mut self, margin: Duration) -> Self {
        self.key_refresh_before = Some(margin);
        self
    }

    /// Validates everything and builds the presigner; the error names the field to fix.
    pub fn build(self) -> Result<AzurePresigner, Error> {
        let name = self.name.unwrap_or_else(|| "azure".to_owned());
        let missing = |field: &str, what: &str| {
            Error::invalid_input(
                format!("azure {field}"),
                format!("missing: set {what} for provider {name}"),
            )
        };
        let account = self
            .account
            .ok_or_else(|| missing("account", "the storage account name"))?;
        validate_account(&account)?;
        let container = self
            .container
            .ok_or_else(|| missing("container", "the container name"))?;
        validate_container(&container)?;
        let endpoint = match &self.endpoint {
            Some(e) => Endpoint::parse(&account, e)?,
            None => Endpoint::public(&account)?,
        };
        if let Some(id) = &self.stored_access_policy
            && (id.is_empty()
                || id.chars().count() > MAX_POLICY_ID_CHARS
                || id.chars().any(char::is_control))
        {
            return Err(Error::invalid_input(
                "azure stored_access_policy",
                format!(
                    "an identifier has 1 to {MAX_POLICY_ID_CHARS} characters, no control characters"
                ),
            ));
        }
        if let Some(b) = self.start_backdate
            && b > MAX_START_BACKDATE
        {
            return Err(Error::invalid_input(
                "azure start_backdate",
                format!(
                    "{} is more than the allowed {}",
                    presign_core::duration::format_duration(b),
                    presign_core::duration::format_duration(MAX_START_BACKDATE)
                ),
            ));
        }
        let clock = self.clock.unwrap_or_else(system_clock);
        let cred_err = |reason: String| Error::Credentials {
            provider: name.clone(),
            reason,
        };
        let credential = match (self.account_key, self.delegation) {
            (Some(_), Some(_)) => {
                return Err(cred_err(
                    "both an account key and a user-delegation source are set; choose one".into(),
                ));
            }
            (None, None) => {
                return Err(cred_err(
                    "no credentials: set account_key (or account_key_env / account_key_file), or credential = \"user-delegation\"".into(),
                ));
            }
            (Some(key), None) => {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(key.expose_secret().trim())
                    .map_err(|_| {
                        cred_err("the account key is not valid base64 (copy key1 or key2 of the storage account as shown)".into())
                    })?;
                let bytes = SecretBytes::new(bytes);
                if bytes.expose_secret().is_empty() {
                    return Err(cred_err("the account key is empty".into()));
                }
                Credential::AccountKey(bytes)
            }
            (None, Some(source)) => {
                if self.stored_access_policy.is_some() {
                    return Err(Error::invalid_input(
                        "azure stored_access_policy",
                        "a user-delegation SAS cannot use a stored access policy; use an account key, or revoke user-delegation keys instead",
                    ));
                }
                let lifetime = self.key_lifetime.unwrap_or(DEFAULT_KEY_LIFETIME);
                let refresh = self.key_refresh_before.unwrap_or(DEFAULT_REFRESH_BEFORE);
                if lifetime.is_zero() || lifetime > MAX_KEY_LIFETIME {
                    return Err(Error::invalid_input(
                        "azure delegation_key_lifetime",
                        "must be more than zero and at most 7 days",
                    ));
                }
                if refresh >= lifetime {
                    return Err(Error::invalid_input(
                        "azure delegation_key_refresh_before",
                        "must be shorter than the key lifetime",
                    ));
                }
                Credential::UserDelegation(delegation_key_cache(
                    name.clone(),
                    source,
                    lifetime,
                    refresh,
                    clock.clone(),
                ))
            }
        };
        let caps = azure_capabilities(name.clone());
        Ok(AzurePresigner::assemble(
            name,
            account,
            container,
            endpoint,
            credential,
            self.stored_access_policy,
            self.start_backdate,
            clock,
            caps,
        ))
    }
}
