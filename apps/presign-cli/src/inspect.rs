//! `presign inspect`: decode signed URLs without credentials and check them against the
//! checklist (see `presign_inspect`).

use std::io::{BufRead, Read, Write};

use presign_core::Timestamp;
use presign_core::redact::{KeyIds, Redactor};
use presign_inspect::{Severity, inspect, render_text, vendor_redactor};
use serde::Serialize;
use serde_json::json;

use crate::args::InspectArgs;
use crate::{EXIT_FINDINGS, EXIT_OK, EXIT_REFUSED, EXIT_USAGE, Failure};

/// The longest input line read (longer lines are reported, not decoded).
const MAX_LINE: usize = presign_inspect::MAX_URL_BYTES;

pub(crate) fn run(
    a: &InspectArgs,
    stdin: &mut dyn BufRead,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<i32, Failure> {
    let fail_on = match a.fail_on.as_deref().map(|s| (s, Severity::parse(s))) {
        None => None,
        Some((_, Some(s))) if s > Severity::Info => Some(s),
        Some((s, _)) => {
            writeln!(
                stderr,
                "presign: error[usage]: --fail-on {s:?}: use warning or error"
            )?;
            return Ok(EXIT_USAGE);
        }
    };
    let now = match a.now.as_deref() {
        Some(t) => Timestamp::parse_rfc3339(t)?,
        None => Timestamp::now(),
    };
    let redactor = vendor_redactor(KeyIds::Keep);
    let mut out = Outcome::default();
    let mut check = |text: &str, out: &mut Outcome| out.one(text, now, &redactor, a, stdout);
    if a.urls.is_empty() {
        let mut line = Vec::new();
        loop {
            line.clear();
            let n = Read::take(&mut *stdin, MAX_LINE as u64 + 1).read_until(b'\n', &mut line)?;
            if n == 0 {
                break;
            }
            if !line.ends_with(b"\n") && line.len() > MAX_LINE {
                skip_line(stdin)?;
            }
            let text = String::from_utf8_lossy(&line);
            if !text.trim().is_empty() {
                check(&text, &mut out)?;
            }
        }
    } else {
        for url in &a.urls {
            check(url, &mut out)?;
        }
    }
    Ok(if out.invalid {
        EXIT_REFUSED
    } else if fail_on.is_some_and(|f| out.worst.is_some_and(|w| w >= f)) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// Discards the rest of an over-long line.
fn skip_line(stdin: &mut dyn BufRead) -> std::io::Result<()> {
    loop {
        let buf = stdin.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        match buf.iter().position(|b| *b == b'\n') {
            Some(i) => {
                stdin.consume(i + 1);
                return Ok(());
            }
            None => {
                let n = buf.len();
                stdin.consume(n);
            }
        }
    }
}

/// How much of an input is echoed (redacted).
const SHOWN: usize = 4096;

/// At most `max` bytes of `s`, cut at a character boundary.
fn cut(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or_default()
}

/// A report with the (redacted) URL first.
#[derive(Serialize)]
struct Shown<'a> {
    url: &'a str,
    #[serde(flatten)]
    report: &'a presign_inspect::Report,
}

/// What the inputs added up to.
#[derive(Default)]
struct Outcome {
    invalid: bool,
    worst: Option<Severity>,
    count: usize,
}

impl Outcome {
    fn one(
        &mut self,
        text: &str,
        now: Timestamp,
        redactor: &Redactor,
        a: &InspectArgs,
        stdout: &mut dyn Write,
    ) -> Result<(), Failure> {
        let text = text.trim();
        let shown = redactor.redact_str(text);
        // Redacted, and cut when it is too long to be a URL.
        let shown = cut(&shown, SHOWN);
        self.count += 1;
        match inspect(text, now) {
            Ok(report) => {
                self.worst = self.worst.max(report.worst());
                if a.json {
                    let line = serde_json::to_string(&Shown {
                        url: shown,
                        report: &report,
                    })
                    .map_err(std::io::Error::other)?;
                    writeln!(stdout, "{line}")?;
                } else {
                    if self.count > 1 {
                        writeln!(stdout)?;
                    }
                    writeln!(stdout, "{:<16}{shown}", "url:")?;
                    write!(stdout, "{}", render_text(&report))?;
                }
            }
            Err(e) => {
                self.invalid = true;
                if a.json {
                    let v = json!({"url": shown, "error": {"kind": e.kind(), "message": e.to_string()}});
                    writeln!(stdout, "{v}")?;
                } else {
                    if self.count > 1 {
                        writeln!(stdout)?;
                    }
                    writeln!(stdout, "{:<16}{shown}", "url:")?;
                    writeln!(stdout, "error[{}]: {e}", e.kind())?;
                }
            }
        }
        Ok(())
    }
}
