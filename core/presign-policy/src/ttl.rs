//! Resolving a request's signing time and time-to-live under the policy.

use std::time::Duration;

use presign_core::duration::format_duration;
use presign_core::{Capabilities, Error, Timestamp};

use crate::policy::{ExcessTtl, Policy};

/// The signing time and time-to-live to sign with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Timing {
    /// When the signature says it was made.
    pub(crate) signing_time: Timestamp,
    /// The time-to-live written into the URL.
    pub(crate) ttl: Duration,
}

/// Applies the TTL rules: default, policy and provider maxima, time bucket, credential expiry.
pub(crate) fn resolve(
    policy: &Policy,
    caps: &Capabilities,
    requested: Option<Duration>,
    now: Timestamp,
    credentials_expire_at: Option<Timestamp>,
) -> Result<Timing, Error> {
    let requested = requested.unwrap_or(policy.default_ttl);
    if requested.as_secs() == 0 {
        return Err(Error::InvalidTtl {
            ttl: requested,
            reason: "it must be at least 1 second".into(),
        });
    }
    let max = policy.max_ttl.min(caps.max_ttl());
    let (signing_time, extra) = match policy.time_bucket {
        Some(b) if b.as_secs() > 1 => (now.floor_to(b), b),
        _ => (now, Duration::ZERO),
    };
    if extra >= max {
        return Err(Error::InvalidTtl {
            ttl: requested,
            reason: format!(
                "the time bucket {} leaves nothing of the maximum {} of provider {}",
                format_duration(extra),
                format_duration(max),
                caps.provider()
            ),
        });
    }
    let wanted = requested.saturating_add(extra);
    let mut ttl = wanted;
    if wanted > max {
        match policy.on_excess_ttl {
            ExcessTtl::Clamp => {
                tracing::debug!(
                    requested = %format_duration(requested), max = %format_duration(max),
                    provider = caps.provider(), "presign policy: time-to-live clamped"
                );
                ttl = max;
            }
            ExcessTtl::Reject => {
                let bucket_note = if extra.is_zero() {
                    String::new()
                } else {
                    format!(", after adding the {} time bucket", format_duration(extra))
                };
                return Err(Error::InvalidTtl {
                    ttl: requested,
                    reason: format!(
                        "it is longer than the maximum {} (policy max_ttl {}, provider {} max {}){bucket_note}",
                        format_duration(max),
                        format_duration(policy.max_ttl),
                        caps.provider(),
                        format_duration(caps.max_ttl())
                    ),
                });
            }
        }
    }
    if let Some(ce) = credentials_expire_at {
        if ce <= now {
            return Err(Error::Credentials {
                provider: caps.provider().to_owned(),
                reason: format!("the signing credentials expired at {ce}; refresh them"),
            });
        }
        let expires_at = signing_time.checked_add(ttl).unwrap_or(Timestamp::MAX);
        if expires_at > ce {
            match policy.on_excess_ttl {
                ExcessTtl::Clamp => {
                    tracing::debug!(
                        credentials_expire_at = %ce, provider = caps.provider(),
                        "presign policy: time-to-live clamped to the credentials' expiry"
                    );
                    ttl = ce.duration_since(signing_time);
                }
                ExcessTtl::Reject => {
                    return Err(Error::CredentialsExpireFirst {
                        provider: caps.provider().to_owned(),
                        expires_at,
                        credentials_expire_at: ce,
                    });
                }
            }
        }
    }
    if signing_time.checked_add(ttl).is_none() {
        return Err(Error::InvalidTtl {
            ttl,
            reason: "the URL would expire after year 9999".into(),
        });
    }
    Ok(Timing { signing_time, ttl })
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEEK: Duration = Duration::from_secs(604_800);

    fn caps(max: Duration) -> Capabilities {
        Capabilities::new("test", max)
    }

    fn t(s: i64) -> Timestamp {
        Timestamp::from_unix(s).unwrap()
    }

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    #[test]
    fn default_and_clamp() {
        let p = Policy::default();
        let r = resolve(&p, &caps(WEEK), None, t(1000), None).unwrap();
        assert_eq!(
            r,
            Timing {
                signing_time: t(1000),
                ttl: secs(300)
            }
        );
        let r = resolve(&p, &caps(WEEK), Some(WEEK), t(1000), None).unwrap();
        assert_eq!(r.ttl, secs(900));
        let r = resolve(&p, &caps(secs(60)), Some(secs(600)), t(1000), None).unwrap();
        assert_eq!(r.ttl, secs(60), "the provider's maximum is a bound too");
    }

    #[test]
    fn reject_names_the_bounds() {
        let p = Policy {
            on_excess_ttl: ExcessTtl::Reject,
            ..Policy::default()
        };
        let e = resolve(&p, &caps(WEEK), Some(secs(3600)), t(0), None).unwrap_err();
        let m = e.to_string();
        assert!(
            m.contains("1h") && m.contains("15m") && m.contains("test"),
            "{m}"
        );
        assert!(resolve(&p, &caps(WEEK), Some(secs(900)), t(0), None).is_ok());
    }

    #[test]
    fn zero_ttl_is_refused() {
        let e = resolve(
            &Policy::default(),
            &caps(WEEK),
            Some(Duration::ZERO),
            t(0),
            None,
        )
        .unwrap_err();
        assert_eq!(e.kind(), "invalid_ttl");
    }

    #[test]
    fn bucket_shares_urls_and_counts_against_max() {
        let p = Policy {
            time_bucket: Some(secs(60)),
            ..Policy::default()
        };
        let a = resolve(&p, &caps(WEEK), Some(secs(300)), t(6001), None).unwrap();
        let b = resolve(&p, &caps(WEEK), Some(secs(300)), t(6059), None).unwrap();
        assert_eq!(
            a, b,
            "every client in one bucket gets the same signing time and TTL"
        );
        assert_eq!(a.signing_time, t(6000));
        assert_eq!(a.ttl, secs(360));
        // The URL stays valid at least the requested time from "now".
        assert!(a.signing_time.checked_add(a.ttl).unwrap() >= t(6059 + 300));
        // ... and never beyond the maximum.
        let c = resolve(&p, &caps(WEEK), Some(secs(900)), t(6001), None).unwrap();
        assert_eq!(c.ttl, secs(900));
        let strict = Policy {
            on_excess_ttl: ExcessTtl::Reject,
            ..p
        };
        assert!(resolve(&strict, &caps(WEEK), Some(secs(900)), t(6001), None).is_err());
        assert!(resolve(&strict, &caps(WEEK), Some(secs(840)), t(6001), None).is_ok());
    }

    #[test]
    fn never_outlives_credentials() {
        let p = Policy::default();
        let r = resolve(&p, &caps(WEEK), Some(secs(600)), t(1000), Some(t(1100))).unwrap();
        assert_eq!(r.ttl, secs(100));
        let reject = Policy {
            on_excess_ttl: ExcessTtl::Reject,
            ..Policy::default()
        };
        let e = resolve(
            &reject,
            &caps(WEEK),
            Some(secs(600)),
            t(1000),
            Some(t(1100)),
        )
        .unwrap_err();
        assert_eq!(e.kind(), "credentials_expire_first");
        let e = resolve(&p, &caps(WEEK), Some(secs(600)), t(1000), Some(t(1000))).unwrap_err();
        assert_eq!(e.kind(), "credentials");
    }
}
