//! Validation of bucket names and regions.

use presign_core::Error;

/// Checks a bucket name: 3 to 255 bytes of `a-z A-Z 0-9 . - _` (the widest legacy rule; AWS
/// creates only DNS-compatible names today, S3-compatible stores accept more).
pub fn validate_bucket(bucket: &str) -> Result<(), Error> {
    let bad = |reason: &str| Error::invalid_input("bucket", format!("{bucket:?}: {reason}"));
    if bucket.len() < 3 || bucket.len() > 255 {
        return Err(bad("a bucket name has 3 to 255 characters"));
    }
    if let Some(c) = bucket
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))
    {
        return Err(bad(&format!(
            "{c:?} is not allowed; use a-z, 0-9, '.', '-' (and, for legacy buckets, A-Z, '_')"
        )));
    }
    Ok(())
}

/// Whether a bucket name can be a DNS label prefix (virtual-hosted addressing): 3 to 63 bytes of
/// `a-z 0-9 . -`, starting and ending with a letter or digit, no `..`, `.-` or `-.`, not shaped
/// like an IPv4 address.
pub(crate) fn is_dns_compatible(bucket: &str) -> bool {
    let b = bucket.as_bytes();
    (3..=63).contains(&b.len())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'.' | b'-'))
        && b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last().is_some_and(u8::is_ascii_alphanumeric)
        && !bucket.contains("..")
        && !bucket.contains(".-")
        && !bucket.contains("-.")
        && bucket.parse::<std::net::Ipv4Addr>().is_err()
}

/// Checks a region: 1 to 64 bytes of `a-z A-Z 0-9 - _` (`us-east-1`, `auto` for R2, `garage`).
pub fn validate_region(region: &str) -> Result<(), Error> {
    let bad = |reason: &str| Error::invalid_input("region", format!("{region:?}: {reason}"));
    if region.is_empty() || region.len() > 64 {
        return Err(bad("a region has 1 to 64 characters"));
    }
    if let Some(c) = region
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_')))
    {
        return Err(bad(&format!(
            "{c:?} is not allowed; a region looks like us-east-1"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets() {
        for ok in [
            "abc",
            "my-bucket",
            "my.bucket.example",
            "Legacy_Bucket",
            "presign-test",
        ] {
            assert!(validate_bucket(ok).is_ok(), "{ok}");
        }
        for bad in ["", "ab", "a/b", "a b", "ünï", &"x".repeat(256)] {
            let e = validate_bucket(bad).unwrap_err().to_string();
            assert!(e.contains("bucket"), "{e}");
        }
        assert!(is_dns_compatible("my-bucket"));
        assert!(is_dns_compatible("my.bucket"));
        for not in [
            "My-Bucket",
            "my_bucket",
            "-bucket",
            "bucket-",
            "a..b",
            "a.-b",
            "192.168.1.1",
            &"x".repeat(64),
        ] {
            assert!(!is_dns_compatible(not), "{not}");
        }
    }

    #[test]
    fn regions() {
        for ok in ["us-east-1", "auto", "garage", "eu_local"] {
            assert!(validate_region(ok).is_ok(), "{ok}");
        }
        for bad in ["", "us/east", "us east", "ü"] {
            let e = validate_region(bad).unwrap_err().to_string();
            assert!(e.contains("region"), "{e}");
        }
    }
}
