use super::*;
use crate::dialect::Dialect;
use presign_core::{SecretString, Timestamp};

fn t() -> Timestamp {
    Timestamp::parse_rfc3339("2015-08-30T12:36:00Z").unwrap()
}

fn key(service: &str) -> SigningKey {
    let secret = SecretString::new("s");
    SigningKey::derive(&Dialect::AWS4_HMAC_SHA256, "AK", &secret, t(), "r", service)
}

#[test]
fn scope_must_cover_the_day() {
    let next_day = Timestamp::from_unix(t().unix() + 86_400).unwrap();
    let e = sign_query(
        &SigningParams::s3(),
        &key("s3"),
        &QueryRequest::new("GET", "h", "/", next_day, 1),
    )
    .unwrap_err();
    assert!(e.to_string().contains("20150830"), "{e}");
}

#[test]
fn omitted_token_goes_after_signing() {
    let key = key("service");
    let mut p = SigningParams::aws_service();
    let mut r = QueryRequest::new("GET", "h", "/", t(), 60);
    let plain = sign_query(&p, &key, &r).unwrap();
    p.omit_session_token = true;
    r.session_token = Some("a/b");
    let omitted = sign_query(&p, &key, &r).unwrap();
    assert_eq!(plain.signature, omitted.signature);
    assert!(
        omitted
            .query
            .contains("&X-Amz-Security-Token=a%2Fb&X-Amz-Signature=")
    );
    p.omit_session_token = false;
    let signed = sign_query(&p, &key, &r).unwrap();
    assert_ne!(plain.signature, signed.signature);
    assert!(
        signed
            .canonical_request
            .contains("X-Amz-Security-Token=a%2Fb&")
    );
}

#[test]
fn goog_names_and_payload_from_a_header() {
    let secret = SecretString::new("s");
    let d = &Dialect::GOOG4_HMAC_SHA256;
    let key = SigningKey::derive(d, "GOOG1", &secret, t(), "auto", "storage");
    let mut r = QueryRequest::new("PUT", "storage.googleapis.com", "/b/o", t(), 60);
    let plain = sign_query(&SigningParams::gcs(d), &key, &r).unwrap();
    assert!(plain.query.starts_with("X-Goog-Algorithm=GOOG4-HMAC-SHA256&X-Goog-Credential=GOOG1%2F20150830%2Fauto%2Fstorage%2Fgoog4_request&"));
    assert!(plain.canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));
    let headers = [("X-Goog-Content-SHA256", "abc")];
    r.headers = &headers;
    let hashed = sign_query(&SigningParams::gcs(d), &key, &r).unwrap();
    assert!(
        hashed.canonical_request.ends_with("\nabc"),
        "{}",
        hashed.canonical_request
    );
    assert!(hashed.query.contains("&X-Goog-Signature="));
}

#[test]
fn string_to_sign_in_pieces_equals_the_whole() {
    let key = key("s3");
    let mut url = String::from("https://h");
    let mut capture = Capture::default();
    let u = presign_into(
        &SigningParams::s3(),
        key.scope(),
        &QueryRequest::new("GET", "h", "", t(), 1),
        &["/a b"],
        &mut url,
        Some(&mut capture),
    )
    .unwrap();
    assert_eq!(u.string_to_sign(), capture.string_to_sign);
    assert_eq!(
        u.string_to_sign_parts().concat(),
        capture.string_to_sign.as_bytes()
    );
    let spans = u.finish(&mut url, &[0xab, 0x01]);
    assert_eq!(&url[spans.path], "/a%20b");
    assert_eq!(&url[spans.signature], "ab01");
}
