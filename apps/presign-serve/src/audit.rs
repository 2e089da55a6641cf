//! The audit log: one JSON line per decision, to standard output or a file.
//!
//! A line holds the time, the request id, the principal and how it authenticated, the
//! endpoint, provider, method and key, the decision and its reason, the HTTP status, the rule
//! that allowed it, the expiry and the signed URL with every vendor's signature and token
//! replaced by `REDACTED` (core's redaction engine, [`presign_inspect::vendor_redactor`]).
//! Never a secret, a token or a full signature.
//!
//! Lines are appended to an in-memory buffer and written by a background thread every 100 ms
//! (sooner when 64 KiB are waiting), so a slow disk never blocks a request. The buffer is
//! bounded: when 8 MiB are waiting the gateway refuses to sign (503) rather than sign
//! without a record.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use presign_core::Timestamp;
use presign_core::redact::{KeyIds, Redactor};
use serde::Serialize;

/// Bytes waiting beyond which decisions are refused.
pub const MAX_PENDING_BYTES: usize = 8 << 20;
/// Bytes waiting that wake the writer early.
const WAKE_AT: usize = 64 << 10;
/// The longest key written to a line (longer keys are cut at a character boundary).
const MAX_KEY_IN_LINE: usize = 1024;

/// One decision.
#[derive(Debug, Default, Serialize)]
pub struct AuditRecord<'a> {
    /// When the decision was made (RFC 3339, UTC).
    pub time: String,
    /// The request id (also in the `x-request-id` response header).
    pub request_id: &'a str,
    /// `jwt` or `api_key`; absent when authentication failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth: Option<&'a str>,
    /// The principal's name; absent when authentication failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<&'a str>,
    /// The endpoint (`redirect`, `sign`, `post_policy`).
    pub endpoint: &'a str,
    /// The provider asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<&'a str>,
    /// The method asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<&'a str>,
    /// The key asked for (at most 1 KiB of it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<&'a str>,
    /// `allow` or `deny`.
    pub decision: &'a str,
    /// Why: `signed`, or the refusal's reason (`key_not_allowed`, `token_expired`, ...).
    pub reason: &'a str,
    /// The HTTP status answered (for a batch item, the status it would have alone).
    pub status: u16,
    /// The rule that allowed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'a str>,
    /// The signed URL's expiry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    /// The signed URL with its signature redacted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

struct Shared {
    pending: Mutex<Vec<u8>>,
    sink: Mutex<Box<dyn Write + Send>>,
    stop: AtomicBool,
}

impl Shared {
    /// Writes what is waiting, in order (the sink lock is held while the buffer is taken).
    fn drain(&self) -> io::Result<()> {
        let mut sink = self.sink.lock().unwrap_or_else(PoisonError::into_inner);
        let batch =
            std::mem::take(&mut *self.pending.lock().unwrap_or_else(PoisonError::into_inner));
        if batch.is_empty() {
            return Ok(());
        }
        sink.write_all(&batch)?;
        sink.flush()
    }
}

/// Why a line could not be recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditFull;

/// The audit log.
pub struct AuditLog {
    shared: Arc<Shared>,
    writer: Mutex<Option<JoinHandle<()>>>,
    redactor: Redactor,
}

impl std::fmt::Debug for AuditLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditLog")
    }
}

impl AuditLog {
    /// A log appending to `file` (created with mode 0600), or to standard output.
    pub fn open(file: Option<&Path>) -> io::Result<AuditLog> {
        let sink: Box<dyn Write + Send> = match file {
            Some(path) => {
                let mut options = OpenOptions::new();
                options.create(true).append(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                Box::new(options.open(path)?)
            }
            None => stdout_sink()?,
        };
        Ok(AuditLog::to_writer(sink))
    }

    /// A log writing to `sink`.
    pub fn to_writer(sink: Box<dyn Write + Send>) -> AuditLog {
        let shared = Arc::new(Shared {
            pending: Mutex::new(Vec::with_capacity(WAKE_AT * 2)),
            sink: Mutex::new(sink),
            stop: AtomicBool::new(false),
        });
        let for_thread = Arc::clone(&shared);
        let writer = std::thread::Builder::new()
            .name("presign-audit".into())
            .spawn(move || {
                loop {
                    std::thread::park_timeout(Duration::from_millis(100));
                    if let Err(e) = for_thread.drain() {
                        tracing::error!(error = %e, "presign serve: writing the audit log failed");
                    }
                    if for_thread.stop.load(Ordering::Acquire) {
                        let _ = for_thread.drain();
                        break;
                    }
                }
            })
            .ok();
        AuditLog {
            shared,
            writer: Mutex::new(writer),
            redactor: presign_inspect::vendor_redactor(KeyIds::Keep),
        }
    }

    /// `url` with every vendor's signature and token redacted.
    pub fn redact(&self, url: &str) -> String {
        self.redactor.redact_str(url).into_owned()
    }

    /// Records one decision; `Err` when too much is waiting to be written.
    pub fn record(&self, record: &AuditRecord<'_>) -> Result<(), AuditFull> {
        let mut line = Vec::with_capacity(512);
        let cut;
        let record = match record.key {
            Some(k) if k.len() > MAX_KEY_IN_LINE => {
                let mut end = MAX_KEY_IN_LINE;
                while !k.is_char_boundary(end) {
                    end -= 1;
                }
                cut = AuditRecord {
                    key: k.get(..end),
                    time: record.time.clone(),
                    expires_at: record.expires_at.clone(),
                    url: record.url.clone(),
                    ..*record
                };
                &cut
            }
            _ => record,
        };
        // A struct of strings and numbers always serializes.
        let _ = serde_json::to_writer(&mut line, record);
        line.push(b'\n');
        let mut pending = self
            .shared
            .pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if pending.len() + line.len() > MAX_PENDING_BYTES {
            return Err(AuditFull);
        }
        pending.extend_from_slice(&line);
        let wake = pending.len() >= WAKE_AT;
        drop(pending);
        if wake {
            self.wake();
        }
        Ok(())
    }

    fn wake(&self) {
        if let Some(t) = self
            .writer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
        {
            t.thread().unpark();
        }
    }

    /// Writes every waiting line now.
    pub fn flush(&self) -> io::Result<()> {
        self.shared.drain()
    }

    /// Writes every waiting line and stops the writer thread.
    pub fn close(&self) {
        self.shared.stop.store(true, Ordering::Release);
        let handle = self
            .writer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(h) = handle {
            h.thread().unpark();
            let _ = h.join();
        }
        let _ = self.shared.drain();
    }
}

impl Drop for AuditLog {
    fn drop(&mut self) {
        self.close();
    }
}

/// Standard output for the writer thread: on Unix a duplicate of descriptor 1 written
/// directly, so that a caller holding `io::stdout().lock()` for its lifetime (the `presign`
/// command does) can never block the audit log.
fn stdout_sink() -> io::Result<Box<dyn Write + Send>> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        let fd = io::stdout().as_fd().try_clone_to_owned()?;
        Ok(Box::new(std::fs::File::from(fd)))
    }
    #[cfg(not(unix))]
    {
        Ok(Box::new(io::stdout()))
    }
}

/// The current time, RFC 3339.
pub(crate) fn now_rfc3339() -> String {
    Timestamp::now().to_rfc3339()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);
    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn lines_are_json_redacted_and_bounded() {
        let out = Shared::default();
        let log = AuditLog::to_writer(Box::new(out.clone()));
        let url = log.redact(
            "https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIA%2F&X-Amz-Signature=abcdef0123&X-Amz-Security-Token=tok",
        );
        let long_key = "é".repeat(1000);
        log.record(&AuditRecord {
            time: now_rfc3339(),
            request_id: "r1",
            endpoint: "redirect",
            key: Some(&long_key),
            decision: "allow",
            reason: "signed",
            status: 303,
            url: Some(url),
            ..AuditRecord::default()
        })
        .unwrap();
        log.flush().unwrap();
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        assert!(text.ends_with('\n') && text.lines().count() == 1);
        assert!(
            !text.contains("abcdef0123") && !text.contains("tok\""),
            "{text}"
        );
        let v: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
        assert_eq!(v["decision"], "allow");
        assert!(v["key"].as_str().unwrap().len() <= MAX_KEY_IN_LINE);
        assert!(v.get("principal").is_none());
        log.close();
    }
}
