//! Warnings on stderr: where the signed result does less, or less long, than was asked.
//! Each is one line, `presign: warning[KIND]: MESSAGE`, whatever the output format.

use std::io::{self, Write};
use std::time::Duration;

use presign_core::duration::format_duration;
use presign_core::{ConstraintKind, Timestamp};

/// The names of `kinds`, comma-separated.
fn names(kinds: &[ConstraintKind]) -> String {
    kinds
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Constraints the best-effort policy dropped (the URL does not bind them) or kept although
/// the server does not check them.
pub(crate) fn constraints(
    stderr: &mut dyn Write,
    provider: &str,
    dropped: &[ConstraintKind],
    advisory: &[ConstraintKind],
) -> io::Result<()> {
    if !dropped.is_empty() {
        writeln!(
            stderr,
            "presign: warning[dropped]: provider {provider} cannot enforce {}; the best-effort policy signed without them, so the URL does not bind them",
            names(dropped)
        )?;
    }
    if !advisory.is_empty() {
        writeln!(
            stderr,
            "presign: warning[advisory]: provider {provider} does not check {}; they are in the URL but the server does not enforce them",
            names(advisory)
        )?;
    }
    Ok(())
}

/// Why the granted time-to-live is shorter than the requested one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shortened {
    /// The policy's `max_ttl`.
    PolicyMax,
    /// The provider's own limit (7 days on S3 and GCS).
    ProviderMax,
    /// A signing time (`--now`) ahead of the clock: the URL still ends by the clock's maximum.
    SigningTimeAhead,
    /// The signing credentials expire first (temporary credentials, a delegation key).
    CredentialExpiry,
}

impl Shortened {
    /// The machine name (`--json`'s `ttl_shortened_by`).
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Shortened::PolicyMax => "policy_max_ttl",
            Shortened::ProviderMax => "provider_max_ttl",
            Shortened::SigningTimeAhead => "signing_time_ahead",
            Shortened::CredentialExpiry => "credential_expiry",
        }
    }
}

/// The time-to-live asked for and the one granted, and why they differ.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Granted {
    /// Requested (or the policy's default).
    pub(crate) requested: Duration,
    /// Granted: the URL's expiry minus its signing time.
    pub(crate) granted: Duration,
    /// When the URL expires.
    pub(crate) expires_at: Timestamp,
    /// Why `granted` is shorter, if it is.
    pub(crate) why: Option<Shortened>,
}

impl Granted {
    /// Works out why a URL signed at `signed_at` and expiring at `expires_at` got less than
    /// `requested`, given the policy's and the provider's maxima and the clock's `now`: the
    /// limits it reaches are the maxima; below them only the credentials' expiry (or a
    /// signing time ahead of the clock) shortens a URL.
    pub(crate) fn new(
        requested: Duration,
        signed_at: Timestamp,
        expires_at: Timestamp,
        policy_max: Duration,
        provider_max: Duration,
        now: Timestamp,
    ) -> Self {
        let granted = expires_at.duration_since(signed_at);
        let why = if granted >= requested {
            None
        } else if signed_at > now {
            Some(Shortened::SigningTimeAhead)
        } else if granted < policy_max.min(provider_max) {
            Some(Shortened::CredentialExpiry)
        } else if policy_max <= provider_max {
            Some(Shortened::PolicyMax)
        } else {
            Some(Shortened::ProviderMax)
        };
        Granted {
            requested,
            granted,
            expires_at,
            why,
        }
    }
}

/// A time-to-live shorter than requested, and why (the policy's maximum, the provider's limit,
/// the credentials' expiry).
pub(crate) fn ttl(stderr: &mut dyn Write, g: &Granted) -> io::Result<()> {
    let Some(why) = g.why else {
        return Ok(());
    };
    let because = match why {
        Shortened::PolicyMax => "the policy's max_ttl".to_owned(),
        Shortened::ProviderMax => "the provider's limit".to_owned(),
        Shortened::SigningTimeAhead => "the signing time is ahead of the clock".to_owned(),
        Shortened::CredentialExpiry => {
            format!("the signing credentials expire at {}", g.expires_at)
        }
    };
    writeln!(
        stderr,
        "presign: warning[ttl_clamped]: requested time-to-live {}, granted {} ({because})",
        format_duration(g.requested),
        format_duration(g.granted)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reason_for_a_shorter_ttl() {
        let t = |s| Timestamp::from_unix(s).unwrap();
        let m = |n: u64| Duration::from_secs(n * 60);
        let week = m(7 * 24 * 60);
        let why = |req, signed, exp, pmax, now| {
            Granted::new(req, t(signed), t(exp), pmax, week, t(now)).why
        };
        // 15 minutes asked 2 minutes before the credentials expire: their expiry.
        assert_eq!(
            why(m(15), 1000, 1120, m(15), 1000),
            Some(Shortened::CredentialExpiry)
        );
        // A day asked, the policy's 15 minutes granted.
        assert_eq!(
            why(m(1440), 1000, 1900, m(15), 1000),
            Some(Shortened::PolicyMax)
        );
        // Eight days asked under a policy allowing 30: the provider's week.
        assert_eq!(
            Granted::new(m(11520), t(0), t(604_800), m(43_200), week, t(0)).why,
            Some(Shortened::ProviderMax)
        );
        assert_eq!(why(m(5), 1000, 1300, m(15), 1000), None);
        assert_eq!(
            why(m(15), 1060, 1900, m(15), 1000),
            Some(Shortened::SigningTimeAhead)
        );
        let mut out = Vec::new();
        let g = Granted::new(m(15), t(1000), t(1120), m(15), week, t(1000));
        ttl(&mut out, &g).unwrap();
        let line = String::from_utf8(out).unwrap();
        assert!(
            line.contains("granted 2m (the signing credentials expire at 1970-01-01T00:18:40Z)"),
            "{line}"
        );
    }
}
