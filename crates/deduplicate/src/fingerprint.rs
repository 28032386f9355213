use xxhash_rust::xxh3::{xxh3_128, xxh3_64, xxh3_64_with_seed};

use crate::config::DedupConfig;

/// What identifies a text for duplicate detection: a hash of its canonical form, a MinHash
/// signature of its word shingles, and how many shingles it has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    /// xxh3-128 of the canonical form: lower-case words joined by single spaces.
    pub exact: u128,
    /// One-permutation MinHash: `bands * rows` minimum values, one per hash bin.
    pub signature: Vec<u32>,
    /// Number of shingles in the text (saturating).
    pub shingles: u32,
    /// The smallest hashes of the distinct numbers in the text (at most [`NUMBER_SKETCH`]),
    /// sorted: template reports (earnings, prices) share their words but not their figures.
    pub numbers: Vec<u32>,
    /// Distinct numbers in the text (saturating).
    pub distinct_numbers: u32,
}

/// Hashes of numbers kept per document.
pub const NUMBER_SKETCH: usize = 16;

/// A fingerprint could not be read back from bytes.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
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
        let mut canonical = String::with_capacity(text.len());
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
        canonical_tokens(text, |token| {
            if !canonical.is_empty() {
                canonical.push(' ');
            }
            canonical.push_str(token);
            if let Some(hash) = window.push(xxh3_64(token.as_bytes())) {
                add_shingle(hash, &mut minima);
                shingles = shingles.saturating_add(1);
            }
        });
        if !canonical.is_empty() && shingles == 0 {
            add_shingle(window.partial(), &mut minima);
            shingles = 1;
        }
        let signature = densify(&minima);
        // Figures as written ("2-1/8", "1,050,000", "12:31"), so that "14-1/4" and "14-1/2"
        // differ where their digit runs would not.
        figures(text, |figure| {
            numbers.push(xxh3_64(figure.as_bytes()) as u32)
        });
        numbers.sort_unstable();
        numbers.dedup();
        let distinct_numbers = u32::try_from(numbers.len()).unwrap_or(u32::MAX);
        numbers.truncate(NUMBER_SKETCH);
        Fingerprint {
            exact: xxh3_128(canonical.as_bytes()),
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

/// Calls `each` with every whitespace-separated token that is mostly digits, trimmed of
/// punctuation. Only tokens holding a digit are looked at, so prose costs one byte test per
/// byte.
fn figures(text: &str, mut each: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(offset) = bytes
        .get(i..)
        .and_then(|rest| rest.iter().position(u8::is_ascii_digit))
    {
        i += offset;
        let start = text[..i]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(at, c)| at + c.len_utf8());
        let end = text[i..]
            .char_indices()
            .find(|(_, c)| c.is_whitespace())
            .map_or(text.len(), |(at, _)| i + at);
        let figure = text[start..end].trim_matches(|c: char| !c.is_alphanumeric());
        let digits = figure.bytes().filter(u8::is_ascii_digit).count();
        // Mostly digits: a letter misread as a digit ("wor1d") is no figure.
        if digits * 2 >= figure.len() {
            each(figure);
        }
        i = end;
    }
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

/// Spreads a mixed shingle into a well-distributed 64-bit hash.
fn finish_shingle(mut hash: u64) -> u64 {
    // splitmix64 finalizer: the bin choice and the value must not correlate.
    hash ^= hash >> 30;
    hash = hash.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    hash ^= hash >> 27;
    hash = hash.wrapping_mul(0x94D0_49BB_1331_11EB);
    hash ^ (hash >> 31)
}

/// Empty bins borrow the value of the next filled bin, offset by the distance, so that two
/// similar texts still agree on them (densified one-permutation hashing).
fn densify(minima: &[u64]) -> Vec<u32> {
    let bins = minima.len();
    // Every bin's value fits in 32 bits once filled; an empty bin keeps the top bits set.
    let mut signature: Vec<u32> = minima.iter().map(|&m| m as u32).collect();
    if minima.iter().all(|&m| m != EMPTY_BIN) || minima.iter().all(|&m| m == EMPTY_BIN) {
        return signature;
    }
    for bin in 0..bins {
        if minima[bin] != EMPTY_BIN {
            continue;
        }
        let mut distance = 1;
        while minima[(bin + distance) % bins] == EMPTY_BIN {
            distance += 1;
        }
        let borrowed = minima[(bin + distance) % bins] as u32;
        signature[bin] = borrowed.wrapping_add(DENSIFY_STEP.wrapping_mul(distance as u32));
    }
    signature
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
mod tests {
    use super::*;

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
