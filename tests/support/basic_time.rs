//! The basic ISO 8601 form the signing schemes put in URLs (`20260102T030405Z`), read back by
//! the tests' own verifiers without presign's parser.

/// `20260102T030405Z` as RFC 3339 (`2026-01-02T03:04:05Z`); `None` unless `s` is 16 ASCII
/// bytes.
pub fn basic_to_rfc3339(s: &str) -> Option<String> {
    if s.len() != 16 || !s.is_ascii() {
        return None;
    }
    Some(format!(
        "{}-{}-{}T{}:{}:{}Z",
        &s[0..4],
        &s[4..6],
        &s[6..8],
        &s[9..11],
        &s[11..13],
        &s[13..15]
    ))
}
