//! Secrets that never print and are wiped from memory when dropped.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// A secret string (a secret access key, an account key, a session token).
///
/// `Debug` and `Display` print `[REDACTED]`; the value is only reachable through
/// [`SecretString::expose_secret`], and it is zeroized when dropped.
///
/// ```
/// let s = presign_core::SecretString::new("wJalrXUtnFEMI");
/// assert_eq!(format!("{s:?}"), "[REDACTED]");
/// assert_eq!(s.expose_secret(), "wJalrXUtnFEMI");
/// ```
#[derive(Clone, Zeroize, ZeroizeOnDrop, Default)]
pub struct SecretString(String);

impl SecretString {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        SecretString(secret.into())
    }

    /// The secret itself. Call only where it is used for signing.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for SecretString {
    fn from(s: String) -> Self {
        SecretString(s)
    }
}

impl From<&str> for SecretString {
    fn from(s: &str) -> Self {
        SecretString(s.to_owned())
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl fmt::Display for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

/// Secret bytes (a decoded key), zeroized on drop, never printed.
#[derive(Clone, Zeroize, ZeroizeOnDrop, Default)]
pub struct SecretBytes(Vec<u8>);

impl SecretBytes {
    /// Wraps secret bytes.
    pub fn new(bytes: Vec<u8>) -> Self {
        SecretBytes(bytes)
    }

    /// The bytes themselves.
    pub fn expose_secret(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[REDACTED {} bytes]", self.0.len())
    }
}

/// The largest secret file [`read_secret_file`] reads by default: 64 KiB (a service-account
/// key is about 2.3 KiB, an OAuth or Entra ID token a few KiB).
pub const MAX_SECRET_FILE_BYTES: u64 = 64 * 1024;

/// Why a secret file could not be read. `Display` names the problem, never the contents.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SecretFileError {
    /// Opening or reading failed (not found, permission denied, ...).
    Io(std::io::ErrorKind),
    /// Not a regular file (a directory, FIFO, socket or device such as `/dev/zero` or
    /// `/dev/stdin`): such a file can be endless or block forever.
    NotRegular,
    /// Larger than the limit, in bytes.
    TooLarge(u64),
    /// Not UTF-8 text.
    NotUtf8,
}

impl fmt::Display for SecretFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretFileError::Io(kind) => write!(f, "cannot read it: {kind}"),
            SecretFileError::NotRegular => f.write_str(
                "it is not a regular file (a directory, pipe, socket or device is never read)",
            ),
            SecretFileError::TooLarge(max) => write!(f, "it is larger than {max} bytes"),
            SecretFileError::NotUtf8 => f.write_str("it is not UTF-8 text"),
        }
    }
}

/// Reads a secret from the regular file at `path`, at most `max_bytes` long, as UTF-8. The
/// file type is checked before the file is opened (so a FIFO never blocks) and again on the
/// open file; at most `max_bytes + 1` bytes are ever read; the bytes read are zeroized when
/// dropped, also on error.
///
/// ```
/// use presign_core::secret::{read_secret_file, SecretFileError};
/// let e = read_secret_file(std::path::Path::new("/dev/zero"), 1024).unwrap_err();
/// assert_eq!(e, SecretFileError::NotRegular);
/// ```
pub fn read_secret_file(
    path: &std::path::Path,
    max_bytes: u64,
) -> Result<SecretString, SecretFileError> {
    use std::io::Read;
    let io = |e: std::io::Error| SecretFileError::Io(e.kind());
    if !std::fs::metadata(path).map_err(io)?.is_file() {
        return Err(SecretFileError::NotRegular);
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(SecretFileError::NotRegular);
    }
    if meta.len() > max_bytes {
        return Err(SecretFileError::TooLarge(max_bytes));
    }
    let mut bytes = Zeroizing::new(Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0)));
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > max_bytes {
        return Err(SecretFileError::TooLarge(max_bytes));
    }
    let text = std::str::from_utf8(&bytes).map_err(|_| SecretFileError::NotUtf8)?;
    Ok(SecretString::new(text))
}

/// A fixed-size secret (a derived signing key), zeroized on drop.
pub type SecretArray<const N: usize> = Zeroizing<[u8; N]>;

/// Compares two byte strings in time that depends only on their lengths, never on where they
/// differ. Use it for every signature comparison.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints() {
        let s = SecretString::new("hunter2");
        assert!(!format!("{s:?} {s}").contains("hunter2"));
        let b = SecretBytes::new(b"key".to_vec());
        assert_eq!(format!("{b:?}"), "[REDACTED 3 bytes]");
    }

    #[test]
    fn secret_files_are_regular_bounded_and_utf8() {
        let dir = std::env::temp_dir().join(format!("presign-secret-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let ok = dir.join("ok");
        std::fs::write(&ok, "s3cr3t\n").unwrap();
        assert_eq!(
            read_secret_file(&ok, 64).unwrap().expose_secret(),
            "s3cr3t\n"
        );
        assert_eq!(
            read_secret_file(&ok, 3).unwrap_err(),
            SecretFileError::TooLarge(3)
        );
        let bin = dir.join("bin");
        std::fs::write(&bin, [0xff, 0xfe]).unwrap();
        assert_eq!(
            read_secret_file(&bin, 64).unwrap_err(),
            SecretFileError::NotUtf8
        );
        for special in ["/dev/zero", "/dev/null"] {
            assert_eq!(
                read_secret_file(std::path::Path::new(special), 64).unwrap_err(),
                SecretFileError::NotRegular,
                "{special}"
            );
        }
        assert_eq!(
            read_secret_file(&dir, 64).unwrap_err(),
            SecretFileError::NotRegular
        );
        assert!(matches!(
            read_secret_file(&dir.join("missing"), 64),
            Err(SecretFileError::Io(std::io::ErrorKind::NotFound))
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn ct_eq() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
