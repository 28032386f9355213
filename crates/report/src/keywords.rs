//! Key phrases counted in bounded memory by lossy counting (Manku and Motwani, "Approximate
//! Frequency Counts over Data Streams", VLDB 2002): the stream is cut into buckets of
//! [`KEYWORD_BUCKET`] phrases, and at the end of each bucket the phrases too rare to reach the
//! top are forgotten. A count is never above the truth and at most `seen / KEYWORD_BUCKET`
//! below it; a run of fewer phrases than one bucket is counted exactly.

use std::collections::HashMap;

/// Key phrases a report keeps and shows.
pub const TOP_KEYWORDS: usize = 25;

/// Phrases per bucket. Records carry up to 10 key phrases, so about 50,000 records are
/// counted exactly; past that the table keeps about this many phrases per doubling of the
/// stream, a few hundred megabytes at worst, and usually far less (phrase frequencies fall
/// off steeply).
pub const KEYWORD_BUCKET: u64 = 1 << 19;

/// Counts of phrases over a stream, the rarest forgotten as it goes.
#[derive(Debug, Default)]
pub struct LossyCounter {
    /// Phrase to (count since it was last inserted, the most it may have missed before).
    counts: HashMap<String, (u64, u64)>,
    seen: u64,
    /// Whether a prune ever forgot a phrase: until then every count is exact.
    forgot: bool,
}

impl LossyCounter {
    /// Counts one occurrence of `phrase`.
    pub fn add(&mut self, phrase: &str) {
        self.seen += 1;
        let bucket = self.seen.div_ceil(KEYWORD_BUCKET);
        match self.counts.get_mut(phrase) {
            Some((count, _)) => *count += 1,
            None => {
                self.counts.insert(phrase.to_string(), (1, bucket - 1));
            }
        }
        if self.seen.is_multiple_of(KEYWORD_BUCKET) {
            let before = self.counts.len();
            self.counts
                .retain(|_, (count, missed)| *count + *missed > bucket);
            self.forgot |= self.counts.len() < before;
        }
    }

    /// The `limit` most frequent phrases, most first (ties in phrase order).
    pub fn top(&self, limit: usize) -> Vec<(String, u64)> {
        let mut all: Vec<(&String, u64)> = self
            .counts
            .iter()
            .map(|(phrase, (count, _))| (phrase, *count))
            .collect();
        all.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        all.into_iter()
            .take(limit)
            .map(|(phrase, count)| (phrase.clone(), count))
            .collect()
    }

    /// How far below the truth a count may be: 0 while every count is exact.
    pub fn max_error(&self) -> u64 {
        if self.forgot {
            self.seen / KEYWORD_BUCKET
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_stream_is_counted_exactly() {
        let mut counter = LossyCounter::default();
        for phrase in ["b", "a", "b", "c", "b", "a"] {
            counter.add(phrase);
        }
        assert_eq!(counter.top(2), [("b".to_string(), 3), ("a".to_string(), 2)]);
        assert_eq!(counter.max_error(), 0);
    }

    #[test]
    fn a_long_stream_forgets_rare_phrases_and_keeps_frequent_ones_within_the_bound() {
        let mut counter = LossyCounter::default();
        let total = KEYWORD_BUCKET * 3;
        // One phrase in four is "common"; the rest are all different.
        for index in 0..total {
            if index % 4 == 0 {
                counter.add("common");
            } else {
                counter.add(&format!("rare {index}"));
            }
        }
        let top = counter.top(1);
        let truth = total / 4;
        assert_eq!(top[0].0, "common");
        assert!(top[0].1 <= truth && truth - top[0].1 <= counter.max_error());
        assert_eq!(counter.max_error(), 3);
        assert!(counter.counts.len() < KEYWORD_BUCKET as usize * 2);
    }
}
