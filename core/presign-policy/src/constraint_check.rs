//! Checking requested constraints against what the provider's server enforces.

use presign_core::{Capabilities, ConstraintKind, Constraints, Error, Support};

use crate::policy::ConstraintMode;

/// What the check did to the request's constraints.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Report {
    /// Constraints removed because the provider cannot express them (best effort only).
    pub(crate) dropped: Vec<ConstraintKind>,
    /// Constraints kept although the server does not check them (best effort only).
    pub(crate) advisory: Vec<ConstraintKind>,
}

/// Enforced constraints pass. Otherwise strict mode refuses; best-effort mode drops
/// unsupported ones and keeps advisory ones, reporting both.
pub(crate) fn apply(
    mode: ConstraintMode,
    caps: &Capabilities,
    constraints: &mut Constraints,
) -> Result<Report, Error> {
    let mut report = Report::default();
    if constraints.is_empty() {
        return Ok(report);
    }
    let requested: Vec<ConstraintKind> = constraints.requested().collect();
    for kind in requested {
        let support = caps.support(kind);
        match (support, mode) {
            (Support::Enforced, _) => {}
            (_, ConstraintMode::Strict) => {
                tracing::debug!(constraint = %kind, provider = caps.provider(), %support,
                    "presign policy: refused a constraint the provider does not enforce");
                return Err(Error::ConstraintNotEnforced {
                    constraint: kind,
                    provider: caps.provider().to_owned(),
                    support,
                });
            }
            (Support::Advisory, ConstraintMode::BestEffort) => report.advisory.push(kind),
            (Support::Unsupported, ConstraintMode::BestEffort) => {
                tracing::debug!(constraint = %kind, provider = caps.provider(),
                    "presign policy: dropped a constraint the provider cannot express");
                constraints.remove(kind);
                report.dropped.push(kind);
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use presign_core::ClientIp;
    use std::time::Duration;

    fn caps() -> Capabilities {
        Capabilities::new("prov", Duration::from_secs(60))
            .with(ConstraintKind::ContentType, Support::Enforced)
            .with(
                ConstraintKind::ResponseContentDisposition,
                Support::Advisory,
            )
    }

    fn request() -> Constraints {
        let mut c = Constraints::default();
        c.content_type = Some("image/png".into());
        c.client_ip = Some(ClientIp::parse("10.0.0.0/8").unwrap());
        c.response.content_disposition = Some("attachment".into());
        c
    }

    #[test]
    fn strict_refuses_naming_constraint_and_provider() {
        let mut c = request();
        let e = apply(ConstraintMode::Strict, &caps(), &mut c).unwrap_err();
        assert_eq!(
            e,
            Error::ConstraintNotEnforced {
                constraint: ConstraintKind::ClientIpV4,
                provider: "prov".into(),
                support: Support::Unsupported
            }
        );
    }

    #[test]
    fn strict_refuses_advisory_too() {
        let mut c = Constraints::default();
        c.response.content_disposition = Some("attachment".into());
        assert!(apply(ConstraintMode::Strict, &caps(), &mut c).is_err());
    }

    #[test]
    fn best_effort_drops_and_reports() {
        let mut c = request();
        let r = apply(ConstraintMode::BestEffort, &caps(), &mut c).unwrap();
        assert_eq!(r.dropped, vec![ConstraintKind::ClientIpV4]);
        assert_eq!(r.advisory, vec![ConstraintKind::ResponseContentDisposition]);
        assert!(c.client_ip.is_none());
        assert_eq!(c.content_type.as_deref(), Some("image/png"));
        assert!(c.response.content_disposition.is_some());
    }

    #[test]
    fn enforced_passes() {
        let mut c = Constraints::default();
        c.content_type = Some("text/plain".into());
        assert_eq!(
            apply(ConstraintMode::Strict, &caps(), &mut c).unwrap(),
            Report::default()
        );
    }
}
