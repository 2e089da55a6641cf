//! POST policies (browser form uploads) of the V4 family: the form fields and conditions of a
//! request ([`PostForm`], named per [`FieldStyle`]), the policy document S3 and GCS sign
//! ([`PolicyDocument`], member order per [`JsonOrder`]), and the signing fields.
//!
//! ```
//! use presign_core::post_policy::{Condition, PostPolicyRequest};
//! use presign_core::Timestamp;
//! use presign_v4::post::{FieldStyle, PolicyDocument, PostForm};
//!
//! let request = PostPolicyRequest::starts_with("uploads/alice/").content_length_range(1, 10 << 20);
//! let form = PostForm::build("photos", &request, FieldStyle::new("x-amz-meta-", false));
//! assert_eq!(form.fields, [("key".to_string(), "uploads/alice/${filename}".to_string())]);
//! let doc = PolicyDocument::new(Timestamp::parse_rfc3339("2026-01-02T03:04:05Z")?, form.conditions);
//! assert_eq!(
//!     doc.to_json(),
//!     r#"{"expiration":"2026-01-02T03:04:05Z","conditions":[{"bucket":"photos"},["starts-with","$key","uploads/alice/"],["content-length-range",1,10485760]]}"#
//! );
//! # Ok::<(), presign_core::Error>(())
//! ```

mod document;
mod form;

pub use document::{JsonOrder, PolicyDocument, write_condition_json, write_json_string};
pub use form::{FieldStyle, PostForm};
pub use presign_core::post_policy::FILENAME_VARIABLE;

use presign_core::Timestamp;
use presign_core::post_policy::Condition;

use crate::dialect::Dialect;
use crate::scope::Scope;

/// The signing fields of a V4 POST form, in the order S3 and GCS send them: algorithm,
/// credential (`ID/yyyymmdd/region/service/terminator`, not percent-encoded), date, and the
/// session token of temporary AWS credentials. Each is also an exact condition of the policy.
pub fn signing_fields(
    dialect: &Dialect,
    scope: &Scope,
    time: Timestamp,
    session_token: Option<&str>,
) -> Vec<(String, String)> {
    let names = &dialect.form;
    let mut fields = vec![
        (names.algorithm.to_owned(), dialect.algorithm.to_owned()),
        (names.credential.to_owned(), scope.credential()),
        (names.date.to_owned(), time.to_basic()),
    ];
    if let Some(token) = session_token {
        fields.push((names.security_token.to_owned(), token.to_owned()));
    }
    fields
}

/// The exact conditions of `fields`.
pub fn conditions_of(fields: &[(String, String)]) -> impl Iterator<Item = Condition> + '_ {
    fields
        .iter()
        .map(|(n, v)| Condition::eq(n.as_str(), v.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use presign_core::Timestamp;
    use presign_core::post_policy::{Condition, PostPolicyRequest};
    use proptest::prelude::*;

    fn t() -> Timestamp {
        Timestamp::parse_rfc3339("2026-01-02T03:04:05Z").unwrap()
    }

    #[test]
    fn json_is_deterministic_and_escaped() {
        let doc = PolicyDocument::new(
            t(),
            vec![
                Condition::eq("bucket", "b"),
                Condition::eq("key", "a\"b\\c/\u{e9}"),
                Condition::starts_with("Content-Type", ""),
                Condition::ContentLengthRange {
                    min: 0,
                    max: u64::MAX,
                },
            ],
        );
        assert_eq!(
            doc.to_json(),
            r#"{"expiration":"2026-01-02T03:04:05Z","conditions":[{"bucket":"b"},{"key":"a\"b\\c/\u00e9"},["starts-with","$Content-Type",""],["content-length-range",0,18446744073709551615]]}"#
        );
        assert_eq!(doc.to_json(), doc.clone().to_json());
        assert!(doc.to_json().is_ascii());
        let b64 = doc.to_base64();
        let back = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        assert_eq!(back, doc.to_json().into_bytes());
    }

    #[test]
    fn json_escapes_controls() {
        let mut s = String::new();
        write_json_string(&mut s, "\u{0}\u{1f}\u{7f}\r\t");
        assert_eq!(s, r#""\u0000\u001f\u007f\r\t""#);
    }

    #[test]
    fn conditions_first_order() {
        let doc = PolicyDocument::new(t(), vec![Condition::eq("a", "b")]);
        assert_eq!(doc.order(), JsonOrder::ExpirationFirst);
        let doc = doc.with_order(JsonOrder::ConditionsFirst);
        assert_eq!(
            doc.to_json(),
            r#"{"conditions":[{"a":"b"}],"expiration":"2026-01-02T03:04:05Z"}"#
        );
        let empty = PolicyDocument::new(t(), vec![]).with_order(JsonOrder::ConditionsFirst);
        assert_eq!(
            empty.to_json(),
            r#"{"conditions":[],"expiration":"2026-01-02T03:04:05Z"}"#
        );
    }

    #[test]
    fn form_in_documented_order() {
        let req = PostPolicyRequest::starts_with("u/")
            .content_length_range(1, 9)
            .content_type_prefix("image/")
            .content_encoding("gzip")
            .cache_control("no-cache")
            .metadata("m", "v")
            .condition(Condition::starts_with("acl", "public"))
            .condition(Condition::eq("Expires", "never"));
        req.validate().unwrap();
        let form = PostForm::build("b", &req, FieldStyle::new("x-goog-meta-", true));
        let names: Vec<_> = form.fields.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "key",
                "cache-control",
                "content-encoding",
                "x-goog-meta-m",
                "Expires"
            ]
        );
        assert_eq!(form.fields[0].1, "u/${filename}");
        let mut json = String::new();
        for c in &form.conditions {
            write_condition_json(c, &mut json);
        }
        assert_eq!(
            json,
            concat!(
                r#"{"bucket":"b"}["starts-with","$key","u/"]{"cache-control":"no-cache"}"#,
                r#"{"content-encoding":"gzip"}["starts-with","$content-type","image/"]"#,
                r#"{"x-goog-meta-m":"v"}["starts-with","$acl","public"]{"Expires":"never"}"#,
                r#"["content-length-range",1,9]"#
            )
        );
        assert_eq!(
            form.client_fields,
            [
                Condition::starts_with("content-type", "image/"),
                Condition::starts_with("acl", "public")
            ]
        );
        let s3 = PostForm::build("b", &req, FieldStyle::new("x-amz-meta-", false));
        assert_eq!(s3.fields[1].0, "Cache-Control");
        assert_eq!(s3.fields[3].0, "x-amz-meta-m");
    }

    proptest! {
        #[test]
        fn json_strings_parse_back(s in any::<String>()) {
            let mut out = String::new();
            write_json_string(&mut out, &s);
            prop_assert!(out.is_ascii());
            prop_assert_eq!(decode_json_string(&out), Some(s));
        }
    }

    /// A minimal JSON string decoder for the round-trip test.
    fn decode_json_string(s: &str) -> Option<String> {
        let inner = s.strip_prefix('"')?.strip_suffix('"')?;
        let mut units: Vec<u16> = Vec::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                units.extend(c.encode_utf16(&mut [0; 2]).iter());
                continue;
            }
            match chars.next()? {
                '"' => units.push(u16::from(b'"')),
                '\\' => units.push(u16::from(b'\\')),
                'n' => units.push(u16::from(b'\n')),
                'r' => units.push(u16::from(b'\r')),
                't' => units.push(u16::from(b'\t')),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    units.push(u16::from_str_radix(&hex, 16).ok()?);
                }
                _ => return None,
            }
        }
        String::from_utf16(&units).ok()
    }
}
