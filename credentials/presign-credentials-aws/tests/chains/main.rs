//! Each `aws-config` source against a local server speaking its documented protocol on
//! 127.0.0.1 (own servers for IMDSv2 and container credentials, moto's STS for web identity and
//! `role_arn` + `source_profile`), reached through the SDK's own endpoint overrides; and the
//! policy layer clamping URLs to the credentials' expiry.
#![cfg(test)]

mod container;
mod expiry;
mod imds;
mod moto;
mod profile;
mod sdk_config;
mod support;
