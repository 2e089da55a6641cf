//! [`Verifier`] through the policy layer: checking a URL's signature is the wrapped provider's
//! job (the policy decides what may be signed, not whether a signature is right).

use presign_core::Error;
use presign_core::verify::{SignatureCheck, Verifier, VerifyRequest};

use crate::layer::Policied;

impl<P: Verifier> Verifier for Policied<P> {
    fn key_ids(&self) -> Vec<String> {
        self.inner().key_ids()
    }

    fn check_signature(&self, request: &VerifyRequest<'_>) -> Result<SignatureCheck, Error> {
        self.inner().check_signature(request)
    }
}
