//! Least-privilege `sp` per method.
//!
//! | method | `sp` | allows |
//! |---|---|---|
//! | GET, HEAD | `r` | read content and properties |
//! | PUT | `cw` | create or overwrite the blob |
//! | PUT, create-only | `c` | create the blob; an existing blob is not overwritten |
//! | DELETE | `d` | delete the blob |
//! | DELETE of a version | `x` | delete that blob version |
//! | POST | — | refused: a blob SAS has no POST operation presign signs |

use presign_core::{ConstraintKind, Error, Method};

/// The `sp` value for `method`; never more than the method needs.
pub fn permissions_for(
    method: Method,
    create_only: bool,
    versioned: bool,
    provider: &str,
) -> Result<&'static str, Error> {
    if create_only && method != Method::Put {
        return Err(Error::invalid_constraint(
            ConstraintKind::CreateOnly,
            format!("create-only applies to PUT uploads, not to {method}"),
        ));
    }
    match (method, versioned) {
        (Method::Get | Method::Head, _) => Ok("r"),
        (Method::Put, false) if create_only => Ok("c"),
        (Method::Put, false) => Ok("cw"),
        (Method::Put, true) => Err(Error::invalid_constraint(
            ConstraintKind::ObjectVersion,
            "a PUT writes a new version; sign it without a version",
        )),
        (Method::Delete, false) => Ok("d"),
        (Method::Delete, true) => Ok("x"),
        (Method::Post, _) => Err(Error::UnsupportedMethod {
            provider: provider.to_owned(),
            method,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_privilege() {
        let p = |m, c, v| permissions_for(m, c, v, "azure");
        assert_eq!(p(Method::Get, false, false).unwrap(), "r");
        assert_eq!(p(Method::Head, false, true).unwrap(), "r");
        assert_eq!(p(Method::Put, false, false).unwrap(), "cw");
        assert_eq!(p(Method::Put, true, false).unwrap(), "c");
        assert_eq!(p(Method::Delete, false, false).unwrap(), "d");
        assert_eq!(p(Method::Delete, false, true).unwrap(), "x");
        assert_eq!(
            p(Method::Post, false, false).unwrap_err().kind(),
            "unsupported_method"
        );
        assert_eq!(
            p(Method::Get, true, false).unwrap_err().kind(),
            "invalid_constraint"
        );
        assert_eq!(
            p(Method::Put, false, true).unwrap_err().kind(),
            "invalid_constraint"
        );
    }
}
