//! Validation of account, container and blob names, per the Azure naming rules.
//!
//! - Account: 3 to 24 characters, lower-case letters and digits only.
//! - Container: 3 to 63 characters, lower-case letters, digits and hyphens; starts and ends
//!   with a letter or digit; no two hyphens in a row. The special containers `$root`, `$web`
//!   and `$logs` are also accepted.
//! - Blob: 1 to 1024 characters (Unicode scalar values, not bytes). Anything else a valid
//!   [`ObjectKey`] holds is signed as it is: the name is raw, never pre-encoded.

use presign_core::error::display_key;
use presign_core::{Error, ObjectKey};

/// The longest blob name Azure accepts, in characters.
pub const MAX_BLOB_NAME_CHARS: usize = 1024;

/// Containers whose names break the general rules but exist in every account.
const SPECIAL_CONTAINERS: &[&str] = &["$root", "$web", "$logs"];

/// Checks a storage account name.
pub fn validate_account(account: &str) -> Result<(), Error> {
    let bad = |reason: &str| {
        Error::invalid_input(
            "azure account",
            format!("{}: {reason}", display_key(account)),
        )
    };
    if !(3..=24).contains(&account.len()) {
        return Err(bad("an account name has 3 to 24 characters"));
    }
    if !account
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        return Err(bad(
            "an account name has only lower-case letters (a-z) and digits",
        ));
    }
    Ok(())
}

/// Checks a container name.
///
/// ```
/// use presign_azure::validate_container;
/// assert!(validate_container("photos-2024").is_ok());
/// assert!(validate_container("$web").is_ok());
/// let e = validate_container("Photos").unwrap_err().to_string();
/// assert!(e.contains("lower-case"), "{e}");
/// ```
pub fn validate_container(container: &str) -> Result<(), Error> {
    if SPECIAL_CONTAINERS.contains(&container) {
        return Ok(());
    }
    let bad = |reason: &str| {
        Error::invalid_input(
            "azure container",
            format!("{}: {reason}", display_key(container)),
        )
    };
    let bytes = container.as_bytes();
    if !(3..=63).contains(&bytes.len()) {
        return Err(bad("a container name has 3 to 63 characters"));
    }
    if let Some(c) = bytes
        .iter()
        .find(|b| !(b.is_ascii_lowercase() || b.is_ascii_digit() || **b == b'-'))
    {
        return Err(bad(&format!(
            "{:?} is not allowed: use lower-case letters (a-z), digits and hyphens",
            char::from(*c)
        )));
    }
    if bytes.first() == Some(&b'-') || bytes.last() == Some(&b'-') {
        return Err(bad(
            "a container name starts and ends with a letter or digit",
        ));
    }
    if container.contains("--") {
        return Err(bad("a container name has no two hyphens in a row"));
    }
    Ok(())
}

/// Checks a blob name against Azure's length limit (1024 characters).
pub fn validate_blob(key: &ObjectKey) -> Result<(), Error> {
    // Fast path: a name of at most 1024 bytes has at most 1024 characters.
    if key.len() <= MAX_BLOB_NAME_CHARS {
        return Ok(());
    }
    let chars = key.as_str().chars().count();
    if chars > MAX_BLOB_NAME_CHARS {
        return Err(Error::InvalidKey {
            key: display_key(key.as_str()),
            reason: format!(
                "{chars} characters is longer than the {MAX_BLOB_NAME_CHARS} characters Azure allows for a blob name"
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts() {
        for ok in ["abc", "devstoreaccount1", &"a".repeat(24)] {
            assert!(validate_account(ok).is_ok(), "{ok}");
        }
        for bad in ["ab", "Abc", "a-bc", &"a".repeat(25), "ab_c", ""] {
            assert_eq!(validate_account(bad).unwrap_err().kind(), "invalid_input");
        }
    }

    #[test]
    fn containers() {
        for ok in [
            "abc",
            "a-b-c",
            "presign-test",
            "123",
            &"a".repeat(63),
            "$root",
            "$web",
            "$logs",
        ] {
            assert!(validate_container(ok).is_ok(), "{ok}");
        }
        for (bad, why) in [
            ("ab", "3 to 63"),
            (&"a".repeat(64) as &str, "3 to 63"),
            ("Abc", "lower-case"),
            ("a_bc", "lower-case"),
            ("-abc", "starts and ends"),
            ("abc-", "starts and ends"),
            ("a--bc", "two hyphens"),
            ("$other", "lower-case"),
            ("ab€", "lower-case"),
        ] {
            let e = validate_container(bad).unwrap_err().to_string();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn blob_lengths_count_characters() {
        let ok = ObjectKey::new("é".repeat(1024)).unwrap();
        assert!(validate_blob(&ok).is_ok(), "1024 two-byte characters fit");
        let bad = ObjectKey::new("é".repeat(1025)).unwrap();
        let e = validate_blob(&bad).unwrap_err().to_string();
        assert!(e.contains("1025 characters"), "{e}");
        assert!(validate_blob(&ObjectKey::new("a".repeat(1024)).unwrap()).is_ok());
        assert!(validate_blob(&ObjectKey::new("a".repeat(1025)).unwrap()).is_err());
    }
}
