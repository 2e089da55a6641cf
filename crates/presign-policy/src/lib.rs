//! The policy layer: safe defaults (short expiry, no DELETE, allowed prefixes, enforced constraints) around any Presigner.
