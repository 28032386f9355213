//! The detector: a script cascade, then one pass of n-gram look-ups for scripts that several
//! languages share.

use std::sync::OnceLock;

use crate::error::TableError;
use crate::hash::ngram_hash;
use crate::relatives::{second_opinion, Marks, CODES};
use crate::script::{Script, SCRIPTS};
use crate::table::{Table, MAX_LANGUAGES, MAX_ORDER};
use crate::words::{with_memo, word_hash, Memo, Tier, MAX_WORD_BYTES};

/// The compiled model (see `generate/` and the crate README for where it comes from).
static TABLE_BYTES: &[u8] = include_bytes!("../data/ngrams.bin");
/// Its first tier: the same scores for the most frequent n-grams only (400 kB, where the full
/// table is 3.9 MB), tried first. It stays in cache between documents, and it decides most
/// long texts alone; the full table is read only when it leaves the lead small.
static HOT_BYTES: &[u8] = include_bytes!("../data/hot.bin");

/// Scripts that name one language by themselves, for the languages whatlang knows that the
/// n-gram model does not hold. Scripts the model holds one language of (Greek, Thai, …) are
/// found from the table.
const SCRIPT_ONLY: [(Script, &str); 8] = [
    (Script::Kannada, "kan"),
    (Script::Malayalam, "mal"),
    (Script::Oriya, "ori"),
    (Script::Myanmar, "mya"),
    (Script::Sinhala, "sin"),
    (Script::Khmer, "khm"),
    (Script::Ethiopic, "amh"),
    (Script::Kana, "jpn"),
];

/// Share of kana among Han and kana letters from which a text is Japanese: Chinese has none,
/// and Japanese prose writes its particles and endings in kana.
const KANA_SHARE_FOR_JAPANESE: f64 = 0.05;

/// Letters read before the detector may stop early, and the lead (in score units) the best
/// language must have over the second to stop: long texts are decided well before their end.
///
/// News often opens with names in another language ("Centre National des Caisses d'Epargne
/// et ...", "Westdeutsche Landesbank Girozentrale ..."): after 32 letters, 16 of the 21,200
/// English articles of `news_en_combined` that whatlang called English came out French, German
/// or Dutch, 12 of them marked reliable; after 96 letters (about 15 words), 8, 4 reliable, for
/// 0.02 CPU-s more over the 25,169 articles. The dev scores did not move (micro 0.971).
const EARLY_STOP_LETTERS: usize = 96;
/// See [`EARLY_STOP_LETTERS`].
const EARLY_STOP_MARGIN: u32 = 2_000;

/// The score lead at which confidence reaches 1 - 1/e.
const CONFIDENCE_SCALE: f64 = 400.0;

/// What the detector found.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Detection {
    /// ISO 639-3 code as whatlang spells it, `None` when the text has no letters of a known
    /// script.
    pub code: Option<&'static str>,
    /// In `[0, 1]`: 1 when the script alone decides; else grows with the lead of the best
    /// language over the second.
    pub confidence: f64,
    /// The script the text is mostly written in.
    pub script: Option<Script>,
}

impl Detection {
    const NONE: Detection = Detection {
        code: None,
        confidence: 0.0,
        script: None,
    };
}

/// Detects the language of a text. Cheap to build and to clone: the model is parsed once per
/// process and shared.
#[derive(Clone, Debug)]
pub struct Detector {
    table: &'static Table,
    hot: &'static Table,
}

impl Detector {
    /// A detector over the shipped model. Fails only if the shipped table is corrupt, which the
    /// crate's tests rule out.
    pub fn new() -> Result<Detector, TableError> {
        static TABLE: OnceLock<Result<Table, TableError>> = OnceLock::new();
        static HOT: OnceLock<Result<Table, TableError>> = OnceLock::new();
        let table = TABLE
            .get_or_init(|| Table::parse(TABLE_BYTES))
            .as_ref()
            .map_err(Clone::clone)?;
        let hot = HOT
            .get_or_init(|| Table::parse(HOT_BYTES))
            .as_ref()
            .map_err(Clone::clone)?;
        if hot.languages != table.languages {
            return Err(TableError::Tiers);
        }
        Ok(Detector { table, hot })
    }

    /// The languages the detector can answer with.
    pub fn languages(&self) -> Vec<&'static str> {
        let mut codes: Vec<&'static str> = self.table.languages.iter().map(|l| l.code).collect();
        codes.extend(SCRIPT_ONLY.iter().map(|&(_, code)| code));
        codes.extend(CODES);
        codes.sort_unstable();
        codes.dedup();
        codes
    }

    /// The language of `text`.
    pub fn detect(&self, text: &str) -> Detection {
        let mut counts = [0usize; SCRIPTS];
        let mut marks = Marks::default();
        // ASCII letters are Latin: counted byte by byte, the rest one character at a time.
        counts[Script::Latin as usize] = text.bytes().filter(u8::is_ascii_alphabetic).count();
        if !text.is_ascii() {
            for c in text.chars().filter(|c| !c.is_ascii()) {
                if let Some(script) = Script::of(c) {
                    counts[script as usize] += 1;
                }
                marks.count(c);
            }
        }
        let letters: usize = counts.iter().sum();
        let found = self.first_opinion(text, &counts, letters);
        let (Some(guess), Some(script)) = (found.code, found.script) else {
            return found;
        };
        let share = counts[script as usize] as f64 / letters.max(1) as f64;
        match second_opinion(text, script, guess, letters, share, marks) {
            Some(switch) => Detection {
                code: Some(switch.code),
                confidence: switch.confidence,
                script: Some(script),
            },
            None => found,
        }
    }

    /// The answer of the script cascade and the n-gram model, over the 64 languages they know.
    fn first_opinion(&self, text: &str, counts: &[usize; SCRIPTS], letters: usize) -> Detection {
        if letters == 0 {
            return Detection::NONE;
        }
        let mut script = Script::Latin;
        for (id, &count) in counts.iter().enumerate() {
            if count > counts[script as usize] {
                script = Script::from_id(id as u8).unwrap_or(Script::Latin);
            }
        }
        let han = counts[Script::Han as usize];
        let kana = counts[Script::Kana as usize];
        // Japanese mixes kanji and kana: the two count as one script for the decision.
        if (script == Script::Han || script == Script::Kana)
            && kana as f64 >= (han + kana) as f64 * KANA_SHARE_FOR_JAPANESE
        {
            script = Script::Kana;
        }
        let in_script = match script {
            Script::Kana | Script::Han => han + kana,
            _ => counts[script as usize],
        };
        let share = in_script as f64 / letters as f64;
        if let Some(&(_, code)) = SCRIPT_ONLY.iter().find(|(s, _)| *s == script) {
            return Detection {
                code: Some(code),
                confidence: share,
                script: Some(script),
            };
        }
        let mut candidates = [false; MAX_LANGUAGES];
        let mut first = None;
        let mut count = 0;
        for (index, language) in self.table.languages.iter().enumerate() {
            let fits = language.script == script
                || (script == Script::Han && language.script == Script::Kana);
            if fits {
                candidates[index] = true;
                first.get_or_insert(index);
                count += 1;
            }
        }
        let Some(first) = first else {
            return Detection {
                code: None,
                confidence: 0.0,
                script: Some(script),
            };
        };
        if count == 1 {
            return Detection {
                code: Some(self.table.languages[first].code),
                confidence: share,
                script: Some(script),
            };
        }
        let scores = match score(self.hot, Tier::First, text, &candidates) {
            (scores, true) => scores,
            (_, false) => score(self.table, Tier::Full, text, &candidates).0,
        };
        let (best, lead) = best_two(&scores, &candidates);
        Detection {
            code: Some(self.table.languages[best].code),
            confidence: 1.0 - (-f64::from(lead) / CONFIDENCE_SCALE).exp(),
            script: Some(script),
        }
    }
}

/// Sums, per language, the scores of the text's n-grams: one table look-up per n-gram,
/// adding only the languages that have it, or one memo look-up per word already seen on this
/// thread. Stops at a word's end once one language leads clearly. The flag says whether it
/// stopped so, i.e. whether the text is decided.
fn score(
    table: &Table,
    tier: Tier,
    text: &str,
    candidates: &[bool; MAX_LANGUAGES],
) -> ([u32; MAX_LANGUAGES], bool) {
    let min_order = match tier {
        Tier::First => HOT_MIN_ORDER,
        Tier::Full => 1,
    };
    with_memo(tier, |memo| {
        let mut scores = [0u32; MAX_LANGUAGES];
        let mut letters = 0usize;
        for (word, ended) in Words::new(text) {
            letters += score_word(table, memo, word, min_order, &mut scores);
            // Only a word the text goes on after may stop it: a text that ends while still
            // undecided on the first tier is read again on the full table.
            if ended
                && letters >= EARLY_STOP_LETTERS
                && best_two(&scores, candidates).1 >= EARLY_STOP_MARGIN
            {
                return (scores, true);
            }
        }
        (scores, false)
    })
}

/// Adds what `word` scores to `scores`, from the memo when it holds the word, and returns
/// its count of lower-cased letters.
fn score_word(
    table: &Table,
    memo: &mut Memo,
    word: &str,
    min_order: usize,
    scores: &mut [u32; MAX_LANGUAGES],
) -> usize {
    let bytes = word.as_bytes();
    let hash = (bytes.len() <= MAX_WORD_BYTES).then(|| word_hash(bytes));
    if let Some(hash) = hash {
        if let Some(letters) = memo.add(bytes, hash, scores) {
            return letters;
        }
    }
    let mut sums = [0u32; MAX_LANGUAGES];
    let mut window = ['\0'; MAX_ORDER];
    let mut batch = Batch::default();
    let mut letters = 0usize;
    for c in word.chars() {
        let mut lower = |lower: char| {
            window.copy_within(1.., 0);
            window[MAX_ORDER - 1] = lower;
            letters += 1;
            if batch.len + MAX_ORDER > BATCH {
                flush(table, &mut batch, &mut sums);
            }
            for order in min_order..=letters.min(MAX_ORDER) {
                batch.hashes[batch.len] = ngram_hash(&window[MAX_ORDER - order..]);
                batch.len += 1;
            }
        };
        if c.is_ascii() {
            lower(c.to_ascii_lowercase());
        } else {
            c.to_lowercase().for_each(&mut lower);
        }
    }
    flush(table, &mut batch, &mut sums);
    for (total, &sum) in scores.iter_mut().zip(&sums) {
        *total += sum;
    }
    if let Some(hash) = hash {
        memo.insert(bytes, hash, letters, &sums);
    }
    letters
}

/// Whether `c` belongs to a word: a letter of a known script, a vowel sign or virama of one,
/// or any other alphabetic character.
#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        Script::of(c).is_some() || c.is_alphabetic()
    }
}

/// The words of a text: its maximal runs of [`is_word_char`] characters, each with whether
/// another character follows it.
struct Words<'a> {
    rest: &'a str,
}

impl<'a> Words<'a> {
    fn new(text: &'a str) -> Self {
        Words { rest: text }
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = (&'a str, bool);

    fn next(&mut self) -> Option<(&'a str, bool)> {
        let start = self.rest.find(is_word_char)?;
        let from_start = &self.rest[start..];
        let len = from_start
            .find(|c: char| !is_word_char(c))
            .unwrap_or(from_start.len());
        let (word, rest) = from_start.split_at(len);
        self.rest = rest;
        Some((word, !rest.is_empty()))
    }
}

/// Adds the rows of a batch of n-grams: first every bucket, then every row, so that the
/// cache misses of one batch overlap instead of coming one after the other (the table is
/// several MB, and the pipeline's other stages push it out of cache between documents).
fn flush(table: &Table, batch: &mut Batch, scores: &mut [u32; MAX_LANGUAGES]) {
    let hashes = &batch.hashes[..batch.len];
    let mut buckets: [&'static [u8]; BATCH] = [&[]; BATCH];
    for (bucket, &hash) in buckets.iter_mut().zip(hashes) {
        *bucket = table.bucket_of(hash);
    }
    for (&bucket, &hash) in buckets.iter().zip(hashes) {
        if let Some(row) = table.row_in(bucket, hash) {
            for entry in row.chunks_exact(2) {
                // `Table::parse` checked every language index; the mask (MAX_LANGUAGES is a
                // power of two) only lets the compiler drop the bounds check of this, the
                // hottest loop of the stage: 0.37 -> 0.31 s over news_en_combined (best of 5).
                scores[usize::from(entry[0]) % MAX_LANGUAGES] += u32::from(entry[1]);
            }
        }
    }
    batch.len = 0;
}

/// The shortest n-gram the first tier looks up. Single letters are the longest rows of the
/// table (nearly every language of a script has them) and the weakest evidence: leaving them
/// to the full pass, which still reads every order, cut the stage's time by about a sixth
/// (0.307 -> 0.260 s over news_en_combined's 25,169 articles, best of 5) and changed no
/// language there; on the langid dev split, one of 18,083 items of the four fifths the choice
/// was made on went wrong, none of the 4,455 held-out ones changed. Skipping bigrams too was
/// faster again (0.233 s) but called 6 English articles that open with French or German names
/// French or German.
const HOT_MIN_ORDER: usize = 2;

// The mask in `flush` keeps every index only if this holds.
const _: () = assert!(MAX_LANGUAGES.is_power_of_two());

/// N-gram hashes waiting to be looked up: a word's, or 64 at most.
const BATCH: usize = 64;

/// See [`BATCH`].
struct Batch {
    hashes: [u64; BATCH],
    len: usize,
}

impl Default for Batch {
    fn default() -> Self {
        Batch {
            hashes: [0; BATCH],
            len: 0,
        }
    }
}

/// The best candidate and its lead over the second best candidate.
fn best_two(scores: &[u32; MAX_LANGUAGES], candidates: &[bool; MAX_LANGUAGES]) -> (usize, u32) {
    let mut best = None::<usize>;
    let mut second = None::<u32>;
    for (index, &score) in scores.iter().enumerate() {
        if !candidates[index] {
            continue;
        }
        match best {
            Some(b) if score <= scores[b] => second = second.max(Some(score)),
            Some(b) => {
                second = Some(scores[b]);
                best = Some(index);
            }
            None => best = Some(index),
        }
    }
    let best = best.unwrap_or(0);
    (best, scores[best] - second.unwrap_or(0))
}
