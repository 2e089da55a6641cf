//! POSIX shell quoting for `--curl`.

/// `s` as one single-quoted shell word: `'it'\''s'`. Safe for every input, including
/// newlines, `$`, backquotes and quotes.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes() {
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), "'it'\\''s'");
        assert_eq!(quote("$(rm -rf /)`x`"), "'$(rm -rf /)`x`'");
        assert_eq!(quote(""), "''");
    }
}
