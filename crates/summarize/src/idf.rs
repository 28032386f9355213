use std::sync::atomic::{AtomicU64, Ordering};

use rustc_hash::FxHashMap;

use crate::terms::content_words;
use crate::vocabulary::{self, hash};

/// The shipped table: `term<TAB>idf x 100` lines, built from the news corpora by
/// `cargo run -p docpipe-summarize --example build_idf` (see the crate README).
const ENGLISH: &str = include_str!("../data/idf_en.tsv");

/// First line of a table written by [`IdfTable::to_tsv`]: the weight of unseen terms.
const UNSEEN_HEADER: &str = "#unseen";

/// A table file could not be read: which line, and why.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("line {line}: {message}")]
pub struct IdfParseError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

fn parse_weight(value: &str, line: usize) -> Result<f32, IdfParseError> {
    match value.parse::<f32>() {
        Ok(weight) if weight.is_finite() => Ok(weight),
        _ => Err(IdfParseError {
            line,
            message: format!("{value:?} is not a weight"),
        }),
    }
}

/// Inverse document frequencies of terms (stems), from a background corpus.
#[derive(Clone, Debug)]
pub struct IdfTable {
    /// By term, for writing the table out.
    weights: FxHashMap<String, f32>,
    /// By the hash of the term (see the vocabulary), for looking weights up.
    by_hash: FxHashMap<u64, f32>,
    unseen: f32,
    /// Tells tables apart in the threads' caches of weights; a clone has the same weights and
    /// keeps it.
    id: u64,
}

/// The identity of the next table made (0 is no table).
static NEXT_TABLE: AtomicU64 = AtomicU64::new(1);

impl IdfTable {
    /// The English table shipped with the crate, built from about 25,000 news articles.
    pub fn english() -> IdfTable {
        let mut weights = FxHashMap::default();
        let mut max = 0.0f32;
        for line in ENGLISH.lines() {
            let Some((term, value)) = line.split_once('\t') else {
                continue;
            };
            let Ok(hundredths) = value.parse::<u32>() else {
                continue;
            };
            let idf = hundredths as f32 / 100.0;
            max = max.max(idf);
            weights.insert(term.to_string(), idf);
        }
        IdfTable::new(weights, max.max(1.0))
    }

    fn new(weights: FxHashMap<String, f32>, unseen: f32) -> IdfTable {
        let by_hash = weights
            .iter()
            .map(|(term, &weight)| (hash(term.as_bytes()), weight))
            .collect();
        IdfTable {
            weights,
            by_hash,
            unseen,
            id: NEXT_TABLE.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// A table computed from the caller's own documents: `idf = ln(N / df)`.
    pub fn from_documents<'a>(documents: impl IntoIterator<Item = &'a str>) -> IdfTable {
        // By stem hash: the document frequency and the stem.
        let mut document_frequency: FxHashMap<u64, (u32, Box<str>)> = FxHashMap::default();
        let mut count = 0u32;
        let mut seen: Vec<u32> = Vec::new();
        for document in documents {
            count += 1;
            vocabulary::with(|vocabulary| {
                seen.clear();
                content_words(vocabulary, document, |_, stem, _, _| seen.push(stem));
                seen.sort_unstable();
                seen.dedup();
                for &stem in &seen {
                    document_frequency
                        .entry(vocabulary.stem_hash(stem))
                        .or_insert_with(|| (0, vocabulary.stem(stem).into()))
                        .0 += 1;
                }
            });
        }
        let n = count.max(1) as f32;
        let weights = document_frequency
            .into_values()
            .map(|(df, term)| (term.into(), (n / df as f32).ln()))
            .collect();
        IdfTable::new(weights, (n + 1.0).ln())
    }

    /// The table as text that [`IdfTable::parse`] reads back exactly: a first line
    /// `#unseen<TAB>weight`, then `term<TAB>weight` lines sorted by term. Weights are written in
    /// full precision (the shortest form that parses back to the same `f32`), unlike the shipped
    /// table's hundredths, so that a table computed once can be shipped to other machines and
    /// give the same summaries there.
    pub fn to_tsv(&self) -> String {
        let mut terms: Vec<(&String, &f32)> = self.weights.iter().collect();
        terms.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut out = format!("{UNSEEN_HEADER}\t{}\n", self.unseen);
        for (term, weight) in terms {
            out.push_str(term);
            out.push('\t');
            out.push_str(&weight.to_string());
            out.push('\n');
        }
        out
    }

    /// Reads a table written by [`IdfTable::to_tsv`].
    pub fn parse(text: &str) -> Result<IdfTable, IdfParseError> {
        let mut lines = text.lines().enumerate();
        let unseen = match lines.next() {
            Some((_, line)) => match line.split_once('\t') {
                Some((UNSEEN_HEADER, value)) => parse_weight(value, 1)?,
                _ => {
                    return Err(IdfParseError {
                        line: 1,
                        message: format!("expected `{UNSEEN_HEADER}<TAB>weight`"),
                    })
                }
            },
            None => {
                return Err(IdfParseError {
                    line: 1,
                    message: "the table is empty".to_string(),
                })
            }
        };
        let mut weights = FxHashMap::default();
        for (index, line) in lines {
            let Some((term, value)) = line.split_once('\t') else {
                return Err(IdfParseError {
                    line: index + 1,
                    message: "expected `term<TAB>weight`".to_string(),
                });
            };
            weights.insert(term.to_string(), parse_weight(value, index + 1)?);
        }
        Ok(IdfTable::new(weights, unseen))
    }

    /// The weight of a term; terms never seen get the weight of the rarest.
    pub fn weight(&self, term: &str) -> f32 {
        self.weight_of_hash(hash(term.as_bytes()))
    }

    /// The weight of the term of this hash.
    pub(crate) fn weight_of_hash(&self, term_hash: u64) -> f32 {
        self.by_hash.get(&term_hash).copied().unwrap_or(self.unseen)
    }

    /// An identity shared only by tables of the same weights.
    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    /// Number of terms in the table.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// True for a table with no terms.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_written_as_tsv_reads_back_exactly() {
        let documents = [
            "Rain flooded the northern valley on Sunday.",
            "The council met on Monday to discuss the valley floods.",
            "Wheat prices rose for a third week.",
        ];
        let table = IdfTable::from_documents(documents);
        let back = IdfTable::parse(&table.to_tsv()).unwrap();
        assert_eq!(back.len(), table.len());
        assert_eq!(back.unseen.to_bits(), table.unseen.to_bits());
        for (term, weight) in &table.weights {
            assert_eq!(back.weight(term).to_bits(), weight.to_bits(), "{term}");
        }
    }

    #[test]
    fn a_malformed_table_names_the_line() {
        let err = IdfTable::parse("#unseen\t2.5\nvalley\t1.1\nrain 0.4\n").unwrap_err();
        assert_eq!(err.line, 3);
        let err = IdfTable::parse("valley\t1.1\n").unwrap_err();
        assert_eq!(err.line, 1);
        assert!(IdfTable::parse("#unseen\tNaN\n").is_err());
    }
}
