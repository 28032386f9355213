//! Small text helpers the metadata rules share.

/// Folds runs of whitespace (including no-break spaces) to one space and trims.
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A key for comparing two renderings of the same text: case-folded, whitespace folded,
/// typographic quotes and dashes made plain, and the marks that headings carry for their
/// permalinks (`¶`, `#`) dropped. Two sources that agree on a title agree on this key even
/// when one uses curly quotes and the other straight ones.
pub(crate) fn key(s: &str) -> String {
    let mut plain = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => {
                plain.push('\'')
            }
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' | '\u{00AB}' | '\u{00BB}' => {
                plain.push('"')
            }
            '\u{2010}'..='\u{2015}' | '\u{2212}' => plain.push('-'),
            '\u{00B6}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{00AD}' => {}
            _ => plain.extend(c.to_lowercase()),
        }
    }
    let folded = fold(&plain);
    folded
        .trim_matches(|c: char| c == '#' || c == '|' || c.is_whitespace())
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_collapses_every_kind_of_space() {
        assert_eq!(fold("  a\u{a0}\n b\t"), "a b");
    }

    #[test]
    fn key_ignores_quotes_case_and_permalink_marks() {
        assert_eq!(key("It\u{2019}s  Here¶"), key("it's here"));
        assert_eq!(key("A \u{2013} B"), "a - b");
        assert_ne!(key("It's here"), key("It's there"));
    }
}
