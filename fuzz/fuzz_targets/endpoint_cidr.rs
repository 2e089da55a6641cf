//! The small parsers of untrusted or operator text: client IP ranges (CIDR, ranges),
//! endpoints of every provider, durations, RFC 3339 times, byte sizes. The first byte picks the
//! parser. Properties: no panic; what parses prints back to something that parses to the same
//! value (IP ranges, durations, times).
#![no_main]

use libfuzzer_sys::fuzz_target;
use presign_core::{ClientIp, SecretString, Timestamp};

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    match which % 7 {
        0 => {
            if let Ok(ip) = ClientIp::parse(text) {
                let again = ClientIp::parse(&ip.to_string()).expect("a printed range parses");
                assert_eq!(ip, again);
            }
        }
        1 => {
            let _ = presign_s3::S3Presigner::builder()
                .bucket("bkt")
                .region("us-east-1")
                .endpoint(text)
                .credentials(presign_s3::Credentials::new("AKID", "secret"))
                .build();
        }
        2 => {
            let _ = presign_gcs::GcsPresigner::builder()
                .bucket("bkt-1")
                .endpoint(text)
                .hmac_key("GOOG1X", SecretString::new("s"))
                .build();
        }
        3 => {
            let _ = presign_azure::AzurePresigner::builder()
                .account("acct1")
                .container("cont")
                .endpoint(text)
                .account_key(SecretString::new("a2V5"))
                .build();
        }
        4 => {
            if let Ok(d) = presign_core::duration::parse_duration(text) {
                let printed = presign_core::duration::format_duration(d);
                let again = presign_core::duration::parse_duration(&printed)
                    .expect("a printed duration parses");
                assert_eq!(d, again);
            }
        }
        5 => {
            if let Ok(t) = Timestamp::parse_rfc3339(text) {
                let again =
                    Timestamp::parse_rfc3339(&t.to_rfc3339()).expect("a printed time parses");
                assert_eq!(t, again);
            }
        }
        _ => {
            let _ = presign_config::parse_byte_size(text);
        }
    }
});
