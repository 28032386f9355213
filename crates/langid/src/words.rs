//! A per-thread memo of the scores of whole words.
//!
//! N-grams never cross a word's edge, so what a word adds to the languages' scores depends on
//! the word alone. News repeats a few hundred words ("the", "said", "of", "government") in
//! every article: remembering their sums turns a word's ten-odd table look-ups into one
//! comparison and one vector add. Results are exactly those of scoring the word afresh, so the
//! memo changes no output and needs no coordination between threads: each thread has its own.

use std::cell::RefCell;

use crate::table::MAX_LANGUAGES;

/// Longest word remembered, in bytes of the text as written. Longer words are rare in news and
/// are scored directly.
pub(crate) const MAX_WORD_BYTES: usize = 24;

/// A remembered word's sum fits 16 bits per language: at most this many lower-cased letters,
/// five n-grams each, 255 per n-gram (48 × 5 × 255 = 61,200 < 65,536).
pub(crate) const MAX_MEMO_LETTERS: usize = 48;

/// Slots per tier, a power of two; a slot is chosen by the word's hash and a new word takes
/// its slot. 4,096 (about 650 kB a tier, per thread) keep most of a language's common news
/// words: over news_en_combined, `--threads 1`, the lang stage took 0.22-0.23 s with 1,024
/// slots and 0.18-0.20 s with 4,096 (three runs each, interleaved).
const SLOTS: usize = 4_096;

const _: () = assert!(SLOTS.is_power_of_two());
const _: () = assert!(MAX_MEMO_LETTERS * 5 * 255 <= u16::MAX as usize);

/// One remembered word.
#[derive(Clone)]
struct Slot {
    /// The word's bytes as written (case kept: "The" and "the" are two words here).
    key: [u8; MAX_WORD_BYTES],
    /// Length of `key` in use; 0 for an empty slot.
    len: u8,
    /// Lower-cased letters the word counts for the early stop.
    letters: u8,
    /// What the word adds to each language's score.
    scores: [u16; MAX_LANGUAGES],
}

impl Default for Slot {
    fn default() -> Self {
        Slot {
            key: [0; MAX_WORD_BYTES],
            len: 0,
            letters: 0,
            scores: [0; MAX_LANGUAGES],
        }
    }
}

/// The memo of one tier of the model (the first tier and the full table score words
/// differently).
pub(crate) struct Memo {
    slots: Vec<Slot>,
}

impl Memo {
    fn new() -> Memo {
        Memo {
            slots: vec![Slot::default(); SLOTS],
        }
    }

    /// Adds the remembered scores of `word` to `scores` and returns its letter count, or
    /// `None` when the word is not remembered.
    #[inline]
    pub(crate) fn add(
        &self,
        word: &[u8],
        hash: u64,
        scores: &mut [u32; MAX_LANGUAGES],
    ) -> Option<usize> {
        let slot = &self.slots[slot_of(hash)];
        if usize::from(slot.len) != word.len() || slot.key[..word.len()] != *word {
            return None;
        }
        for (total, &add) in scores.iter_mut().zip(&slot.scores) {
            *total += u32::from(add);
        }
        Some(usize::from(slot.letters))
    }

    /// Remembers `word`, whose n-grams sum to `sums` over `letters` letters. Words too long
    /// for a slot are left out.
    pub(crate) fn insert(
        &mut self,
        word: &[u8],
        hash: u64,
        letters: usize,
        sums: &[u32; MAX_LANGUAGES],
    ) {
        if word.is_empty() || word.len() > MAX_WORD_BYTES || letters > MAX_MEMO_LETTERS {
            return;
        }
        let slot = &mut self.slots[slot_of(hash)];
        slot.key[..word.len()].copy_from_slice(word);
        // Both fit: checked above against constants far below 256.
        slot.len = word.len() as u8;
        slot.letters = letters as u8;
        for (kept, &sum) in slot.scores.iter_mut().zip(sums) {
            // MAX_MEMO_LETTERS bounds every sum below 2^16.
            *kept = sum.min(u32::from(u16::MAX)) as u16;
        }
    }
}

/// The slot of a word's hash.
fn slot_of(hash: u64) -> usize {
    // The low bits: the hash is FNV-1a, whose low bits mix every byte.
    (hash as usize) & (SLOTS - 1)
}

/// The hash of a word's bytes that picks its slot (FNV-1a).
#[inline]
pub(crate) fn word_hash(word: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in word {
        hash = (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash ^ (hash >> 29)
}

/// Which table a memo's sums come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tier {
    /// The first tier (`hot.bin`), read from bigrams up.
    First,
    /// The full table, read from single letters up.
    Full,
}

thread_local! {
    /// This thread's memos, for the first tier and for the full table.
    static MEMOS: RefCell<[Memo; 2]> = RefCell::new([Memo::new(), Memo::new()]);
}

/// Runs `f` with this thread's memo of `tier`.
pub(crate) fn with_memo<R>(tier: Tier, f: impl FnOnce(&mut Memo) -> R) -> R {
    MEMOS.with(|memos| {
        // Scoring never calls back into itself, so the borrow is always free; were it ever
        // taken, a fresh memo keeps the answer right (only slower).
        match memos.try_borrow_mut() {
            Ok(mut memos) => f(&mut memos[tier as usize]),
            Err(_) => f(&mut Memo::new()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_words_exactly_and_forgets_on_collision() {
        let mut memo = Memo::new();
        let mut sums = [0u32; MAX_LANGUAGES];
        sums[3] = 700;
        sums[9] = 12;
        let hash = word_hash(b"said");
        let mut scores = [0u32; MAX_LANGUAGES];
        assert_eq!(memo.add(b"said", hash, &mut scores), None);
        memo.insert(b"said", hash, 4, &sums);
        assert_eq!(memo.add(b"said", hash, &mut scores), Some(4));
        assert_eq!((scores[3], scores[9], scores[0]), (700, 12, 0));
        // Another word in the same slot is not taken for it.
        assert_eq!(memo.add(b"sail", hash, &mut scores), None);
        // Too long for a slot: not remembered.
        let long = [b'a'; MAX_WORD_BYTES + 1];
        memo.insert(&long, word_hash(&long), 25, &sums);
        assert_eq!(memo.add(&long, word_hash(&long), &mut scores), None);
    }
}
