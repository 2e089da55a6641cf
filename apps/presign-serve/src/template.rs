//! Key-prefix templates filled from verified claims: `users/{sub}/`.
//!
//! A claim value may only narrow a prefix, never widen it: it must be a plain string (or a
//! number) of 1 to 128 characters from `A-Z a-z 0-9 - _ . @ + = : ~`, and neither `.` nor
//! `..`. A value with `/`, `\`, `%`, `*`, control characters, spaces or anything else is
//! refused (the rule does not apply), never cleaned up into something else.

use serde_json::{Map, Value};

/// The longest claim value put into a prefix.
pub const MAX_CLAIM_VALUE: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Claim(String),
}

/// A parsed key-prefix template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrefixTemplate {
    parts: Vec<Part>,
}

impl PrefixTemplate {
    /// Parses `users/{sub}/`; `None` when the text has no `{`. A claim name is letters,
    /// digits, `_`, `-`, `.` and `:`; an unclosed or empty `{}` or a stray `}` is an error.
    pub fn parse(text: &str) -> Result<Option<PrefixTemplate>, String> {
        if !text.contains(['{', '}']) {
            return Ok(None);
        }
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let (before, after) = rest.split_at(open);
            if before.contains('}') {
                return Err(format!("a '}}' without '{{' in {text:?}"));
            }
            if !before.is_empty() {
                parts.push(Part::Text(before.to_owned()));
            }
            let after = after.get(1..).unwrap_or_default();
            let close = after
                .find('}')
                .ok_or_else(|| format!("an unclosed '{{' in {text:?}"))?;
            let (name, tail) = after.split_at(close);
            if name.is_empty()
                || !name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_-.:".contains(&b))
            {
                return Err(format!("{{{name}}} is not a claim name in {text:?}"));
            }
            parts.push(Part::Claim(name.to_owned()));
            rest = tail.get(1..).unwrap_or_default();
        }
        if rest.contains('}') {
            return Err(format!("a '}}' without '{{' in {text:?}"));
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_owned()));
        }
        Ok(Some(PrefixTemplate { parts }))
    }

    /// The prefix for these claims, or the name of the claim that is missing or unsafe.
    pub fn fill(&self, claims: &Map<String, Value>) -> Result<String, String> {
        let mut out = String::with_capacity(64);
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Claim(name) => {
                    let value = claims.get(name).and_then(|v| match v {
                        Value::String(s) => Some(s.clone()),
                        Value::Number(n) => Some(n.to_string()),
                        _ => None,
                    });
                    match value {
                        Some(v) if safe_value(&v) => out.push_str(&v),
                        _ => return Err(name.clone()),
                    }
                }
            }
        }
        Ok(out)
    }
}

/// Whether a claim value can stand in a prefix without widening it.
fn safe_value(v: &str) -> bool {
    (1..=MAX_CLAIM_VALUE).contains(&v.len())
        && v != "."
        && v != ".."
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.@+=:~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(sub: Value) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("sub".into(), sub);
        m.insert("tenant".into(), Value::from(42));
        m
    }

    #[test]
    fn parses_and_fills() {
        assert_eq!(PrefixTemplate::parse("users/").unwrap(), None);
        let t = PrefixTemplate::parse("t/{tenant}/users/{sub}/")
            .unwrap()
            .unwrap();
        assert_eq!(
            t.fill(&claims("alice@example.com".into())).unwrap(),
            "t/42/users/alice@example.com/"
        );
        for bad in [
            "users/{sub",
            "users/sub}/",
            "users/{}/",
            "users/{a b}/",
            "}{",
        ] {
            assert!(PrefixTemplate::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn unsafe_values_are_refused() {
        let t = PrefixTemplate::parse("users/{sub}/").unwrap().unwrap();
        for v in [
            "", ".", "..", "a/b", "../x", "a\\b", "%2e%2e", "a b", "a\nb", "a*", "ü", "a?b", "a#b",
        ] {
            assert_eq!(t.fill(&claims(v.into())), Err("sub".into()), "{v:?}");
        }
        assert!(t.fill(&claims(Value::Bool(true))).is_err());
        assert!(t.fill(&claims(serde_json::json!(["a"]))).is_err());
        assert!(t.fill(&Map::new()).is_err());
        assert!(t.fill(&claims("x".repeat(129).into())).is_err());
    }
}
