//! [`AzureTokenSource`]: an `azure_core` `TokenCredential` as a presign token source.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use azure_core::credentials::{Secret, TokenCredential};
use azure_core::http::ClientOptions;
use azure_identity::{
    AzureCliCredential, ClientAssertionCredentialOptions, ClientSecretCredential,
    ClientSecretCredentialOptions, ManagedIdentityCredential, ManagedIdentityCredentialOptions,
    UserAssignedId, WorkloadIdentityCredential, WorkloadIdentityCredentialOptions,
};
use presign_core::{BearerToken, Credential, CredentialSource, Error, SecretString, Timestamp};

/// The scope of Azure Storage tokens (Get User Delegation Key needs it).
pub const STORAGE_SCOPE: &str = "https://storage.azure.com/.default";

/// Entra ID tokens for Azure Storage from an `azure_identity` credential, each with its expiry
/// (see the [crate docs](crate)). `azure_identity` caches tokens itself; presign's cache in
/// front of the user-delegation key asks for one only when it fetches a key.
#[derive(Clone)]
pub struct AzureTokenSource {
    credential: Arc<dyn TokenCredential>,
    description: String,
    name: String,
}

impl AzureTokenSource {
    /// A service principal with a client secret. `options` set the cloud (authority host) and
    /// the HTTP transport; `ClientOptions::default()` is the public cloud.
    pub fn client_secret(
        tenant_id: &str,
        client_id: &str,
        secret: &SecretString,
        options: ClientOptions,
    ) -> Result<Self, Error> {
        let description = format!("azure client secret (tenant {tenant_id}, client {client_id})");
        let c = ClientSecretCredential::new(
            tenant_id,
            client_id.to_owned(),
            Secret::new(secret.expose_secret().to_owned()),
            Some(ClientSecretCredentialOptions {
                client_options: options,
            }),
        );
        Self::built(c, description)
    }

    /// AKS workload identity: the federated token in `token_file` (else
    /// `AZURE_FEDERATED_TOKEN_FILE`) exchanged for `client_id` in `tenant_id` (else
    /// `AZURE_CLIENT_ID`, `AZURE_TENANT_ID`).
    pub fn workload_identity(
        tenant_id: Option<&str>,
        client_id: Option<&str>,
        token_file: Option<&str>,
        options: ClientOptions,
    ) -> Result<Self, Error> {
        let c = WorkloadIdentityCredential::new(Some(WorkloadIdentityCredentialOptions {
            credential_options: ClientAssertionCredentialOptions {
                client_options: options,
            },
            client_id: client_id.map(str::to_owned),
            tenant_id: tenant_id.map(str::to_owned),
            token_file_path: token_file.map(Into::into),
        }));
        Self::built(
            c,
            "azure workload identity (federated token file)".to_owned(),
        )
    }

    /// Managed identity: App Service, Functions and Container Apps through `IDENTITY_ENDPOINT`
    /// and `IDENTITY_HEADER`, VMs and AKS through IMDS. `client_id` picks a user-assigned
    /// identity; `None` is the system-assigned one.
    pub fn managed_identity(
        client_id: Option<&str>,
        options: ClientOptions,
    ) -> Result<Self, Error> {
        let c = ManagedIdentityCredential::new(Some(ManagedIdentityCredentialOptions {
            user_assigned_id: client_id.map(|id| UserAssignedId::ClientId(id.to_owned())),
            client_options: options,
        }));
        let description = match client_id {
            Some(id) => format!("azure managed identity (client {id})"),
            None => "azure managed identity (system-assigned)".to_owned(),
        };
        Self::built(c, description)
    }

    /// The Azure CLI's signed-in account (`az account get-access-token`): for development.
    pub fn azure_cli() -> Result<Self, Error> {
        Self::built(AzureCliCredential::new(None), "azure cli".to_owned())
    }

    /// Any `TokenCredential` the application already has (a `DeveloperToolsCredential`, a
    /// chain of its own), described as `description` (no secret: `presign providers` shows it).
    pub fn from_credential(
        credential: Arc<dyn TokenCredential>,
        description: impl Into<String>,
    ) -> Self {
        AzureTokenSource {
            credential,
            description: description.into(),
            name: "azure".to_owned(),
        }
    }

    /// The provider named in errors (the configured name, e.g. `files`).
    #[must_use]
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    fn built<C: TokenCredential + 'static>(
        r: azure_core::Result<Arc<C>>,
        description: String,
    ) -> Result<Self, Error> {
        let c = r.map_err(|e| Error::credentials_from("azure", &description, &e))?;
        Ok(Self::from_credential(c, description))
    }
}

impl fmt::Debug for AzureTokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AzureTokenSource")
            .field("source", &self.description)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl CredentialSource<BearerToken> for AzureTokenSource {
    async fn fetch(&self, _now: Timestamp) -> Result<Credential<BearerToken>, Error> {
        let t = self
            .credential
            .get_token(&[STORAGE_SCOPE], None)
            .await
            .map_err(|e| Error::credentials_from(&self.name, &self.description, &e))?;
        let token = BearerToken::new(t.token.secret().to_owned());
        token.validate(&self.name)?;
        let expires = Timestamp::from_unix(t.expires_on.unix_timestamp()).map_err(|_| {
            Error::Credentials {
                provider: self.name.clone(),
                reason: format!("{}: the token's expiry is out of range", self.description),
            }
        })?;
        Ok(Credential::expiring(token, expires))
    }

    fn describe(&self) -> String {
        self.description.clone()
    }
}
