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
    // English) is classified all at once by `ascii_chunk`; a chunk with one is decoded.
    let bytes = text.as_bytes();
    let mut words = WordCounter::default();
    let mut at = 0;
    while let Some(chunk) = bytes[at..].first_chunk::<8>() {
        let word = u64::from_le_bytes(*chunk);
        if word & HIGH_BITS == 0 {
            let (started, counted) = ascii_chunk(word, words.counted);
            words.count += started as usize;
            words.counted = counted;
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

impl WordCounter {
    #[inline]
    fn add(&mut self, space: bool, alphanumeric: bool) {
        // `&` and `|`, not `&&` and `||`: no branch per character.
        self.count += usize::from(alphanumeric & !self.counted);
        self.counted = (self.counted | alphanumeric) & !space;
    }

    #[inline]
    fn add_ascii(&mut self, byte: u8) {
        let class = CLASSES[usize::from(byte)];
        self.add(class == SPACE, class == ALPHANUMERIC);
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

/// `0x01` in every byte of a word.
const EACH_BYTE: u64 = 0x0101_0101_0101_0101;
/// The high bit of every byte of a word.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Eight ASCII bytes (little-endian in `chunk`) at once: how many counted words start in them,
/// and whether a counted word runs on past them, given whether one ran into them (`counted`).
///
/// A byte by byte count carries its state from each byte to the next, a chain of dependent
/// steps the processor cannot overlap; here the bytes are classified together and the chain
/// is one bit per chunk.
fn ascii_chunk(chunk: u64, counted: bool) -> (u32, bool) {
    let space = byte_mask(in_range(chunk, 0x09, 0x0D) | in_range(chunk, b' ', b' '));
    // `| 0x20` maps upper-case letters onto lower-case ones and nothing else onto them.
    let letter = in_range(chunk | (EACH_BYTE * 0x20), b'a', b'z');
    let alphanumeric = byte_mask(in_range(chunk, b'0', b'9') | letter);
    // Bit 0 stands for what came before the chunk (a space unless a counted word runs into
    // it), bits 1 to 8 for its bytes.
    let spaces = space << 1 | u16::from(!counted);
    let others = !(space | alphanumeric) << 1 & 0x1FE;
    // After a space: the last byte at or before this one that is a space or alphanumeric is a
    // space. Space bits spread forward over runs of other bytes (punctuation), doubling the
    // reach at each step.
    let mut after_space = spaces;
    let mut through = others;
    for shift in [1, 2, 4, 8] {
        after_space |= (after_space << shift) & through;
        through &= through << shift;
    }
    // A word is counted at its first letter or digit after a space.
    let started = (alphanumeric << 1) & (after_space << 1);
    (started.count_ones(), after_space & 0x100 == 0)
}

/// The high bit of each byte of `chunk` (ASCII) that lies in `low..=high`. (The dedup crate's
/// fingerprint has the same trick, `bytes_in_range`: the crates do not depend on each other.)
fn in_range(chunk: u64, low: u8, high: u8) -> u64 {
    // Adding 0x80 - low sets a byte's high bit exactly when it is at least `low`, adding
    // 0x7F - high when it is above `high`; for bytes below 0x80 no sum carries into the next.
    let at_least_low = chunk.wrapping_add(EACH_BYTE * u64::from(0x80 - low));
    let above_high = chunk.wrapping_add(EACH_BYTE * u64::from(0x7F - high));
    at_least_low & !above_high & HIGH_BITS
}

/// The high bits of the eight bytes as the eight low bits, byte 0 as bit 0.
fn byte_mask(high_bits: u64) -> u16 {
    ((high_bits >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u16
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
            assert_eq!(
                classify(c),
                (c.is_whitespace(), c.is_alphanumeric()),
                "{c:?}"
            );
        }
    }

    /// What `word_count` must give: whitespace-separated words holding a letter or digit.
    fn counted_by_std(text: &str) -> usize {
        text.split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count()
    }

    proptest! {
        #[test]
        fn same_as_the_standard_library(text in "(\\PC|[ \\t\\n\\r\u{0B}\u{0C}\u{85}\u{a0}\u{2003}\u{3000}.,])*") {
            let expected: Vec<&str> = text.split_whitespace().collect();
            prop_assert_eq!(words(&text).collect::<Vec<_>>(), expected);
            prop_assert_eq!(word_count(&text), counted_by_std(&text));
        }

        /// Mostly ASCII, as news text is, so that whole 8-byte chunks take the word-at-a-time
        /// path, with runs of punctuation between spaces and letters.
        #[test]
        fn ascii_chunks_count_as_the_standard_library(
            text in "([a-zA-Z0-9]{1,6}|[ \\t\\n\\r\u{0B}\u{0C}]{1,3}|[-.,;:()'\"$&@/!?]{1,4}|\u{e9}|\u{2014}|\u{2003}){0,40}"
        ) {
            prop_assert_eq!(word_count(&text), counted_by_std(&text));
        }
    }

    #[test]
    fn every_byte_class_at_every_position_of_a_chunk() {
        let samples = [
            "a", "Z", "7", " ", "\t", "\n", "\r", "\u{b}", "\u{c}", "-", "(", "\"", "~", "\u{1}",
            "\u{7f}",
        ];
        for first in samples {
            for second in samples {
                // A prefix of every length puts the pair at every offset of a chunk, and
                // across the boundary between two chunks.
                for at in 0..16 {
                    let mut text = " ".repeat(at);
                    text.push_str(first);
                    text.push_str(second);
                    text.push_str("y. z");
                    assert_eq!(word_count(&text), counted_by_std(&text), "{text:?}");
                }
            }
        }
    }
}
