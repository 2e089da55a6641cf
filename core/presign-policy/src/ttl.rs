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

/// The instants a request is resolved against: the clock's, and the signing time the request
/// asked for (if any).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Times {
    /// The clock's "now": authoritative.
    pub(crate) clock: Timestamp,
    /// The request's own signing time, untrusted.
    pub(crate) requested: Option<Timestamp>,
}

impl Times {
    /// The signing time to use: the request's when it is not further ahead of the clock than
    /// `policy`'s skew (earlier times only shorten validity), else an error.
    fn signing_time(self, policy: &Policy) -> Result<Timestamp, Error> {
        let Some(t) = self.requested else {
            return Ok(self.clock);
        };
        let latest = self
            .clock
            .checked_add(policy.max_clock_skew())
            .unwrap_or(Timestamp::MAX);
        if t > latest {
            return Err(Error::SigningTimeNotAllowed {
                signing_time: t,
                now: self.clock,
                skew: policy.max_clock_skew(),
            });
        }
        Ok(t)
    }
}

/// Applies the TTL rules: signing time against the clock, default, policy and provider
/// maxima, time bucket, credential expiry. Whatever the request asks, the URL expires no
/// later than the clock's now plus the maximum.
pub(crate) fn resolve(
    policy: &Policy,
    caps: &Capabilities,
    requested: Option<Duration>,
    times: Times,
    credentials_expire_at: Option<Timestamp>,
) -> Result<Timing, Error> {
    let now = times.signing_time(policy)?;
    let requested = requested.unwrap_or(policy.default_ttl());
    if requested.as_secs() == 0 {
        return Err(Error::InvalidTtl {
            ttl: requested,
            reason: "it must be at least 1 second".into(),
        });
    }
    let max = policy.max_ttl().min(caps.max_ttl());
    let (signing_time, extra) = match policy.time_bucket() {
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
        match policy.on_excess_ttl() {
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
                        format_duration(policy.max_ttl()),
                        caps.provider(),
                        format_duration(caps.max_ttl())
                    ),
                });
            }
        }
    }
    // A signing time ahead of the clock (within the skew) must not lengthen validity by the
    // clock: the URL expires at the latest at the clock's now plus the maximum.
    let deadline = times.clock.checked_add(max).unwrap_or(Timestamp::MAX);
    if signing_time.checked_add(ttl).is_none_or(|e| e > deadline) {
        ttl = deadline.duration_since(signing_time);
        tracing::debug!(
            ttl = %format_duration(ttl), provider = caps.provider(),
            "presign policy: time-to-live shortened: the signing time is ahead of the clock"
        );
    }
    if let Some(ce) = credentials_expire_at {
        if ce <= times.clock {
            return Err(Error::Credentials {
                provider: caps.provider().to_owned(),
                reason: format!("the signing credentials expired at {ce}; refresh them"),
            });
        }
        let expires_at = signing_time.checked_add(ttl).unwrap_or(Timestamp::MAX);
        if expires_at > ce {
            match policy.on_excess_ttl() {
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
    if ttl.is_zero() {
        return Err(Error::InvalidTtl {
            ttl,
            reason: "no time is left between the signing time and the latest allowed expiry".into(),
        });
    }
    if signing_time.checked_add(ttl).is_none() {
        return Err(Error::InvalidTtl {
            ttl,
            reason: "the URL would expire after year 9999".into(),
        });
    }
    Ok(Timing { signing_time, ttl })
}

/// The last line of defence: whatever the provider made of the effective request, the grant it
/// reports (URL, form, cookies) must not be valid, by the clock, for longer than the maximum.
pub(crate) fn expiry_within_max(
    policy: &Policy,
    caps: &Capabilities,
    times: Times,
    expires_at: Timestamp,
) -> Result<(), Error> {
    let max = policy.max_ttl().min(caps.max_ttl());
    let deadline = times.clock.checked_add(max).unwrap_or(Timestamp::MAX);
    if expires_at > deadline {
        tracing::warn!(
            provider = caps.provider(), %expires_at, %deadline,
            "presign policy: the provider signed past the maximum; refused"
        );
        return Err(Error::InvalidTtl {
            ttl: expires_at.duration_since(times.clock),
            reason: format!(
                "provider {} signed a URL valid until {expires_at}, past the policy's latest expiry {deadline}; refused",
                caps.provider()
            ),
        });
    }
    Ok(())
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

    fn at(s: i64) -> Times {
        Times {
            clock: t(s),
            requested: None,
        }
    }

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    fn reject() -> Policy {
        Policy::default().with_excess_ttl(ExcessTtl::Reject)
    }

    #[test]
    fn default_and_clamp() {
        let p = Policy::default();
        let r = resolve(&p, &caps(WEEK), None, at(1000), None).unwrap();
        assert_eq!(
            r,
            Timing {
                signing_time: t(1000),
                ttl: secs(300)
            }
        );
        let r = resolve(&p, &caps(WEEK), Some(WEEK), at(1000), None).unwrap();
        assert_eq!(r.ttl, secs(900));
        let r = resolve(&p, &caps(secs(60)), Some(secs(600)), at(1000), None).unwrap();
        assert_eq!(r.ttl, secs(60), "the provider's maximum is a bound too");
    }

    #[test]
    fn reject_names_the_bounds() {
        let p = reject();
        let e = resolve(&p, &caps(WEEK), Some(secs(3600)), at(0), None).unwrap_err();
        let m = e.to_string();
        assert!(
            m.contains("1h") && m.contains("15m") && m.contains("test"),
            "{m}"
        );
        assert!(resolve(&p, &caps(WEEK), Some(secs(900)), at(0), None).is_ok());
    }

    #[test]
    fn zero_ttl_is_refused() {
        let e = resolve(
            &Policy::default(),
            &caps(WEEK),
            Some(Duration::ZERO),
            at(0),
            None,
        )
        .unwrap_err();
        assert_eq!(e.kind(), "invalid_ttl");
    }

    #[test]
    fn bucket_shares_urls_and_counts_against_max() {
        let p = Policy::default().with_time_bucket(secs(60));
        let a = resolve(&p, &caps(WEEK), Some(secs(300)), at(6001), None).unwrap();
        let b = resolve(&p, &caps(WEEK), Some(secs(300)), at(6059), None).unwrap();
        assert_eq!(
            a, b,
            "every client in one bucket gets the same signing time and TTL"
        );
        assert_eq!(a.signing_time, t(6000));
        assert_eq!(a.ttl, secs(360));
        // The URL stays valid at least the requested time from "now".
        assert!(a.signing_time.checked_add(a.ttl).unwrap() >= t(6059 + 300));
        // ... and never beyond the maximum.
        let c = resolve(&p, &caps(WEEK), Some(secs(900)), at(6001), None).unwrap();
        assert_eq!(c.ttl, secs(900));
        let strict = p.with_excess_ttl(ExcessTtl::Reject);
        assert!(resolve(&strict, &caps(WEEK), Some(secs(900)), at(6001), None).is_err());
        assert!(resolve(&strict, &caps(WEEK), Some(secs(840)), at(6001), None).is_ok());
    }

    #[test]
    fn never_outlives_credentials() {
        let p = Policy::default();
        let r = resolve(&p, &caps(WEEK), Some(secs(600)), at(1000), Some(t(1100))).unwrap();
        assert_eq!(r.ttl, secs(100));
        let e = resolve(
            &reject(),
            &caps(WEEK),
            Some(secs(600)),
            at(1000),
            Some(t(1100)),
        )
        .unwrap_err();
        assert_eq!(e.kind(), "credentials_expire_first");
        let e = resolve(&p, &caps(WEEK), Some(secs(600)), at(1000), Some(t(1000))).unwrap_err();
        assert_eq!(e.kind(), "credentials");
    }

    /// The clock is authoritative: by the clock, no resolved timing outlives `clock + max`,
    /// whatever signing time the request asks for; a signing time beyond the skew is refused.
    #[test]
    fn signing_time_never_extends_validity_past_the_clock() {
        let clock = 1_000_000;
        for policy in [
            Policy::default(),
            reject(),
            Policy::default().with_time_bucket(secs(60)),
        ] {
            for offset in [
                -86_400_i64,
                -901,
                -1,
                0,
                1,
                59,
                60,
                61,
                3600,
                10 * 365 * 86_400,
            ] {
                let times = Times {
                    clock: t(clock),
                    requested: Some(t(clock + offset)),
                };
                for ttl in [None, Some(secs(60)), Some(secs(900)), Some(WEEK)] {
                    match resolve(&policy, &caps(WEEK), ttl, times, None) {
                        Ok(r) => {
                            let expires = r.signing_time.checked_add(r.ttl).unwrap();
                            assert!(
                                expires <= t(clock + 900),
                                "offset {offset} ttl {ttl:?}: expires {expires}"
                            );
                            assert!(offset <= 60, "offset {offset} must be refused");
                        }
                        Err(e) if offset > 60 => {
                            assert_eq!(e.kind(), "signing_time_not_allowed", "{e}");
                        }
                        Err(e) => assert_eq!(e.kind(), "invalid_ttl", "offset {offset}: {e}"),
                    }
                }
            }
        }
    }

    #[test]
    fn past_signing_times_stay_allowed_and_skew_is_configurable() {
        let old = Times {
            clock: t(2_000_000_000),
            requested: Some(t(1_369_353_600)),
        };
        let r = resolve(&Policy::default(), &caps(WEEK), None, old, None).unwrap();
        assert_eq!((r.signing_time, r.ttl), (t(1_369_353_600), secs(300)));
        let ahead = Times {
            clock: t(1000),
            requested: Some(t(1030)),
        };
        let r = resolve(
            &Policy::default(),
            &caps(WEEK),
            Some(secs(900)),
            ahead,
            None,
        )
        .unwrap();
        assert_eq!(r.ttl, secs(870), "shortened by the 30 s it is ahead");
        let none = Policy::default().with_max_clock_skew(Duration::ZERO);
        let e = resolve(&none, &caps(WEEK), None, ahead, None).unwrap_err();
        assert_eq!(e.kind(), "signing_time_not_allowed");
        assert!(e.to_string().contains("max_clock_skew"), "{e}");
    }
}
