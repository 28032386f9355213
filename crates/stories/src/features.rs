//! What the tracker keeps of an article: its term, entity and time vectors, the sentences a
//! summary or timeline could use, and its headline. Computed without the tracker's state, so
//! it can run on any thread.

use std::ops::Range;

use chrono::{Datelike, NaiveDate};
use docpipe_date_extract::TimexType;
use docpipe_summarize::{IdfTable, SentenceRole, Terms};
use rustc_hash::{FxHashMap, FxHashSet};
use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::article::Article;
use crate::date::TimelineDate;
use crate::vector::SparseVector;

/// Content words read per article. The lead of a news article carries its who, where and
/// when (the inverted pyramid); the tail adds background that links unrelated events, and
/// reading it would make the cost per article grow with its length.
pub(crate) const MAX_ARTICLE_WORDS: usize = 200;

/// Entries kept of an article's term vector: enough for any centroid it joins.
const ARTICLE_TERMS: usize = 150;

/// Entries kept of an article's entity vector.
const ARTICLE_ENTITIES: usize = 60;

/// Entries kept of a candidate sentence's vector: a sentence has few content words.
pub(crate) const SENTENCE_TERMS: usize = 24;

/// Sentences per article offered to the story's summary: news puts the key facts first.
const SUMMARY_CANDIDATES_PER_ARTICLE: usize = 6;

/// A sentence under this many words cannot stand alone in a summary or a timeline (the
/// summarizer uses the same limit).
const MIN_SENTENCE_WORDS: usize = 6;

/// Dated sentences per article offered to the story's timeline.
const TIMELINE_CANDIDATES_PER_ARTICLE: usize = 12;

/// Key phrases per article offered to the story's keywords.
const KEYWORDS_PER_ARTICLE: usize = 10;

/// Hash seeds that keep the key spaces of terms, entities and dates apart.
const TERM_SEED: u64 = 1;
const ENTITY_SEED: u64 = 2;
const TIME_SEED: u64 = 3;

/// A sentence of an article that a summary or timeline may show.
#[derive(Clone, Debug)]
pub(crate) struct SentenceCandidate {
    /// Index of the article in the story (set when it joins).
    pub article: u32,
    /// Character offsets in the article's text.
    pub start: usize,
    pub end: usize,
    /// Index of the sentence in its article: ties and chronological order.
    pub index: u32,
    pub text: String,
    pub vector: SparseVector,
    /// Similarity to the story when the article joined (the story sets it).
    pub score: f32,
}

/// An article prepared for [`crate::StoryTracker::add_prepared`]: everything the tracker
/// needs of it, owned, so the text can be dropped. With the feature `serde` it can be
/// serialized, to be prepared in one process and added in another (weights travel as bits).
#[derive(Clone, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(
        into = "crate::wire::WireArticle",
        try_from = "crate::wire::WireArticle"
    )
)]
pub struct PreparedArticle {
    pub(crate) id: String,
    pub(crate) outlet: Option<String>,
    pub(crate) published: Option<NaiveDate>,
    pub(crate) duplicate_of: Option<String>,
    /// TF-IDF over stems, unit length.
    pub(crate) terms: SparseVector,
    /// Names and numbers (capitalized words inside sentences, words with digits), unit length.
    pub(crate) entities: SparseVector,
    /// The years and months the article places itself in (its publication date and the
    /// dates it mentions), unit length.
    pub(crate) time: SparseVector,
    /// The title, else the lead sentence; whether it is a title.
    pub(crate) headline: Option<(String, bool)>,
    pub(crate) summary_candidates: Vec<SentenceCandidate>,
    pub(crate) timeline_candidates: Vec<(TimelineDate, SentenceCandidate)>,
    pub(crate) keywords: Vec<String>,
}

impl PreparedArticle {
    /// The article's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Sets the article this one duplicates, as [`Article::duplicate_of`] does: a pipeline
    /// that prepares articles on its workers learns the dedup verdict only later, in input
    /// order, on the thread that calls [`crate::StoryTracker::add_prepared`].
    pub fn set_duplicate_of(&mut self, original: Option<&str>) {
        self.duplicate_of = original.map(str::to_string);
    }
}

/// A sentence as the preparation sees it: its byte span and whether a summary may use it.
struct Sentence {
    span: Range<usize>,
    role: SentenceRole,
}

pub(crate) fn prepare(article: &Article<'_>, idf: &IdfTable) -> PreparedArticle {
    let text = article.text;
    let sentences: Vec<Sentence> = if article.sentences.is_empty() {
        vec![Sentence {
            span: 0..text.len(),
            role: SentenceRole::Body,
        }]
    } else {
        article
            .sentences
            .iter()
            .filter(|s| text.get(s.span.clone()).is_some())
            .map(|s| Sentence {
                span: s.span.clone(),
                role: s.role,
            })
            .collect()
    };
    let terms = Terms::new();
    let title = article.title.map(str::trim).filter(|t| !t.is_empty());

    // Sized for the words read: growing these maps word by word was a tenth of the
    // preparation. (Their order is never seen: vectors are sorted by key.)
    let mut term_counts: FxHashMap<u64, (f32, f32)> =
        FxHashMap::with_capacity_and_hasher(MAX_ARTICLE_WORDS, Default::default());
    let mut entity_counts: FxHashMap<u64, (f32, f32)> =
        FxHashMap::with_capacity_and_hasher(MAX_ARTICLE_WORDS / 4, Default::default());
    // One sentence's weights per key, emptied for each sentence.
    let mut sentence_weights: FxHashMap<u64, f32> = FxHashMap::default();
    // Stems seen capitalized inside a sentence: a sentence's first word counts as a name only
    // when the article writes it capitalized elsewhere too.
    let mut names: FxHashSet<u64> = FxHashSet::default();
    let mut initial_capitals: Vec<(u64, f32)> = Vec::new();
    let mut words_read = 0;
    let mut eligible: Vec<(usize, &Sentence, SparseVector)> = Vec::new();
    let mut char_cursor = CharCursor::new(text);
    let mut char_spans: Vec<(usize, usize)> = Vec::with_capacity(sentences.len());
    for sentence in &sentences {
        char_spans.push(char_cursor.span(sentence.span.clone()));
    }

    // One sentence's words (key, weight, name, number), emptied for each sentence.
    let mut words: Vec<(u64, f32, bool, bool)> = Vec::new();
    for (index, sentence) in sentences.iter().enumerate() {
        if words_read >= MAX_ARTICLE_WORDS {
            break;
        }
        let Some(sentence_text) = text.get(sentence.span.clone()) else {
            continue;
        };
        let is_title = title.is_some_and(|t| sentence_text.trim() == t);
        words.clear();
        let mut first = true;
        terms.for_each(sentence_text, |stem, range| {
            let word = &sentence_text[range];
            let capital = word.chars().next().is_some_and(char::is_uppercase);
            let digit = word.bytes().any(|b| b.is_ascii_digit());
            let key = hash(stem, TERM_SEED);
            // A repeated word's weight is the one already looked up: the IDF table is keyed
            // by string, and its look-ups were a tenth of the stage's time.
            let weight = match term_counts.get(&key) {
                Some(&(_, weight)) => weight,
                None => idf.weight(stem),
            };
            words.push((key, weight, capital && !first, digit));
            if first && capital {
                initial_capitals.push((entity_key(key), weight));
            }
            first = false;
        });
        words_read += words.len();
        // A headline in title case capitalizes every word: its capitals say nothing.
        let capitals = words.iter().filter(|w| w.2).count();
        let title_case = is_title
            || sentence.role == SentenceRole::Heading
            || (words.len() >= 3 && capitals * 10 >= words.len() * 7);
        sentence_weights.clear();
        for &(key, weight, capital, digit) in &words {
            let entry = term_counts.entry(key).or_insert((0.0, weight));
            entry.0 += 1.0;
            *sentence_weights.entry(key).or_insert(0.0) += weight;
            if (capital && !title_case) || digit {
                let entity = entity_counts
                    .entry(entity_key(key))
                    .or_insert((0.0, weight));
                entity.0 += 1.0;
                if capital {
                    names.insert(entity_key(key));
                }
            }
        }
        if !is_title
            && sentence.role == SentenceRole::Body
            && has_words(sentence_text, MIN_SENTENCE_WORDS)
        {
            let mut vector = SparseVector::from_weights(sentence_weights.drain());
            vector.truncate(SENTENCE_TERMS);
            vector.normalize();
            eligible.push((index, sentence, vector));
        }
    }
    for (key, weight) in initial_capitals {
        if names.contains(&key) {
            entity_counts.entry(key).or_insert((0.0, weight)).0 += 1.0;
        }
    }

    // `term_counts` stays: the late sentences below reuse its weights.
    let mut term_vector = tf_idf(&term_counts);
    term_vector.truncate(ARTICLE_TERMS);
    term_vector.normalize();
    let mut entity_vector = tf_idf(&entity_counts);
    entity_vector.truncate(ARTICLE_ENTITIES);
    entity_vector.normalize();

    // When: the publication date counts as much as all the dates the text mentions.
    let mut time: FxHashMap<u64, f32> = FxHashMap::default();
    let mut mentioned: Vec<(TimelineDate, Range<usize>)> = Vec::new();
    let mut placed: Vec<(Option<i32>, Option<u32>)> = Vec::new();
    for timex in article.dates.iter().filter(|t| t.kind == TimexType::Date) {
        if let Some(date) = TimelineDate::from_timex(&timex.value) {
            mentioned.push((date, timex.span.clone()));
        }
        let parts = year_and_month(&timex.value);
        if parts != (None, None) {
            placed.push(parts);
        }
    }
    let mention_weight = 1.0 / placed.len().max(1) as f32;
    for &(year, month) in &placed {
        add_time(&mut time, year, month, mention_weight);
    }
    if let Some(published) = article.published {
        add_time(
            &mut time,
            Some(published.year()),
            Some(published.month()),
            1.0,
        );
    }
    let mut time_vector = SparseVector::from_map(time);
    time_vector.normalize();

    let candidate = |index: usize, vector: &SparseVector| {
        let (start, end) = char_spans[index];
        SentenceCandidate {
            article: 0,
            start,
            end,
            index: index as u32,
            text: text[sentences[index].span.clone()].to_string(),
            vector: vector.clone(),
            score: 0.0,
        }
    };
    let summary_candidates: Vec<SentenceCandidate> = eligible
        .iter()
        .take(SUMMARY_CANDIDATES_PER_ARTICLE)
        .map(|(index, _, vector)| candidate(*index, vector))
        .collect();

    let mut timeline_candidates: Vec<(TimelineDate, SentenceCandidate)> = Vec::new();
    if let (Some(published), Some((index, _, vector))) = (article.published, eligible.first()) {
        timeline_candidates.push((
            TimelineDate::from_date(published),
            candidate(*index, vector),
        ));
    }
    let mut late_vectors: Vec<(usize, SparseVector)> = Vec::new();
    for (date, span) in &mentioned {
        if timeline_candidates.len() >= TIMELINE_CANDIDATES_PER_ARTICLE {
            break;
        }
        if timeline_candidates.iter().any(|(d, _)| d == date) {
            continue;
        }
        let holder = eligible
            .iter()
            .find(|(_, s, _)| s.span.start <= span.start && span.start < s.span.end);
        if let Some((index, _, vector)) = holder {
            timeline_candidates.push((*date, candidate(*index, vector)));
            continue;
        }
        // A date past the words read for the similarity: background ("in August 2021")
        // comes late in an article and is what a timeline is for, so its sentence is read
        // for its vector alone. The similarity vectors stay those of the lead.
        let late = sentences.iter().enumerate().find(|(_, s)| {
            s.span.start <= span.start && span.start < s.span.end && s.role == SentenceRole::Body
        });
        if let Some((index, sentence)) = late {
            // Several dates of one late sentence ("from March to June 2024") read it once.
            if let Some((_, vector)) = late_vectors.iter().find(|(i, _)| *i == index) {
                timeline_candidates.push((*date, candidate(index, vector)));
                continue;
            }
            let Some(sentence_text) = text.get(sentence.span.clone()) else {
                continue;
            };
            let is_title = title.is_some_and(|t| sentence_text.trim() == t);
            if is_title || !has_words(sentence_text, MIN_SENTENCE_WORDS) {
                continue;
            }
            let mut weights: FxHashMap<u64, f32> = FxHashMap::default();
            terms.for_each(sentence_text, |stem, _| {
                let key = hash(stem, TERM_SEED);
                // The same weight as the table's, without its string look-up when the lead
                // used the word.
                let weight = match term_counts.get(&key) {
                    Some(&(_, weight)) => weight,
                    None => idf.weight(stem),
                };
                *weights.entry(key).or_insert(0.0) += weight;
            });
            let mut vector = SparseVector::from_map(weights);
            vector.truncate(SENTENCE_TERMS);
            vector.normalize();
            timeline_candidates.push((*date, candidate(index, &vector)));
            late_vectors.push((index, vector));
        }
    }

    let headline = match title {
        Some(t) => Some((t.to_string(), true)),
        None => eligible
            .first()
            .map(|(_, s, _)| (text[s.span.clone()].trim().to_string(), false)),
    };
    let keywords = article
        .keywords
        .iter()
        .take(KEYWORDS_PER_ARTICLE)
        .map(|k| k.phrase.clone())
        .collect();

    PreparedArticle {
        id: article.id.to_string(),
        outlet: article.outlet.map(str::to_string),
        published: article.published,
        duplicate_of: article.duplicate_of.map(str::to_string),
        terms: term_vector,
        entities: entity_vector,
        time: time_vector,
        headline,
        summary_candidates,
        timeline_candidates,
        keywords,
    }
}

/// A term's key in the entity space, kept apart from the term space.
fn entity_key(term_key: u64) -> u64 {
    term_key ^ ENTITY_SEED.rotate_left(32)
}

/// Sublinear term frequency times IDF: a word repeated ten times is not ten times the topic.
fn tf_idf(counts: &FxHashMap<u64, (f32, f32)>) -> SparseVector {
    SparseVector::from_weights(
        counts
            .iter()
            .map(|(&key, &(count, idf))| (key, (1.0 + count.ln()) * idf)),
    )
}

/// A date counts for its year, its month of that year, and its month of any year: two events
/// of one kind are often years apart, or months apart, and a text that names only a month
/// ("on Dec. 14", unresolved without a publication date) still says when.
fn add_time(time: &mut FxHashMap<u64, f32>, year: Option<i32>, month: Option<u32>, weight: f32) {
    if let Some(year) = year {
        *time
            .entry(hash_number(year as u64, TIME_SEED))
            .or_insert(0.0) += weight;
        if let Some(month) = month {
            let key = hash_number((year as u64) * 100 + month as u64, TIME_SEED + 1);
            *time.entry(key).or_insert(0.0) += weight;
        }
    }
    if let Some(month) = month {
        *time
            .entry(hash_number(month as u64, TIME_SEED + 2))
            .or_insert(0.0) += weight;
    }
}

/// The year and month of a TIMEX3 DATE value, each when known: `2013-09-27` gives both,
/// `XXXX-12-14` only the month, `2008` or `2008-SU` only the year.
fn year_and_month(value: &str) -> (Option<i32>, Option<u32>) {
    let mut parts = value.split('-');
    let year = parts
        .next()
        .filter(|p| p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|p| p.parse().ok());
    let month = parts
        .next()
        .filter(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|p| p.parse().ok())
        .filter(|m| (1..=12).contains(m));
    (year, month)
}

pub(crate) fn hash(text: &str, seed: u64) -> u64 {
    xxh3_64_with_seed(text.as_bytes(), seed)
}

fn hash_number(number: u64, seed: u64) -> u64 {
    xxh3_64_with_seed(&number.to_le_bytes(), seed)
}

/// Whether the text has at least `min` whitespace-separated tokens with a letter or digit
/// (counting stops there: most sentences have many more).
fn has_words(text: &str, min: usize) -> bool {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .take(min)
        .count()
        >= min
}

/// Byte offsets to character offsets, cheapest in ascending order.
struct CharCursor<'a> {
    text: &'a str,
    ascii: bool,
    byte: usize,
    chars: usize,
}

impl<'a> CharCursor<'a> {
    fn new(text: &'a str) -> Self {
        CharCursor {
            text,
            ascii: text.is_ascii(),
            byte: 0,
            chars: 0,
        }
    }

    fn at(&mut self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        if self.ascii {
            return byte;
        }
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self
            .text
            .get(self.byte..byte)
            .map_or(0, |piece| piece.chars().count());
        self.byte = byte;
        self.chars
    }

    fn span(&mut self, range: Range<usize>) -> (usize, usize) {
        let start = self.at(range.start);
        (start, self.at(range.end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_tokens_with_a_letter_or_digit() {
        assert!(has_words("one two 3 four five six", 6));
        assert!(!has_words("one two — – three four five", 6));
        assert!(has_words("anything", 0));
        assert!(!has_words("", 1));
    }
}
