//! `presign inspect`'s decoder (presign-inspect) on arbitrary input: any text as a URL, at any
//! clock. Properties: no panic; bounded work and output (libFuzzer's time and memory limits,
//! and the text and JSON reports at most a fixed multiple of the input); a URL longer than
//! `MAX_URL_BYTES` refused; the signature of the input never shown in a report.
#![no_main]

use libfuzzer_sys::fuzz_target;
use presign_core::Timestamp;
use presign_inspect::{MAX_URL_BYTES, inspect, render_text};

/// The parameters that carry a signature, by vendor.
const SIGNATURES: &[&str] = &[
    "X-Amz-Signature=",
    "X-Goog-Signature=",
    "sig=",
    "Signature=",
];

/// The value of the one signature parameter in the query of `url`, when it can be told apart
/// from every other part of the URL: at least 16 bytes of hex or base64, appearing once, in a
/// URL with no escapes or policy that a decoder could turn into the same bytes. (A host or
/// path is shown by the report as it is, whatever it looks like.)
fn lone_signature(url: &str) -> Option<&str> {
    if url.contains('%')
        || url.contains("Policy=")
        || url.contains('\\')
        || (url.contains('&') && url.contains(';'))
    {
        return None;
    }
    let query = url.split('#').next()?.split_once('?')?.1;
    SIGNATURES.iter().find_map(|p| {
        let start = match query.strip_prefix(p) {
            Some(rest) => query.len() - rest.len(),
            None => query.find(&format!("&{p}"))? + 1 + p.len(),
        };
        let rest = query.get(start..)?;
        let end = rest.find('&').unwrap_or(rest.len());
        let value = rest.get(..end)?;
        let opaque = value.len() >= 16
            && value.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_')
            });
        // Once, in any case (the report lower-cases the host).
        let once = url
            .to_ascii_lowercase()
            .matches(&value.to_ascii_lowercase())
            .count()
            == 1;
        (opaque && once).then_some(value)
    })
}

/// `url` with its signature `sig` replaced by other bytes of the same length and alphabet.
fn resigned(url: &str, sig: &str) -> (String, String) {
    let other: String = sig
        .chars()
        .map(|c| match c {
            'a'..='y' | 'A'..='Y' | '0'..='8' => char::from(c as u8 + 1),
            'z' => 'a',
            'Z' => 'A',
            '9' => '0',
            other => other,
        })
        .collect();
    (url.replacen(sig, &other, 1), other)
}

/// Whether `shown` (what inspecting the URL printed) shows its signature `sig`: it holds it,
/// and what inspecting the URL with another signature printed does not hold that one (a
/// constant such as an algorithm name is not the URL's signature).
fn leaks(shown: &str, sig: &str, url: &str, now: Timestamp) -> bool {
    if !shown.contains(sig) {
        return false;
    }
    let (url2, other) = resigned(url, sig);
    let shown2 = match inspect(&url2, now) {
        Ok(r) => format!(
            "{}{}",
            render_text(&r),
            serde_json::to_string(&r).unwrap_or_default()
        ),
        Err(e) => e.to_string(),
    };
    shown2.contains(&other)
}

fuzz_target!(|data: &[u8]| {
    // Four bytes of clock, then the URL.
    let (clock, text) = data.split_at(data.len().min(4));
    let mut secs = [0u8; 4];
    secs.get_mut(..clock.len())
        .map(|s| s.copy_from_slice(clock));
    let now = Timestamp::from_unix(i64::from(u32::from_le_bytes(secs)) * 2).expect("in range");
    let url = String::from_utf8_lossy(text);
    let result = inspect(&url, now);
    if url.trim().len() > MAX_URL_BYTES {
        assert!(result.is_err(), "{} bytes inspected", url.len());
    }
    // One input in sixteen, the same URL made too long: refused without decoding.
    if clock.first().is_some_and(|b| b & 0x0f == 0) {
        let long = "h".repeat(MAX_URL_BYTES + 1) + &url;
        assert!(
            inspect(&long, now).is_err(),
            "{} bytes inspected",
            long.len()
        );
    }
    let bound = 8 * url.len() + 16 * 1024;
    match result {
        Ok(report) => {
            let text = render_text(&report);
            let json = serde_json::to_string(&report).expect("a report serializes");
            assert!(
                text.len() <= bound,
                "{} bytes of text for {} bytes",
                text.len(),
                url.len()
            );
            assert!(
                json.len() <= bound,
                "{} bytes of JSON for {} bytes",
                json.len(),
                url.len()
            );
            if let Some(sig) = lone_signature(&url) {
                assert!(
                    !leaks(&text, sig, &url, now),
                    "signature shown in the text report: {text}"
                );
                assert!(
                    !leaks(&json, sig, &url, now),
                    "signature shown in the JSON report: {json}"
                );
            }
        }
        Err(e) => {
            let message = e.to_string();
            assert!(message.len() <= bound, "{} bytes of error", message.len());
            if let Some(sig) = lone_signature(&url) {
                assert!(
                    !leaks(&message, sig, &url, now),
                    "signature shown in the error: {message}"
                );
            }
        }
    }
});
