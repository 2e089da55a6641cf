//! Extra signed headers and query parameters: only the provider's declared safe names
//! ([`presign_core::safe_names`]) and the ones the operator names
//! ([`DangerousPolicy::allow_headers`](crate::DangerousPolicy::allow_headers),
//! [`DangerousPolicy::allow_query`](crate::DangerousPolicy::allow_query)) pass.

use presign_core::error::display_key;
use presign_core::{Capabilities, Constraints, Error};

use crate::policy::Policy;

/// Why a header that is not declared safe is refused: the known operation-changing ones
/// say what they do.
fn header_reason(name: &str) -> &'static str {
    const KNOWN: &[(&str, &str)] = &[
        (
            "copy-source",
            "it makes the request copy another object the credentials can read",
        ),
        ("acl", "it sets the object's access control list"),
        ("grant-", "it grants access to the object"),
        (
            "website-redirect-location",
            "it turns the object into a redirect",
        ),
        ("object-lock", "it changes the object's lock or retention"),
        ("bypass-governance", "it bypasses the object's retention"),
        ("retention", "it changes the object's retention"),
        ("legal-hold", "it changes the object's legal hold"),
        ("directive", "it chooses how a copy treats metadata or tags"),
        (
            "tagging",
            "it sets the object's tags, which access policies and lifecycle rules read",
        ),
        ("request-payer", "it charges the request to the requester"),
        ("user-project", "it bills another project"),
        ("custom-time", "it sets the time lifecycle rules read"),
    ];
    KNOWN
        .iter()
        .find(|(part, _)| name.contains(part))
        .map_or(
            "the provider does not declare it as describing the object, and it may change the operation",
            |(_, why)| why,
        )
}

/// Checks the request's extra headers and query parameters against `caps`' declared safe
/// names and `policy`'s allowed ones. The error names the header or parameter and why, and
/// says how the operator can allow it; it never lists the allowed names.
pub(crate) fn check(
    policy: &Policy,
    caps: &Capabilities,
    constraints: &Constraints,
) -> Result<(), Error> {
    let safe = caps.safe_names();
    for (name, _) in &constraints.headers {
        let lower = name.to_ascii_lowercase();
        if safe.header_is_safe(&lower) || policy.allowed_headers().contains(&lower) {
            continue;
        }
        tracing::debug!(header = %lower, provider = caps.provider(), "presign policy: header refused");
        return Err(Error::HeaderNotAllowed {
            name: display_key(&lower),
            reason: format!(
                "{}; the operator can allow it by name (allow_headers)",
                header_reason(&lower)
            ),
        });
    }
    for (name, _) in &constraints.query {
        if safe.query_is_safe(name) || policy.allowed_query().contains(name) {
            continue;
        }
        tracing::debug!(query = %name, provider = caps.provider(), "presign policy: query parameter refused");
        return Err(Error::QueryNotAllowed {
            name: display_key(name),
            reason: "it is not a response override, version or upload part the provider declares safe; a sub-resource (acl, tagging, retention, ...) changes the operation. The operator can allow it by name (allow_query)".into(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use presign_core::safe_names::{NameRule, SafeNames};
    use std::time::Duration;

    const NAMES: SafeNames = SafeNames {
        headers: &[
            NameRule::Exact("content-type"),
            NameRule::Prefix("x-amz-meta-"),
        ],
        query: &[NameRule::Exact("versionId")],
    };

    fn caps() -> Capabilities {
        Capabilities::new("p", Duration::from_secs(60)).with_safe_names(NAMES)
    }

    fn with(headers: &[&str], query: &[&str]) -> Constraints {
        let mut c = Constraints::default();
        c.headers = headers.iter().map(|h| ((*h).into(), "v".into())).collect();
        c.query = query.iter().map(|q| ((*q).into(), "v".into())).collect();
        c
    }

    #[test]
    fn declared_names_pass_and_others_are_named() {
        let p = Policy::default();
        check(
            &p,
            &caps(),
            &with(&["Content-Type", "x-amz-meta-a"], &["versionId"]),
        )
        .unwrap();
        let e = check(&p, &caps(), &with(&["X-Amz-Copy-Source"], &[])).unwrap_err();
        assert_eq!(e.kind(), "header_not_allowed");
        let m = e.to_string();
        assert!(m.contains("x-amz-copy-source") && m.contains("copy"), "{m}");
        assert!(!m.contains("content-type"), "never the allow-list: {m}");
        let e = check(&p, &caps(), &with(&[], &["acl"])).unwrap_err();
        assert_eq!(e.kind(), "query_not_allowed");
        assert!(e.to_string().contains("acl"));
        let e = check(&p, &caps(), &with(&[], &["VersionId"])).unwrap_err();
        assert_eq!(e.kind(), "query_not_allowed", "names are exact");
    }

    #[test]
    fn the_operator_can_name_more() {
        let p = Policy::default()
            .dangerous()
            .allow_headers(["X-Amz-ACL"])
            .allow_query(["tagging"])
            .finish();
        check(&p, &caps(), &with(&["x-amz-acl"], &["tagging"])).unwrap();
        assert!(check(&p, &caps(), &with(&["x-amz-grant-read"], &[])).is_err());
    }
}
