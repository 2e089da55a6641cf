//! Logs that never carry a signed URL's signature: a `tracing` subscriber whose writer redacts
//! every vendor's signatures, tokens and signed cookies before they reach stderr, whatever the
//! code logs (a URL in a message, a field, an error's `Debug`, a JSON-escaped body).
//!
//! `cargo run -p presign-examples --bin redacted_logging` prints three log lines; the
//! signatures in them read `REDACTED`, everything else is as it was logged.

#![allow(clippy::print_stdout)]

use presign_core::redact::{KeyIds, Redactor};

fn main() {
    // Every provider crate declares the names of its secrets; the redactor is built from those
    // it is given (here every vendor's, as `presign redact` does).
    let redactor = Redactor::builder()
        .secrets(presign_s3::SECRET_PARAMS)
        .secrets(presign_gcs::SECRET_PARAMS)
        .secrets(presign_azure::SECRET_PARAMS)
        .secrets(presign_cloudfront::SECRET_PARAMS)
        .secrets(presign_cloud_cdn::SECRET_PARAMS)
        .key_ids(KeyIds::Keep)
        .build();

    // One writer per event: each event is redacted and written whole when its writer drops.
    let for_logs = redactor.clone();
    tracing_subscriber::fmt()
        .with_writer(move || for_logs.writer(std::io::stderr()))
        .with_ansi(false)
        .init();

    let url = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256\
               &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
               &X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\
               &X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    tracing::info!(%url, "redirecting the client");
    tracing::warn!(
        body = r#"{"next":"https://a.blob.core.windows.net/c/b?sv=2024-08-04\u0026sig=x%2By%3D"}"#,
        "upstream answered"
    );
    tracing::error!(
        "cookie rejected: CloudFront-Policy=eyJTdGF0ZW1lbnQiOlt7fV19; CloudFront-Signature=ab~c; CloudFront-Key-Pair-Id=K2JCJMDEHXQW5F"
    );

    // Without a subscriber: redact one string, or display it redacted.
    println!("{}", redactor.display(url));
}
