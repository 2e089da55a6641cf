//! [`Redactor`]: the compiled engine, for strings, byte buffers, streams and `Display`.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, BufRead, Write};
use std::sync::Arc;

use super::engine::{Compiled, Rules, State};
use super::secrets::{KeyIds, SecretParam};
use super::writer::RedactWriter;

/// Removes signatures, tokens and (optionally) key ids from text: URLs, cookies, headers and
/// whole logs, in raw, percent-encoded (once or twice), JSON-escaped and HTML-escaped forms.
/// Everything else, line structure included, is left byte for byte as it was.
///
/// Built from the [`SecretParam`] declarations of the providers it must know; cheap to clone
/// (the compiled rules are shared).
///
/// ```
/// use presign_core::redact::{Redactor, SecretKind, SecretParam};
/// const DECLARED: &[SecretParam] = &[
///     SecretParam::new("X-Amz-Signature", SecretKind::Signature),
///     SecretParam::new("X-Amz-Credential", SecretKind::CredentialScope),
/// ];
/// let redactor = Redactor::new(DECLARED);
/// let log = "GET /k?X-Amz-Credential=AKIDEXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=aeeed9bb 200\n";
/// assert_eq!(
///     redactor.redact_str(log),
///     "GET /k?X-Amz-Credential=AKIDEXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=REDACTED 200\n"
/// );
/// ```
#[derive(Clone, Debug)]
pub struct Redactor {
    rules: Rules,
}

/// Collects declarations and options for a [`Redactor`].
#[derive(Clone, Debug, Default)]
pub struct RedactorBuilder {
    secrets: Vec<SecretParam>,
    key_ids: KeyIds,
}

impl RedactorBuilder {
    /// Adds declarations (typically a provider's `SECRET_PARAMS`).
    #[must_use]
    pub fn secrets<'a>(mut self, secrets: impl IntoIterator<Item = &'a SecretParam>) -> Self {
        self.secrets.extend(secrets);
        self
    }

    /// Whether key ids are kept (the default) or replaced too.
    #[must_use]
    pub fn key_ids(mut self, key_ids: KeyIds) -> Self {
        self.key_ids = key_ids;
        self
    }

    /// Compiles the rules.
    pub fn build(self) -> Redactor {
        Redactor {
            rules: Arc::new(Compiled::new(&self.secrets, self.key_ids)),
        }
    }
}

impl Redactor {
    /// A redactor for `secrets`, keeping key ids.
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a SecretParam>) -> Self {
        Self::builder().secrets(secrets).build()
    }

    /// A builder (declarations, [`KeyIds`]).
    pub fn builder() -> RedactorBuilder {
        RedactorBuilder::default()
    }

    /// Whether key ids are kept or replaced.
    pub fn key_ids(&self) -> KeyIds {
        self.rules.key_ids
    }

    /// `text` with every declared secret replaced by [`REDACTED`](super::REDACTED); borrowed when
    /// there was nothing to replace.
    pub fn redact_str<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match self.redact_bytes(text.as_bytes()) {
            Cow::Borrowed(_) => Cow::Borrowed(text),
            // Only runs of ASCII bytes are replaced, by ASCII, so the text stays UTF-8.
            Cow::Owned(bytes) => Cow::Owned(match String::from_utf8(bytes) {
                Ok(s) => s,
                Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
            }),
        }
    }

    /// Like [`redact_str`](Self::redact_str), for bytes that need not be UTF-8.
    pub fn redact_bytes<'a>(&self, input: &'a [u8]) -> Cow<'a, [u8]> {
        let mut state = State::default();
        let mut out = Vec::new();
        self.rules
            .process(&mut state, input, 0, true, true, &mut out);
        if state.replaced == 0 {
            Cow::Borrowed(input)
        } else {
            Cow::Owned(out)
        }
    }

    /// Copies `input` to `output`, redacted, in bounded memory whatever the line lengths; each
    /// chunk read is written and flushed before the next read (so `tail -f | …` shows lines as
    /// they come). Returns how many values were replaced.
    pub fn redact_stream<R: BufRead, W: Write>(&self, mut input: R, output: W) -> io::Result<u64> {
        let mut writer = self.writer(output);
        loop {
            let chunk = input.fill_buf()?;
            if chunk.is_empty() {
                break;
            }
            let n = chunk.len();
            writer.write_all(chunk)?;
            input.consume(n);
            writer.flush()?;
        }
        writer.finish()?;
        Ok(writer.replaced())
    }

    /// A writer that redacts everything written through it into `inner`: for loggers
    /// (`tracing_subscriber::fmt().with_writer(move || redactor.writer(std::io::stderr()))`,
    /// `env_logger::Target::Pipe`). See [`RedactWriter`].
    pub fn writer<W: Write>(&self, inner: W) -> RedactWriter<W> {
        RedactWriter::new(Arc::clone(&self.rules), inner)
    }

    /// `text`, redacted when displayed: `tracing::info!(url = %redactor.display(&url))`.
    pub fn display<'a>(&'a self, text: &'a str) -> RedactedText<'a> {
        RedactedText {
            redactor: self,
            text,
        }
    }
}

/// Text that [`Display`](fmt::Display)s redacted (from [`Redactor::display`]).
#[derive(Clone, Copy, Debug)]
pub struct RedactedText<'a> {
    redactor: &'a Redactor,
    text: &'a str,
}

impl fmt::Display for RedactedText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redactor.redact_str(self.text))
    }
}
