//! [`Method`]: the HTTP methods a signed URL can be issued for, and [`MethodSet`].

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// The HTTP method a presigned request is valid for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// Download an object.
    Get,
    /// Read an object's metadata.
    Head,
    /// Upload an object in one request (or one part of a multipart upload).
    Put,
    /// Start a resumable upload or post a form (provider-specific meaning).
    Post,
    /// Delete an object. Forbidden by the default policy.
    Delete,
}

impl Method {
    /// Every method, in a fixed order.
    pub const ALL: [Method; 5] = [
        Method::Get,
        Method::Head,
        Method::Put,
        Method::Post,
        Method::Delete,
    ];

    /// The upper-case HTTP name: `GET`, `HEAD`, `PUT`, `POST`, `DELETE`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }

    /// Whether the method sends a body that becomes (part of) an object.
    pub const fn is_upload(self) -> bool {
        matches!(self, Method::Put | Method::Post)
    }

    const fn bit(self) -> u8 {
        match self {
            Method::Get => 1,
            Method::Head => 2,
            Method::Put => 4,
            Method::Post => 8,
            Method::Delete => 16,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Method {
    type Err = Error;
    /// Case-insensitive: `get`, `GET` and `Get` are all [`Method::Get`].
    fn from_str(s: &str) -> Result<Self, Error> {
        Method::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                Error::invalid_input(
                    "method",
                    format!(
                        "{:?} is not one of GET, HEAD, PUT, POST, DELETE",
                        crate::error::display_key(s)
                    ),
                )
            })
    }
}

/// A small set of methods (a bit set).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct MethodSet(u8);

impl MethodSet {
    /// The empty set.
    pub const EMPTY: MethodSet = MethodSet(0);

    /// The set of the given methods.
    pub fn of(methods: &[Method]) -> Self {
        methods.iter().fold(MethodSet::EMPTY, |s, m| s.with(*m))
    }

    /// This set plus `m`.
    pub const fn with(self, m: Method) -> Self {
        MethodSet(self.0 | m.bit())
    }

    /// This set without `m`.
    pub const fn without(self, m: Method) -> Self {
        MethodSet(self.0 & !m.bit())
    }

    /// Whether `m` is in the set.
    pub const fn contains(self, m: Method) -> bool {
        self.0 & m.bit() != 0
    }

    /// The methods in the set, in [`Method::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Method> {
        Method::ALL.into_iter().filter(move |m| self.contains(*m))
    }
}

impl fmt::Debug for MethodSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl FromIterator<Method> for MethodSet {
    fn from_iter<I: IntoIterator<Item = Method>>(iter: I) -> Self {
        iter.into_iter().fold(MethodSet::EMPTY, MethodSet::with)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_display() {
        assert_eq!("get".parse::<Method>().unwrap(), Method::Get);
        assert_eq!("DELETE".parse::<Method>().unwrap().to_string(), "DELETE");
        let err = "PATCH".parse::<Method>().unwrap_err().to_string();
        assert!(err.contains("PATCH"), "{err}");
    }

    #[test]
    fn set_ops() {
        let s = MethodSet::of(&[Method::Get, Method::Put]);
        assert!(s.contains(Method::Get) && !s.contains(Method::Delete));
        assert_eq!(
            s.without(Method::Get).iter().collect::<Vec<_>>(),
            vec![Method::Put]
        );
    }
}
