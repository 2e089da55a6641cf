//! The redaction engine (presign-core's `Redactor`, with every vendor's declarations) on
//! arbitrary text with planted signatures and tokens. The input is split at `0xFF` bytes into
//! pieces: even pieces are noise, copied as they are; odd pieces describe a planted secret
//! (which name, `NAME=VALUE` or `"NAME":"VALUE"`, raw or percent-encoded, the value's bytes),
//! written on a line of its own. The first byte also sets the chunk size of the stream.
//!
//! Properties: no panic; streaming in any chunk size gives the same bytes as `redact_bytes`; a
//! planted value never survives; and when no noise piece holds a secret of its own, the output
//! is the input with exactly the planted values replaced by `REDACTED` (nothing else differs).
#![no_main]

use std::io::{self, BufRead, Read};
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use presign_core::redact::{KeyIds, REDACTED, Redactor, SecretKind};

static REDACTOR: LazyLock<Redactor> =
    LazyLock::new(|| presign_inspect::vendor_redactor(KeyIds::Keep));

/// The declared names whose whole value is secret (signatures, tokens, policies).
static NAMES: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut names: Vec<&'static str> = presign_inspect::vendor_secrets()
        .iter()
        .filter(|p| matches!(p.kind(), SecretKind::Signature | SecretKind::Token))
        .map(|p| p.name())
        .collect();
    names.sort_unstable();
    names.dedup();
    names
});

/// Base64 and hex: what signatures and tokens are written in.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// A reader that hands out at most `chunk` bytes at a time.
struct Chunked<'a> {
    data: &'a [u8],
    chunk: usize,
}

impl Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.fill_buf()?.len().min(buf.len());
        buf.get_mut(..n)
            .expect("n <= buf.len()")
            .copy_from_slice(self.data.get(..n).expect("n <= data.len()"));
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Chunked<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        Ok(self
            .data
            .get(..self.chunk.min(self.data.len()))
            .unwrap_or_default())
    }
    fn consume(&mut self, n: usize) {
        self.data = self.data.get(n..).unwrap_or_default();
    }
}

/// One planted secret: the line written into the input, and the line expected in the output.
fn plant(spec: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let (&head, value) = spec.split_first().unwrap_or((&0, &[]));
    let name = NAMES
        .get(usize::from(head) % NAMES.len().max(1))
        .copied()
        .unwrap_or("X-Amz-Signature");
    let json = head & 0x40 != 0;
    let percent = head & 0x80 != 0;
    let mut v: Vec<u8> = value
        .iter()
        .map(|b| ALPHABET.get(usize::from(b & 63)).copied().unwrap_or(b'A'))
        .collect();
    if v.is_empty() {
        v.push(b'A');
    }
    if head & 0x20 != 0 {
        v.push(b'=');
    }
    let written: Vec<u8> = if percent {
        v.iter()
            .flat_map(|&b| match b {
                b'+' => b"%2B".to_vec(),
                b'/' => b"%2F".to_vec(),
                b'=' => b"%3D".to_vec(),
                other => vec![other],
            })
            .collect()
    } else {
        v
    };
    let line = |value: &[u8]| {
        let mut l = b"\n".to_vec();
        if json {
            l.extend_from_slice(format!("\"{name}\":\"").as_bytes());
            l.extend_from_slice(value);
            l.extend_from_slice(b"\"\n");
        } else {
            l.extend_from_slice(format!("{name}=").as_bytes());
            l.extend_from_slice(value);
            l.push(b'\n');
        }
        l
    };
    (line(&written), line(REDACTED.as_bytes()))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

fuzz_target!(|data: &[u8]| {
    let chunk = 1 + usize::from(data.first().copied().unwrap_or(0) % 64);
    let mut input = Vec::new();
    let mut expected = Vec::new();
    let mut planted = Vec::new();
    let mut noise_is_clean = true;
    for (i, piece) in data.split(|&b| b == 0xFF).enumerate() {
        if i % 2 == 0 {
            input.extend_from_slice(piece);
            expected.extend_from_slice(piece);
            // Alone, between the line breaks that surround it here.
            let mut alone = b"\n".to_vec();
            alone.extend_from_slice(piece);
            alone.push(b'\n');
            if REDACTOR.redact_bytes(&alone).as_ref() != alone.as_slice() {
                noise_is_clean = false;
            }
        } else {
            let (line, redacted) = plant(piece);
            input.extend_from_slice(&line);
            expected.extend_from_slice(&redacted);
            planted.push(line);
        }
    }
    let whole = REDACTOR.redact_bytes(&input);
    let mut streamed = Vec::new();
    REDACTOR
        .redact_stream(
            Chunked {
                data: &input,
                chunk,
            },
            &mut streamed,
        )
        .expect("writing to a Vec");
    assert_eq!(
        streamed.as_slice(),
        whole.as_ref(),
        "streaming in chunks of {chunk} differs from redact_bytes"
    );
    for line in &planted {
        assert!(
            !contains(&streamed, line),
            "a planted secret survived: {:?}",
            String::from_utf8_lossy(line)
        );
    }
    if noise_is_clean {
        assert!(
            streamed == expected,
            "the output differs from the input outside the planted values:\n{:?}\nexpected\n{:?}",
            String::from_utf8_lossy(&streamed),
            String::from_utf8_lossy(&expected)
        );
    }
});
