//! The GCS V4 conformance vectors: googleapis/conformance-tests `storage/v1/v4_signatures.json`
//! and the inactive service-account key published next to it, under
//! [`vectors_dir`](crate::vectors_dir)`/gcs`.

use serde_json::Value;

/// The vectors file, parsed, and the service-account JSON key that signed them.
pub struct GcsVectors {
    /// `v4_signatures.json`.
    pub vectors: Value,
    /// `test_service_account.not-a-test.json`, as text.
    pub service_account: String,
}

impl GcsVectors {
    /// Reads both files; panics when either is missing or the vectors are not JSON.
    pub fn load() -> GcsVectors {
        let dir = crate::vectors_dir().join("gcs");
        let vectors: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("v4_signatures.json")).unwrap())
                .unwrap();
        let service_account = std::fs::read_to_string(crate::gcs_service_account_file()).unwrap();
        GcsVectors {
            vectors,
            service_account,
        }
    }

    /// The cases of one list (`signingV4Tests`, `postPolicyV4Tests`); panics when it is missing
    /// or empty.
    pub fn cases(&self, list: &str) -> &[Value] {
        let cases = self.vectors[list].as_array().unwrap();
        assert!(!cases.is_empty(), "{list} has no cases");
        cases
    }
}
