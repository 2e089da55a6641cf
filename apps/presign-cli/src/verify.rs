//! `presign verify`: recompute a URL's signature offline with the configured provider's
//! credentials and say "valid until …, for METHOD with these headers", or which part differs
//! (see `presign_inspect::verify`).

use std::io::Write;

use presign_config::Registry;
use presign_core::{Error, Method, Timestamp};
use presign_inspect::{VerifyError, verify};
use serde_json::json;

use crate::args::VerifyArgs;
use crate::request::split_pair;
use crate::{EXIT_FINDINGS, EXIT_OK, EXIT_REFUSED, Failure};

pub(crate) fn run(
    registry: &Registry,
    a: &VerifyArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<i32, Failure> {
    let entry = registry.resolve(a.provider.as_deref())?;
    let method: Method = a.method.parse()?;
    let headers = a
        .headers
        .iter()
        .map(|h| split_pair("header", h, ':').map(|(k, v)| (k.to_owned(), v.to_owned())))
        .collect::<Result<Vec<_>, Error>>()?;
    let now = match a.now.as_deref() {
        Some(t) => Timestamp::parse_rfc3339(t)?,
        None => Timestamp::now(),
    };
    let v = match verify(entry.verifier.as_ref(), &a.url, method, &headers, now) {
        Ok(v) => v,
        Err(VerifyError::Url(e)) => {
            writeln!(stderr, "presign: error[{}]: {e}", e.kind())?;
            return Ok(EXIT_REFUSED);
        }
        Err(VerifyError::Provider(e)) => return Err(e.into()),
    };
    if a.json {
        let line = serde_json::to_string(&json!({
            "valid": v.valid,
            "part": v.part,
            "message": v.message,
            "method": v.method.as_str(),
            "headers": v.headers,
            "expires_at": v.report.expires_at.to_string(),
            "provider": entry.name,
            "signed_text": v.signed_text,
        }))
        .map_err(std::io::Error::other)?;
        writeln!(stdout, "{line}")?;
    } else if v.valid {
        writeln!(stdout, "{}", v.message)?;
    } else {
        let part = serde_json::to_value(v.part)
            .ok()
            .and_then(|p| p.as_str().map(str::to_owned))
            .unwrap_or_default();
        writeln!(stdout, "invalid ({part}): {}", v.message)?;
        if let Some(text) = &v.signed_text {
            writeln!(
                stdout,
                "\nwhat {} signed for this request:\n{text}",
                entry.name
            )?;
        }
    }
    Ok(if v.valid { EXIT_OK } else { EXIT_FINDINGS })
}
