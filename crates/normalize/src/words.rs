//! Whitespace-separated words found a byte at a time: the same words as `str::split_whitespace`
//! without decoding ASCII text character by character, which the heading checks and word counts
//! do on every line of every text.

/// The words of `text` between Unicode whitespace, as `str::split_whitespace` gives them.
pub(crate) fn words(text: &str) -> Words<'_> {
    Words { text, at: 0 }
}

pub(crate) struct Words<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let bytes = self.text.as_bytes();
        let mut at = self.at;
        // Whitespace before the word: ASCII spaces are skipped a byte at a time, the rest of the
        // word is looked at only where a multi-byte character needs decoding.
        loop {
            at += bytes
                .get(at..)?
                .iter()
                .position(|&b| CLASSES[usize::from(b)] != SPACE)?;
            if CLASSES[usize::from(bytes[at])] != MULTIBYTE {
                break;
            }
            let c = decode(self.text, at)?;
            if !c.is_whitespace() {
                break;
            }
            at += c.len_utf8();
        }
        let start = at;
        loop {
            let rest = &bytes[at..];
            at += rest
                .iter()
                .position(|&b| CLASSES[usize::from(b)] & (SPACE | MULTIBYTE) != 0)
                .unwrap_or(rest.len());
            match bytes.get(at) {
                Some(&b) if CLASSES[usize::from(b)] == MULTIBYTE => {}
                _ => break,
            }
            match decode(self.text, at) {
                Some(c) if !c.is_whitespace() => at += c.len_utf8(),
                _ => break,
            }
        }
        self.at = at;
        Some(&self.text[start..at])
    }
}

/// What an ASCII byte is, as `char::is_whitespace` and `char::is_alphanumeric` would say, or
/// that the byte belongs to a multi-byte character that must be decoded to tell.
static CLASSES: [u8; 256] = classes();
const SPACE: u8 = 1;
const ALPHANUMERIC: u8 = 2;
const MULTIBYTE: u8 = 4;

const fn classes() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = if !b.is_ascii() {
            MULTIBYTE
        } else if matches!(b, b'\t'..=b'\r' | b' ') {
            SPACE
        } else if b.is_ascii_alphanumeric() {
            ALPHANUMERIC
        } else {
            0
        };
        byte += 1;
    }
    table
}

/// The character starting at byte `at`, which must be a character boundary.
fn decode(text: &str, at: usize) -> Option<char> {
    text.get(at..)?.chars().next()
}

/// The character starting at byte `at` and its length; ASCII without UTF-8 decoding.
#[inline]
pub(crate) fn char_at(text: &str, at: usize) -> Option<(char, usize)> {
    let byte = *text.as_bytes().get(at)?;
    if byte.is_ascii() {
        return Some((char::from(byte), 1));
    }
    let c = decode(text, at)?;
    Some((c, c.len_utf8()))
}

/// Words as a reader counts them: runs of characters between whitespace that hold a letter or
/// a digit.
pub fn word_count(text: &str) -> usize {
    // Eight bytes at a time: a chunk with no multi-byte character (nearly every chunk of
    // English) is classified by table with no branch per byte; a chunk with one is decoded.
    let bytes = text.as_bytes();
    let mut words = WordCounter::default();
    let mut at = 0;
    while let Some(chunk) = bytes.get(at..at + 8) {
        if chunk.is_ascii() {
            for &byte in chunk {
                words.add_ascii(byte);
            }
            at += 8;
        } else {
            at = words.add_mixed(text, at, at + 8);
        }
    }
    words.add_mixed(text, at, bytes.len());
    words.count
}

#[derive(Default)]
struct WordCounter {
    count: usize,
    /// The current word holds a letter or digit and has been counted.
    counted: bool,
}

/// [`WordCounter::add`] for every ASCII byte in both states, as one table lookup: entry
/// `counted * 256 + byte` has bit 0 set when the byte starts a counted word and bit 1 when the
/// word is counted after it.
static ASCII_STEPS: [u8; 512] = ascii_steps();

const fn ascii_steps() -> [u8; 512] {
    let mut table = [0u8; 512];
    let mut index = 0;
    while index < 512 {
        let counted = index >= 256;
        let class = CLASSES[index % 256];
        let (space, alphanumeric) = (class == SPACE, class == ALPHANUMERIC);
        let starts = alphanumeric && !counted;
        let still_counted = (counted || alphanumeric) && !space;
        table[index] = starts as u8 | (still_counted as u8) << 1;
        index += 1;
    }
    table
}

impl WordCounter {
    /// [`WordCounter::add`] for an ASCII byte: one lookup and no comparisons, as this runs on
    /// every byte of every text.
    #[inline]
    fn add_ascii(&mut self, byte: u8) {
        let step = ASCII_STEPS[usize::from(self.counted) << 8 | usize::from(byte)];
        self.count += usize::from(step & 1);
        self.counted = step & 2 != 0;
    }

    #[inline]
    fn add(&mut self, space: bool, alphanumeric: bool) {
        // `&` and `|`, not `&&` and `||`: no branch per character.
        self.count += usize::from(alphanumeric & !self.counted);
        self.counted = (self.counted | alphanumeric) & !space;
    }

    /// Counts the characters that start in `text[from..to]` (byte offsets), decoding
    /// multi-byte ones; returns where the next character starts, which may be past `to`.
    fn add_mixed(&mut self, text: &str, mut at: usize, to: usize) -> usize {
        let bytes = text.as_bytes();
        while let Some(&byte) = bytes.get(at).filter(|_| at < to) {
            if byte.is_ascii() {
                self.add_ascii(byte);
                at += 1;
                continue;
            }
            match decode(text, at) {
                Some(c) => {
                    let (space, alphanumeric) = classify(c);
                    self.add(space, alphanumeric);
                    at += c.len_utf8();
                }
                // Inside a character begun before `at` (never, as `at` only lands on starts).
                None => at += 1,
            }
        }
        at
    }
}

/// `(c.is_whitespace(), c.is_alphanumeric())`, with the punctuation news text is full of
/// (curly quotes, dashes, the ellipsis: U+2010 to U+2027, neither) answered without a Unicode
/// table search.
fn classify(c: char) -> (bool, bool) {
    if ('\u{2010}'..='\u{2027}').contains(&c) {
        return (false, false);
    }
    (c.is_whitespace(), c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn punctuation_shortcut_agrees_with_the_unicode_tables() {
        for c in ('\u{2000}'..='\u{206f}').chain(['\u{a0}', '\u{e9}', '\u{3000}']) {
            assert_eq!(classify(c), (c.is_whitespace(), c.is_alphanumeric()), "{c:?}");
        }
    }

    proptest! {
        #[test]
        fn same_as_the_standard_library(text in "(\\PC|[ \\t\\n\\r\u{0B}\u{0C}\u{85}\u{a0}\u{2003}\u{3000}.,])*") {
            let expected: Vec<&str> = text.split_whitespace().collect();
            prop_assert_eq!(words(&text).collect::<Vec<_>>(), expected);
            let counted = text
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count();
            prop_assert_eq!(word_count(&text), counted);
        }
    }
}
