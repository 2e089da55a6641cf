//! [`Policy::check_within`]: a policy that may only tighten another (an inline provider's
//! policy under the operator's).

use presign_core::Error;
use presign_core::duration::format_duration;

use crate::key_rules::under_prefix;
use crate::policy::{ConstraintMode, Policy};

impl Policy {
    /// Checks that this policy allows nothing `outer` does not: time-to-lives, upload size and
    /// clock skew no larger, methods, extra headers and query parameters a subset, keys inside
    /// `outer`'s prefixes (every key only when `outer` signs every key), strict constraints
    /// when `outer` is strict, and no time bucket beyond `outer`'s. The error names the
    /// field that widens, never `outer`'s values.
    ///
    /// ```
    /// use presign_policy::Policy;
    /// use std::time::Duration;
    /// let operator = Policy::default().with_key_prefixes(["uploads/"]);
    /// let narrower = Policy::default()
    ///     .with_key_prefixes(["uploads/alice/"])
    ///     .with_max_ttl(Duration::from_secs(60));
    /// assert!(narrower.check_within(&operator).is_ok());
    /// let wider = Policy::default().dangerous().allow_delete().allow_any_key().finish();
    /// assert!(wider.check_within(&operator).is_err());
    /// ```
    pub fn check_within(&self, outer: &Policy) -> Result<(), Error> {
        let widens = |field: &str, reason: String| {
            Error::invalid_input(
                format!("policy.{field}"),
                format!("{reason}; this policy may only tighten the operator's"),
            )
        };
        if self.max_ttl() > outer.max_ttl() {
            return Err(widens(
                "max_ttl",
                format!(
                    "{} is longer than the operator allows",
                    format_duration(self.max_ttl())
                ),
            ));
        }
        if let Some(m) = self
            .allow_methods()
            .iter()
            .find(|m| !outer.allow_methods().contains(*m))
        {
            return Err(widens(
                "allow_methods",
                format!("{m} is not allowed by the operator"),
            ));
        }
        if !outer.allows_any_key() {
            if self.allows_any_key() {
                return Err(widens(
                    "any_key",
                    "every key is not allowed by the operator".into(),
                ));
            }
            if let Some(p) = self.key_prefixes().iter().find(|p| {
                !outer
                    .key_prefixes()
                    .iter()
                    .any(|o| under_prefix(p.trim_end_matches('/'), o) || *p == o)
            }) {
                return Err(widens(
                    "key_prefixes",
                    format!(
                        "prefix {} is outside the operator's key prefixes",
                        presign_core::error::display_key(p)
                    ),
                ));
            }
        }
        if self.constraint_mode() == ConstraintMode::BestEffort
            && outer.constraint_mode() == ConstraintMode::Strict
        {
            return Err(widens(
                "constraints",
                "best-effort constraints are not allowed by the operator".into(),
            ));
        }
        match (self.time_bucket(), outer.time_bucket()) {
            (Some(b), Some(o)) if b > o => {
                return Err(widens(
                    "time_bucket",
                    "a longer time bucket than the operator's".into(),
                ));
            }
            (Some(_), None) => {
                return Err(widens(
                    "time_bucket",
                    "the operator uses no time bucket".into(),
                ));
            }
            _ => {}
        }
        if self.max_upload_size() > outer.max_upload_size() {
            return Err(widens(
                "max_upload_size",
                "a larger upload than the operator allows".into(),
            ));
        }
        if self.max_clock_skew() > outer.max_clock_skew() {
            return Err(widens(
                "max_clock_skew",
                "a larger clock skew than the operator allows".into(),
            ));
        }
        for (field, mine, theirs) in [
            (
                "allow_headers",
                self.allowed_headers(),
                outer.allowed_headers(),
            ),
            ("allow_query", self.allowed_query(), outer.allowed_query()),
        ] {
            if let Some(n) = mine.iter().find(|n| !theirs.contains(n)) {
                return Err(widens(
                    field,
                    format!(
                        "{} is not allowed by the operator",
                        presign_core::error::display_key(n)
                    ),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use presign_core::Method;
    use std::time::Duration;

    fn operator() -> Policy {
        Policy::default().with_key_prefixes(["uploads/alice"])
    }

    #[test]
    fn narrower_passes_and_each_widening_is_named() {
        let ok = Policy::default()
            .with_key_prefixes(["uploads/alice/photos/", "uploads/alice"])
            .with_max_ttl(Duration::from_secs(60))
            .forbid(Method::Put);
        ok.check_within(&operator()).unwrap();
        let cases = [
            (
                Policy::default().with_key_prefixes(["uploads/alice-evil"]),
                "key_prefixes",
            ),
            (
                Policy::default().with_key_prefixes(["uploads/"]),
                "key_prefixes",
            ),
            (
                Policy::default().dangerous().allow_any_key().finish(),
                "any_key",
            ),
            (
                operator().with_max_ttl(Duration::from_secs(7 * 86_400)),
                "max_ttl",
            ),
            (
                operator().dangerous().allow_delete().finish(),
                "allow_methods",
            ),
            (
                operator().dangerous().best_effort_constraints().finish(),
                "constraints",
            ),
            (
                operator().with_time_bucket(Duration::from_secs(60)),
                "time_bucket",
            ),
            (operator().with_max_upload_size(u64::MAX), "max_upload_size"),
            (
                operator().with_max_clock_skew(Duration::from_secs(3600)),
                "max_clock_skew",
            ),
            (
                operator()
                    .dangerous()
                    .allow_headers(["x-amz-copy-source"])
                    .finish(),
                "allow_headers",
            ),
            (
                operator().dangerous().allow_query(["acl"]).finish(),
                "allow_query",
            ),
        ];
        for (policy, field) in cases {
            let e = policy.check_within(&operator()).unwrap_err();
            assert_eq!(e.kind(), "invalid_input");
            let m = e.to_string();
            assert!(m.contains(&format!("policy.{field}")), "{field}: {m}");
        }
    }

    #[test]
    fn any_key_operator_admits_any_prefix() {
        let any = Policy::default().dangerous().allow_any_key().finish();
        Policy::default()
            .with_key_prefixes(["x/"])
            .check_within(&any)
            .unwrap();
        Policy::default()
            .dangerous()
            .allow_any_key()
            .finish()
            .check_within(&any)
            .unwrap();
    }
}
