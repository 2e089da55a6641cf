//! The emulator scenario table: named scenarios every provider column runs against its
//! emulator, and the [`Column`] trait that says how one provider builds, tampers and judges
//! its URLs.
//!
//! A provider adds a column by implementing [`Column`] in its own test file and calling
//! [`run_table`]; the scenarios themselves stay provider-independent: they send the headers in
//! [`PresignedRequest::headers`], tamper URLs through the column's parameter names, and ask the
//! column which scenarios its emulator cannot judge.

mod table;

use std::fmt;

use presign_core::encoding::decode_lossy;
use presign_core::{PresignRequest, PresignedRequest, Presigner};

pub use table::run_table;

/// One provider column: a presigner, how to tamper its URLs, and what its emulator cannot judge.
pub trait Column {
    /// The column's name in the output (`s3 (SeaweedFS)`).
    fn name(&self) -> String;

    /// The presigner under test, with credentials the emulator accepts.
    fn presigner(&self) -> &dyn Presigner;

    /// The same presigner but with temporary credentials whose session token the emulator must
    /// refuse; `None` when the provider has no session tokens.
    fn presigner_with_wrong_token(&self) -> Option<&dyn Presigner> {
        None
    }

    /// The query parameter that carries the signature (`X-Amz-Signature`, `sig`, ...).
    fn signature_param(&self) -> &str;

    /// The query parameter that carries the signed expiry (`X-Amz-Expires`, `se`, ...).
    fn expiry_param(&self) -> &str;

    /// A different, still well-formed value for the expiry parameter (default: a number plus
    /// 60).
    fn tamper_expiry(&self, value: &str) -> String {
        value
            .parse::<u64>()
            .map(|v| (v + 60).to_string())
            .unwrap_or_else(|_| format!("{value}0"))
    }

    /// Why the emulator cannot judge `scenario`, if it cannot.
    fn cannot_judge(&self, scenario: &str) -> Option<String> {
        let _ = scenario;
        None
    }

    /// Whether the provider's URLs can carry a key with `.` or `..` segments. S3 and GCS put
    /// the key in the path as it is, and HTTP clients remove such segments before sending, so
    /// presign refuses those keys there; Azure writes dots as `%2E` and signs them.
    fn signs_dot_segments(&self) -> bool;

    /// Why the emulator cannot store `key` as it is (so the scenario judges the URL itself), if
    /// it cannot.
    fn key_quirk(&self, key: &str) -> Option<String> {
        let _ = key;
        None
    }

    /// Checks offline that `signed` is the correct signature of `request` (re-signing at the
    /// URL's own signing time, for example). Used when the emulator cannot judge a key; the
    /// default says there is no offline check, which fails such keys.
    fn verify_offline(
        &self,
        request: &PresignRequest,
        signed: &PresignedRequest,
    ) -> Result<(), String> {
        let _ = (request, signed);
        Err(format!(
            "column {} has no offline signature check",
            self.name()
        ))
    }
}

/// A scenario's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The server (or, for quirky keys, the URL check) behaved as a cloud would.
    Passed,
    /// It did not; the text says what happened.
    Failed(String),
    /// The emulator cannot judge this scenario; the text says why.
    NotJudged(String),
}

/// The result of one scenario.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The scenario name.
    pub scenario: String,
    /// The verdict.
    pub verdict: Verdict,
    /// What was checked and what the server answered.
    pub detail: String,
}

/// The results of one column.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// The column.
    pub column: String,
    /// Every scenario, in order.
    pub outcomes: Vec<Outcome>,
}

impl Summary {
    /// How many scenarios passed.
    pub fn passed(&self) -> usize {
        self.count(|v| matches!(v, Verdict::Passed))
    }

    /// How many failed.
    pub fn failed(&self) -> usize {
        self.count(|v| matches!(v, Verdict::Failed(_)))
    }

    /// How many the emulator could not judge.
    pub fn not_judged(&self) -> usize {
        self.count(|v| matches!(v, Verdict::NotJudged(_)))
    }

    /// Adds one scenario's outcome and prints it as `[column] ok   scenario: detail`
    /// (`FAIL` / `n/j ` with the reason when it did not pass).
    pub fn record(&mut self, scenario: &str, verdict: Verdict, detail: String) {
        let tag = match &verdict {
            Verdict::Passed => "ok  ",
            Verdict::Failed(_) => "FAIL",
            Verdict::NotJudged(_) => "n/j ",
        };
        let why = match &verdict {
            Verdict::Failed(w) | Verdict::NotJudged(w) => format!(" -- {w}"),
            Verdict::Passed => String::new(),
        };
        println!("[{}] {tag} {scenario}: {detail}{why}", self.column);
        self.outcomes.push(Outcome {
            scenario: scenario.to_owned(),
            verdict,
            detail,
        });
    }

    fn count(&self, f: impl Fn(&Verdict) -> bool) -> usize {
        self.outcomes.iter().filter(|o| f(&o.verdict)).count()
    }

    /// Panics, listing the failures, when any scenario failed.
    pub fn assert_all_passed(&self) {
        let failures: Vec<String> = self
            .outcomes
            .iter()
            .filter_map(|o| match &o.verdict {
                Verdict::Failed(why) => Some(format!("{}: {why}", o.scenario)),
                _ => None,
            })
            .collect();
        assert!(
            failures.is_empty(),
            "{}: {} scenario(s) failed:\n  {}",
            self.column,
            failures.len(),
            failures.join("\n  ")
        );
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} passed, {} failed, {} not judged by the emulator",
            self.column,
            self.passed(),
            self.failed(),
            self.not_judged()
        )
    }
}

/// Replaces the value of query parameter `name` in `url` using `f`; `None` when absent.
pub fn tamper_param(url: &str, name: &str, f: impl Fn(&str) -> String) -> Option<String> {
    let (base, query) = url.split_once('?')?;
    let mut found = false;
    let pairs: Vec<String> = query
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((n, v)) if n == name => {
                found = true;
                format!("{n}={}", f(v))
            }
            _ => p.to_owned(),
        })
        .collect();
    found.then(|| format!("{base}?{}", pairs.join("&")))
}

/// Changes one character of a hex or base64 signature (keeping it well-formed).
pub fn flip_char(value: &str) -> String {
    let mut chars: Vec<char> = value.chars().collect();
    if let Some(c) = chars.first_mut() {
        *c = if *c == 'a' { 'b' } else { 'a' };
    }
    chars.into_iter().collect()
}

/// The decoded path of a URL (without origin and query).
pub fn decoded_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, r)| r);
    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    decode_lossy(path)
}

/// A key of exactly `total` bytes: `prefix` followed by segments of at most `segment` bytes.
pub fn long_key(prefix: &str, total: usize, segment: usize) -> String {
    let mut key = prefix.to_owned();
    while key.len() < total {
        if !key.is_empty() && !key.ends_with('/') {
            key.push('/');
        }
        let room = (total - key.len()).min(segment);
        key.extend(std::iter::repeat_n('k', room));
    }
    key
}

/// The keys the round-trip scenarios use, under `prefix` (which ends with `/`).
pub fn tricky_keys(prefix: &str) -> Vec<(&'static str, String)> {
    vec![
        ("space", format!("{prefix}key with space.txt")),
        ("plus", format!("{prefix}a+b.txt")),
        ("percent", format!("{prefix}100%.txt")),
        ("hash", format!("{prefix}issue#1.txt")),
        ("question mark", format!("{prefix}what?.txt")),
        ("equals", format!("{prefix}a=b.txt")),
        ("ampersand", format!("{prefix}a&b.txt")),
        ("unicode", format!("{prefix}ünïcödé/日本語/😀.txt")),
        ("double slash", format!("{prefix}a//b.txt")),
        ("dot segment", format!("{prefix}a/./b.txt")),
        ("trailing slash", format!("{prefix}folder/")),
        ("1000 bytes", long_key(prefix, 1000, 200)),
    ]
}

#[cfg(test)]
mod tests {
    use presign_core::ObjectKey;

    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(
            tamper_param(
                "http://h/k?a=1&X-Amz-Expires=300&b=2",
                "X-Amz-Expires",
                |v| format!("{v}9")
            ),
            Some("http://h/k?a=1&X-Amz-Expires=3009&b=2".into())
        );
        assert_eq!(tamper_param("http://h/k?a=1", "z", |v| v.into()), None);
        assert_eq!(flip_char("abc"), "bbc");
        assert_eq!(flip_char("1bc"), "abc");
        assert_eq!(decoded_path("http://h:1/b/a%20b/%23?x=1"), "/b/a b/#");
        let k = long_key("p/", 1000, 200);
        assert_eq!(k.len(), 1000);
        assert!(k.split('/').all(|s| s.len() <= 200));
        for (_, key) in tricky_keys("x/") {
            assert!(ObjectKey::new(key).is_ok());
        }
    }
}
