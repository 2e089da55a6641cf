//! The POST policy document of the V4 family: an expiration and the conditions, as the
//! deterministic JSON S3 and GCS sign (fixed member order, conditions in the given order,
//! ASCII-only escaping).

use base64::Engine as _;
use presign_core::Timestamp;
use presign_core::post_policy::Condition;

/// Appends `condition`'s JSON to `out`: `{"field": "value"}`, `["starts-with", "$field",
/// "prefix"]` or `["content-length-range", min, max]`.
pub fn write_condition_json(condition: &Condition, out: &mut String) {
    match condition {
        Condition::Eq { field, value } => {
            out.push('{');
            write_json_string(out, field);
            out.push(':');
            write_json_string(out, value);
            out.push('}');
        }
        Condition::StartsWith { field, prefix } => {
            out.push_str("[\"starts-with\",");
            let mut name = String::with_capacity(field.len() + 1);
            name.push('$');
            name.push_str(field);
            write_json_string(out, &name);
            out.push(',');
            write_json_string(out, prefix);
            out.push(']');
        }
        Condition::ContentLengthRange { min, max } => {
            out.push_str("[\"content-length-range\",");
            out.push_str(&min.to_string());
            out.push(',');
            out.push_str(&max.to_string());
            out.push(']');
        }
    }
}

/// Appends `s` as a JSON string literal: `"` and `\` escaped, control characters and every
/// non-ASCII character written as `\uXXXX` (UTF-16, surrogate pairs above U+FFFF), so the
/// document is pure ASCII and every parser reads the same text.
///
/// ```
/// let mut s = String::new();
/// presign_v4::post::write_json_string(&mut s, "a\"b\\c\n\u{e9}\u{1F600}");
/// assert_eq!(s, r#""a\"b\\c\n\u00e9\ud83d\ude00""#);
/// ```
pub fn write_json_string(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str("\\u");
                    for shift in [12u16, 8, 4, 0] {
                        let nibble = u8::try_from((*unit >> shift) & 0xf).unwrap_or(0);
                        out.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0'));
                    }
                }
            }
        }
    }
    out.push('"');
}

/// Which member a [`PolicyDocument`]'s JSON object starts with. Both orders mean the same to
/// a JSON parser, but the signature covers the bytes, and client libraries (hence their test
/// vectors) differ: botocore writes the expiration first, the Google client libraries the
/// conditions first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JsonOrder {
    /// `{"expiration":...,"conditions":[...]}` (the default).
    #[default]
    ExpirationFirst,
    /// `{"conditions":[...],"expiration":...}`.
    ConditionsFirst,
}

/// A POST policy document: an expiration and the conditions, serialized deterministically
/// (fixed member order, conditions in the given order, ASCII-only escaping).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDocument {
    /// When the policy stops being accepted.
    pub expiration: Timestamp,
    /// The conditions, in order.
    pub conditions: Vec<Condition>,
    order: JsonOrder,
}

impl PolicyDocument {
    /// A document, written expiration first.
    pub fn new(expiration: Timestamp, conditions: Vec<Condition>) -> Self {
        PolicyDocument {
            expiration,
            conditions,
            order: JsonOrder::ExpirationFirst,
        }
    }

    /// Sets which member the JSON starts with.
    ///
    /// ```
    /// use presign_core::post_policy::Condition;
    /// use presign_v4::post::{JsonOrder, PolicyDocument};
    /// let doc = PolicyDocument::new(
    ///     presign_core::Timestamp::parse_rfc3339("2026-01-02T03:04:05Z")?,
    ///     vec![Condition::eq("bucket", "b")],
    /// )
    /// .with_order(JsonOrder::ConditionsFirst);
    /// assert_eq!(
    ///     doc.to_json(),
    ///     r#"{"conditions":[{"bucket":"b"}],"expiration":"2026-01-02T03:04:05Z"}"#
    /// );
    /// # Ok::<(), presign_core::Error>(())
    /// ```
    #[must_use]
    pub fn with_order(mut self, order: JsonOrder) -> Self {
        self.order = order;
        self
    }

    /// Which member the JSON starts with.
    pub fn order(&self) -> JsonOrder {
        self.order
    }

    /// `{"expiration":"yyyy-mm-ddThh:mm:ssZ","conditions":[...]}` (or conditions first, per
    /// [`order`](Self::order)): the expiration in ISO 8601 UTC without fractional seconds, the
    /// form botocore writes and the GCS documentation shows, accepted by S3 and GCS alike.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(64 + self.conditions.len() * 48);
        out.push('{');
        match self.order {
            JsonOrder::ExpirationFirst => {
                self.write_expiration(&mut out);
                out.push(',');
                self.write_conditions(&mut out);
            }
            JsonOrder::ConditionsFirst => {
                self.write_conditions(&mut out);
                out.push(',');
                self.write_expiration(&mut out);
            }
        }
        out.push('}');
        out
    }

    fn write_expiration(&self, out: &mut String) {
        out.push_str("\"expiration\":\"");
        self.expiration.write_rfc3339(out);
        out.push('"');
    }

    fn write_conditions(&self, out: &mut String) {
        out.push_str("\"conditions\":[");
        for (i, c) in self.conditions.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_condition_json(c, out);
        }
        out.push(']');
    }

    /// The standard base64 (with padding) of [`to_json`](Self::to_json): the `policy` form
    /// field, and what S3 and GCS HMAC/RSA-sign.
    pub fn to_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.to_json())
    }
}
