//! Tests of the redaction engine with a declaration set shaped like the providers' (the
//! providers' own sets are tested in their crates and in the workspace corpus test).

use std::io::Write;

use proptest::prelude::*;

use super::*;

const SECRETS: &[SecretParam] = &[
    SecretParam::new("X-Amz-Signature", SecretKind::Signature),
    SecretParam::new("X-Amz-Security-Token", SecretKind::Token),
    SecretParam::new("X-Amz-Credential", SecretKind::CredentialScope),
    SecretParam::new("AWSAccessKeyId", SecretKind::KeyId),
    SecretParam::new("X-Goog-Signature", SecretKind::Signature),
    SecretParam::new("X-Goog-Credential", SecretKind::CredentialScope),
    SecretParam::new("GoogleAccessId", SecretKind::KeyId),
    SecretParam::new("Signature", SecretKind::Signature),
    SecretParam::new("sig", SecretKind::Signature),
    SecretParam::new("CloudFront-Signature", SecretKind::Signature),
    SecretParam::new("CloudFront-Policy", SecretKind::Policy),
];

fn redactor() -> Redactor {
    Redactor::new(SECRETS)
}

fn r(s: &str) -> String {
    redactor().redact_str(s).into_owned()
}

/// The same input written through a `RedactWriter` in pieces of `size` bytes.
fn chunked(redactor: &Redactor, input: &[u8], size: usize) -> Vec<u8> {
    let mut w = redactor.writer(Vec::new());
    for piece in input.chunks(size.max(1)) {
        w.write_all(piece).unwrap();
    }
    w.into_inner().unwrap()
}

#[test]
fn raw_query_parameters() {
    assert_eq!(
        r(
            "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEJr%2F%2F%2F%2F%2F%2F%2F%2Fw%3D%3D&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
        ),
        "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Security-Token=REDACTED&X-Amz-Signature=REDACTED"
    );
    assert_eq!(
        r("/c/b.txt?sv=2022-11-02&sr=b&sp=r&se=2030-01-01T00%3A00%3A00Z&sig=a%2Bb%2Fc%3D"),
        "/c/b.txt?sv=2022-11-02&sr=b&sp=r&se=2030-01-01T00%3A00%3A00Z&sig=REDACTED"
    );
    assert_eq!(
        r(
            "https://d111111abcdef8.cloudfront.net/i.jpg?Expires=1357034400&Signature=nitfHRCrtziwO2HwPfWw~yYDhUF5EwRunQA-j19DzZrvDh6hQ73lDx~-ar3UocvvRQVw6EkC~GdpGQyyOSKQim-TxAnW7d8F5Kkai9HVx0FIu-5jcQb0UEmatEXAMPLE3ReXySpLSMj0yCd3ZAB4UcBCAqEijkytL6f3fVYNGQI6&Key-Pair-Id=K2JCJMDEHXQW5F"
        ),
        "https://d111111abcdef8.cloudfront.net/i.jpg?Expires=1357034400&Signature=REDACTED&Key-Pair-Id=K2JCJMDEHXQW5F"
    );
}

#[test]
fn names_match_in_any_case_and_only_at_a_boundary() {
    assert_eq!(
        r("?x-amz-signature=ab&SIG=cd"),
        "?x-amz-signature=REDACTED&SIG=REDACTED"
    );
    for untouched in [
        "?designature=abc",
        "?x-sig=abc",
        "?my_sig=abc",
        "<Code>SignatureDoesNotMatch</Code>",
        "the Signature: was wrong",
        "?X-Amz-SignedHeaders=host",
        "sig",
        "sig=",
        "?sig=&a=b",
        "Signature = abc",
    ] {
        assert_eq!(r(untouched), untouched);
        assert!(matches!(redactor().redact_str(untouched), Cow::Borrowed(_)));
    }
}

#[test]
fn every_encoding_of_the_query() {
    let cases = [
        // Percent-encoded once (a URL inside a query parameter) and twice.
        (
            "next=https%3A%2F%2Fh%2Fk%3FX-Amz-Date%3D1%26X-Amz-Signature%3Dabc123%26x%3D1",
            "next=https%3A%2F%2Fh%2Fk%3FX-Amz-Date%3D1%26X-Amz-Signature%3DREDACTED%26x%3D1",
        ),
        (
            "u=https%253A%252F%252Fh%252Fk%253Fsig%253Dab%25252Bcd%25253D%2526se%253D1",
            "u=https%253A%252F%252Fh%252Fk%253Fsig%253DREDACTED%2526se%253D1",
        ),
        // JSON-escaped (Go escapes `&` as \u0026, PHP `/` as \/).
        (
            r#"{"url":"https:\/\/h\/k?se=1\u0026sig=ab\/c+d%3D\u0026sp=r"}"#,
            r#"{"url":"https:\/\/h\/k?se=1\u0026sig=REDACTED\u0026sp=r"}"#,
        ),
        (
            r#"{"u":"?X-Amz-Signature\u003dabc"}"#,
            r#"{"u":"?X-Amz-Signature\u003dREDACTED"}"#,
        ),
        // HTML-escaped.
        (
            r#"<a href="/k?Expires=1&amp;Signature=a~b-c_&amp;Key-Pair-Id=K1">"#,
            r#"<a href="/k?Expires=1&amp;Signature=REDACTED&amp;Key-Pair-Id=K1">"#,
        ),
        (
            "<a href=\"/k?sig&#61;ab&#x2F;c&#43;d&amp;se=1\">",
            "<a href=\"/k?sig&#61;REDACTED&amp;se=1\">",
        ),
        // Parsed parameters logged as JSON or a Python dict.
        (
            r#"{"X-Amz-Signature": "abc", "X-Amz-Date": "1", "sig":"x+y="}"#,
            r#"{"X-Amz-Signature": "REDACTED", "X-Amz-Date": "1", "sig":"REDACTED"}"#,
        ),
        (
            r#"{'X-Amz-Security-Token': 'FwoG/x+y=='}"#,
            r#"{'X-Amz-Security-Token': 'REDACTED'}"#,
        ),
        (
            r#"msg="{\"sig\":\"abc\"}""#,
            r#"msg="{\"sig\":\"REDACTED\"}""#,
        ),
    ];
    for (input, want) in cases {
        assert_eq!(r(input), want, "{input}");
    }
}

#[test]
fn cookies_headers_and_authorization() {
    assert_eq!(
        r(
            "Cookie: CloudFront-Policy=eyJTdGF0ZW1lbnQiOlt7~; CloudFront-Signature=a~b; CloudFront-Key-Pair-Id=K2JCJMDEHXQW5F"
        ),
        "Cookie: CloudFront-Policy=REDACTED; CloudFront-Signature=REDACTED; CloudFront-Key-Pair-Id=K2JCJMDEHXQW5F"
    );
    assert_eq!(
        r(
            "Set-Cookie: Cloud-CDN-Cookie=URLPrefix=aHR0cHM6Ly9leGFtcGxlLmNvbS8=:Expires=1566268009:KeyName=mySigningKey:Signature=0Wm9JfSCp-pyl9Bm9x-DNy8oXEw=; Domain=media.example.com"
        ),
        "Set-Cookie: Cloud-CDN-Cookie=URLPrefix=aHR0cHM6Ly9leGFtcGxlLmNvbS8=:Expires=1566268009:KeyName=mySigningKey:Signature=REDACTED; Domain=media.example.com"
    );
    assert_eq!(
        r("> X-Amz-Security-Token: FwoGZXIvYXdzEJr//////////wEaDA==\r\n> Host: h\r\n"),
        "> X-Amz-Security-Token: REDACTED\r\n> Host: h\r\n"
    );
    assert_eq!(
        r(
            "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
        ),
        "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=REDACTED"
    );
}

#[test]
fn key_ids_are_kept_by_default_and_replaced_on_request() {
    let url = "?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1&Signature=vjbyPxybd%2BZ%3D&X-Goog-Credential=sa%40p.iam.gserviceaccount.com%2F20190201%2Fauto%2Fstorage%2Fgoog4_request&GoogleAccessId=sa@p.iam.gserviceaccount.com";
    assert_eq!(
        r(url),
        "?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1&Signature=REDACTED&X-Goog-Credential=sa%40p.iam.gserviceaccount.com%2F20190201%2Fauto%2Fstorage%2Fgoog4_request&GoogleAccessId=sa@p.iam.gserviceaccount.com"
    );
    let strict = Redactor::builder()
        .secrets(SECRETS)
        .key_ids(KeyIds::Redact)
        .build();
    assert_eq!(strict.key_ids(), KeyIds::Redact);
    assert_eq!(
        strict.redact_str(url),
        "?AWSAccessKeyId=REDACTED&Expires=1&Signature=REDACTED&X-Goog-Credential=REDACTED%2F20190201%2Fauto%2Fstorage%2Fgoog4_request&GoogleAccessId=REDACTED"
    );
    assert_eq!(
        strict.redact_str("X-Amz-Credential=AKIDEXAMPLE/20150830/us-east-1/s3/aws4_request"),
        "X-Amz-Credential=REDACTED/20150830/us-east-1/s3/aws4_request"
    );
}

#[test]
fn lines_and_other_bytes_are_kept() {
    let input = "a\nsig=x\r\n\nsig=y\tz\n\u{e9}t\u{e9} sig=\u{e9}\n";
    assert_eq!(
        r(input),
        "a\nsig=REDACTED\r\n\nsig=REDACTED\tz\n\u{e9}t\u{e9} sig=\u{e9}\n"
    );
}

#[test]
fn no_declarations_changes_nothing() {
    let empty = Redactor::new(&[]);
    assert_eq!(empty.redact_str("?sig=abc"), "?sig=abc");
    assert_eq!(chunked(&empty, b"?sig=abc", 3), b"?sig=abc");
}

#[test]
fn display_adapter() {
    let red = redactor();
    assert_eq!(
        format!("url={}", red.display("/k?sig=abc&sp=r")),
        "url=/k?sig=REDACTED&sp=r"
    );
}

#[test]
fn stream_keeps_lines_and_counts() {
    let input = b"one ?sig=a\ntwo\nthree &Signature=b&x=1\n".repeat(1000);
    let mut out = Vec::new();
    let n = redactor()
        .redact_stream(std::io::BufReader::with_capacity(7, &input[..]), &mut out)
        .unwrap();
    assert_eq!(n, 2000);
    assert_eq!(
        out,
        b"one ?sig=REDACTED\ntwo\nthree &Signature=REDACTED&x=1\n".repeat(1000)
    );
}

#[test]
fn a_complete_line_is_written_at_once() {
    let red = redactor();
    let mut w = red.writer(Vec::new());
    w.write_all(b"GET /k?X-Amz-Signature=abc 200 clo\n")
        .unwrap();
    assert_eq!(
        w.inner_ref().unwrap(),
        b"GET /k?X-Amz-Signature=REDACTED 200 clo\n"
    );
    w.write_all(b"closing X-Amz-Sig").unwrap();
    // The possible start of a name stays until the next write decides it.
    assert_eq!(w.inner_ref().unwrap().len(), 40 + "closing ".len());
    w.write_all(b"nature=abc\n").unwrap();
    assert!(
        w.inner_ref()
            .unwrap()
            .ends_with(b"closing X-Amz-Signature=REDACTED\n")
    );
}

#[test]
fn huge_lines_and_values_in_bounded_memory() {
    let red = redactor();
    let mut w = red.writer(std::io::sink());
    w.write_all(b"?sig=").unwrap();
    let block = vec![b'A'; 1 << 20];
    for _ in 0..64 {
        w.write_all(&block).unwrap();
        assert!(
            w.buffer_capacity() <= 2 * 64 * 1024 + 64,
            "{}",
            w.buffer_capacity()
        );
    }
    w.write_all(b"&x=1").unwrap();
    assert_eq!(w.replaced(), 1);
    let line = [b"x=".as_slice(), &vec![b'y'; 3 << 20], b"&sig=z\n"].concat();
    let mut w = red.writer(Vec::new());
    w.write_all(&line).unwrap();
    assert!(w.buffer_capacity() <= 2 * 64 * 1024 + 64);
    let out = w.into_inner().unwrap();
    assert!(out.ends_with(b"yyy&sig=REDACTED\n"));
    assert_eq!(out.len(), line.len() - 1 + REDACTED.len());
}

#[test]
fn drop_writes_the_tail() {
    let mut sink = Vec::new();
    {
        let red = redactor();
        let mut w = red.writer(&mut sink);
        w.write_all(b"?sig=abc").unwrap();
    }
    assert_eq!(sink, b"?sig=REDACTED");
}

/// Inputs made of the pieces the engine cares about, so that names, separators, escapes and
/// values meet chunk boundaries everywhere.
fn interesting() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop::sample::select(vec![
        "sig",
        "SIG",
        "Signature",
        "X-Amz-",
        "Signature",
        "Security-Token",
        "CloudFront-",
        "Policy",
        "=",
        "%3D",
        "%253D",
        "\\u003d",
        "&#61;",
        "&amp;",
        "&",
        "?",
        "%26",
        "\\u0026",
        "\"",
        "\\\"",
        ":",
        " ",
        "\n",
        "abc",
        "A+/=",
        "%2B",
        "%252F",
        "~-_",
        "\u{e9}",
        "%",
        "\\",
        "&#x",
        "AWSAccessKeyId",
        "/",
        "x",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat().into_bytes())
}

proptest! {
    #[test]
    fn chunking_never_changes_the_result(input in interesting(), size in 1usize..12) {
        for red in [redactor(), Redactor::builder().secrets(SECRETS).key_ids(KeyIds::Redact).build()] {
            let whole = red.redact_bytes(&input).into_owned();
            prop_assert_eq!(chunked(&red, &input, size), whole.clone());
            // Idempotent: redacting again changes nothing.
            prop_assert_eq!(red.redact_bytes(&whole).into_owned(), whole);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(input in prop::collection::vec(any::<u8>(), 0..300), size in 1usize..40) {
        let red = redactor();
        let whole = red.redact_bytes(&input).into_owned();
        prop_assert_eq!(chunked(&red, &input, size), whole);
    }

    #[test]
    fn utf8_stays_utf8(input in "\\PC{0,80}") {
        let out = redactor().redact_str(&input).into_owned();
        prop_assert_eq!(out.lines().count(), input.lines().count());
    }
}

// The `Debug` helpers.

#[test]
fn redacts_every_known_secret_param() {
    let url = "http://h/k?X-Amz-Security-Token=tok&a=1&X-Goog-Signature=gg&sig=az%2B&x=sig";
    let r = redact_url(url, SECRETS);
    assert_eq!(
        r,
        "http://h/k?X-Amz-Security-Token=REDACTED&a=1&X-Goog-Signature=REDACTED&sig=REDACTED&x=sig"
    );
    assert!(!r.contains("tok") && !r.contains("gg") && !r.contains("az%2B"));
}

#[test]
fn leaves_harmless_urls_alone() {
    assert!(matches!(
        redact_url("http://h/k?a=b", SECRETS),
        Cow::Borrowed(_)
    ));
    assert!(matches!(redact_url("http://h/k", &[]), Cow::Borrowed(_)));
    assert_eq!(
        redact_url("http://h/k?a=b#f", &[]),
        "http://h/k?a=REDACTED#f"
    );
}

#[test]
fn sensitive_headers() {
    assert!(is_sensitive_header(
        "X-Amz-Server-Side-Encryption-Customer-Key"
    ));
    assert!(!is_sensitive_header("content-type"));
}

#[test]
fn many_declarations_use_the_automaton_and_match_the_same() {
    const MANY: &[SecretParam] = &[
        SecretParam::new("alpha", SecretKind::Signature),
        SecretParam::new("bravo", SecretKind::Signature),
        SecretParam::new("charlie", SecretKind::Signature),
        SecretParam::new("delta", SecretKind::Signature),
        SecretParam::new("echo", SecretKind::Signature),
        SecretParam::new("foxtrot", SecretKind::Signature),
        SecretParam::new("golf", SecretKind::Signature),
        SecretParam::new("hotel", SecretKind::Signature),
        SecretParam::new("india", SecretKind::Signature),
        SecretParam::new("sig", SecretKind::Signature),
    ];
    let red = Redactor::new(MANY);
    let input = "?ALPHA=1&x=2&Hotel%3D3&sig=4&juliet=5\n";
    let want = "?ALPHA=REDACTED&x=2&Hotel%3DREDACTED&sig=REDACTED&juliet=5\n";
    assert_eq!(red.redact_str(input), want);
    assert_eq!(chunked(&red, input.as_bytes(), 2), want.as_bytes());
}
