//! Warnings on stderr: where the signed result does less, or less long, than was asked.
//! Each is one line, `presign: warning[KIND]: MESSAGE`, whatever the output format.

use std::io::{self, Write};
use std::time::Duration;

use presign_core::ConstraintKind;
use presign_core::duration::format_duration;

/// The names of `kinds`, comma-separated.
fn names(kinds: &[ConstraintKind]) -> String {
    kinds
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Constraints the best-effort policy dropped (the URL does not bind them) or kept although
/// the server does not check them.
pub(crate) fn constraints(
    stderr: &mut dyn Write,
    provider: &str,
    dropped: &[ConstraintKind],
    advisory: &[ConstraintKind],
) -> io::Result<()> {
    if !dropped.is_empty() {
        writeln!(
            stderr,
            "presign: warning[dropped]: provider {provider} cannot enforce {}; the best-effort policy signed without them, so the URL does not bind them",
            names(dropped)
        )?;
    }
    if !advisory.is_empty() {
        writeln!(
            stderr,
            "presign: warning[advisory]: provider {provider} does not check {}; they are in the URL but the server does not enforce them",
            names(advisory)
        )?;
    }
    Ok(())
}

/// A time-to-live shorter than requested (the policy clamped it to its maximum, the
/// provider's limit or the credentials' expiry).
pub(crate) fn ttl(
    stderr: &mut dyn Write,
    requested: Duration,
    granted: Duration,
) -> io::Result<()> {
    if granted >= requested {
        return Ok(());
    }
    writeln!(
        stderr,
        "presign: warning[ttl_clamped]: requested time-to-live {}, granted {} (the policy's maximum, the provider's limit or the credentials' expiry)",
        format_duration(requested),
        format_duration(granted)
    )
}
