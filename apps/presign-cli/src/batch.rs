//! `presign batch`: JSON Lines in, JSON Lines out, one answer per request, in order.
//!
//! A line signs a URL (`"method"`, `"key"`, ...), or with `"kind": "post"` a POST policy
//! (`"key"` or `"key_prefix"`, `"max_size"`, `"content_type"`, ...; answered with `"url"` and
//! `"fields"` in signing order). Inline providers may be of any kind.
//!
//! Built for throughput: input and output are buffered and locked once, lines are parsed
//! with borrowed strings, every line's presign future is driven by one current-thread
//! runtime for the whole batch (S3's complete without real I/O), answers are written into one
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

use crate::json;
use crate::post::{self, PostFields, parse_size};
use crate::request::{Fields, parse_content_length};

/// The longest input line, in bytes; longer lines are answered with an error.
pub const MAX_LINE_BYTES: usize = 1 << 20;
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

/// Reads JSON Lines requests from `input` and writes one JSON line per request to `output`,
/// in order. A bad line gets an error line; only I/O errors stop the batch.
pub fn run_batch(
    registry: &Registry,
    input: &mut dyn BufRead,
    output: &mut dyn Write,
) -> io::Result<BatchStats> {
    let rt = crate::runtime()?;
    rt.block_on(batch(registry, input, output))
}

async fn batch(
    registry: &Registry,
    input: &mut dyn BufRead,
    output: &mut dyn Write,
) -> io::Result<BatchStats> {
    let mut stats = BatchStats::default();
    let mut line = Vec::with_capacity(1024);
    let mut out = Vec::with_capacity(FLUSH_AT + 4096);
    let mut scratch = String::with_capacity(32);
    let mut inline = InlineCache::new(INLINE_CACHE_CAPACITY);
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        let text = line.trim_ascii();
        if text.is_empty() {
            continue;
        }
        stats.lines += 1;
        if !answer(registry, &mut inline, text, &mut out, &mut scratch).await {
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
    if text.len() > MAX_LINE_BYTES {
        error_line(
            out,
            None,
            "parse",
            &format!("line longer than {MAX_LINE_BYTES} bytes"),
        );
        return false;
    }
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
                .and_then(|l| l.id);
            error_line(out, id, "parse", &e.to_string());
            return false;
        }
    };
    match line.kind.as_deref() {
        None | Some("url") => {}
        Some("post") => return answer_post(registry, inline, &line, out, scratch).await,
        Some(other) => {
            error_line(
                out,
                line.id,
                "parse",
                &format!("unknown kind {other:?}; use \"url\" (the default) or \"post\""),
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
    if let Some(field) = line.post_only_field() {
        error_line(
            out,
            line.id,
            "parse",
            &format!(
                "unknown field `{field}` for a URL line (it belongs to \"kind\": \"post\" lines)"
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
    if let Some(field) = line.url_only_field() {
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
    entry.presign_post(&request).await
}

async fn sign(
    registry: &Registry,
    inline: &mut InlineCache,
    line: &Line<'_>,
    method: &str,
    key: &str,
) -> Result<PresignedRequest, Error> {
    let fields = Fields {
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
    let request = fields.build()?;
    let entry = provider(registry, inline, line.provider)?;
    entry.presigner.presign(&request).await
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
            return registry.entry(plain);
        }
        let name: CowStr<'_> = serde_json::from_str(text)
            .map_err(|e| Error::invalid_input("provider", e.to_string()))?;
        return registry.entry(&name.0);
    }
    if !text.starts_with('{') {
        return Err(Error::invalid_input(
            "provider",
            "expected a configured provider's name or an inline provider table",
        ));
    }
    inline.get_or_build(text, || {
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| Error::invalid_input("provider", e.to_string()))?;
        ProviderConfig::from_json(value)?
            .build("inline", "provider", registry.context())
            .map(Arc::new)
    })
}

/// Built inline providers by their exact JSON text; the oldest is evicted when full.
struct InlineCache {
    map: HashMap<Box<str>, Result<Arc<ProviderEntry>, Error>>,
    order: VecDeque<Box<str>>,
    capacity: usize,
}

impl InlineCache {
    fn new(capacity: usize) -> Self {
        InlineCache {
            map: HashMap::with_capacity(capacity),
            order: VecDeque::with_capacity(capacity),
            capacity: capacity.max(1),
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

fn id(out: &mut Vec<u8>, id: Option<&RawValue>) {
    match id {
        Some(raw) => out.extend_from_slice(raw.get().as_bytes()),
        None => out.extend_from_slice(b"null"),
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
