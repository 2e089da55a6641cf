//! [`Timestamp`]: a UTC instant with one-second precision, and the formats signing needs.
//!
//! Signing formats a date on every call, so the formatting here writes straight into a caller's
//! buffer without allocating. The supported range is 0001-01-01T00:00:00Z to
//! 9999-12-31T23:59:59Z, the range every signing format can express.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::error::Error;

/// Seconds from 1970-01-01 to 0001-01-01.
const MIN_UNIX: i64 = -62_135_596_800;
/// Seconds from 1970-01-01 to 9999-12-31T23:59:59.
const MAX_UNIX: i64 = 253_402_300_799;

/// A UTC instant, whole seconds since the Unix epoch, between year 1 and year 9999.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

/// The calendar fields of a [`Timestamp`] (proleptic Gregorian calendar, UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Civil {
    /// Year, 1 to 9999.
    pub year: u32,
    /// Month, 1 to 12.
    pub month: u32,
    /// Day of the month, 1 to 31.
    pub day: u32,
    /// Hour, 0 to 23.
    pub hour: u32,
    /// Minute, 0 to 59.
    pub minute: u32,
    /// Second, 0 to 59.
    pub second: u32,
}

impl Timestamp {
    /// The earliest representable instant, 0001-01-01T00:00:00Z.
    pub const MIN: Timestamp = Timestamp(MIN_UNIX);
    /// The latest representable instant, 9999-12-31T23:59:59Z.
    pub const MAX: Timestamp = Timestamp(MAX_UNIX);

    /// A timestamp from seconds since the Unix epoch; an error outside years 1 to 9999.
    pub fn from_unix(seconds: i64) -> Result<Self, Error> {
        if (MIN_UNIX..=MAX_UNIX).contains(&seconds) {
            Ok(Timestamp(seconds))
        } else {
            Err(Error::InvalidInput {
                field: "timestamp".into(),
                reason: format!(
                    "{seconds} seconds since the Unix epoch is outside years 1 to 9999"
                ),
            })
        }
    }

    /// The current time of the system clock, truncated to whole seconds.
    ///
    /// Signing code never calls this directly: it asks an injected [`crate::Clock`].
    pub fn now() -> Self {
        let secs = match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(MAX_UNIX),
            Err(e) => i64::try_from(e.duration().as_secs()).map_or(MIN_UNIX, |s| -s),
        };
        Timestamp(secs.clamp(MIN_UNIX, MAX_UNIX))
    }

    /// Seconds since the Unix epoch.
    pub const fn unix(self) -> i64 {
        self.0
    }

    /// `self + d`, or `None` past year 9999.
    pub fn checked_add(self, d: Duration) -> Option<Self> {
        let secs = i64::try_from(d.as_secs()).ok()?;
        let t = self.0.checked_add(secs)?;
        (t <= MAX_UNIX).then_some(Timestamp(t))
    }

    /// `self - d`, or `None` before year 1.
    pub fn checked_sub(self, d: Duration) -> Option<Self> {
        let secs = i64::try_from(d.as_secs()).ok()?;
        let t = self.0.checked_sub(secs)?;
        (t >= MIN_UNIX).then_some(Timestamp(t))
    }

    /// `self - d`, stopping at [`Timestamp::MIN`].
    pub fn saturating_sub(self, d: Duration) -> Self {
        self.checked_sub(d).unwrap_or(Timestamp::MIN)
    }

    /// The time from `earlier` to `self`, or zero when `earlier` is later.
    pub fn duration_since(self, earlier: Timestamp) -> Duration {
        Duration::from_secs(u64::try_from(self.0.saturating_sub(earlier.0)).unwrap_or(0))
    }

    /// Rounds down to a multiple of `bucket` since the epoch (`bucket` of zero: unchanged).
    pub fn floor_to(self, bucket: Duration) -> Self {
        let b = i64::try_from(bucket.as_secs()).unwrap_or(i64::MAX);
        if b <= 1 {
            return self;
        }
        let floored = self.0 - self.0.rem_euclid(b);
        Timestamp(floored.max(MIN_UNIX))
    }

    /// The calendar fields.
    pub fn civil(self) -> Civil {
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400);
        // Days to civil date (proleptic Gregorian), counting eras of 400 years from 0000-03-01.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        // The range check in the constructors keeps every field in range.
        let to_u32 = |v: i64| u32::try_from(v).unwrap_or(0);
        Civil {
            year: to_u32(year),
            month: to_u32(month),
            day: to_u32(day),
            hour: to_u32(secs / 3600),
            minute: to_u32(secs % 3600 / 60),
            second: to_u32(secs % 60),
        }
    }

    /// A timestamp from calendar fields; an error naming the field that is out of range.
    pub fn from_civil(c: Civil) -> Result<Self, Error> {
        let bad = |field: &str| Error::InvalidInput {
            field: "timestamp".into(),
            reason: format!("{field} out of range"),
        };
        if !(1..=9999).contains(&c.year) {
            return Err(bad("year"));
        }
        if !(1..=12).contains(&c.month) {
            return Err(bad("month"));
        }
        if c.day < 1 || c.day > days_in_month(c.year, c.month) {
            return Err(bad("day"));
        }
        if c.hour > 23 {
            return Err(bad("hour"));
        }
        if c.minute > 59 {
            return Err(bad("minute"));
        }
        if c.second > 60 {
            return Err(bad("second"));
        }
        let y = i64::from(c.year) - i64::from(c.month <= 2);
        let m = i64::from(c.month);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + i64::from(c.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        // A leap second is read as the first second of the next minute.
        let secs = days * 86_400
            + i64::from(c.hour) * 3600
            + i64::from(c.minute) * 60
            + i64::from(c.second);
        Timestamp::from_unix(secs)
    }

    /// Parses RFC 3339 (`2024-01-02T03:04:05Z`, `2024-01-02T03:04:05.123+02:00`, lowercase `t`/`z`
    /// accepted). Fractions of a second are truncated.
    pub fn parse_rfc3339(input: &str) -> Result<Self, Error> {
        let err = |reason: &str| Error::InvalidInput {
            field: "timestamp".into(),
            reason: format!("{input:?} is not an RFC 3339 date-time: {reason}"),
        };
        let b = input.as_bytes();
        let num = |range: std::ops::Range<usize>| -> Result<u32, Error> {
            let part = b.get(range).ok_or_else(|| err("too short"))?;
            part.iter().try_fold(0u32, |acc, &d| {
                if d.is_ascii_digit() {
                    Ok(acc * 10 + u32::from(d - b'0'))
                } else {
                    Err(err("expected a digit"))
                }
            })
        };
        let expect = |i: usize, allowed: &[u8]| -> Result<(), Error> {
            match b.get(i) {
                Some(c) if allowed.contains(c) => Ok(()),
                _ => Err(err("unexpected separator")),
            }
        };
        let year = num(0..4)?;
        expect(4, b"-")?;
        let month = num(5..7)?;
        expect(7, b"-")?;
        let day = num(8..10)?;
        expect(10, b"Tt ")?;
        let hour = num(11..13)?;
        expect(13, b":")?;
        let minute = num(14..16)?;
        expect(16, b":")?;
        let second = num(17..19)?;
        let mut i = 19;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == start {
                return Err(err("empty fraction of a second"));
            }
        }
        let offset_secs: i64 = match b.get(i) {
            Some(b'Z' | b'z') if i + 1 == b.len() => 0,
            Some(sign @ (b'+' | b'-')) if i + 6 == b.len() => {
                let oh = num(i + 1..i + 3)?;
                expect(i + 3, b":")?;
                let om = num(i + 4..i + 6)?;
                if oh > 23 || om > 59 {
                    return Err(err("offset out of range"));
                }
                let s = i64::from(oh * 3600 + om * 60);
                if *sign == b'+' { s } else { -s }
            }
            _ => return Err(err("expected Z or a +hh:mm offset at the end")),
        };
        let local = Timestamp::from_civil(Civil {
            year,
            month,
            day,
            hour,
            minute,
            second,
        })
        .map_err(|_| err("a field is out of range"))?;
        Timestamp::from_unix(local.0 - offset_secs)
    }

    /// Parses the ISO 8601 basic format of SigV4 and GCS V4 (`20130524T000000Z`), as it is in
    /// a signed URL: exactly 16 characters. `None` when it is not that.
    ///
    /// ```
    /// use presign_core::Timestamp;
    /// assert_eq!(Timestamp::parse_basic("20130524T000000Z"), Timestamp::from_unix(1_369_353_600).ok());
    /// assert_eq!(Timestamp::parse_basic("2013-05-24T00:00:00Z"), None);
    /// ```
    pub fn parse_basic(input: &str) -> Option<Self> {
        let b = input.as_bytes();
        if b.len() != 16 || b.get(8) != Some(&b'T') || b.get(15) != Some(&b'Z') {
            return None;
        }
        let num = |from: usize, to: usize| -> Option<u32> {
            let part = input.get(from..to)?;
            part.bytes()
                .all(|d| d.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        Timestamp::from_civil(Civil {
            year: num(0, 4)?,
            month: num(4, 6)?,
            day: num(6, 8)?,
            hour: num(9, 11)?,
            minute: num(11, 13)?,
            second: num(13, 15)?,
        })
        .ok()
    }

    /// Appends the ISO 8601 basic format used by SigV4 and GCS V4: `20130524T000000Z`.
    pub fn write_basic(self, out: &mut String) {
        let b = self.basic_bytes();
        out.push_str(std::str::from_utf8(&b).unwrap_or_default());
    }

    /// The ISO 8601 basic format on the stack (16 ASCII bytes): `20130524T000000Z`.
    pub fn basic_bytes(self) -> [u8; 16] {
        let c = self.civil();
        let mut b = *b"00000000T000000Z";
        put_digits(&mut b, 0, c.year, 4);
        put_digits(&mut b, 4, c.month, 2);
        put_digits(&mut b, 6, c.day, 2);
        put_digits(&mut b, 9, c.hour, 2);
        put_digits(&mut b, 11, c.minute, 2);
        put_digits(&mut b, 13, c.second, 2);
        b
    }

    /// Appends the date stamp used in credential scopes: `20130524`.
    pub fn write_date(self, out: &mut String) {
        let b = self.basic_bytes();
        out.push_str(std::str::from_utf8(b.get(..8).unwrap_or_default()).unwrap_or_default());
    }

    /// Appends RFC 3339 in UTC with a `Z`: `2013-05-24T00:00:00Z` (the Azure SAS time format).
    pub fn write_rfc3339(self, out: &mut String) {
        let b = self.rfc3339_bytes();
        out.push_str(std::str::from_utf8(&b).unwrap_or_default());
    }

    /// RFC 3339 in UTC on the stack (20 ASCII bytes): `2013-05-24T00:00:00Z`.
    pub fn rfc3339_bytes(self) -> [u8; 20] {
        let c = self.civil();
        let mut b = *b"0000-00-00T00:00:00Z";
        put_digits(&mut b, 0, c.year, 4);
        put_digits(&mut b, 5, c.month, 2);
        put_digits(&mut b, 8, c.day, 2);
        put_digits(&mut b, 11, c.hour, 2);
        put_digits(&mut b, 14, c.minute, 2);
        put_digits(&mut b, 17, c.second, 2);
        b
    }

    /// The ISO 8601 basic format as a new string: `20130524T000000Z`.
    pub fn to_basic(self) -> String {
        let mut s = String::with_capacity(16);
        self.write_basic(&mut s);
        s
    }

    /// RFC 3339 as a new string: `2013-05-24T00:00:00Z`.
    pub fn to_rfc3339(self) -> String {
        let mut s = String::with_capacity(20);
        self.write_rfc3339(&mut s);
        s
    }

    /// Days since the Unix epoch (the key for per-day signing-key caches).
    pub const fn unix_day(self) -> i64 {
        self.0.div_euclid(86_400)
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

/// Writes `value` as `width` decimal digits (zero-padded) into `buf` at `at`.
fn put_digits(buf: &mut [u8], at: usize, mut value: u32, width: usize) {
    for i in (at..at + width).rev() {
        if let Some(d) = buf.get_mut(i) {
            *d = b'0' + u8::try_from(value % 10).unwrap_or(0);
        }
        value /= 10;
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl std::str::FromStr for Timestamp {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Timestamp::parse_rfc3339(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_dates() {
        // 2013-05-24T00:00:00Z is 1369353600 (the AWS S3 query-auth example date).
        let t = Timestamp::from_unix(1_369_353_600).unwrap();
        assert_eq!(t.to_basic(), "20130524T000000Z");
        assert_eq!(t.to_rfc3339(), "2013-05-24T00:00:00Z");
        let t = Timestamp::from_unix(0).unwrap();
        assert_eq!(t.to_rfc3339(), "1970-01-01T00:00:00Z");
        assert_eq!(Timestamp::MIN.to_rfc3339(), "0001-01-01T00:00:00Z");
        assert_eq!(Timestamp::MAX.to_rfc3339(), "9999-12-31T23:59:59Z");
        // 2000-02-29 (leap year divisible by 400).
        assert_eq!(
            Timestamp::from_unix(951_782_400).unwrap().to_rfc3339(),
            "2000-02-29T00:00:00Z"
        );
    }

    #[test]
    fn parse_forms() {
        let t = Timestamp::parse_rfc3339("2015-08-30T12:36:00Z").unwrap();
        assert_eq!(t.to_basic(), "20150830T123600Z");
        let t2 = Timestamp::parse_rfc3339("2015-08-30T14:36:00.999+02:00").unwrap();
        assert_eq!(t, t2);
        assert!(Timestamp::parse_rfc3339("2015-02-29T00:00:00Z").is_err());
        assert!(Timestamp::parse_rfc3339("2015-08-30 12:36:00").is_err());
        assert!(Timestamp::parse_rfc3339("2015-08-30T12:36:00Zjunk").is_err());
        assert!(Timestamp::parse_rfc3339("").is_err());
        assert!(Timestamp::parse_rfc3339("２０１５-08-30T12:36:00Z").is_err());
    }

    #[test]
    fn out_of_range() {
        assert!(Timestamp::from_unix(MAX_UNIX + 1).is_err());
        assert!(Timestamp::MAX.checked_add(Duration::from_secs(1)).is_none());
        assert_eq!(
            Timestamp::MIN.saturating_sub(Duration::from_secs(5)),
            Timestamp::MIN
        );
    }

    #[test]
    fn floor() {
        let t = Timestamp::from_unix(1_000_123).unwrap();
        assert_eq!(t.floor_to(Duration::from_secs(60)).unix(), 1_000_080);
        assert_eq!(t.floor_to(Duration::ZERO), t);
    }

    proptest! {
        #[test]
        fn civil_round_trip(secs in MIN_UNIX..=MAX_UNIX) {
            let t = Timestamp::from_unix(secs).unwrap();
            prop_assert_eq!(Timestamp::from_civil(t.civil()).unwrap(), t);
            prop_assert_eq!(Timestamp::parse_rfc3339(&t.to_rfc3339()).unwrap(), t);
        }

        #[test]
        fn parse_never_panics(s in ".{0,40}") {
            let _ = Timestamp::parse_rfc3339(&s);
        }
    }
}
