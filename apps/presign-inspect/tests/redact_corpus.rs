#![cfg(test)]
//! `presign redact`'s engine with every vendor's declarations on a mixed corpus: nginx and ALB
//! access logs, CloudFront standard logs, JSON logs, HTML, stack traces, curl dumps and
//! cookies, with signatures, tokens and signed cookies planted raw, percent-encoded once and
//! twice, JSON-escaped and HTML-escaped. The generator knows every planted value and builds
//! the expected output itself: zero secrets left behind and no other byte changed, whole and
//! written in pieces of any size.

use std::io::Write;

use presign_core::redact::{KeyIds, Redactor};
use presign_inspect::vendor_redactor;
use proptest::prelude::*;

/// A piece of a line: text, or a secret value.
enum Part {
    Text(String),
    Secret(String),
}

use Part::{Secret, Text};

fn t(s: impl Into<String>) -> Part {
    Text(s.into())
}

/// Where a URL is written, and so how it is escaped.
#[derive(Clone, Copy, Debug)]
enum Context {
    Raw,
    PercentOnce,
    PercentTwice,
    Json,
    Html,
}

const CONTEXTS: [Context; 5] = [
    Context::Raw,
    Context::PercentOnce,
    Context::PercentTwice,
    Context::Json,
    Context::Html,
];

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn escape(s: &str, c: Context) -> String {
    match c {
        Context::Raw => s.to_owned(),
        Context::PercentOnce => percent(s),
        Context::PercentTwice => percent(&percent(s)),
        Context::Json => s
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('&', "\\u0026")
            .replace('/', "\\/"),
        Context::Html => s.replace('&', "&amp;").replace('"', "&quot;"),
    }
}

/// A deterministic generator of secret values in each vendor's alphabet.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn from(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| char::from(alphabet[(self.next() % alphabet.len() as u64) as usize]))
            .collect()
    }
    fn hex(&mut self, n: usize) -> String {
        self.from(b"0123456789abcdef", n)
    }
    /// Base64 as a query carries it (`+`, `/`, `=` percent-encoded).
    fn b64q(&mut self, n: usize) -> String {
        let raw = self.from(
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
            n,
        );
        percent(&raw) + "%3D"
    }
    fn cloudfront(&mut self, n: usize) -> String {
        self.from(
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-~",
            n,
        ) + "_"
    }
}

/// One signed URL of vendor `v` as parts (its query escaped as a query normally is).
fn signed_url(g: &mut Gen, v: u64, i: usize) -> Vec<Part> {
    match v % 7 {
        0 => vec![
            t(format!(
                "https://bucket-{i}.s3.eu-west-1.amazonaws.com/reports/q{i}.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261101%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=20261101T120000Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature="
            )),
            Secret(g.hex(64)),
        ],
        1 => vec![
            t(format!(
                "https://s3.amazonaws.com/b/k{i}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAIOSFODNN7EXAMPLE%2F20261101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261101T120000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Security-Token="
            )),
            Secret(g.b64q(400)),
            t("&X-Amz-Signature="),
            Secret(g.hex(64)),
        ],
        2 => vec![
            t(format!(
                "https://acct.blob.core.windows.net/photos/cat{i}.jpg?sv=2026-10-06&st=2026-11-01T11%3A55%3A00Z&se=2026-11-01T12%3A10%3A00Z&sr=b&sp=r&spr=https&sig="
            )),
            Secret(g.b64q(43)),
        ],
        3 => vec![
            t(format!(
                "https://storage.googleapis.com/media/v{i}.mp4?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=signer%40p.iam.gserviceaccount.com%2F20261101%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20261101T120000Z&X-Goog-Expires=900&X-Goog-SignedHeaders=host&X-Goog-Signature="
            )),
            Secret(g.hex(512)),
        ],
        4 => vec![
            t(format!(
                "https://d111111abcdef8.cloudfront.net/videos/{i}.m3u8?Expires=1793535300&Signature="
            )),
            Secret(g.cloudfront(171)),
            t("&Key-Pair-Id=K2JCJMDEHXQW5F"),
        ],
        5 => vec![
            t(format!(
                "https://media.example.com/s/{i}.ts?URLPrefix=aHR0cHM6Ly9tZWRpYS5leGFtcGxlLmNvbS9zLw%3D%3D&Expires=1793535300&KeyName=prod-key&Signature="
            )),
            Secret(g.from(b"ABCDEFabcdef0123456789-_", 27) + "="),
        ],
        _ => vec![
            t(format!(
                "https://b.s3.amazonaws.com/legacy/{i}.bin?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1793535300&Signature="
            )),
            Secret(g.b64q(27)),
        ],
    }
}

/// The URL's parts escaped for `c`.
fn in_context(parts: Vec<Part>, c: Context) -> Vec<Part> {
    parts
        .into_iter()
        .map(|p| match p {
            Text(s) => Text(escape(&s, c)),
            Secret(s) => Secret(escape(&s, c)),
        })
        .collect()
}

/// Line `i` of the corpus.
fn line(g: &mut Gen, i: usize) -> Vec<Part> {
    let v = g.next();
    let url = |g: &mut Gen, c| in_context(signed_url(g, v, i), c);
    let ctx = CONTEXTS[(g.next() % 5) as usize];
    let mut out = Vec::new();
    match i % 12 {
        0 => {
            // nginx combined, the signed URL in the request line.
            out.push(t(format!("198.51.100.{} - - [01/Nov/2026:12:00:{:02} +0000] \"GET ", i % 250, i % 60)));
            let mut u = url(g, Context::Raw);
            if let Some(Text(first)) = u.first_mut() {
                *first = first.split_once(".com").map_or(first.clone(), |(_, p)| p.to_owned());
            }
            out.extend(u);
            out.push(t(" HTTP/1.1\" 200 5120 \"-\" \"Mozilla/5.0\"\n"));
        }
        1 => {
            // ALB: a redirect target URL percent-encoded in the query of the request URL.
            out.push(t(format!("https 2026-11-01T12:00:{:02}.123456Z app/my-alb/50dc6c495c0c9188 192.0.2.1:2817 10.0.0.1:80 0.000 0.001 0.000 302 302 34 366 \"GET https://www.example.com:443/login?next=", i % 60)));
            out.extend(url(g, Context::PercentOnce));
            out.push(t(" HTTP/1.1\" \"curl/8.5.0\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/tg/73e2d6bc24d8a067 \"Root=1-58337262-36d228ad5d99923122bbe354\" \"-\" \"-\" 0 2026-11-01T12:00:00.000000Z \"forward\" \"-\" \"-\" \"10.0.0.1:80\" \"302\" \"-\" \"-\"\n"));
        }
        2 => {
            // CloudFront standard log: tab-separated, the query and cookie fields encoded.
            out.push(t(format!("2026-11-01\t12:00:{:02}\tFRA56-C2\t2390\t192.0.2.100\tGET\td111111abcdef8.cloudfront.net\t/index.html\t200\t-\tMozilla/5.0\tnext=", i % 60)));
            out.extend(url(g, Context::PercentTwice));
            out.push(t("\tCloudFront-Policy="));
            out.push(Secret(g.cloudfront(200)));
            out.push(t(";%20CloudFront-Signature="));
            out.push(Secret(g.cloudfront(171)));
            out.push(t(";%20CloudFront-Key-Pair-Id=K2JCJMDEHXQW5F\tHit\tSOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==\n"));
        }
        3 => {
            out.push(t(format!("{{\"ts\":\"2026-11-01T12:00:{:02}Z\",\"level\":\"info\",\"msg\":\"redirect\",\"location\":\"", i % 60)));
            out.extend(url(g, Context::Json));
            out.push(t("\",\"status\":302}\n"));
        }
        4 => {
            out.push(t("<li><a href=\""));
            out.extend(url(g, Context::Html));
            out.push(t(format!("\" rel=\"noreferrer\">file {i}</a></li>\n")));
        }
        5 => {
            out.push(t("com.amazonaws.services.s3.model.AmazonS3Exception: Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request URL: "));
            out.extend(url(g, ctx));
            out.push(t(")\n\tat com.amazonaws.http.AmazonHttpClient.handleErrorResponse(AmazonHttpClient.java:1799)\n\tat com.example.Downloader.fetch(Downloader.java:42)\n"));
        }
        6 => {
            out.push(t("Traceback (most recent call last):\n  File \"app.py\", line 12, in <module>\n    r = requests.get(url)\nrequests.exceptions.HTTPError: 403 Client Error: Forbidden for url: "));
            out.extend(url(g, Context::Raw));
            out.push(t("\n"));
        }
        7 => {
            out.push(t("> GET /k HTTP/1.1\r\n> Host: b.s3.amazonaws.com\r\n> X-Amz-Security-Token: "));
            out.push(Secret(g.from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop0123456789+/", 300) + "=="));
            out.push(t("\r\n> Authorization: AWS4-HMAC-SHA256 Credential=ASIAIOSFODNN7EXAMPLE/20261101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature="));
            out.push(Secret(g.hex(64)));
            out.push(t("\r\n"));
        }
        8 => {
            out.push(t("< Set-Cookie: Cloud-CDN-Cookie=URLPrefix=aHR0cHM6Ly9tZWRpYS5leGFtcGxlLmNvbS8=:Expires=1793535300:KeyName=prod-key:Signature="));
            out.push(Secret(g.from(b"ABCDEFabcdef0123456789-_", 27) + "="));
            out.push(t("; Domain=media.example.com; Path=/; HttpOnly\n"));
        }
        9 => {
            out.push(t("{\"event\":\"presign\",\"query\":{\"X-Amz-Date\":\"20261101T120000Z\",\"X-Amz-Signature\":\""));
            out.push(Secret(g.hex(64)));
            out.push(t("\",\"sig\":\""));
            out.push(Secret(g.b64q(43)));
            out.push(t(format!("\"}},\"n\":{i}}}\n")));
        }
        // Look-alikes that must come out unchanged.
        10 => out.push(t(format!("<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message><StringToSign>AWS4-HMAC-SHA256 20261101T120000Z</StringToSign><SignatureProvided>n/a</SignatureProvided></Error> sig_count={i} design=flat x-amz-signature-version=4 Signature: see docs\n"))),
        _ => out.push(t(format!("2026-11-01 12:00:{:02},123 INFO  [main] o.e.Server - started in {i} ms; X-Amz-Credential=AKIAIOSFODNN7EXAMPLE/20261101/us-east-1/s3/aws4_request kept for triage, Key-Pair-Id=K2JCJMDEHXQW5F, KeyName=prod-key, Expires=1793535300\n", i % 60))),
    }
    out
}

/// The corpus: its text, the expected redaction and the planted secrets.
fn corpus(lines: usize) -> (Vec<u8>, Vec<u8>, Vec<String>) {
    let mut g = Gen(0x2545_F491_4F6C_DD1D);
    let (mut input, mut expected, mut secrets) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..lines {
        for part in line(&mut g, i) {
            match part {
                Text(s) => {
                    input.extend_from_slice(s.as_bytes());
                    expected.extend_from_slice(s.as_bytes());
                }
                Secret(s) => {
                    input.extend_from_slice(s.as_bytes());
                    expected.extend_from_slice(b"REDACTED");
                    secrets.push(s);
                }
            }
        }
    }
    (input, expected, secrets)
}

fn through_writer(r: &Redactor, input: &[u8], piece: usize) -> Vec<u8> {
    let mut w = r.writer(Vec::new());
    for chunk in input.chunks(piece) {
        w.write_all(chunk).unwrap();
    }
    w.into_inner().unwrap()
}

#[test]
fn mixed_corpus_zero_left_and_nothing_else_changed() {
    let (input, expected, secrets) = corpus(2400);
    let r = vendor_redactor(KeyIds::Keep);
    let mut out = Vec::new();
    let replaced = r.redact_stream(&input[..], &mut out).unwrap();
    assert_eq!(replaced as usize, secrets.len());
    let text = String::from_utf8(out.clone()).unwrap();
    for s in &secrets {
        assert!(!text.contains(s.as_str()), "left behind: {s}");
    }
    if out != expected {
        let at = out
            .iter()
            .zip(&expected)
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        let from = at.saturating_sub(200);
        panic!(
            "first difference at byte {at}:\n got: {}\nwant: {}",
            String::from_utf8_lossy(&out[from..(at + 200).min(out.len())]),
            String::from_utf8_lossy(&expected[from..(at + 200).min(expected.len())])
        );
    }
    assert_eq!(
        input.iter().filter(|b| **b == b'\n').count(),
        out.iter().filter(|b| **b == b'\n').count()
    );
    eprintln!(
        "redaction corpus: {} lines, {} bytes, {} planted secrets",
        2400,
        input.len(),
        secrets.len()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Any piece size through the writer gives the same output as the whole.
    #[test]
    fn any_piece_size_gives_the_same_output(piece in 1usize..4096) {
        let (input, expected, _) = corpus(120);
        let r = vendor_redactor(KeyIds::Keep);
        prop_assert!(through_writer(&r, &input, piece) == expected);
    }
}
