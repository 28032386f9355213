use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed, Xxh3};

use crate::config::DedupConfig;
use crate::tokens::{mix64, scan};

/// What identifies a text for duplicate detection: a hash of its canonical form, a MinHash
/// signature of its word shingles, and how many shingles it has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    /// A 128-bit key of the canonical form, the sequence of lower-case words (see
    /// [`crate::canonical_tokens`]): equal for equal word sequences, whatever the case, punctuation
    /// and spacing; different word sequences share it with negligible probability. It is
    /// accumulated from the words' 64-bit hashes in order, with the word count.
    ///
    /// A text without words (emoji, symbols, punctuation or combining marks only) has no
    /// canonical form to speak of: its key is a hash of its characters instead, in
    /// whitespace-separated pieces (see `wordless_key`), so that two such texts are exact
    /// duplicates only when they hold the same characters, and never share a key with a text
    /// that has words.
    pub exact: u128,
    /// One-permutation MinHash: `bands * rows` minimum values, one per hash bin.
    pub signature: Vec<u32>,
    /// Number of shingles in the text (saturating).
    pub shingles: u32,
    /// The smallest hashes of the distinct numbers in the text (at most `NUMBER_SKETCH`),
    /// sorted: template reports (earnings, prices) share their words but not their figures.
    pub numbers: Vec<u32>,
    /// Distinct numbers in the text (saturating).
    pub distinct_numbers: u32,
}

/// Hashes of numbers kept per document.
pub const NUMBER_SKETCH: usize = 16;

/// A fingerprint could not be read back from bytes.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum FingerprintError {
    /// Fewer bytes than the header or the signature needs.
    #[error("fingerprint bytes are truncated: {got} bytes, {need} needed")]
    Truncated {
        /// Bytes given.
        got: usize,
        /// Bytes needed.
        need: usize,
    },
}

/// Odd 64-bit constant (the golden ratio) spreading densified values apart.
const DENSIFY_STEP: u32 = 0x9E37_79B9;

/// A MinHash bin no shingle fell into.
const EMPTY_BIN: u64 = u64::MAX;

impl Fingerprint {
    /// Fingerprints `text` with `config`'s shingle size and signature length.
    pub fn new(text: &str, config: &DedupConfig) -> Fingerprint {
        let bins = config.signature_len();
        // u32 values in u64 bins: an empty bin holds `EMPTY_BIN`, above any value, so keeping
        // the minimum is one comparison with no separate "filled" flags.
        let mut minima = vec![EMPTY_BIN; bins];
        let mut exact = ExactKey::new();
        let mut window = ShingleWindow::new(config.shingle_words);
        let mut shingles: u32 = 0;
        let mut numbers: Vec<u32> = Vec::new();
        let add_shingle = |hash: u64, minima: &mut [u64]| {
            // One permutation: the high half picks the bin, the low half competes in it.
            let bin = (((hash >> 32) * bins as u64) >> 32) as usize;
            if let Some(minimum) = minima.get_mut(bin) {
                *minimum = (*minimum).min(u64::from(hash as u32));
            }
        };
        // One pass over the text for words and figures: the text is read once, and no token is
        // copied unless it has non-ASCII letters.
        scan(
            text,
            |token| {
                exact.push(token);
                if let Some(hash) = window.push(token) {
                    add_shingle(hash, &mut minima);
                    shingles = shingles.saturating_add(1);
                }
            },
            // Figures as written ("2-1/8", "1,050,000", "12:31"), so that "14-1/4" and "14-1/2"
            // differ where their digit runs would not.
            |figure| numbers.push(xxh3_64(figure.as_bytes()) as u32),
        );
        if exact.tokens > 0 && shingles == 0 {
            add_shingle(window.partial(), &mut minima);
            shingles = 1;
        }
        let exact = if exact.tokens > 0 {
            exact.finish()
        } else {
            wordless_key(text)
        };
        let signature = densify(&minima);
        numbers.sort_unstable();
        numbers.dedup();
        let distinct_numbers = u32::try_from(numbers.len()).unwrap_or(u32::MAX);
        numbers.truncate(NUMBER_SKETCH);
        Fingerprint {
            exact,
            signature,
            shingles,
            numbers,
            distinct_numbers,
        }
    }

    /// Band keys for LSH: one stable 64-bit key per band of `rows` signature values. Two texts
    /// are candidates when any band key is equal.
    pub fn band_keys(&self, rows: usize) -> impl Iterator<Item = u64> + '_ {
        let rows = rows.max(1);
        self.signature
            .chunks(rows)
            .enumerate()
            .map(|(band, values)| {
                let mut bytes = [0u8; 64];
                let mut len = 0;
                for value in values.iter().take(16) {
                    bytes[len..len + 4].copy_from_slice(&value.to_le_bytes());
                    len += 4;
                }
                xxh3_64_with_seed(&bytes[..len], band as u64)
            })
    }

    /// Compact bytes: exact hash, shingle count, distinct numbers, signature length, number
    /// sketch length, then the signature and the number sketch (all little-endian).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(32 + 4 * (self.signature.len() + self.numbers.len()));
        bytes.extend_from_slice(&self.exact.to_le_bytes());
        for word in [
            self.shingles,
            self.distinct_numbers,
            self.signature.len() as u32,
            self.numbers.len() as u32,
        ] {
            bytes.extend_from_slice(&word.to_le_bytes());
        }
        for value in self.signature.iter().chain(&self.numbers) {
            bytes.extend_from_slice(&value.to_le_bytes());
        }
        bytes
    }

    /// Reads what [`Fingerprint::to_bytes`] wrote.
    pub fn from_bytes(bytes: &[u8]) -> Result<Fingerprint, FingerprintError> {
        let truncated = |need| FingerprintError::Truncated {
            got: bytes.len(),
            need,
        };
        let header = bytes.get(..32).ok_or(truncated(32))?;
        let mut exact = [0u8; 16];
        exact.copy_from_slice(&header[..16]);
        let word = |at: usize| {
            u32::from_le_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
        };
        let (shingles, distinct_numbers) = (word(16), word(20));
        let (signature_len, numbers_len) = (word(24) as usize, word(28) as usize);
        let need = 32 + 4 * (signature_len + numbers_len);
        let body = bytes.get(32..need).ok_or(truncated(need))?;
        let mut values = body
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]));
        let signature = values.by_ref().take(signature_len).collect();
        let numbers = values.collect();
        Ok(Fingerprint {
            exact: u128::from_le_bytes(exact),
            signature,
            shingles,
            numbers,
            distinct_numbers,
        })
    }
}

/// The exact-duplicate key, accumulated from token hashes in order, so that the text needs no
/// second pass and no canonical copy. Two lanes, each a chain of steps that are bijective in the
/// lane (xor, odd multiply, rotate): two equally long sequences whose token hashes differ in
/// one place always differ in both lanes. The lanes use different multipliers, rotations and
/// token rotations, so a chance cancellation in one is not one in the other. The token count
/// tells a text from its prefixes. Two different tokens share a hash only by a 64-bit chance
/// (never when both have at most 8 bytes, see [`TokenHasher`]).
struct ExactKey {
    left: u64,
    right: u64,
    tokens: u64,
}

/// Starting lanes: the first fraction digits of pi, nothing up the sleeve.
const EXACT_SEEDS: [u64; 2] = [0x243F_6A88_85A3_08D3, 0x1319_8A2E_0370_7344];
/// Odd multipliers with well-spread bits: 2^64 over the golden ratio, and splitmix64's first.
const EXACT_MULTIPLIERS: [u64; 2] = [0x9E37_79B9_7F4A_7C15, 0xBF58_476D_1CE4_E5B9];

impl ExactKey {
    fn new() -> ExactKey {
        ExactKey {
            left: EXACT_SEEDS[0],
            right: EXACT_SEEDS[1],
            tokens: 0,
        }
    }

    fn push(&mut self, token: u64) {
        // The rotation after the multiply brings the well-mixed high bits down for the next
        // token's xor.
        self.left = (self.left ^ token)
            .wrapping_mul(EXACT_MULTIPLIERS[0])
            .rotate_left(29);
        self.right = (self.right ^ token.rotate_left(32))
            .wrapping_mul(EXACT_MULTIPLIERS[1])
            .rotate_left(37);
        self.tokens += 1;
    }

    fn finish(&self) -> u128 {
        let left = mix64(self.left ^ self.tokens);
        let right = mix64(self.right.wrapping_add(self.tokens));
        u128::from(right) << 64 | u128::from(left)
    }
}

/// Seed of [`wordless_key`]'s hash, which keeps its keys apart from those of texts with words
/// (a different hash function already does; the seed documents the intent): the first
/// fraction digits of e, nothing up the sleeve.
const WORDLESS_SEED: u64 = 0xB7E1_5162_8AED_2A6A;

/// Byte between two pieces in [`wordless_key`]'s hash input: never part of UTF-8 text.
const PIECE_SEPARATOR: u8 = 0xFF;

/// The exact key of a text without words: a 128-bit hash of its whitespace-separated pieces,
/// each followed by a byte that UTF-8 never holds. Spacing and line wrapping do not change it
/// (as they do not change the key of a text with words); any other character does, because
/// here the characters are all there is. Without this, every text without words had the key
/// of the empty word sequence, and `--drop-duplicates` dropped distinct emoji-only or
/// symbol-only documents as exact duplicates of the first one.
fn wordless_key(text: &str) -> u128 {
    let mut hasher = Xxh3::with_seed(WORDLESS_SEED);
    for piece in text.split_whitespace() {
        hasher.update(piece.as_bytes());
        hasher.update(&[PIECE_SEPARATOR]);
    }
    hasher.digest128()
}

/// The last `n` token hashes, mixed into one shingle hash that is updated in constant time per
/// token: rotation distributes over XOR, so the oldest token can be taken out again.
struct ShingleWindow {
    ring: Vec<u64>,
    /// Where the next token goes in `ring`.
    slot: usize,
    /// Tokens pushed so far (saturating).
    pushed: usize,
    /// XOR of each token rotated by SHINGLE_ROTATION times the number of tokens after it.
    mixed: u64,
    /// The rotation of the oldest token of a full window.
    oldest_shift: u32,
}

/// Rotation between consecutive tokens of a shingle.
const SHINGLE_ROTATION: u32 = 23;

impl ShingleWindow {
    fn new(n: usize) -> ShingleWindow {
        let n = n.max(1);
        ShingleWindow {
            ring: vec![0; n],
            slot: 0,
            pushed: 0,
            mixed: 0,
            oldest_shift: (SHINGLE_ROTATION as usize * (n - 1) % 64) as u32,
        }
    }

    /// Adds a token; returns the hash of the shingle it completes, if the window is full.
    fn push(&mut self, token: u64) -> Option<u64> {
        let n = self.ring.len();
        let full = self.pushed >= n;
        if full {
            self.mixed ^= self.ring[self.slot].rotate_left(self.oldest_shift);
        }
        self.mixed = self.mixed.rotate_left(SHINGLE_ROTATION) ^ token;
        self.ring[self.slot] = token;
        // A counter that wraps, not a division per token.
        self.slot += 1;
        if self.slot == n {
            self.slot = 0;
        }
        self.pushed = self.pushed.saturating_add(1);
        (self.pushed >= n).then(|| finish_shingle(self.mixed))
    }

    /// The hash of the tokens so far, for a text shorter than one shingle.
    fn partial(&self) -> u64 {
        finish_shingle(self.mixed)
    }
}

/// Spreads a mixed shingle into a well-distributed 64-bit hash: the bin choice and the value
/// must not correlate.
fn finish_shingle(hash: u64) -> u64 {
    mix64(hash)
}

/// Empty bins borrow the value of the next filled bin, offset by the distance, so that two
/// similar texts still agree on them (densified one-permutation hashing).
fn densify(minima: &[u64]) -> Vec<u32> {
    // Every bin's value fits in 32 bits once filled; an empty bin keeps the top bits set.
    let mut signature: Vec<u32> = minima.iter().map(|&m| m as u32).collect();
    let Some(last_filled) = minima.iter().rposition(|&m| m != EMPTY_BIN) else {
        return signature;
    };
    // One walk backwards around the circle from the last filled bin, carrying the next filled
    // bin's value and the distance to it: linear, where a search from each empty bin is not.
    let mut borrowed = minima[last_filled] as u32;
    let mut distance: u32 = 0;
    let around = (0..last_filled)
        .rev()
        .chain((last_filled + 1..minima.len()).rev());
    for bin in around {
        if minima[bin] == EMPTY_BIN {
            distance += 1;
            signature[bin] = borrowed.wrapping_add(DENSIFY_STEP.wrapping_mul(distance));
        } else {
            borrowed = minima[bin] as u32;
            distance = 0;
        }
    }
    signature
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::tests::{mixed_text, restyle, tokens};
    use proptest::prelude::*;

    /// The quadratic densification that `densify` replaces.
    fn densify_by_search(minima: &[u64]) -> Vec<u32> {
        let bins = minima.len();
        let mut signature: Vec<u32> = minima.iter().map(|&m| m as u32).collect();
        if minima.iter().all(|&m| m == EMPTY_BIN) {
            return signature;
        }
        for bin in (0..bins).filter(|&bin| minima[bin] == EMPTY_BIN) {
            let mut distance = 1;
            while minima[(bin + distance) % bins] == EMPTY_BIN {
                distance += 1;
            }
            let borrowed = minima[(bin + distance) % bins] as u32;
            signature[bin] = borrowed.wrapping_add(DENSIFY_STEP.wrapping_mul(distance as u32));
        }
        signature
    }

    proptest! {
        #[test]
        fn exact_keys_are_equal_iff_the_canonical_tokens_are(
            a in mixed_text(),
            b in mixed_text(),
            seed in any::<u64>(),
        ) {
            let config = DedupConfig::default();
            let restyled = restyle(&a, seed);
            let key = |text: &str| Fingerprint::new(text, &config).exact;
            let pieces = |text: &str| text.split_whitespace().collect::<Vec<_>>().concat();
            if tokens(&a).is_empty() || tokens(&b).is_empty() {
                // Without words the characters are the text: restyling changes it.
                let same = tokens(&a).is_empty()
                    && tokens(&b).is_empty()
                    && a.split_whitespace().eq(b.split_whitespace());
                prop_assert_eq!(key(&a) == key(&b), same, "{:?} {:?}", pieces(&a), pieces(&b));
            } else {
                prop_assert_eq!(key(&a), key(&restyled));
                prop_assert_eq!(key(&a) == key(&b), tokens(&a) == tokens(&b));
            }
        }

        #[test]
        fn densify_agrees_with_a_search_per_empty_bin(
            filled in proptest::collection::vec(proptest::option::of(0u64..=u64::from(u32::MAX)), 0..130),
        ) {
            let minima: Vec<u64> = filled.iter().map(|m| m.unwrap_or(EMPTY_BIN)).collect();
            prop_assert_eq!(densify(&minima), densify_by_search(&minima));
        }
    }

    #[test]
    fn exact_keys_tell_order_repeats_and_prefixes_apart() {
        let config = DedupConfig::default();
        let key = |text: &str| Fingerprint::new(text, &config).exact;
        let texts = [
            "a b c",
            "b a c",
            "a b c c",
            "a b",
            "",
            "a b c a b c",
            "ab c",
        ];
        for (i, a) in texts.iter().enumerate() {
            for b in &texts[i + 1..] {
                assert_ne!(key(a), key(b), "{a:?} and {b:?}");
            }
        }
        assert_eq!(key("A, b; C."), key("a b c"));
    }

    #[test]
    fn typography_and_case_do_not_change_the_exact_hash() {
        let config = DedupConfig::default();
        let a = Fingerprint::new(
            "\u{201c}Rates rise,\u{201d} the bank said \u{2014} again.",
            &config,
        );
        let b = Fingerprint::new("\"rates RISE\", the bank said - again", &config);
        assert_eq!(a.exact, b.exact);
        assert_eq!(a.signature, b.signature);
        assert_ne!(
            a.exact,
            Fingerprint::new("Rates fall, the bank said.", &config).exact
        );
    }

    #[test]
    fn texts_without_words_are_told_apart_by_their_characters() {
        let config = DedupConfig::default();
        let key = |text: &str| Fingerprint::new(text, &config).exact;
        // Emoji, combining marks alone, punctuation, symbols: no canonical tokens at all.
        let wordless = [
            "\u{1f600}",
            "\u{1f600}\u{1f600}",
            "\u{1f600} \u{1f600}",
            "\u{1f44d}\u{1f3fd}",
            "\u{301}\u{301}",
            "\u{308}",
            "!!!",
            "???",
            "* * *",
            "\u{2014}",
            "\u{2605}\u{2605}\u{2605}",
            "",
        ];
        for text in wordless {
            assert!(tokens(text).is_empty(), "{text:?} has words");
        }
        for (i, a) in wordless.iter().enumerate() {
            for b in &wordless[i + 1..] {
                assert_ne!(key(a), key(b), "{a:?} and {b:?}");
            }
            // Never the key of a text with words, nor of the empty word sequence's old key.
            assert_ne!(key(a), key("a"), "{a:?}");
            assert_ne!(key(a), ExactKey::new().finish(), "{a:?}");
        }
        // The same characters are the same text, however they are spaced or wrapped.
        assert_eq!(key("\u{1f600} \u{1f600}"), key("\u{1f600}\n\n\u{1f600}  "));
        assert_eq!(key("!!!"), key(" !!! "));
        // Texts with words keep their word key: punctuation still does not count.
        assert_eq!(key("Rates rise!"), key("rates rise \u{1f600}"));
    }

    #[test]
    fn bytes_round_trip_and_truncation_is_an_error() {
        let config = DedupConfig::default();
        let fingerprint = Fingerprint::new("one two three four five six", &config);
        let bytes = fingerprint.to_bytes();
        assert_eq!(Fingerprint::from_bytes(&bytes).unwrap(), fingerprint);
        assert!(Fingerprint::from_bytes(&bytes[..30]).is_err());
        assert_eq!(fingerprint.band_keys(3).count(), config.bands);
    }
}
