//! Azure Blob Storage SAS: service SAS with the account key and user-delegation SAS.
