//! Byte sizes as written in configuration and on the command line: `5242880`, `"5MiB"`,
//! `"100MB"`, `"1.5GiB"` is not accepted (whole numbers only).

use std::fmt;

use serde::de::{self, Deserializer, Visitor};

/// What a size accepts, for error messages.
pub const SIZE_HELP: &str = "write bytes (5242880) or a whole number with a unit: B, kB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024), like 5MiB or 100MB";

/// Parses a byte size: a whole number of bytes, optionally followed (with or without a space)
/// by a unit. Decimal units are powers of 1000 (`kB`/`KB`, `MB`, `GB`, `TB`), binary units
/// powers of 1024 (`KiB`, `MiB`, `GiB`, `TiB`); `B` is bytes. Units are matched without regard
/// to case (`mib` = `MiB`; there are no bit units).
///
/// ```
/// use presign_config::parse_byte_size;
/// assert_eq!(parse_byte_size("5MiB"), Ok(5 * 1024 * 1024));
/// assert_eq!(parse_byte_size("100MB"), Ok(100_000_000));
/// assert_eq!(parse_byte_size("1 KiB"), Ok(1024));
/// assert_eq!(parse_byte_size("4096"), Ok(4096));
/// assert!(parse_byte_size("5 parsecs").is_err());
/// ```
pub fn parse_byte_size(input: &str) -> Result<u64, String> {
    let bad = || format!("{input:?} is not a size; {SIZE_HELP}");
    let s = input.trim();
    let split = s
        .char_indices()
        .find(|(_, c)| !c.is_ascii_digit() && *c != '_')
        .map_or(s.len(), |(i, _)| i);
    let (number, unit) = s.split_at(split);
    let digits: String = number.chars().filter(|c| *c != '_').collect();
    if digits.is_empty() {
        return Err(bad());
    }
    let n: u64 = digits.parse().map_err(|_| bad())?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        "tb" => 1_000_000_000_000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        "tib" => 1 << 40,
        _ => return Err(bad()),
    };
    n.checked_mul(factor)
        .ok_or_else(|| format!("{input:?} is too large a size"))
}

struct SizeVisitor;

impl Visitor<'_> for SizeVisitor {
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a size: {SIZE_HELP}")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
        u64::try_from(v).map_err(|_| E::custom(format!("{v} is not a size: it is negative")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<u64, E> {
        Err(E::custom(format!("{v} is not a size; {SIZE_HELP}")))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<u64, E> {
        parse_byte_size(v).map_err(E::custom)
    }
}

/// An optional byte size: a number of bytes, or a string like `"5MiB"`.
pub(crate) fn opt_size<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    d.deserialize_any(SizeVisitor).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        for (text, n) in [
            ("0", 0),
            ("1B", 1),
            ("5MiB", 5 << 20),
            ("5 mib", 5 << 20),
            ("100MB", 100_000_000),
            ("2kB", 2000),
            ("2KB", 2000),
            ("3GiB", 3 << 30),
            ("1TB", 1_000_000_000_000),
            ("10_000", 10_000),
        ] {
            assert_eq!(parse_byte_size(text), Ok(n), "{text}");
        }
        for bad in [
            "",
            "MiB",
            "-1",
            "1.5MiB",
            "5 parsecs",
            "5Mb/s",
            "99999999999999TiB",
        ] {
            assert!(parse_byte_size(bad).is_err(), "{bad}");
        }
    }
}
