//! The `presign` command. Everything lives in the `presign_cli` library; see its
//! documentation for the commands and exit codes.

use std::io::{BufReader, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let stdin = std::io::stdin();
    let mut input = BufReader::with_capacity(1 << 16, stdin.lock());
    let stdout = std::io::stdout();
    let mut output = stdout.lock();
    let stderr = std::io::stderr();
    let mut errors = stderr.lock();
    let code = presign_cli::run(std::env::args_os(), &mut input, &mut output, &mut errors);
    // A failed final flush (a closed pipe) is already reflected in the exit code when it
    // mattered; nothing more to report.
    let _ = output.flush();
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}
