//! [`RedactWriter`]: the engine as an [`io::Write`] wrapper, in bounded memory.

use std::io::{self, Write};

use super::engine::{LOOKBEHIND, Rules, State};

/// The most input processed per `write` call (larger writes are taken in parts).
const CHUNK: usize = 64 * 1024;

/// Redacts everything written through it into an inner writer.
///
/// Output is written as soon as it is decided: everything up to the last few bytes, which may
/// begin a name or an escape and are kept until the next write (a few dozen bytes at most;
/// nothing at all after a newline). A value cut by a write boundary is dropped across it, so
/// memory stays bounded on any input, however long its lines. [`finish`](Self::finish),
/// [`into_inner`](Self::into_inner) or dropping the writer writes the kept tail.
///
/// For loggers that open a writer per event (tracing-subscriber's `MakeWriter` closures), the
/// drop at the end of each event writes it out whole.
///
/// ```
/// use std::io::Write;
/// use presign_core::redact::{Redactor, SecretKind, SecretParam};
/// let redactor = Redactor::new(&[SecretParam::new("sig", SecretKind::Signature)]);
/// let mut w = redactor.writer(Vec::new());
/// w.write_all(b"GET /c/b?sv=2022-11-02&si")?;
/// w.write_all(b"g=abc%2Bdef%3D&se=2030-01-01 200\n")?;
/// let out = w.into_inner()?;
/// assert_eq!(out, b"GET /c/b?sv=2022-11-02&sig=REDACTED&se=2030-01-01 200\n");
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct RedactWriter<W: Write> {
    rules: Rules,
    inner: Option<W>,
    state: State,
    /// Already-written context (the first `ctx` bytes) followed by pending input.
    buf: Vec<u8>,
    ctx: usize,
    /// Whether `buf[0]` is the first byte ever written.
    at_input_start: bool,
    out: Vec<u8>,
    /// An error left the output incomplete: write nothing more.
    poisoned: bool,
}

impl<W: Write> RedactWriter<W> {
    pub(crate) fn new(rules: Rules, inner: W) -> Self {
        RedactWriter {
            rules,
            inner: Some(inner),
            state: State::default(),
            buf: Vec::new(),
            ctx: 0,
            at_input_start: true,
            out: Vec::new(),
            poisoned: false,
        }
    }

    /// How many values have been replaced so far.
    pub fn replaced(&self) -> u64 {
        self.state.replaced
    }

    /// Writes the kept tail (the input is complete) and flushes the inner writer. Further
    /// writes start a new input.
    pub fn finish(&mut self) -> io::Result<()> {
        self.run(true)?;
        self.state.value = None;
        self.buf.clear();
        self.ctx = 0;
        self.at_input_start = true;
        match self.inner.as_mut() {
            Some(w) => w.flush(),
            None => Ok(()),
        }
    }

    /// [`finish`](Self::finish)es and returns the inner writer.
    pub fn into_inner(mut self) -> io::Result<W> {
        self.finish()?;
        self.inner
            .take()
            .ok_or_else(|| io::Error::other("the redacting writer has no inner writer"))
    }

    /// The inner writer (tests).
    #[cfg(test)]
    pub(super) fn inner_ref(&self) -> Option<&W> {
        self.inner.as_ref()
    }

    /// The capacity of the pending buffer (tests: memory stays bounded).
    #[cfg(test)]
    pub(super) fn buffer_capacity(&self) -> usize {
        self.buf.capacity()
    }

    /// Processes the pending input and writes what is decided.
    fn run(&mut self, is_final: bool) -> io::Result<()> {
        if self.poisoned {
            return Err(io::Error::other(
                "an earlier write failed; the redacted output is incomplete",
            ));
        }
        let Some(inner) = self.inner.as_mut() else {
            return Ok(());
        };
        let consumed = self.rules.process(
            &mut self.state,
            &self.buf,
            self.ctx,
            self.at_input_start,
            is_final,
            &mut self.out,
        );
        if let Err(e) = inner.write_all(&self.out) {
            self.poisoned = true;
            return Err(e);
        }
        self.out.clear();
        let keep_from = consumed.saturating_sub(LOOKBEHIND);
        if keep_from > 0 {
            self.buf.drain(..keep_from);
            self.at_input_start = false;
        }
        self.ctx = consumed - keep_from;
        Ok(())
    }
}

impl<W: Write> Write for RedactWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let part = data.get(..CHUNK).unwrap_or(data);
        self.buf.extend_from_slice(part);
        self.run(false)?;
        Ok(part.len())
    }

    /// Flushes the inner writer. The few bytes that may begin a name stay kept.
    fn flush(&mut self) -> io::Result<()> {
        match self.inner.as_mut() {
            Some(w) => w.flush(),
            None => Ok(()),
        }
    }
}

impl<W: Write> Drop for RedactWriter<W> {
    fn drop(&mut self) {
        if self.inner.is_some() && !self.poisoned {
            // Errors cannot be reported from drop; `finish` reports them.
            let _ = self.finish();
        }
    }
}
