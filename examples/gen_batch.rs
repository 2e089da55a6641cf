//! Writes `N` JSON Lines requests for `presign batch` (the throughput check):
//!
//! ```text
//! cargo build --release -p presign-cli -p presign-examples
//! target/release/gen_batch 1000000 > /tmp/batch.jsonl
//! time target/release/presign batch < /tmp/batch.jsonl > /tmp/batch.out
//! ```
//!
//! Lines use the `dev` provider: three in four are GETs (some with a response
//! Content-Disposition), one in four are PUTs bound to a Content-Type and length.

#![allow(clippy::print_stderr)]

use std::io::{BufWriter, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let count: u64 = match std::env::args().nth(1).map(|n| n.parse()) {
        None => 1_000_000,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            eprintln!("usage: gen_batch [COUNT]");
            return ExitCode::from(2);
        }
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    match write_lines(&mut out, count).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_batch: {e}");
            ExitCode::from(1)
        }
    }
}

fn write_lines(out: &mut impl Write, count: u64) -> std::io::Result<()> {
    for i in 0..count {
        match i % 4 {
            0 => writeln!(
                out,
                r#"{{"id":{i},"provider":"dev","method":"PUT","key":"uploads/{i}/photo {i}.jpg","content_type":"image/jpeg","content_length":{},"expires_in":"5m"}}"#,
                1000 + i % 997
            )?,
            1 => writeln!(
                out,
                r#"{{"id":{i},"provider":"dev","method":"GET","key":"reports/{i}.pdf","response_content_disposition":"attachment; filename=\"{i}.pdf\""}}"#
            )?,
            _ => writeln!(
                out,
                r#"{{"id":{i},"provider":"dev","method":"GET","key":"objects/{}/{i}","expires_in":120}}"#,
                i % 1000
            )?,
        }
    }
    Ok(())
}
