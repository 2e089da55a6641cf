//! The `presign` command.
fn main() {}
