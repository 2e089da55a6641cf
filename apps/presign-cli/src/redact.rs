//! `presign redact`: standard input to standard output with every vendor's signatures and
//! tokens replaced by `REDACTED` (see `presign_core::redact`).

use std::io::{BufRead, Write};

use presign_core::redact::KeyIds;
use presign_inspect::vendor_redactor;

use crate::args::RedactArgs;
use crate::{EXIT_OK, Failure};

pub(crate) fn run(
    a: &RedactArgs,
    stdin: &mut dyn BufRead,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<i32, Failure> {
    let key_ids = if a.key_ids {
        KeyIds::Redact
    } else {
        KeyIds::Keep
    };
    let replaced = vendor_redactor(key_ids).redact_stream(stdin, stdout)?;
    if a.count {
        writeln!(stderr, "presign: redacted {replaced} values")?;
    }
    Ok(EXIT_OK)
}
