//! One pass over a sentence: its candidate words (runs of letters, digits and inner
//! apostrophes) and the counts that decide whether it may be picked, so that no sentence is
//! read twice.

/// Words longer than this many bytes are not terms: the longest words of English news are
/// about 45 letters, German compounds rarely pass 60, and a longer run of letters and digits
/// is an identifier, a hash, base64 or a run-together line. Without the limit a 50 MB run of
/// letters was copied five times over (lower-cased, stemmed, and three times into the
/// thread's vocabulary, which outlives the document).
pub const MAX_TERM_BYTES: usize = 64;

/// The byte is part of a word.
const WORD: u8 = 1;
/// The byte is white space (`char::is_whitespace`).
const SPACE: u8 = 2;
/// The byte is a letter.
const LETTER: u8 = 4;

/// Classes of the ASCII bytes, so that English text, nearly all ASCII, is classified by one
/// table look-up per byte without decoding.
const ASCII_CLASSES: [u8; 128] = ascii_classes();

const fn ascii_classes() -> [u8; 128] {
    let mut classes = [0u8; 128];
    let mut byte = 0;
    while byte < 128 {
        let b = byte as u8;
        let mut class = 0;
        if b.is_ascii_alphanumeric() || b == b'\'' {
            class |= WORD;
        }
        // char::is_whitespace on ASCII: tab to carriage return (with vertical tab, which
        // u8::is_ascii_whitespace leaves out) and space.
        if matches!(b, 9..=13 | b' ') {
            class |= SPACE;
        }
        if b.is_ascii_alphabetic() {
            class |= LETTER;
        }
        classes[byte] = class;
        byte += 1;
    }
    classes
}

fn char_class(c: char) -> u8 {
    let mut class = 0;
    if c.is_alphanumeric() || c == '\u{2019}' {
        class |= WORD;
    }
    if c.is_whitespace() {
        class |= SPACE;
    }
    if c.is_alphabetic() {
        class |= LETTER;
    }
    class
}

/// What a pass over a sentence counts besides its words.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    /// Whitespace-separated words, as `split_whitespace` counts them.
    pub words: usize,
    /// Of those, the ones that hold a letter.
    pub with_letters: usize,
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// Hands on the word `text[start..end]` without its leading and trailing apostrophes.
fn emit<'a>(text: &'a str, start: usize, end: usize, each: &mut impl FnMut(usize, &'a str)) {
    let piece = &text[start..end];
    let bytes = piece.as_bytes();
    // Apostrophes are ' or U+2019 (E2 80 99): a word that neither starts nor ends with one of
    // their bytes needs no trimming.
    let (first, last) = (bytes[0], bytes[bytes.len() - 1]);
    if first != b'\'' && first != 0xE2 && last != b'\'' && last != 0x99 {
        each(start, piece);
        return;
    }
    let trimmed = piece.trim_matches(is_apostrophe);
    if !trimmed.is_empty() {
        let lead = piece.len() - piece.trim_start_matches(is_apostrophe).len();
        each(start + lead, trimmed);
    }
}

/// Calls `each` with every run of letters, digits and inner apostrophes of `text` and its
/// byte offset, and counts what [`Counts`] holds, in one pass.
pub(crate) fn scan<'a>(text: &'a str, mut each: impl FnMut(usize, &'a str)) -> Counts {
    let mut counts = Counts::default();
    let bytes = text.as_bytes();
    // Start of the current run of word characters, if in one.
    let mut word_start: Option<usize> = None;
    // Inside a whitespace-separated word, and whether it has a letter so far.
    let (mut in_word, mut has_letter) = (false, false);
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        if let Some(&class) = ASCII_CLASSES.get(usize::from(byte)) {
            if class & WORD != 0 {
                // A run of ASCII word bytes, most of the text, in a tight loop: none is
                // white space, so only whether one is a letter needs noting.
                let start = word_start.unwrap_or(i);
                let mut letter = false;
                while let Some(&class) = bytes
                    .get(i)
                    .and_then(|&byte| ASCII_CLASSES.get(usize::from(byte)))
                {
                    if class & WORD == 0 {
                        break;
                    }
                    letter |= class & LETTER != 0;
                    i += 1;
                }
                in_word = true;
                has_letter |= letter;
                if bytes.get(i).is_some_and(|&byte| !byte.is_ascii()) {
                    // The run may go on with a letter outside ASCII.
                    word_start = Some(start);
                } else {
                    emit(text, start, i, &mut each);
                    word_start = None;
                }
                continue;
            }
        }
        let (class, width) = match ASCII_CLASSES.get(usize::from(byte)) {
            Some(&class) => (class, 1),
            None => match text.get(i..).and_then(|rest| rest.chars().next()) {
                Some(c) => (char_class(c), c.len_utf8()),
                None => break,
            },
        };
        if class & SPACE != 0 {
            if in_word {
                counts.words += 1;
                counts.with_letters += usize::from(has_letter);
            }
            in_word = false;
            has_letter = false;
        } else {
            in_word = true;
            has_letter |= class & LETTER != 0;
        }
        match (class & WORD != 0, word_start) {
            (true, None) => word_start = Some(i),
            (false, Some(start)) => {
                emit(text, start, i, &mut each);
                word_start = None;
            }
            _ => {}
        }
        i += width;
    }
    if in_word {
        counts.words += 1;
        counts.with_letters += usize::from(has_letter);
    }
    if let Some(start) = word_start {
        emit(text, start, text.len(), &mut each);
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The words as the summarizer first found them: `char` by `char`.
    fn words_by_chars(text: &str) -> Vec<(usize, String)> {
        let mut found = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices() {
            let is_word = c.is_alphanumeric() || is_apostrophe(c);
            match (is_word, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    emit(text, s, i, &mut |at, w: &str| {
                        found.push((at, w.to_string()))
                    });
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            emit(text, s, text.len(), &mut |at, w: &str| {
                found.push((at, w.to_string()))
            });
        }
        found
    }

    fn counts_by_chars(text: &str) -> Counts {
        Counts {
            words: text.split_whitespace().count(),
            with_letters: text
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphabetic))
                .count(),
        }
    }

    #[test]
    fn the_ascii_table_agrees_with_char() {
        for byte in 0u8..128 {
            let c = char::from(byte);
            let class = ASCII_CLASSES[usize::from(byte)];
            assert_eq!(
                class & WORD != 0,
                c.is_alphanumeric() || c == '\'',
                "{byte}"
            );
            assert_eq!(class & SPACE != 0, c.is_whitespace(), "{byte}");
            assert_eq!(class & LETTER != 0, c.is_alphabetic(), "{byte}");
        }
    }

    #[test]
    fn apostrophes_are_trimmed_and_counts_match_split_whitespace() {
        let text =
            "'Tis the rock\u{2019}n\u{2019}roll era\u{2019}s 4,000 caf\u{e9}s\u{a0}x\u{0B}y '' ";
        let mut found = Vec::new();
        let counts = scan(text, |at, w| found.push((at, w.to_string())));
        assert_eq!(found, words_by_chars(text));
        assert_eq!(found[0], (1, "Tis".to_string()));
        assert_eq!(counts, counts_by_chars(text));
    }

    proptest! {
        #[test]
        fn one_pass_finds_what_char_by_char_finds(text in "\\PC{0,80}|[a-zé' \u{2019}\u{a0}0-9.-]{0,80}") {
            let mut found = Vec::new();
            let counts = scan(&text, |at, w| found.push((at, w.to_string())));
            prop_assert_eq!(found, words_by_chars(&text));
            prop_assert_eq!(counts, counts_by_chars(&text));
        }
    }
}
