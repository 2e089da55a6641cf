//! The matching engine: finds declared names at a boundary, followed by a separator, and drops
//! the value that follows, in any of the encodings of [`units`](super::units).
//!
//! A [`Finder`] proposes where a name may start; each proposal is checked in full here.

use std::sync::Arc;

use super::REDACTED;
use super::finder::{Finder, PREFIX};
use super::secrets::{KeyIds, SecretKind, SecretParam};
use super::units::{Unit, is_boundary, is_name_byte, unit_at};

/// The most spaces around `:` in `"name": "value"` or `Name: value`.
const MAX_SPACES: usize = 8;
/// How many bytes before a name the boundary check reads (`\u0026`).
pub(crate) const LOOKBEHIND: usize = 6;
/// The longest name a declaration may have (longer ones are ignored).
const MAX_NAME: usize = 64;

/// Which decoded bytes a value of a kind may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Alphabet {
    /// Signatures, tokens, policies: hex, base64, base64url, CloudFront's `-_~`.
    Opaque,
    /// Key ids, service-account e-mail addresses, credential scopes.
    Identity,
}

/// Per byte: bit 0 set = in [`Alphabet::Opaque`], bit 1 = in [`Alphabet::Identity`]. Escape
/// starts (`%`, `\`, `&`) are in neither: they are decoded first.
// Evaluated at compile time: an out-of-range index would fail the build, never panic at run time.
#[allow(clippy::indexing_slicing)]
const ALPHABETS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        let alnum = c.is_ascii_alphanumeric();
        if alnum || matches!(c, b'+' | b'/' | b'=' | b'_' | b'~' | b'-') {
            t[i] |= 0b01;
        }
        if alnum || matches!(c, b'/' | b'_' | b'~' | b'-' | b'.' | b'@') {
            t[i] |= 0b10;
        }
        i += 1;
    }
    t
};

impl Alphabet {
    fn bit(self) -> u8 {
        match self {
            Alphabet::Opaque => 0b01,
            Alphabet::Identity => 0b10,
        }
    }

    fn has(self, c: u8) -> bool {
        ALPHABETS
            .get(usize::from(c))
            .is_some_and(|m| m & self.bit() != 0)
    }
}

/// A value being dropped, possibly across chunks of a stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct InValue {
    alphabet: Alphabet,
    /// Stop at the first `/` (the key id of a credential scope).
    stop_at_slash: bool,
    /// Whether `REDACTED` has been written for this value.
    replaced: bool,
}

/// Per-stream state of the engine.
#[derive(Clone, Debug, Default)]
pub(crate) struct State {
    pub(crate) value: Option<InValue>,
    /// Values replaced so far.
    pub(crate) replaced: u64,
}

/// One compiled name.
#[derive(Debug)]
struct Name {
    lower: Vec<u8>,
    kind: SecretKind,
}

/// A compiled set of declarations.
#[derive(Debug)]
pub(crate) struct Compiled {
    names: Vec<Name>,
    /// Lower-case prefix and the indices of the names that start with it, longest first.
    prefixes: Vec<(Vec<u8>, Vec<usize>)>,
    finder: Finder,
    pub(crate) key_ids: KeyIds,
}

/// What follows a candidate name start.
enum Candidate {
    /// A declared name and separator: the value starts here.
    Value(usize, InValue),
    /// Not a name.
    No,
    /// The buffer ends before it is decided.
    NeedMore,
}

/// Where a value ends.
enum ValueEnd {
    /// At this position (exclusive).
    At(usize),
    /// The buffer ends inside the value; bytes from here on are kept for the next call.
    Open(usize),
}

impl Compiled {
    pub(crate) fn new(secrets: &[SecretParam], key_ids: KeyIds) -> Self {
        let mut names: Vec<Name> = Vec::new();
        for s in secrets {
            let lower = s.name().to_ascii_lowercase().into_bytes();
            let usable = !lower.is_empty()
                && lower.len() <= MAX_NAME
                && lower.iter().all(|b| b.is_ascii_graphic() && *b != b'=');
            let wanted = s.kind().always_redacted() || key_ids == KeyIds::Redact;
            if usable && wanted && !names.iter().any(|n| n.lower == lower) {
                names.push(Name {
                    lower,
                    kind: s.kind(),
                });
            }
        }
        let mut prefixes: Vec<(Vec<u8>, Vec<usize>)> = Vec::new();
        for (i, n) in names.iter().enumerate() {
            let p = n.lower.get(..PREFIX.min(n.lower.len())).unwrap_or_default();
            match prefixes.iter_mut().find(|(q, _)| q == p) {
                Some((_, ids)) => ids.push(i),
                None => prefixes.push((p.to_vec(), vec![i])),
            }
        }
        for (_, ids) in &mut prefixes {
            ids.sort_by_key(|i| std::cmp::Reverse(names.get(*i).map_or(0, |n| n.lower.len())));
        }
        let finder = Finder::new(prefixes.iter().map(|(p, _)| p.as_slice()));
        Compiled {
            names,
            prefixes,
            finder,
            key_ids,
        }
    }

    /// Redacts `buf[from..]`, appending the output to `out`; `buf[..from]` is context already
    /// written, and `at_input_start` says whether `buf[0]` is the first byte of the input. Returns how far the input is consumed: with `is_final` false, a tail that may
    /// begin a name, a separator or an escape stays for the next call (at most a few dozen
    /// bytes), and a value cut off by the end of `buf` continues in `state`.
    pub(crate) fn process(
        &self,
        state: &mut State,
        buf: &[u8],
        from: usize,
        at_input_start: bool,
        is_final: bool,
        out: &mut Vec<u8>,
    ) -> usize {
        let mut pos = from;
        if let Some(v) = state.value {
            let (end, open) = match self.value_end(buf, pos, v, is_final) {
                ValueEnd::At(end) => (end, false),
                ValueEnd::Open(end) => (end, true),
            };
            let dropped = end > pos;
            if dropped && !v.replaced {
                out.extend_from_slice(REDACTED.as_bytes());
                state.replaced += 1;
            }
            if open {
                state.value = Some(InValue {
                    replaced: v.replaced || dropped,
                    ..v
                });
                return end;
            }
            state.value = None;
            pos = end;
        }
        let mut scan = pos;
        while let Some((start, prefix)) = self.finder.find(buf, scan) {
            match self.candidate(buf, start, prefix, is_final, at_input_start) {
                Candidate::No => scan = start + 1,
                Candidate::NeedMore => {
                    out.extend_from_slice(buf.get(pos..start).unwrap_or_default());
                    return start;
                }
                Candidate::Value(value_start, v) => {
                    out.extend_from_slice(buf.get(pos..value_start).unwrap_or_default());
                    let (end, open) = match self.value_end(buf, value_start, v, is_final) {
                        ValueEnd::At(end) => (end, false),
                        ValueEnd::Open(end) => (end, true),
                    };
                    let dropped = end > value_start;
                    if dropped {
                        out.extend_from_slice(REDACTED.as_bytes());
                        state.replaced += 1;
                    }
                    pos = end;
                    if open {
                        state.value = Some(InValue {
                            replaced: dropped,
                            ..v
                        });
                        return end;
                    }
                    scan = end.max(start + 1);
                }
            }
        }
        // No name starts before the end; a tail of name bytes may be the start of one.
        let safe = if is_final {
            buf.len()
        } else {
            let tail = buf
                .iter()
                .rev()
                .take(PREFIX - 1)
                .take_while(|b| is_name_byte(**b))
                .count();
            (buf.len() - tail).max(pos)
        };
        out.extend_from_slice(buf.get(pos..safe).unwrap_or_default());
        safe
    }

    /// Whether a declared name and a separator start at `start`.
    fn candidate(
        &self,
        buf: &[u8],
        start: usize,
        prefix: usize,
        is_final: bool,
        at_input_start: bool,
    ) -> Candidate {
        if !is_boundary(buf, start, at_input_start) {
            return Candidate::No;
        }
        let Some((_, ids)) = self.prefixes.get(prefix) else {
            return Candidate::No;
        };
        let rest = buf.get(start..).unwrap_or_default();
        for name in ids.iter().filter_map(|i| self.names.get(*i)) {
            let Some(word) = rest.get(..name.lower.len()) else {
                // The input ends inside what may be this name.
                let partial = name.lower.get(..rest.len()).unwrap_or_default();
                if !is_final && rest.eq_ignore_ascii_case(partial) {
                    return Candidate::NeedMore;
                }
                continue;
            };
            if !word.eq_ignore_ascii_case(&name.lower) {
                continue;
            }
            let value_start = match separator(buf, start + name.lower.len(), name.kind, is_final) {
                Separator::Value(at) => at,
                Separator::NeedMore => return Candidate::NeedMore,
                Separator::No => continue,
            };
            let (alphabet, stop_at_slash) = match name.kind {
                SecretKind::CredentialScope => (Alphabet::Identity, true),
                SecretKind::KeyId => (Alphabet::Identity, false),
                _ => (Alphabet::Opaque, false),
            };
            return Candidate::Value(
                value_start,
                InValue {
                    alphabet,
                    stop_at_slash,
                    replaced: false,
                },
            );
        }
        Candidate::No
    }

    /// Where the value starting at `at` ends.
    fn value_end(&self, buf: &[u8], at: usize, v: InValue, is_final: bool) -> ValueEnd {
        let mut i = at;
        let bit = v.alphabet.bit();
        loop {
            // Raw bytes of the alphabet, the bulk of any value, without decoding.
            i += buf
                .get(i..)
                .unwrap_or_default()
                .iter()
                .take_while(|&&c| {
                    ALPHABETS.get(usize::from(c)).is_some_and(|m| m & bit != 0)
                        && !(v.stop_at_slash && c == b'/')
                })
                .count();
            match unit_at(buf, i, is_final) {
                Unit::Incomplete => return ValueEnd::Open(i),
                Unit::End => {
                    return if is_final {
                        ValueEnd::At(i)
                    } else {
                        ValueEnd::Open(i)
                    };
                }
                Unit::Char(c, n) => {
                    if (v.stop_at_slash && c == b'/') || !v.alphabet.has(c) {
                        return ValueEnd::At(i);
                    }
                    i += n;
                }
            }
        }
    }
}

/// What follows a name.
enum Separator {
    /// A separator; the value starts here.
    Value(usize),
    /// No separator: not a parameter.
    No,
    /// The input ends before it is decided.
    NeedMore,
}

/// The separator after a name at `at`: `=` in any encoding; a quoted key `"name": "` (any
/// quote, escaped or not); for tokens also a header `Name: `.
fn separator(buf: &[u8], at: usize, kind: SecretKind, is_final: bool) -> Separator {
    // The unit at `i`, or why there is none.
    let unit = |i: usize| match unit_at(buf, i, is_final) {
        Unit::Char(c, n) => Ok((c, n)),
        Unit::End if is_final => Err(Separator::No),
        Unit::End | Unit::Incomplete => Err(Separator::NeedMore),
    };
    let spaces = |mut i: usize| {
        let mut k = 0;
        while k < MAX_SPACES && buf.get(i) == Some(&b' ') {
            i += 1;
            k += 1;
        }
        i
    };
    let (c, n) = match unit(at) {
        Ok(u) => u,
        Err(e) => return e,
    };
    match c {
        b'=' => Separator::Value(at + n),
        b'"' | b'\'' => {
            let i = spaces(at + n);
            match unit(i) {
                Ok((b':', n2)) => {
                    let i = spaces(i + n2);
                    match unit(i) {
                        Ok((q, n3)) if q == c => Separator::Value(i + n3),
                        Ok(_) => Separator::No,
                        Err(e) => e,
                    }
                }
                Ok(_) => Separator::No,
                Err(e) => e,
            }
        }
        b':' if kind == SecretKind::Token => {
            let i = spaces(at + n);
            if i == buf.len() && !is_final {
                Separator::NeedMore
            } else {
                Separator::Value(i)
            }
        }
        _ => Separator::No,
    }
}

/// Shared, immutable compiled rules.
pub(crate) type Rules = Arc<Compiled>;
