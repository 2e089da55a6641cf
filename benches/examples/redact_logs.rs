//! The redaction benchmark's tools for a measured run against GNU sed
//! (`benches/redact_vs_sed.sh`):
//!
//! - `redact_logs gen DIR MIB`: writes `few.log`, `all.log` and their expected redactions
//!   (`*.expected`) of about MIB mebibytes each;
//! - `redact_logs redact`: standard input to standard output through presign's redactor with
//!   every vendor's declarations (the engine and declarations `presign redact` uses).

use std::io::Write;

use presign_benches::log_corpus::{all_urls, few_urls};
use presign_core::redact::KeyIds;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("gen") => {
            let dir = std::path::PathBuf::from(&args[2]);
            let mib: usize = args[3].parse().expect("MIB is a number");
            for (name, corpus) in [("few", few_urls(mib << 20)), ("all", all_urls(mib << 20))] {
                std::fs::write(dir.join(format!("{name}.log")), &corpus.input)?;
                std::fs::write(dir.join(format!("{name}.expected")), &corpus.redacted)?;
                eprintln!("{name}.log: {} bytes, {} secrets", corpus.input.len(), corpus.secrets);
            }
            Ok(())
        }
        Some("redact") => {
            let stdin = std::io::stdin().lock();
            let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            presign_inspect::vendor_redactor(KeyIds::Keep).redact_stream(stdin, &mut stdout)?;
            stdout.flush()
        }
        _ => {
            eprintln!("usage: redact_logs gen DIR MIB | redact_logs redact < in > out");
            std::process::exit(2)
        }
    }
}
