//! `presign batch`: JSON Lines in, JSON Lines out, one answer per request, in order.
//!
//! A line signs a URL (`"method"`, `"key"`, ...), or with `"kind": "post"` a POST policy
//! (`"key"` or `"key_prefix"`, `"max_size"`, `"content_type"`, ...; answered with `"url"` and
//! `"fields"` in signing order), or with `"kind": "cookies"` a CDN cookie grant (`"pattern"`;
//! answered with `"cookies"`, `"domain"`, `"path"`, see [`cookie_lines`]).
//!
//! Every field of a line is untrusted. Inline providers (a provider table instead of a
//! configured name) are off unless the operator passes `--allow-inline-providers`
//! ([`BatchOptions::allow_inline_providers`]); even then they take secrets only inline and
//! their policy can only tighten the operator's top-level one
//! ([`presign_config::ProviderConfig::build_inline`]). A line longer than
//! [`MAX_LINE_BYTES`] is answered with an error without being held in memory; the `id` is
//! echoed re-serialized (a string or number of at most [`MAX_ID_BYTES`] bytes, or an array or
//! object nested at most [`MAX_ID_DEPTH`] deep), never as the raw input text. Refusals name
//! the rule that refused, not the operator's configuration (prefixes, other providers).
//!
//! Built for throughput: input and output are buffered and locked once, lines are parsed
//! with borrowed strings, every line is signed on the synchronous path when its credential is
//! at hand (static keys, a fresh cached key) and on the async path, driven by one
//! current-thread runtime for the whole batch, only when it must wait; answers are written into one
//! reused buffer, and inline providers are built once per distinct JSON text (so their
//! signing-key caches work) in a bounded cache.
//!
//! Throughput check (documented, never a timed test):
//!
//! ```text
//! cargo build --release -p presign-cli -p presign-examples
//! target/release/gen_batch 1000000 > /tmp/batch.jsonl
//! time target/release/presign batch < /tmp/batch.jsonl > /tmp/batch.out
//! ```

use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::io::{self, BufRead, Write};
use std::marker::PhantomData;
use std::sync::Arc;

use presign_config::{ProviderConfig, ProviderEntry, Registry};
use presign_core::duration::parse_duration;
use presign_core::post_policy::PresignedPost;
use presign_core::{ContentLength, Error, PresignedRequest};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

mod cookie_lines;

use crate::json;
use crate::post::{self, parse_size};
use presign_config::fields::{PostFields, UrlFields, parse_content_length};

/// The longest input line, in bytes; longer lines are answered with an error (the rest of
/// such a line is read and dropped, never held).
pub const MAX_LINE_BYTES: usize = 1 << 20;
/// The largest `id`, in bytes of JSON text.
pub const MAX_ID_BYTES: usize = 1024;
/// The deepest nesting of arrays and objects in an `id`.
pub const MAX_ID_DEPTH: usize = 16;
/// How many distinct inline providers stay built.
pub const INLINE_CACHE_CAPACITY: usize = 64;
/// Output is handed to the writer in chunks of about this size.
const FLUSH_AT: usize = 1 << 16;

/// What a batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchStats {
    /// Requests read (blank lines are skipped and not counted).
    pub lines: u64,
    /// Requests answered with an error line.
    pub errors: u64,
}

/// How a batch treats its input.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct BatchOptions {
    /// Accept inline provider tables (`presign batch --allow-inline-providers`): only for
    /// trusted pipelines. Off by default: a line may then only name a configured provider.
    pub allow_inline_providers: bool,
}

impl BatchOptions {
    /// Inline providers on or off.
    #[must_use]
    pub fn with_inline_providers(mut self, allow: bool) -> Self {
        self.allow_inline_providers = allow;
        self
    }
}

/// Reads JSON Lines requests from `input` and writes one JSON line per request to `output`,
/// in order. A bad line gets an error line; only I/O errors stop the batch.
pub fn run_batch(
    registry: &Registry,
    options: BatchOptions,
    input: &mut dyn BufRead,
    output: &mut dyn Write,
) -> io::Result<BatchStats> {
    let rt = crate::runtime()?;
    rt.block_on(batch(registry, options, input, output))
}

/// What [`read_line`] found.
#[derive(Debug, PartialEq, Eq)]
enum Read {
    /// The end of the input.
    End,
    /// A line (without its `\n`) is in the buffer.
    Line,
    /// A line longer than the limit was read and dropped.
    TooLong,
}

/// Reads one line into `line` (cleared first), holding at most `max` bytes of it: the rest of
/// a longer line is consumed and dropped as it arrives.
fn read_line(input: &mut dyn BufRead, line: &mut Vec<u8>, max: usize) -> io::Result<Read> {
    line.clear();
    let mut seen = false;
    let mut too_long = false;
    loop {
        let chunk = match input.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(match (seen, too_long) {
                (false, _) => Read::End,
                (true, false) => Read::Line,
                (true, true) => Read::TooLong,
            });
        }
        seen = true;
        let newline = chunk.iter().position(|&b| b == b'\n');
        let body = newline.map_or(chunk, |i| chunk.get(..i).unwrap_or_default());
        if !too_long {
            if line.len() + body.len() > max {
                too_long = true;
                line.clear();
            } else {
                line.extend_from_slice(body);
            }
        }
        let used = newline.map_or(chunk.len(), |i| i + 1);
        input.consume(used);
        if newline.is_some() {
            return Ok(if too_long { Read::TooLong } else { Read::Line });
        }
    }
}

async fn batch(
    registry: &Registry,
    options: BatchOptions,
    input: &mut dyn BufRead,
    output: &mut dyn Write,
) -> io::Result<BatchStats> {
    let mut stats = BatchStats::default();
    let mut line = Vec::with_capacity(1024);
    let mut out = Vec::with_capacity(FLUSH_AT + 4096);
    let mut scratch = String::with_capacity(32);
    let mut inline = InlineCache::new(INLINE_CACHE_CAPACITY, options.allow_inline_providers);
    loop {
        let answered = match read_line(input, &mut line, MAX_LINE_BYTES)? {
            Read::End => break,
            Read::TooLong => {
                error_line(
                    &mut out,
                    None,
                    "parse",
                    &format!("line longer than {MAX_LINE_BYTES} bytes"),
                );
                false
            }
            Read::Line => {
                let text = line.trim_ascii();
                if text.is_empty() {
                    continue;
                }
                answer(registry, &mut inline, text, &mut out, &mut scratch).await
            }
        };
        stats.lines += 1;
        if !answered {
            stats.errors += 1;
        }
        if out.len() >= FLUSH_AT {
            output.write_all(&out)?;
            out.clear();
        }
    }
    output.write_all(&out)?;
    output.flush()?;
    Ok(stats)
}

/// Answers one line into `out`; false when the answer is an error line.
async fn answer(
    registry: &Registry,
    inline: &mut InlineCache,
    text: &[u8],
    out: &mut Vec<u8>,
    scratch: &mut String,
) -> bool {
    // Validating the whole line at once is faster than string by string.
    let Ok(text) = std::str::from_utf8(text) else {
        error_line(out, None, "parse", "the line is not valid UTF-8");
        return false;
    };
    let line: Line<'_> = match serde_json::from_str(text) {
        Ok(line) => line,
        Err(e) => {
            let id = serde_json::from_str::<IdOnly<'_>>(text)
                .ok()
                .and_then(|l| l.id)
                .filter(|id| check_id(id).is_ok());
            error_line(out, id, "parse", &e.to_string());
            return false;
        }
    };
    if let Err(reason) = line.id.map_or(Ok(()), check_id) {
        error_line(out, None, "parse", reason);
        return false;
    }
    match line.kind.as_deref() {
        None | Some("url") => {}
        Some("post") => return answer_post(registry, inline, &line, out, scratch).await,
        Some("cookies") => {
            return cookie_lines::answer(registry, inline, &line, out, scratch).await;
        }
        Some(other) => {
            error_line(
                out,
                line.id,
                "parse",
                &format!(
                    "unknown kind {other:?}; use \"url\" (the default), \"post\" or \"cookies\""
                ),
            );
            return false;
        }
    }
    let (Some(method), Some(key)) = (line.method.as_deref(), line.key.as_deref()) else {
        let missing = if line.method.is_none() {
            "method"
        } else {
            "key"
        };
        error_line(out, line.id, "parse", &format!("missing field `{missing}`"));
        return false;
    };
    let foreign = line
        .post_only_field()
        .map(|field| (field, "post"))
        .or_else(|| line.pattern.is_some().then_some(("pattern", "cookies")));
    if let Some((field, kind)) = foreign {
        error_line(
            out,
            line.id,
            "parse",
            &format!(
                "unknown field `{field}` for a URL line (it belongs to \"kind\": \"{kind}\" lines)"
            ),
        );
        return false;
    }
    match sign(registry, inline, &line, method, key).await {
        Ok(signed) => {
            out.extend_from_slice(b"{\"id\":");
            id(out, line.id);
            out.push(b',');
            json::signed_fields(out, scratch, &signed);
            out.extend_from_slice(b"}\n");
            true
        }
        Err(e) => {
            error_line(out, line.id, e.kind(), &e.to_string());
            false
        }
    }
}

/// The line's `expires_in`, seconds or a duration string.
fn expires_in(line: &Line<'_>) -> Result<Option<std::time::Duration>, Error> {
    Ok(match &line.expires_in {
        None => None,
        Some(NumOrStr::Num(n)) => Some(std::time::Duration::from_secs(*n)),
        Some(NumOrStr::Str(s)) => Some(parse_duration(s).map_err(|e| match e {
            Error::InvalidInput { reason, .. } => Error::invalid_input("expires_in", reason),
            other => other,
        })?),
    })
}

/// A size field, bytes or a string like `"5MiB"`.
fn size(field: &str, v: &Option<NumOrStr<'_>>) -> Result<Option<u64>, Error> {
    match v {
        None => Ok(None),
        Some(NumOrStr::Num(n)) => Ok(Some(*n)),
        Some(NumOrStr::Str(s)) => parse_size(field, s).map(Some),
    }
}

/// Answers a `"kind": "post"` line into `out`; false when the answer is an error line.
async fn answer_post(
    registry: &Registry,
    inline: &mut InlineCache,
    line: &Line<'_>,
    out: &mut Vec<u8>,
    scratch: &mut String,
) -> bool {
    let foreign = line
        .url_only_field()
        .or_else(|| line.pattern.is_some().then_some("pattern"));
    if let Some(field) = foreign {
        error_line(
            out,
            line.id,
            "parse",
            &format!("unknown field `{field}` for a \"kind\": \"post\" line"),
        );
        return false;
    }
    match sign_post(registry, inline, line).await {
        Ok(signed) => {
            out.extend_from_slice(b"{\"id\":");
            id(out, line.id);
            out.extend_from_slice(b",\"url\":");
            json::string(out, signed.url());
            out.extend_from_slice(b",\"fields\":");
            post::fields_object(out, &signed, "");
            if !signed.client_fields().is_empty() {
                out.extend_from_slice(b",\"client_fields\":");
                post::client_fields_array(out, &signed);
            }
            out.extend_from_slice(b",\"expires_at\":");
            json::time(out, scratch, signed.expires_at());
            out.extend_from_slice(b"}\n");
            true
        }
        Err(e) => {
            error_line(out, line.id, e.kind(), &e.to_string());
            false
        }
    }
}

async fn sign_post(
    registry: &Registry,
    inline: &mut InlineCache,
    line: &Line<'_>,
) -> Result<PresignedPost, Error> {
    let (key, prefix) = match (line.key.as_deref(), line.key_prefix.as_deref()) {
        (Some(k), None) => (k, false),
        (None, Some(p)) => (p, true),
        _ => {
            return Err(Error::invalid_input(
                "key",
                "a post line needs exactly one of key (exact) and key_prefix",
            ));
        }
    };
    let (content_type, content_type_prefix) = match (
        line.content_type.as_deref(),
        &line.content_type_prefix,
    ) {
        (None, Some(BoolOrStr::Str(p))) => (Some(p.as_ref()), true),
        (Some(_), Some(BoolOrStr::Str(_))) => {
            return Err(Error::invalid_input(
                "content_type_prefix",
                "give content_type with content_type_prefix: true, or the prefix as content_type_prefix, not both",
            ));
        }
        (t, Some(BoolOrStr::Bool(b))) => (t, *b),
        (t, None) => (t, false),
    };
    let fields = PostFields {
        key,
        prefix,
        max_size: size("max_size", &line.max_size)?,
        min_size: size("min_size", &line.min_size)?,
        content_type,
        content_type_prefix,
        expires_in: expires_in(line)?,
        success_action_status: line.success_action_status,
        success_action_redirect: line.success_action_redirect.as_deref(),
        metadata: pairs(&line.metadata),
        cache_control: line.cache_control.as_deref(),
        content_disposition: line.content_disposition.as_deref(),
        acl: line.acl.as_deref(),
        now: line.now.as_deref(),
    };
    let entry = provider(registry, inline, line.provider)?;
    let request = fields.build(entry.policy.max_upload_size())?;
    // The synchronous path when the credential is at hand; the async one when it must wait.
    match entry.presign_post_sync(&request) {
        Err(Error::WouldBlock { .. }) => entry.presign_post(&request).await,
        done => done,
    }
}

async fn sign(
    registry: &Registry,
    inline: &mut InlineCache,
    line: &Line<'_>,
    method: &str,
    key: &str,
) -> Result<PresignedRequest, Error> {
    let fields = UrlFields {
        method,
        key,
        expires_in: expires_in(line)?,
        now: line.now.as_deref(),
        content_type: line.content_type.as_deref(),
        content_length: match &line.content_length {
            None => None,
            Some(NumOrStr::Num(n)) => Some(ContentLength::Exact(*n)),
            Some(NumOrStr::Str(s)) => Some(parse_content_length(s)?),
        },
        content_md5: line.content_md5.as_deref(),
        response_content_disposition: line.response_content_disposition.as_deref(),
        response_content_type: line.response_content_type.as_deref(),
        headers: pairs(&line.headers),
        query: pairs(&line.query),
        create_only: line.create_only.unwrap_or(false),
        ip: line.ip.as_deref(),
        https_only: line.https_only.unwrap_or(false),
        not_before: line.not_before.as_deref(),
    };
    let mut request = fields.build()?;
    let entry = provider(registry, inline, line.provider)?;
    // A CDN's keys are URL paths: `/videos/a.mp4` and `videos/a.mp4` name the same object.
    if entry.cookies.is_some()
        && let Some(stripped) = key.strip_prefix('/')
    {
        request.key = presign_core::ObjectKey::new(stripped)?;
    }
    // The synchronous path when the credential is at hand; the async one when it must wait.
    match entry.sync.presign_sync(&request) {
        Err(Error::WouldBlock { .. }) => entry.presigner.presign(&request).await,
        done => done,
    }
}

fn pairs<'a>(p: &'a Option<Pairs<'_>>) -> Vec<(&'a str, &'a str)> {
    p.as_ref()
        .map(|p| p.0.iter().map(|(k, v)| (k.as_ref(), v.as_ref())).collect())
        .unwrap_or_default()
}

/// The line's provider: a configured name, or an inline table (built once per JSON text).
fn provider(
    registry: &Registry,
    inline: &mut InlineCache,
    raw: &RawValue,
) -> Result<Arc<ProviderEntry>, Error> {
    let text = raw.get();
    if text.starts_with('"') {
        // A plain name needs no unescaping (the common case): skip a second parse.
        if let Some(plain) = text
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .filter(|t| !t.contains('\\'))
        {
            return configured(registry, plain);
        }
        let name: CowStr<'_> = serde_json::from_str(text)
            .map_err(|e| Error::invalid_input("provider", e.to_string()))?;
        return configured(registry, &name.0);
    }
    if !text.starts_with('{') {
        return Err(Error::invalid_input(
            "provider",
            "expected a configured provider's name or an inline provider table",
        ));
    }
    if !inline.allowed {
        return Err(Error::invalid_input(
            "provider",
            "inline provider tables are off; name a configured provider (the operator can allow inline providers with presign batch --allow-inline-providers)",
        ));
    }
    inline.get_or_build(text, || {
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| Error::invalid_input("provider", e.to_string()))?;
        ProviderConfig::from_json(value)?
            .build_inline("inline", "provider", registry.context())
            .map(Arc::new)
    })
}

/// A configured provider by name. The errors a caller sees name no other provider and no
/// detail of the operator's configuration (which `presign providers` shows the operator).
fn configured(registry: &Registry, name: &str) -> Result<Arc<ProviderEntry>, Error> {
    if registry.config(name).is_none() {
        return Err(Error::invalid_input("provider", "no such provider"));
    }
    registry.entry(name).map_err(|e| match e {
        Error::Config { .. } => Error::Config {
            path: "provider".into(),
            reason: "this provider's configuration has an error; the operator can see it with `presign providers`".into(),
        },
        other => other,
    })
}

/// Built inline providers by their exact JSON text; the oldest is evicted when full.
struct InlineCache {
    map: HashMap<Box<str>, Result<Arc<ProviderEntry>, Error>>,
    order: VecDeque<Box<str>>,
    capacity: usize,
    allowed: bool,
}

impl InlineCache {
    fn new(capacity: usize, allowed: bool) -> Self {
        InlineCache {
            map: HashMap::with_capacity(capacity),
            order: VecDeque::with_capacity(capacity),
            capacity: capacity.max(1),
            allowed,
        }
    }

    fn get_or_build(
        &mut self,
        text: &str,
        build: impl FnOnce() -> Result<Arc<ProviderEntry>, Error>,
    ) -> Result<Arc<ProviderEntry>, Error> {
        if let Some(found) = self.map.get(text) {
            return found.clone();
        }
        let built = build();
        if self.order.len() >= self.capacity
            && let Some(oldest) = self.order.pop_front()
        {
            self.map.remove(&oldest);
        }
        self.order.push_back(text.into());
        self.map.insert(text.into(), built.clone());
        built
    }
}

/// Checks an `id`'s size and nesting ([`MAX_ID_BYTES`], [`MAX_ID_DEPTH`]).
fn check_id(id: &RawValue) -> Result<(), &'static str> {
    let text = id.get();
    if text.len() > MAX_ID_BYTES {
        return Err("id is longer than 1024 bytes");
    }
    let (mut depth, mut in_string, mut escaped) = (0_usize, false, false);
    for b in text.bytes() {
        match (in_string, escaped, b) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') | (false, _, b'"') => in_string = !in_string,
            (false, _, b'[' | b'{') => {
                depth += 1;
                if depth > MAX_ID_DEPTH {
                    return Err("id is nested deeper than 16 levels");
                }
            }
            (false, _, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Appends the line's `id`, re-serialized: a scalar token (a JSON string holds no raw control
/// characters) as it came, an array or object rebuilt compact, so no byte of the input's
/// whitespace (a `\r`, say) reaches the output.
fn id(out: &mut Vec<u8>, id: Option<&RawValue>) {
    let Some(raw) = id else {
        out.extend_from_slice(b"null");
        return;
    };
    let text = raw.get();
    if !text.starts_with(['[', '{']) {
        out.extend_from_slice(text.as_bytes());
        return;
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        // Writing to a Vec cannot fail, and a Value always serializes.
        Ok(v) => {
            let _ = serde_json::to_writer(&mut *out, &v);
        }
        Err(_) => out.extend_from_slice(b"null"),
    }
}

fn error_line(out: &mut Vec<u8>, line_id: Option<&RawValue>, kind: &str, message: &str) {
    out.extend_from_slice(b"{\"id\":");
    id(out, line_id);
    out.extend_from_slice(b",\"error\":");
    json::error(out, kind, message);
    out.extend_from_slice(b"}\n");
}

/// One input line.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line<'a> {
    #[serde(default, borrow)]
    id: Option<&'a RawValue>,
    #[serde(borrow)]
    provider: &'a RawValue,
    #[serde(default, borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    method: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    key: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    expires_in: Option<NumOrStr<'a>>,
    #[serde(default, borrow)]
    now: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    content_type: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    content_length: Option<NumOrStr<'a>>,
    #[serde(default, borrow)]
    content_md5: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    response_content_disposition: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    response_content_type: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    headers: Option<Pairs<'a>>,
    #[serde(default, borrow)]
    query: Option<Pairs<'a>>,
    #[serde(default)]
    create_only: Option<bool>,
    #[serde(default, borrow)]
    ip: Option<Cow<'a, str>>,
    #[serde(default)]
    https_only: Option<bool>,
    #[serde(default, borrow)]
    not_before: Option<Cow<'a, str>>,
    // Cookie lines (`"kind": "cookies"`).
    #[serde(default, borrow)]
    pattern: Option<Cow<'a, str>>,
    // POST policy lines (`"kind": "post"`).
    #[serde(default, borrow)]
    key_prefix: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    max_size: Option<NumOrStr<'a>>,
    #[serde(default, borrow)]
    min_size: Option<NumOrStr<'a>>,
    #[serde(default, borrow)]
    content_type_prefix: Option<BoolOrStr<'a>>,
    #[serde(default)]
    success_action_status: Option<u16>,
    #[serde(default, borrow)]
    success_action_redirect: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    metadata: Option<Pairs<'a>>,
    #[serde(default, borrow)]
    cache_control: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    content_disposition: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    acl: Option<Cow<'a, str>>,
}

impl Line<'_> {
    /// The first field given that a URL line does not take.
    fn post_only_field(&self) -> Option<&'static str> {
        [
            ("key_prefix", self.key_prefix.is_some()),
            ("max_size", self.max_size.is_some()),
            ("min_size", self.min_size.is_some()),
            ("content_type_prefix", self.content_type_prefix.is_some()),
            (
                "success_action_status",
                self.success_action_status.is_some(),
            ),
            (
                "success_action_redirect",
                self.success_action_redirect.is_some(),
            ),
            ("metadata", self.metadata.is_some()),
            ("cache_control", self.cache_control.is_some()),
            ("content_disposition", self.content_disposition.is_some()),
            ("acl", self.acl.is_some()),
        ]
        .into_iter()
        .find_map(|(name, given)| given.then_some(name))
    }

    /// The first field given that a cookies line does not take.
    fn cookies_foreign_field(&self) -> Option<&'static str> {
        [
            ("method", self.method.is_some()),
            ("key", self.key.is_some()),
            ("content_type", self.content_type.is_some()),
            ("https_only", self.https_only.is_some()),
        ]
        .into_iter()
        .find_map(|(name, given)| given.then_some(name))
        .or_else(|| self.post_only_field())
        .or_else(|| match self.url_only_field() {
            Some("method" | "ip" | "not_before") | None => None,
            other => other,
        })
    }

    /// The first field given that a POST line does not take.
    fn url_only_field(&self) -> Option<&'static str> {
        [
            ("method", self.method.is_some()),
            ("content_length", self.content_length.is_some()),
            ("content_md5", self.content_md5.is_some()),
            (
                "response_content_disposition",
                self.response_content_disposition.is_some(),
            ),
            (
                "response_content_type",
                self.response_content_type.is_some(),
            ),
            ("headers", self.headers.is_some()),
            ("query", self.query.is_some()),
            ("create_only", self.create_only.is_some()),
            ("ip", self.ip.is_some()),
            ("https_only", self.https_only.is_some()),
            ("not_before", self.not_before.is_some()),
        ]
        .into_iter()
        .find_map(|(name, given)| given.then_some(name))
    }
}

/// `true`/`false`, or a string (`content_type_prefix`: a flag, or the prefix itself).
enum BoolOrStr<'a> {
    Bool(bool),
    Str(Cow<'a, str>),
}

impl<'de: 'a, 'a> Deserialize<'de> for BoolOrStr<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = BoolOrStr<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("true, false or a string")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<BoolOrStr<'a>, E> {
                Ok(BoolOrStr::Bool(v))
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<BoolOrStr<'a>, E> {
                Ok(BoolOrStr::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<BoolOrStr<'a>, E> {
                Ok(BoolOrStr::Str(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// Just the id of a line that failed to parse, to answer it.
#[derive(Deserialize)]
struct IdOnly<'a> {
    #[serde(default, borrow)]
    id: Option<&'a RawValue>,
}

/// A borrowed-when-possible string.
#[derive(Deserialize)]
struct CowStr<'a>(#[serde(borrow)] Cow<'a, str>);

/// A number, or a string parsed later (durations like `"5m"`, ranges like `"1-10"`).
enum NumOrStr<'a> {
    Num(u64),
    Str(Cow<'a, str>),
}

impl<'de: 'a, 'a> Deserialize<'de> for NumOrStr<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = NumOrStr<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a non-negative whole number or a string")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<NumOrStr<'a>, E> {
                Ok(NumOrStr::Num(v))
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<NumOrStr<'a>, E> {
                Ok(NumOrStr::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<NumOrStr<'a>, E> {
                Ok(NumOrStr::Str(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// A JSON object of string values, in input order.
struct Pairs<'a>(Vec<(Cow<'a, str>, Cow<'a, str>)>);

impl<'de: 'a, 'a> Deserialize<'de> for Pairs<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Pairs<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of string values")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Pairs<'a>, M::Error> {
                let mut pairs = Vec::new();
                while let Some((k, v)) = map.next_entry::<CowStr<'de>, CowStr<'de>>()? {
                    pairs.push((k.0, v.0));
                }
                Ok(Pairs(pairs))
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}
