//! `presign redact`: every vendor's secrets out, every other byte kept, `--key-ids`, `--count`.

use presign_tests::sigv4_reference::dev_get_url;

use crate::run_env;

#[test]
fn redacts_every_vendor_and_keeps_the_rest() {
    let s3 = dev_get_url("a b.txt");
    let input = format!(
        "GET {s3} 200\n\
         {{\"url\":\"https://a.blob.core.windows.net/c/b?sv=2024-08-04\\u0026se=2030-01-01\\u0026sig=x%2By%3D\"}}\n\
         <a href=\"https://d1.cloudfront.net/v.mp4?Expires=1&amp;Signature=ab~c-_&amp;Key-Pair-Id=K1\">\n\
         Cookie: Cloud-CDN-Cookie=URLPrefix=aHR0cHM6Ly9h:Expires=1:KeyName=k:Signature=Zm9v; CloudFront-Signature=a~b\n\
         plain line without secrets\n"
    );
    let out = run_env(&["redact", "--count"], &[], &input);
    let signature = s3.rsplit_once('=').unwrap().1;
    let want = input
        .replace(signature, "REDACTED")
        .replace("sig=x%2By%3D", "sig=REDACTED")
        .replace("Signature=ab~c-_", "Signature=REDACTED")
        .replace("Signature=Zm9v", "Signature=REDACTED")
        .replace("CloudFront-Signature=a~b", "CloudFront-Signature=REDACTED");
    assert_eq!(out.ok(), want);
    assert_eq!(out.stderr, "presign: redacted 5 values\n");
}

#[test]
fn key_ids_on_request() {
    let input = "X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20240102%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=ab\n";
    let out = run_env(&["redact"], &[], input);
    assert_eq!(
        out.ok(),
        "X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20240102%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=REDACTED\n"
    );
    let out = run_env(&["redact", "--key-ids"], &[], input);
    assert_eq!(
        out.ok(),
        "X-Amz-Credential=REDACTED%2F20240102%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=REDACTED\n"
    );
}
