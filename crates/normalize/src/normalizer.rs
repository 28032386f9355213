use std::borrow::Cow;

use unicode_normalization::{is_nfc_quick, is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Which Unicode normal form the text is brought to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NormalForm {
    /// Canonical composition: keeps the text's characters, only unifies how they are encoded.
    #[default]
    Nfc,
    /// Compatibility composition: also folds ligatures, full-width forms, superscripts.
    Nfkc,
}

/// Cleans text so that later stages see one spelling of it: a Unicode normal form, `\n` line
/// ends, no control or zero-width characters, single spaces, at most one blank line in a row,
/// no blank lines at either end. Normalizing twice gives the same text as normalizing once.
#[derive(Clone, Debug, Default)]
pub struct Normalizer {
    form: NormalForm,
}

impl Normalizer {
    /// NFC normalization.
    pub fn new() -> Self {
        Normalizer::default()
    }

    /// Chooses the normal form.
    pub fn form(mut self, form: NormalForm) -> Self {
        self.form = form;
        self
    }

    /// Returns the normalized text.
    pub fn normalize(&self, text: &str) -> String {
        let mut cleaned = clean(&self.compose(text));
        // Removing a character can bring a combining mark next to a new base; composing again
        // until nothing changes is what makes the result idempotent.
        loop {
            let composed = match self.compose(&cleaned) {
                // Already composed (nearly always): nothing changed, no copy to compare.
                Cow::Borrowed(_) => return cleaned,
                Cow::Owned(composed) => composed,
            };
            if composed == cleaned {
                return composed;
            }
            cleaned = clean(&composed);
        }
    }

    /// The text in the chosen normal form, borrowed when it already is in it.
    fn compose<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match self.form {
            NormalForm::Nfc => match is_nfc_quick(text.chars()) {
                IsNormalized::Yes => Cow::Borrowed(text),
                _ => Cow::Owned(text.nfc().collect()),
            },
            NormalForm::Nfkc => match is_nfkc_quick(text.chars()) {
                IsNormalized::Yes => Cow::Borrowed(text),
                _ => Cow::Owned(text.nfkc().collect()),
            },
        }
    }
}

/// What a character becomes in cleaned text.
enum Class {
    Keep,
    Space,
    Newline,
    Drop,
}

fn classify(c: char) -> Class {
    match c {
        '\n' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => Class::Newline,
        ' '
        | '\t'
        | '\u{A0}'
        | '\u{1680}'
        | '\u{2000}'..='\u{200A}'
        | '\u{202F}'
        | '\u{205F}'
        | '\u{3000}' => Class::Space,
        // Zero-width and invisible format characters: soft hyphen, ZWSP/ZWNJ/ZWJ, direction
        // marks and embeddings, word joiner and invisible operators, BOM.
        '\u{AD}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206F}'
        | '\u{FEFF}' => Class::Drop,
        c if c.is_control() => Class::Drop,
        _ => Class::Keep,
    }
}

/// One pass: line ends unified, invisible characters dropped, spaces collapsed, lines
/// right-trimmed, runs of blank lines cut to one, blank lines at the ends removed.
fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_newlines = 0usize;
    let mut pending_space = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let class = if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            Class::Newline
        } else {
            classify(c)
        };
        match class {
            Class::Drop => {}
            Class::Space => pending_space = true,
            Class::Newline => {
                pending_space = false;
                pending_newlines += 1;
            }
            Class::Keep => {
                if pending_newlines > 0 {
                    if !out.is_empty() {
                        out.push_str(if pending_newlines > 1 { "\n\n" } else { "\n" });
                    }
                    pending_newlines = 0;
                } else if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn cleans_what_later_stages_should_not_see() {
        let n = Normalizer::new();
        assert_eq!(
            n.normalize("\n\n  a\u{200b}b\r\nc  \t d \n\n\n\n e\u{a0}f  \n\n"),
            "ab\nc d\n\ne f"
        );
        assert_eq!(n.normalize("cafe\u{301}"), "caf\u{e9}");
        assert_eq!(n.normalize("x\u{7}y\u{2028}z"), "xy\nz");
        assert_eq!(
            Normalizer::new()
                .form(NormalForm::Nfkc)
                .normalize("\u{fb01}ne \u{ff21}"),
            "fine A"
        );
        assert_eq!(n.normalize("\u{fb01}ne"), "\u{fb01}ne");
    }

    #[test]
    fn removal_that_exposes_a_combining_mark_still_composes() {
        let n = Normalizer::new();
        let once = n.normalize("e\u{200b}\u{301}");
        assert_eq!(once, "\u{e9}");
    }

    proptest! {
        #[test]
        fn idempotent(text in "(\\PC|[\\r\\n\\t \u{200b}\u{301}\u{a0}\u{7}]){0,80}") {
            for form in [NormalForm::Nfc, NormalForm::Nfkc] {
                let n = Normalizer::new().form(form);
                let once = n.normalize(&text);
                prop_assert_eq!(n.normalize(&once), once.clone());
            }
        }

        #[test]
        fn no_controls_and_tidy_lines(text in "\\PC{0,40}([\\r\\n\\t\u{0}-\u{1f} ]\\PC{0,20}){0,6}") {
            let out = Normalizer::new().normalize(&text);
            prop_assert!(out.chars().all(|c| c == '\n' || !c.is_control()));
            prop_assert!(!out.contains("\n\n\n") && !out.contains("  ") && !out.contains(" \n"));
            prop_assert!(!out.starts_with('\n') && !out.ends_with('\n'));
            prop_assert!(!out.starts_with(' ') && !out.ends_with(' '));
            prop_assert!(unicode_normalization::is_nfc(&out));
        }
    }
}
