//! The S3 emulator scenario table (in progress).
