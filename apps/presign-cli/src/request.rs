//! The command-line side of request building: `K:V` / `K=V` pairs. The fields themselves are
//! built by [`presign_config::fields`].

use presign_core::Error;

/// `K:V` (headers) or `K=V` (query), split at the first separator; names are trimmed.
pub(crate) fn split_pair<'a>(
    field: &str,
    input: &'a str,
    separator: char,
) -> Result<(&'a str, &'a str), Error> {
    match input.split_once(separator) {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim(), v.trim_start())),
        _ => Err(Error::invalid_input(
            field,
            format!("{input:?} is not NAME{separator}VALUE"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_pairs() {
        assert_eq!(
            split_pair("header", "x-amz-meta-a: 1", ':').unwrap(),
            ("x-amz-meta-a", "1")
        );
        assert!(split_pair("query", "novalue", '=').is_err());
        assert!(split_pair("query", " =v", '=').is_err());
    }
}
