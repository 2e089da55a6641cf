//! PEM blocks (RFC 7468): the label and the DER bytes of the first `-----BEGIN ...-----` block.
//!
//! Private keys arrive as PEM (`PRIVATE KEY` for PKCS#8, `RSA PRIVATE KEY` for PKCS#1,
//! `EC PRIVATE KEY` for SEC1). The DER bytes are zeroized on drop; errors never quote the body.

use base64::Engine;
use zeroize::Zeroizing;

/// The largest PEM text accepted, in bytes (an RSA-8192 PKCS#8 key is about 6.5 KB).
pub const MAX_PEM_BYTES: usize = 64 * 1024;

/// One decoded PEM block.
pub struct PemBlock {
    /// The label between `BEGIN ` and the closing dashes (`PRIVATE KEY`, `EC PRIVATE KEY`, ...).
    pub label: String,
    /// The decoded body, zeroized on drop.
    pub der: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for PemBlock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "PemBlock {{ label: {:?}, der: [REDACTED {} bytes] }}",
            self.label,
            self.der.len()
        )
    }
}

/// Decodes the first PEM block of `text`. The error says what is wrong without quoting the
/// body (it may be a private key).
///
/// ```
/// let block = presign_core::pem::decode("-----BEGIN TEST-----\nAAEC\n-----END TEST-----\n")?;
/// assert_eq!(block.label, "TEST");
/// assert_eq!(&block.der[..], &[0, 1, 2]);
/// # Ok::<(), String>(())
/// ```
pub fn decode(text: &str) -> Result<PemBlock, String> {
    if text.len() > MAX_PEM_BYTES {
        return Err(format!(
            "the PEM text is {} bytes, more than {MAX_PEM_BYTES}",
            text.len()
        ));
    }
    let (_, after_begin) = text
        .split_once("-----BEGIN ")
        .ok_or("no \"-----BEGIN ...-----\" line: not a PEM block")?;
    let (label, rest) = after_begin
        .split_once("-----")
        .ok_or("the BEGIN line is not closed by \"-----\"")?;
    if label.is_empty()
        || !label
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' ')
    {
        return Err("the PEM label is not upper-case letters, digits and spaces".into());
    }
    let end = format!("-----END {label}-----");
    let (body, _) = rest
        .split_once(end.as_str())
        .ok_or_else(|| format!("no matching \"-----END {label}-----\" line"))?;
    if body.contains(':') {
        return Err(format!(
            "the {label} block has headers (an encrypted key?); give an unencrypted key"
        ));
    }
    let compact: Zeroizing<Vec<u8>> = Zeroizing::new(
        body.bytes()
            .filter(|b| !b.is_ascii_whitespace())
            .collect::<Vec<u8>>(),
    );
    let der = base64::engine::general_purpose::STANDARD
        .decode(compact.as_slice())
        .map(Zeroizing::new)
        .map_err(|_| format!("the body of the {label} block is not valid base64"))?;
    Ok(PemBlock {
        label: label.to_owned(),
        der,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_name_the_problem_not_the_body() {
        assert!(decode("nothing").unwrap_err().contains("not a PEM"));
        let e = decode("-----BEGIN X-----\nc2VjcmV0!!\n-----END X-----").unwrap_err();
        assert!(e.contains("base64") && !e.contains("c2VjcmV0"), "{e}");
        let e = decode("-----BEGIN X-----\nAAAA\n-----END Y-----").unwrap_err();
        assert!(e.contains("END X"), "{e}");
        let e = decode(
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nAAAA\n-----END RSA PRIVATE KEY-----",
        )
        .unwrap_err();
        assert!(e.contains("encrypted"), "{e}");
        assert!(decode(&"A".repeat(MAX_PEM_BYTES + 1)).is_err());
    }

    #[test]
    fn debug_hides_the_body() {
        let b = decode("-----BEGIN K-----\nAAEC\n-----END K-----").unwrap();
        assert_eq!(
            format!("{b:?}"),
            "PemBlock { label: \"K\", der: [REDACTED 3 bytes] }"
        );
    }
}
