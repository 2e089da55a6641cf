//! Log redaction throughput: presign's streaming redactor (every vendor's declarations, as
//! `presign redact` uses) against `sed`-style regex redaction with the `regex` crate, on the
//! same generated logs, in one run. Both must produce the generator's expected output, byte for
//! byte, before their speeds are compared.
//!
//! Run: `cargo bench --manifest-path benches/Cargo.toml --bench redact`
//! GNU sed itself: `bash benches/redact_vs_sed.sh`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use presign_benches::log_corpus::{REGEX_PATTERN, REGEX_REPLACEMENT, all_urls, few_urls};
use presign_core::redact::KeyIds;

const SIZE: usize = 8 << 20;

fn bench(c: &mut Criterion) {
    let redactor = presign_inspect::vendor_redactor(KeyIds::Keep);
    let regex = regex::bytes::Regex::new(REGEX_PATTERN).unwrap();
    for (name, corpus) in [
        ("redact_few_urls", few_urls(SIZE)),
        ("redact_all_urls", all_urls(SIZE)),
    ] {
        let input = &corpus.input;
        let mut out = Vec::with_capacity(input.len());
        let n = redactor.redact_stream(&input[..], &mut out).unwrap();
        assert_eq!(n as usize, corpus.secrets, "{name}: presign replaced every planted secret");
        assert!(out == corpus.redacted, "{name}: presign's output is the expected one");
        let peer = regex.replace_all(input, REGEX_REPLACEMENT.as_bytes());
        assert!(*peer == corpus.redacted[..], "{name}: the regex peer's output is the expected one");

        let mut g = c.benchmark_group(name);
        g.throughput(Throughput::Bytes(input.len() as u64));
        g.sample_size(20);
        g.bench_function("presign redact_stream", |b| {
            b.iter(|| {
                out.clear();
                redactor.redact_stream(black_box(&input[..]), &mut out).unwrap();
                black_box(out.len())
            })
        });
        g.bench_function("presign redact_bytes", |b| {
            b.iter(|| black_box(redactor.redact_bytes(black_box(input)).len()))
        });
        g.bench_function("regex crate replace_all", |b| {
            b.iter(|| {
                black_box(
                    regex
                        .replace_all(black_box(input), REGEX_REPLACEMENT.as_bytes())
                        .len(),
                )
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
