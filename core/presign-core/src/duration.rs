//! Human-friendly durations: `300`, `90s`, `15m`, `1h30m`, `7d`.

use std::time::Duration;

use crate::error::Error;

/// Parses a duration: a whole number of seconds (`300`), or one or more `<number><unit>` parts
/// with units `s`, `m`, `h`, `d` (`90s`, `15m`, `1h30m`, `7d`).
///
/// ```
/// use presign_core::duration::parse_duration;
/// use std::time::Duration;
/// assert_eq!(parse_duration("15m")?, Duration::from_secs(900));
/// assert_eq!(parse_duration("1h30m")?, Duration::from_secs(5400));
/// assert_eq!(parse_duration("300")?, Duration::from_secs(300));
/// # Ok::<(), presign_core::Error>(())
/// ```
pub fn parse_duration(input: &str) -> Result<Duration, Error> {
    let err = |reason: &str| {
        Error::invalid_input(
            "duration",
            format!("{input:?} {reason}; write seconds (300) or parts like 90s, 15m, 1h30m, 7d"),
        )
    };
    let s = input.trim();
    if s.is_empty() {
        return Err(err("is empty"));
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return s
            .parse::<u64>()
            .map(Duration::from_secs)
            .map_err(|_| err("is too large"));
    }
    let mut total: u64 = 0;
    let mut number: Option<u64> = None;
    for c in s.chars() {
        if let Some(d) = c.to_digit(10) {
            let n = number
                .unwrap_or(0)
                .checked_mul(10)
                .and_then(|n| n.checked_add(u64::from(d)));
            number = Some(n.ok_or_else(|| err("is too large"))?);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return Err(err("has an unknown unit")),
        };
        let n = number
            .take()
            .ok_or_else(|| err("has a unit without a number"))?;
        total = n
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(|| err("is too large"))?;
    }
    if number.is_some() {
        return Err(err("ends with a number without a unit"));
    }
    Ok(Duration::from_secs(total))
}

/// Formats whole seconds compactly: `5m`, `1h30m`, `7d`, `45s`, `0s`.
pub fn format_duration(d: Duration) -> String {
    let mut secs = d.as_secs();
    if secs == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    for (unit, name) in [(86_400, 'd'), (3600, 'h'), (60, 'm'), (1, 's')] {
        if secs >= unit {
            out.push_str(&(secs / unit).to_string());
            out.push(name);
            secs %= unit;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn forms() {
        assert_eq!(parse_duration("7d").unwrap(), Duration::from_secs(604_800));
        assert_eq!(parse_duration(" 45s ").unwrap(), Duration::from_secs(45));
        for bad in [
            "",
            "m",
            "5x",
            "5m3",
            "99999999999999999999",
            "99999999999999999d",
            "-5",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        assert_eq!(format_duration(Duration::from_secs(5400)), "1h30m");
        assert_eq!(format_duration(Duration::from_secs(604_800)), "7d");
    }

    proptest! {
        #[test]
        fn format_parse_round_trip(secs in 0u64..10_000_000_000) {
            let d = Duration::from_secs(secs);
            prop_assert_eq!(parse_duration(&format_duration(d)).unwrap(), d);
        }

        #[test]
        fn never_panics(s in ".{0,30}") {
            let _ = parse_duration(&s);
        }
    }
}
