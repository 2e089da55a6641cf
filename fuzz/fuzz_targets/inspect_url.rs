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
                    !text.contains(sig),
                    "signature shown in the text report: {text}"
                );
                assert!(
                    !json.contains(sig),
                    "signature shown in the JSON report: {json}"
                );
            }
        }
        Err(e) => {
            let message = e.to_string();
            assert!(message.len() <= bound, "{} bytes of error", message.len());
            if let Some(sig) = lone_signature(&url) {
                assert!(
                    !message.contains(sig),
                    "signature shown in the error: {message}"
                );
            }
        }
    }
});
