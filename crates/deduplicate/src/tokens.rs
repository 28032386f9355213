//! Canonical tokens: what a text is made of for duplicate detection, read once and hashed as
//! it is read.

/// Calls `token` with the hash of every canonical token of `text` (the tokens of
/// [`canonical_tokens`], hashed by [`TokenHasher`]), and `figure` with every whitespace-separated
/// token that is mostly digits, trimmed of punctuation.
///
/// ASCII letters and digits are read eight bytes at a time and hashed as they are read, so an
/// ASCII word costs a few word operations and is never copied; a word with other letters takes
/// the general, character by character path.
pub(crate) fn scan<'a>(text: &'a str, mut token: impl FnMut(u64), mut figure: impl FnMut(&'a str)) {
    let bytes = text.as_bytes();
    // Digits before this offset are in a figure already reported.
    let mut figures_from = 0;
    let mut i = 0;
    while let Some(&first) = bytes.get(i) {
        if ASCII_CLASSES[usize::from(first)] == SEPARATOR {
            i += 1;
            continue;
        }
        let start = i;
        let mut hasher = TokenHasher::default();
        let mut has_digit = false;
        loop {
            let run = AsciiRun::at(bytes, i);
            hasher.push_word(run.lowered, run.len);
            has_digit |= run.has_digit;
            i += run.len;
            if run.len < 8 {
                break;
            }
        }
        let end;
        if bytes.get(i).is_some_and(|b| !b.is_ascii()) {
            // A token with non-ASCII letters, or a non-ASCII separator: `canonical_tokens`'s
            // general path, feeding the hasher the same lower-cased bytes.
            for c in text[i..].chars() {
                if !c.is_alphanumeric() {
                    break;
                }
                for lower in c.to_lowercase() {
                    for &byte in lower.encode_utf8(&mut [0; 4]).as_bytes() {
                        hasher.push_byte(byte);
                    }
                }
                i += c.len_utf8();
            }
            if i == start {
                // A non-ASCII separator (a curly quote, a dash).
                i += text[i..].chars().next().map_or(1, char::len_utf8);
                continue;
            }
            end = i;
            has_digit = text[start..end].bytes().any(|b| b.is_ascii_digit());
        } else {
            // The run stopped at an ASCII separator (or the end of the text): step over it here
            // rather than look it up again.
            end = i;
            i += 1;
        }
        token(hasher.finish());
        // A token never spans whitespace, so it is wholly inside or after the last figure;
        // the first digit after that figure starts the next one, as a scan for digits would
        // find it.
        if has_digit && start >= figures_from {
            let digit = text[start..end]
                .bytes()
                .position(|b| b.is_ascii_digit())
                .map_or(start, |at| start + at);
            figures_from = figure_at(text, digit, &mut figure);
        }
    }
}

/// Calls `each` with the whitespace-separated token around the ASCII digit at `digit`,
/// trimmed of punctuation, if it is mostly digits; returns where that token ends.
fn figure_at<'a>(text: &'a str, digit: usize, each: &mut impl FnMut(&'a str)) -> usize {
    let start = text[..digit]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(at, c)| at + c.len_utf8());
    let end = text[digit..]
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .map_or(text.len(), |(at, _)| digit + at);
    let figure = text[start..end].trim_matches(|c: char| !c.is_alphanumeric());
    let digits = figure.bytes().filter(u8::is_ascii_digit).count();
    // Mostly digits: a letter misread as a digit ("wor1d") is no figure.
    if digits * 2 >= figure.len() {
        each(figure);
    }
    end
}

/// `0x01` in every byte of a word.
const EACH_BYTE: u64 = 0x0101_0101_0101_0101;
/// The high bit of every byte of a word.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The ASCII letters and digits at the start of eight bytes of text.
struct AsciiRun {
    /// The run, lower-cased, in the low `len` bytes (little-endian); the other bytes are zero.
    lowered: u64,
    /// Bytes in the run, 0 to 8.
    len: usize,
    /// Whether the run holds a digit.
    has_digit: bool,
}

impl AsciiRun {
    /// The run at `bytes[at..]`; past the end of `bytes` reads as zero bytes, which end a run.
    fn at(bytes: &[u8], at: usize) -> AsciiRun {
        let rest = bytes.get(at..).unwrap_or_default();
        let chunk = match rest.first_chunk::<8>() {
            Some(chunk) => u64::from_le_bytes(*chunk),
            None => {
                let mut padded = [0; 8];
                padded[..rest.len()].copy_from_slice(rest);
                u64::from_le_bytes(padded)
            }
        };
        // Classify all eight bytes at once on their low seven bits, which never carry into
        // the next byte; bytes with the high bit set (non-ASCII) are then masked out.
        let seven = chunk & !HIGH_BITS;
        let digit = bytes_in_range(seven, b'0', b'9');
        // `| 0x20` maps upper-case letters onto lower-case ones and nothing else onto them.
        let letter = bytes_in_range(seven | (EACH_BYTE * 0x20), b'a', b'z');
        let word = (digit | letter) & !chunk;
        let stops = !word & HIGH_BITS;
        let len = stops.trailing_zeros() as usize / 8;
        // The bytes below the first stop: its flag (the lowest set bit) moved to bit 0 of its
        // byte, minus one; all bytes when there is no stop (0 - 1).
        let run = ((stops & stops.wrapping_neg()) >> 7).wrapping_sub(1);
        AsciiRun {
            // A letter's flag (0x80) shifted to 0x20 is the lower-case bit.
            lowered: (chunk | (letter >> 2)) & run,
            len,
            has_digit: digit & run != 0,
        }
    }
}

/// The high bit of each byte of `seven` (bytes below 0x80) that lies in `low..=high`. (The
/// normalize crate's word count has the same trick, `in_range`: the crates do not depend on
/// each other.)
fn bytes_in_range(seven: u64, low: u8, high: u8) -> u64 {
    // Adding 0x80 - low sets a byte's high bit exactly when it is at least `low`, adding
    // 0x7F - high when it is above `high`; neither sum exceeds 0xFF, so no byte carries.
    let at_least_low = seven.wrapping_add(EACH_BYTE * u64::from(0x80 - low));
    let above_high = seven.wrapping_add(EACH_BYTE * u64::from(0x7F - high));
    at_least_low & !above_high & HIGH_BITS
}

/// A 64-bit hash of a token's lower-cased UTF-8 bytes, fed a byte or an aligned word at a time:
/// the bytes are cut into little-endian 8-byte words, each full word is mixed into the state,
/// and the last one, zero-padded, is mixed in by `finish`. Tokens hold no zero byte, so the
/// padding cannot make two tokens alike, and a token of at most 8 bytes gets a hash no other
/// such token has (the mix is a bijection).
#[derive(Default)]
struct TokenHasher {
    state: u64,
    /// Bytes not yet mixed in, in the low `filled` bits.
    word: u64,
    filled: u32,
}

impl TokenHasher {
    fn push_byte(&mut self, byte: u8) {
        if self.filled == 64 {
            self.state = mix64(self.state ^ self.word);
            self.word = 0;
            self.filled = 0;
        }
        self.word |= u64::from(byte) << self.filled;
        self.filled += 8;
    }

    /// Adds the `len` low bytes of `word` (the others zero) as `push_byte` would, one by one;
    /// only at a word boundary, which is where the ASCII path calls it.
    fn push_word(&mut self, word: u64, len: usize) {
        debug_assert!(self.filled.is_multiple_of(64) && len <= 8);
        if len == 0 {
            return;
        }
        if self.filled == 64 {
            self.state = mix64(self.state ^ self.word);
        }
        self.word = word;
        self.filled = 8 * len as u32;
    }

    fn finish(&self) -> u64 {
        mix64(self.state ^ self.word)
    }
}

/// The splitmix64 finalizer: a bijection of 64-bit values with full avalanche.
pub(crate) fn mix64(mut hash: u64) -> u64 {
    hash ^= hash >> 30;
    hash = hash.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    hash ^= hash >> 27;
    hash = hash.wrapping_mul(0x94D0_49BB_1331_11EB);
    hash ^ (hash >> 31)
}

/// Calls `each` with every canonical token of `text`: maximal runs of letters and digits,
/// lower-cased. Punctuation, quotes, dashes and whitespace only separate tokens, so typography
/// and line wrapping never change a fingerprint.
pub fn canonical_tokens(text: &str, mut each: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut lowered = String::with_capacity(32);
    let mut i = 0;
    while i < bytes.len() {
        // ASCII runs are the common case: tokens already in lower case are passed as slices of
        // the text, without a copy.
        let class = ASCII_CLASSES[usize::from(bytes[i])];
        if class == SEPARATOR {
            i += 1;
            continue;
        }
        let start = i;
        let mut seen = 0;
        while let Some(&b) = bytes.get(i) {
            let class = ASCII_CLASSES[usize::from(b)];
            if class & (LOWER | UPPER) == 0 {
                break;
            }
            seen |= class;
            i += 1;
        }
        let continues_non_ascii = bytes.get(i).is_some_and(|&b| !b.is_ascii());
        if !continues_non_ascii {
            if seen & UPPER == 0 {
                each(&text[start..i]);
            } else {
                lowered.clear();
                lowered.extend(text[start..i].chars().map(|c| c.to_ascii_lowercase()));
                each(&lowered);
            }
            continue;
        }
        // A token with non-ASCII letters: the general path.
        lowered.clear();
        lowered.push_str(&text[start..i].to_ascii_lowercase());
        for c in text[i..].chars() {
            if !c.is_alphanumeric() {
                break;
            }
            lowered.extend(c.to_lowercase());
            i += c.len_utf8();
        }
        if lowered.is_empty() {
            // A non-ASCII separator (a curly quote, a dash).
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        } else {
            each(&lowered);
        }
    }
}

/// What a byte is to the canonical tokenizer: part of a token as it is (lower-case letters and
/// digits), part of one once lower-cased, an ASCII separator, or the start or middle of a
/// multi-byte character that needs decoding.
static ASCII_CLASSES: [u8; 256] = ascii_classes();
const SEPARATOR: u8 = 0;
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const MULTIBYTE: u8 = 4;

const fn ascii_classes() -> [u8; 256] {
    let mut table = [SEPARATOR; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = if !b.is_ascii() {
            MULTIBYTE
        } else if b.is_ascii_uppercase() {
            UPPER
        } else if b.is_ascii_alphanumeric() {
            LOWER
        } else {
            SEPARATOR
        };
        byte += 1;
    }
    table
}
#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Hashes a token a byte at a time: what every path of `scan` must agree with.
    pub(crate) fn token_hash(token: &str) -> u64 {
        let mut hasher = TokenHasher::default();
        token.bytes().for_each(|b| hasher.push_byte(b));
        hasher.finish()
    }

    pub(crate) fn tokens(text: &str) -> Vec<String> {
        let mut tokens = Vec::new();
        canonical_tokens(text, |t| tokens.push(t.to_string()));
        tokens
    }

    /// The separate scan for figures that `scan` replaces.
    pub(crate) fn figures(text: &str) -> Vec<&str> {
        let mut found = Vec::new();
        let mut i = 0;
        while let Some(offset) = text.as_bytes()[i..].iter().position(u8::is_ascii_digit) {
            i = figure_at(text, i + offset, &mut |figure| found.push(figure));
        }
        found
    }

    /// Text with what the tokenizer treats differently: both cases, digits, ASCII and
    /// typographic separators, accented and other non-ASCII letters (some lower-casing to
    /// more than one character), non-ASCII digits and whitespace.
    pub(crate) fn mixed_text() -> impl Strategy<Value = String> {
        const PIECES: &[&str] = &[
            "a",
            "Z",
            "q",
            "M",
            "wire",
            "Copy",
            "ROAD",
            "7",
            "2024",
            "1,050,000",
            "14-1/4",
            "12:31",
            " ",
            " ",
            "\n",
            ".",
            ",",
            "-",
            "'",
            "\"",
            "(",
            "\u{201c}",
            "\u{201d}",
            "\u{2014}",
            "\u{a0}",
            "\u{2009}",
            "\u{e9}",
            "\u{c9}",
            "\u{df}",
            "\u{130}",
            "\u{3a3}",
            "\u{fb01}",
            "\u{663}",
            "\u{5e74}",
            "longerthaneightbytes",
            "ABCDEFGHIJKLMNOP",
            "\u{1f600}",
        ];
        proptest::collection::vec(proptest::sample::select(PIECES), 0..40)
            .prop_map(|pieces| pieces.concat())
    }

    /// Flips the case of ASCII letters and swaps separators: the same canonical tokens.
    pub(crate) fn restyle(text: &str, seed: u64) -> String {
        text.chars()
            .enumerate()
            .map(|(at, c)| {
                let flip = (seed >> (at % 64)) & 1 == 1;
                match c {
                    ' ' if flip => '\u{2014}',
                    '.' | ',' | '-' => ' ',
                    c if flip && c.is_ascii_lowercase() => c.to_ascii_uppercase(),
                    c if flip && c.is_ascii_uppercase() => c.to_ascii_lowercase(),
                    c => c,
                }
            })
            .collect()
    }

    proptest! {
        #[test]
        fn scan_hashes_the_canonical_tokens(text in prop_oneof![mixed_text(), "\\PC{0,80}"]) {
            let mut scanned = Vec::new();
            scan(&text, |hash| scanned.push(hash), |_| {});
            let expected: Vec<u64> = tokens(&text).iter().map(|t| token_hash(t)).collect();
            prop_assert_eq!(scanned, expected);
        }

        #[test]
        fn scan_finds_the_figures_a_digit_scan_finds(
            text in prop_oneof![mixed_text(), "\\PC{0,80}"],
        ) {
            let mut scanned = Vec::new();
            scan(&text, |_| {}, |figure| scanned.push(figure));
            prop_assert_eq!(scanned, figures(&text));
        }

        #[test]
        fn ascii_runs_are_read_as_byte_by_byte(chunk in any::<[u8; 8]>(), end in 0usize..=8) {
            let bytes = &chunk[..end];
            let run = AsciiRun::at(bytes, 0);
            let len = bytes.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
            let mut lowered = [0; 8];
            lowered[..len].copy_from_slice(&bytes[..len].to_ascii_lowercase());
            prop_assert_eq!(run.len, len);
            prop_assert_eq!(run.lowered, u64::from_le_bytes(lowered));
            prop_assert_eq!(run.has_digit, bytes[..len].iter().any(u8::is_ascii_digit));
        }
    }

    #[test]
    fn word_hashes_do_not_depend_on_the_path_or_the_case() {
        // The ASCII path hashes "cafe"; the general path hashes "caf\u{e9}" and "\u{e9}t\u{e9}".
        let mut hashes = Vec::new();
        scan(
            "Cafe CAF\u{c9} caf\u{e9} \u{c9}T\u{c9} \u{e9}t\u{e9} LONGERTHANEIGHT longerthaneight",
            |hash| hashes.push(hash),
            |_| {},
        );
        assert_eq!(hashes[0], token_hash("cafe"));
        assert_eq!(hashes[1], hashes[2]);
        assert_eq!(hashes[1], token_hash("caf\u{e9}"));
        assert_eq!(hashes[3], hashes[4]);
        assert_eq!(hashes[5], hashes[6]);
        assert_ne!(hashes[0], hashes[1]);
    }

    #[test]
    fn canonical_tokens_fold_case_and_typography() {
        let mut tokens = Vec::new();
        canonical_tokens(
            "\u{201c}Caf\u{e9} ROAD\u{201d}\u{2014}it's 2024, \u{c9}T\u{c9}!",
            |t| tokens.push(t.to_string()),
        );
        assert_eq!(
            tokens,
            ["caf\u{e9}", "road", "it", "s", "2024", "\u{e9}t\u{e9}"]
        );
    }
}
