//! Deserialization helpers: durations, method lists, lenient strings, and path-tracked
//! deserialization that turns serde errors into [`Error::Config`] naming the bad value's path.

use std::fmt;
use std::time::Duration;

use presign_core::duration::parse_duration;
use presign_core::{Error, Method, MethodSet, SecretString};
use serde::de::{self, DeserializeOwned, Deserializer, SeqAccess, Visitor};

/// Joins a configuration path and a child (`providers.prod` + `bucket`).
pub(crate) fn join(parent: &str, child: &str) -> String {
    match (parent.is_empty(), child.is_empty()) {
        (true, _) => child.to_owned(),
        (_, true) => parent.to_owned(),
        _ => format!("{parent}.{child}"),
    }
}

/// A configuration error at `path`.
pub(crate) fn config_error(path: &str, reason: impl Into<String>) -> Error {
    Error::Config {
        path: if path.is_empty() {
            ".".into()
        } else {
            path.to_owned()
        },
        reason: reason.into(),
    }
}

/// Deserializes `value` as `T`; an error names `path` plus the path inside `value`.
pub(crate) fn deserialize_at<T: DeserializeOwned>(
    value: serde_json::Value,
    path: &str,
) -> Result<T, Error> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let inner: Vec<String> = e.path().iter().map(ToString::to_string).collect();
        let full = join(path, &inner.join("."));
        config_error(&full, e.into_inner().to_string())
    })
}

/// What the duration fields accept, for error messages.
const DURATION_HELP: &str = "write seconds (300) or parts like 90s, 15m, 1h30m, 7d";

struct DurationVisitor;

impl Visitor<'_> for DurationVisitor {
    type Value = Duration;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a duration: {DURATION_HELP}")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Duration, E> {
        Ok(Duration::from_secs(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Duration, E> {
        u64::try_from(v)
            .map(Duration::from_secs)
            .map_err(|_| E::custom(format!("{v} is not a duration: it is negative")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Duration, E> {
        Err(E::custom(format!(
            "{v} is not a duration: use whole seconds; {DURATION_HELP}"
        )))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Duration, E> {
        parse_duration(v)
            .map_err(|_| E::custom(format!("{v:?} is not a duration; {DURATION_HELP}")))
    }
}

/// An optional duration: seconds as a number, or a string like `"15m"`.
pub(crate) fn opt_duration<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    d.deserialize_any(DurationVisitor).map(Some)
}

/// Deserializes a duration written as seconds (`300`) or as a string (`"5m"`, `"1h30m"`), for
/// `#[serde(deserialize_with = "presign_config::deserialize_duration")]`.
pub fn deserialize_duration<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    d.deserialize_any(DurationVisitor)
}

struct ListVisitor;

impl<'de> Visitor<'de> for ListVisitor {
    type Value = Vec<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of strings, or one comma-separated string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<String>, E> {
        Ok(v.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
        let mut out = Vec::new();
        while let Some(s) = seq.next_element::<String>()? {
            out.push(s);
        }
        Ok(out)
    }
}

/// An optional list of strings; a comma-separated string also works (handy in environment
/// variables).
pub(crate) fn opt_string_list<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Vec<String>>, D::Error> {
    d.deserialize_any(ListVisitor).map(Some)
}

/// An optional set of methods, from a list or a comma-separated string.
pub(crate) fn opt_methods<'de, D: Deserializer<'de>>(d: D) -> Result<Option<MethodSet>, D::Error> {
    let names = d.deserialize_any(ListVisitor)?;
    let mut set = MethodSet::EMPTY;
    for name in names {
        let method: Method = name.parse().map_err(|_| {
            de::Error::custom(format!(
                "{name:?} is not a method; use GET, HEAD, PUT, POST or DELETE"
            ))
        })?;
        set = set.with(method);
    }
    Ok(Some(set))
}

struct BoolVisitor;

impl Visitor<'_> for BoolVisitor {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("true or false")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }

    // Environment variables are strings.
    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        match v.trim() {
            "true" => Ok(true),
            "false" => Ok(false),
            other => Err(E::custom(format!("{other:?} is not true or false"))),
        }
    }
}

/// An optional boolean: `true`/`false`, or the strings `"true"`/`"false"` (environment
/// variables).
pub(crate) fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    d.deserialize_any(BoolVisitor).map(Some)
}

struct SecretVisitor;

impl Visitor<'_> for SecretVisitor {
    type Value = SecretString;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<SecretString, E> {
        Ok(SecretString::new(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<SecretString, E> {
        Ok(SecretString::from(v))
    }

    // Numbers are accepted as their text (environment values may look numeric), and nothing
    // else is echoed back: an error never shows a secret.
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<SecretString, E> {
        Ok(SecretString::from(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<SecretString, E> {
        Ok(SecretString::from(v.to_string()))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<SecretString, E> {
        Err(E::custom("expected a string (value not shown)"))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<SecretString, E> {
        Err(E::custom("expected a string (value not shown)"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<SecretString, E> {
        Err(E::custom("expected a string (value not shown)"))
    }
}

/// An optional secret, wrapped in [`SecretString`] at once.
pub(crate) fn opt_secret<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<SecretString>, D::Error> {
    d.deserialize_any(SecretVisitor).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    struct T {
        #[serde(default, deserialize_with = "opt_duration")]
        d: Option<Duration>,
        #[serde(default, deserialize_with = "opt_methods")]
        m: Option<MethodSet>,
        #[serde(default, deserialize_with = "opt_secret")]
        s: Option<SecretString>,
    }

    #[test]
    fn durations_methods_secrets() {
        let t: T = deserialize_at(
            serde_json::json!({"d": "15m", "m": "get, PUT", "s": 42}),
            "x",
        )
        .unwrap();
        assert_eq!(t.d, Some(Duration::from_secs(900)));
        assert_eq!(t.m, Some(MethodSet::of(&[Method::Get, Method::Put])));
        assert_eq!(t.s.unwrap().expose_secret(), "42");
        let e = deserialize_at::<T>(serde_json::json!({"d": "15x"}), "p").unwrap_err();
        assert_eq!(e.kind(), "config");
        assert!(
            e.to_string().contains("p.d: \"15x\" is not a duration"),
            "{e}"
        );
        let e = deserialize_at::<T>(serde_json::json!({"m": ["GET", "PATCH"]}), "p")
            .unwrap_err()
            .to_string();
        assert!(e.contains("p.m") && e.contains("PATCH"), "{e}");
    }
}
