//! Microsoft Entra ID tokens for Azure user-delegation SAS, from the official
//! [`azure_identity`](https://docs.rs/azure_identity) crate.
//!
//! A user-delegation SAS is signed with a key that the blob service hands out for an Entra ID
//! token ([`presign_azure::HttpDelegationKeySource`]); the key is cached and refreshed by the
//! Azure presigner, and no URL outlives it. [`AzureTokenSource`] supplies the token, as a
//! [`presign_core::TokenSource`] with its expiry, from:
//!
//! | constructor | identity |
//! |---|---|
//! | [`AzureTokenSource::client_secret`] | a service principal's client secret |
//! | [`AzureTokenSource::workload_identity`] | AKS workload identity: the federated token file (`AZURE_FEDERATED_TOKEN_FILE`, `AZURE_CLIENT_ID`, `AZURE_TENANT_ID`) |
//! | [`AzureTokenSource::managed_identity`] | managed identity: IMDS on VMs and AKS, `IDENTITY_ENDPOINT` on App Service, Functions, Container Apps |
//! | [`AzureTokenSource::azure_cli`] | `az account get-access-token` (development) |
//! | [`AzureTokenSource::from_credential`] | any `azure_core` `TokenCredential` the application already has |
//!
//! [`AzureSource`] names these the way the configuration does (`credentials =
//! "managed-identity"`, `"workload-identity"`, `"client-secret"`, `"azure-cli"`) and builds the
//! credential on its first fetch.
//!
//! An account key needs none of this (`presign-azure` signs a service SAS with it).
//!
//! ```no_run
//! # fn run() -> Result<(), presign_core::Error> {
//! use presign_credentials_azure::AzureTokenSource;
//! use std::sync::Arc;
//!
//! let tokens = AzureTokenSource::managed_identity(None, Default::default())?;
//! // -> presign_azure::HttpDelegationKeySource::new(endpoint, Arc::new(tokens), ..)
//! # let _ = Arc::new(tokens); Ok(()) }
//! ```
//!
//! [`presign_azure::HttpDelegationKeySource`]: https://docs.rs/presign-azure

mod named;
mod token_source;

pub use named::{AzureSource, AzureSourceSettings, NamedAzureSource};
pub use token_source::{AzureTokenSource, STORAGE_SCOPE};

/// The `azure_identity` crate this one is built on.
pub use azure_identity;

/// The `azure_core` crate (`ClientOptions`, `TokenCredential`).
pub use azure_core;
