//! [`Finder`]: where a declared name may start.
//!
//! A SIMD multi-pattern search (Teddy, from `aho-corasick`) over every upper/lower-case
//! spelling of each name's first [`PREFIX`] bytes: text without any of them is skipped at
//! memory speed. Without SIMD (or with too many spellings), an ASCII-case-insensitive
//! automaton over the prefixes does the same job more slowly.

use aho_corasick::packed;
use aho_corasick::{AhoCorasick, AhoCorasickKind, Input};

/// How many leading bytes of a name the prefilter searches for.
pub(crate) const PREFIX: usize = 3;

/// The prefilter over name prefixes.
#[derive(Debug)]
pub(crate) enum Finder {
    /// Teddy over every case variant of every prefix; pattern id -> prefix index.
    Packed(packed::Searcher, Vec<usize>),
    /// An ASCII-case-insensitive automaton over the prefixes (no SIMD, or too many variants).
    Automaton(AhoCorasick),
    /// Nothing to find.
    Nothing,
}

impl Finder {
    /// Teddy over the case variants of the prefixes where it is available, else an automaton.
    pub(crate) fn new<'a>(prefixes: impl Iterator<Item = &'a [u8]> + Clone) -> Finder {
        if prefixes.clone().next().is_none() {
            return Finder::Nothing;
        }
        let mut builder = packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostFirst)
            .builder();
        let mut map = Vec::new();
        for (i, p) in prefixes.clone().enumerate() {
            for variant in case_variants(p) {
                builder.add(variant);
                map.push(i);
            }
        }
        if let Some(searcher) = builder.build() {
            return Finder::Packed(searcher, map);
        }
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .kind(Some(AhoCorasickKind::DFA))
            .build(prefixes);
        match ac {
            Ok(ac) => Finder::Automaton(ac),
            // A few short ASCII patterns always build; if not, nothing is found and the
            // tests of every provider's names fail loudly.
            Err(_) => Finder::Nothing,
        }
    }

    /// The next position at or after `from` where a name may start, and its prefix index.
    pub(crate) fn find(&self, buf: &[u8], from: usize) -> Option<(usize, usize)> {
        if from >= buf.len() {
            return None;
        }
        match self {
            Finder::Packed(searcher, map) => {
                let m = searcher.find_in(buf, aho_corasick::Span::from(from..buf.len()))?;
                Some((m.start(), *map.get(m.pattern().as_usize())?))
            }
            Finder::Automaton(ac) => {
                let m = ac.find(Input::new(buf).span(from..buf.len()))?;
                Some((m.start(), m.pattern().as_usize()))
            }
            Finder::Nothing => None,
        }
    }
}

/// Every upper/lower-case spelling of an ASCII prefix (at most 2^PREFIX).
fn case_variants(p: &[u8]) -> Vec<Vec<u8>> {
    let mut out = vec![Vec::with_capacity(p.len())];
    for &b in p {
        let (lo, up) = (b.to_ascii_lowercase(), b.to_ascii_uppercase());
        if lo == up {
            out.iter_mut().for_each(|v| v.push(b));
        } else {
            let mut upper = out.clone();
            out.iter_mut().for_each(|v| v.push(lo));
            upper.iter_mut().for_each(|v| v.push(up));
            out.extend(upper);
        }
    }
    out
}
