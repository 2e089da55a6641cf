//! Log corpora for the redaction benchmark, generated deterministically, with every planted
//! secret known: [`Corpus::input`] is the log, [`Corpus::redacted`] the same log with each
//! planted secret value replaced by `REDACTED` (built here, by the generator, never by the code
//! under test).
//!
//! Secrets are written raw (`&X-Amz-Signature=…`), the form a `sed` one-liner handles too, so
//! presign and the regex peer must produce byte-identical output: equal work is compared.
//!
//! - [`few_urls`]: application logs, access logs without signed URLs, JSON logs and stack
//!   traces; one line in 200 carries a signed URL.
//! - [`all_urls`]: access logs where every line is a signed S3 (with a session token), Azure,
//!   GCS or CloudFront URL.

/// A generated log and its expected redaction.
pub struct Corpus {
    /// The log.
    pub input: Vec<u8>,
    /// The log with every planted secret replaced by `REDACTED`.
    pub redacted: Vec<u8>,
    /// How many secrets were planted.
    pub secrets: usize,
}

impl Corpus {
    fn new() -> Self {
        Corpus {
            input: Vec::new(),
            redacted: Vec::new(),
            secrets: 0,
        }
    }

    /// Text that is the same in both.
    fn text(&mut self, s: &str) {
        self.input.extend_from_slice(s.as_bytes());
        self.redacted.extend_from_slice(s.as_bytes());
    }

    /// A secret value: itself in the input, `REDACTED` in the expectation.
    fn secret(&mut self, s: &str) {
        self.input.extend_from_slice(s.as_bytes());
        self.redacted.extend_from_slice(b"REDACTED");
        self.secrets += 1;
    }
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn hex(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b"0123456789abcdef"[self.below(16) as usize]))
            .collect()
    }

    /// Base64 as it appears percent-encoded in a query (`+`, `/`, `=` escaped).
    fn b64_query(&mut self, n: usize) -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut s = String::new();
        for _ in 0..n {
            match A[self.below(64) as usize] {
                b'+' => s.push_str("%2B"),
                b'/' => s.push_str("%2F"),
                c => s.push(char::from(c)),
            }
        }
        s.push_str("%3D");
        s
    }

    /// CloudFront's base64 alphabet (`-`, `_`, `~`).
    fn b64_cloudfront(&mut self, n: usize) -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-~";
        (0..n)
            .map(|_| char::from(A[self.below(64) as usize]))
            .collect()
    }
}

const AGENTS: &[&str] = &[
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    "curl/8.11.0",
    "aws-sdk-java/2.29.0 Linux/6.1 OpenJDK_64-Bit_Server_VM/21",
    "python-requests/2.32.3",
];

fn access_prefix(c: &mut Corpus, r: &mut Rng, i: usize) {
    let line = format!(
        "203.0.113.{} - - [01/Nov/2026:12:{:02}:{:02} +0000] \"GET ",
        r.below(250),
        (i / 60) % 60,
        i % 60
    );
    c.text(&line);
}

fn access_suffix(c: &mut Corpus, r: &mut Rng) {
    let line = format!(
        " HTTP/1.1\" 200 {} \"-\" \"{}\"\n",
        r.below(90_000),
        AGENTS[r.below(AGENTS.len() as u64) as usize]
    );
    c.text(&line);
}

/// One access-log line with a signed URL of one of four vendors.
fn signed_line(c: &mut Corpus, r: &mut Rng, i: usize) {
    access_prefix(c, r, i);
    match i % 4 {
        0 => {
            c.text(&format!(
                "/reports/2026/q{}-{i}.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAIOSFODNN7EXAMPLE%2F20261101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261101T120000Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Security-Token=",
                i % 4 + 1
            ));
            let token = r.b64_query(300);
            c.secret(&token);
            c.text("&X-Amz-Signature=");
            let sig = r.hex(64);
            c.secret(&sig);
        }
        1 => {
            c.text(&format!(
                "/photos/cat-{i}.jpg?sv=2026-10-06&st=2026-11-01T11%3A55%3A00Z&se=2026-11-01T12%3A10%3A00Z&sr=b&sp=r&spr=https&sig="
            ));
            let sig = r.b64_query(43);
            c.secret(&sig);
        }
        2 => {
            c.text(&format!(
                "/media-bucket/video-{i}.mp4?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=signer%40project.iam.gserviceaccount.com%2F20261101%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20261101T120000Z&X-Goog-Expires=900&X-Goog-SignedHeaders=host&X-Goog-Signature="
            ));
            let sig = r.hex(512);
            c.secret(&sig);
        }
        _ => {
            c.text(&format!("/videos/{i}.m3u8?Expires=1793535300&Signature="));
            let sig = r.b64_cloudfront(172);
            c.secret(&sig);
            c.text("&Key-Pair-Id=K2JCJMDEHXQW5F");
        }
    }
    access_suffix(c, r);
}

/// One line of ordinary logging without any signed URL.
fn plain_line(c: &mut Corpus, r: &mut Rng, i: usize) {
    let line = match i % 5 {
        0 => format!(
            "2026-11-01T12:00:{:02}.{:06}Z  INFO request{{id={}}}: app::http: finished status=200 latency_ms={} path=/api/v1/items/{}\n",
            i % 60,
            r.below(1_000_000),
            r.hex(16),
            r.below(500),
            r.below(100_000)
        ),
        1 => {
            let mut c2 = Corpus::new();
            access_prefix(&mut c2, r, i);
            let mut s = String::from_utf8(c2.input).unwrap_or_default();
            s.push_str(&format!("/static/js/app.{}.js", r.hex(8)));
            s
        }
        2 => format!(
            "{{\"ts\":\"2026-11-01T12:00:{:02}Z\",\"level\":\"info\",\"msg\":\"cache miss\",\"key\":\"user:{}\",\"dur_ms\":{}}}\n",
            i % 60,
            r.below(1_000_000),
            r.below(50)
        ),
        3 => format!(
            "    at com.example.storage.DownloadService.handle(DownloadService.java:{})\n",
            r.below(900)
        ),
        _ => format!(
            "2026-11-01 12:00:{:02},{:03} WARN  [pool-3-thread-{}] o.a.k.c.NetworkClient - Connection to node {} could not be established. Broker may not be available.\n",
            i % 60,
            r.below(1000),
            r.below(16),
            r.below(9)
        ),
    };
    if i % 5 == 1 {
        c.text(&line);
        access_suffix(c, r);
    } else {
        c.text(&line);
    }
}

/// About `bytes` of ordinary logs with one signed URL every 200 lines.
pub fn few_urls(bytes: usize) -> Corpus {
    let mut c = Corpus::new();
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    let mut i = 0;
    while c.input.len() < bytes {
        if i % 200 == 199 {
            signed_line(&mut c, &mut r, i);
        } else {
            plain_line(&mut c, &mut r, i);
        }
        i += 1;
    }
    c
}

/// About `bytes` of access logs where every line carries a signed URL.
pub fn all_urls(bytes: usize) -> Corpus {
    let mut c = Corpus::new();
    let mut r = Rng(0xD1B5_4A32_D192_ED03);
    let mut i = 0;
    while c.input.len() < bytes {
        signed_line(&mut c, &mut r, i);
        i += 1;
    }
    c
}

/// The `sed -E` expression of the peer (GNU sed, `I` for case-insensitive): a secret parameter
/// after `?`, `&`, `;`, a space or a quote, its value up to the next delimiter.
pub const SED_EXPRESSION: &str = r#"s/([?&; "]|^)(x-amz-signature|x-amz-security-token|x-goog-signature|cloudfront-signature|cloudfront-policy|signature|sig)=[A-Za-z0-9+/=_~%-]+/\1\2=REDACTED/gI"#;

/// The same expression for the `regex` crate.
pub const REGEX_PATTERN: &str = r#"(?i)([?&; "]|^)(x-amz-signature|x-amz-security-token|x-goog-signature|cloudfront-signature|cloudfront-policy|signature|sig)=[A-Za-z0-9+/=_~%-]+"#;

/// The `regex` crate's replacement.
pub const REGEX_REPLACEMENT: &str = "${1}${2}=REDACTED";
