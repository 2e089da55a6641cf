//! figment-based configuration that builds named, policy-wrapped presigners.
