//! The time formats signed URLs carry: ISO 8601 basic (`20130524T000000Z`), Azure's ISO 8601
//! forms (`2030-01-01`, `2030-01-01T00:00Z`, `2030-01-01T00:00:00.1234567Z`) and Unix seconds.

use presign_core::Timestamp;
use presign_core::timestamp::Civil;

/// `YYYYMMDDTHHMMSSZ`.
pub(crate) fn parse_basic(s: &str) -> Option<Timestamp> {
    Timestamp::parse_basic(s)
}

/// `YYYYMMDD` (a V4 scope's date), as midnight UTC.
pub(crate) fn parse_scope_date(s: &str) -> Option<Timestamp> {
    if s.len() != 8 {
        return None;
    }
    civil(num(s, 0, 4)?, num(s, 4, 6)?, num(s, 6, 8)?, 0, 0, 0)
}

/// Azure's UTC ISO 8601 forms: a date, or a date and time to the minute, second or fraction,
/// ending in `Z`.
pub(crate) fn parse_iso(s: &str) -> Option<Timestamp> {
    let b = s.as_bytes();
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let (y, mo, d) = (num(s, 0, 4)?, num(s, 5, 7)?, num(s, 8, 10)?);
    if s.len() == 10 {
        return civil(y, mo, d, 0, 0, 0);
    }
    let time = s.get(10..)?.strip_prefix('T')?.strip_suffix('Z')?;
    let (hm, sec) = match time.len() {
        5 => (time, None),
        n if n >= 8 => (time.get(..5)?, Some(time.get(6..)?)),
        _ => return None,
    };
    if hm.as_bytes().get(2) != Some(&b':') {
        return None;
    }
    let second = match sec {
        None => 0,
        Some(sec) => {
            if time.as_bytes().get(5) != Some(&b':') {
                return None;
            }
            let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
            if whole.len() != 2 || !frac.bytes().all(|c| c.is_ascii_digit()) || frac.len() > 9 {
                return None;
            }
            num(whole, 0, 2)?
        }
    };
    civil(y, mo, d, num(hm, 0, 2)?, num(hm, 3, 5)?, second)
}

/// Decimal Unix seconds.
pub(crate) fn parse_unix(s: &str) -> Option<Timestamp> {
    if s.is_empty() || s.len() > 12 || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Timestamp::from_unix(s.parse().ok()?).ok()
}

/// Decimal seconds (`X-Amz-Expires`), at most 12 digits.
pub(crate) fn parse_seconds(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 12 || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn num(s: &str, from: usize, to: usize) -> Option<u32> {
    let part = s.get(from..to)?;
    if !part.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

fn civil(
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
) -> Option<Timestamp> {
    Timestamp::from_civil(Civil {
        year,
        month,
        day,
        hour,
        minute,
        second,
    })
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let t = Timestamp::from_unix(1_369_353_600).unwrap(); // 2013-05-24T00:00:00Z
        assert_eq!(parse_basic("20130524T000000Z"), Some(t));
        assert_eq!(parse_scope_date("20130524"), Some(t));
        assert_eq!(parse_iso("2013-05-24"), Some(t));
        assert_eq!(parse_iso("2013-05-24T00:00Z"), Some(t));
        assert_eq!(parse_iso("2013-05-24T00:00:00Z"), Some(t));
        assert_eq!(parse_iso("2013-05-24T00:00:00.1234567Z"), Some(t));
        assert_eq!(parse_unix("1369353600"), Some(t));
        for bad in [
            "",
            "2013-05-24T00:00:00",
            "2013-13-01",
            "2013-05-24T24:00Z",
            "x",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
        for bad in ["20130524T000000", "20130524000000Z", "2013052XT000000Z"] {
            assert_eq!(parse_basic(bad), None, "{bad}");
        }
        assert_eq!(parse_unix("-1"), None);
        assert_eq!(parse_seconds("604800"), Some(604_800));
        assert_eq!(parse_seconds("1e3"), None);
    }
}
