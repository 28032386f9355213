use rustc_hash::FxHashMap;

use crate::terms::Terms;

/// The shipped table: `term<TAB>idf x 100` lines, built from the news corpora by
/// `cargo run -p docpipe-summarize --example build_idf` (see the crate README).
const ENGLISH: &str = include_str!("../data/idf_en.tsv");

/// Inverse document frequencies of terms (stems), from a background corpus.
#[derive(Clone, Debug)]
pub struct IdfTable {
    weights: FxHashMap<String, f32>,
    unseen: f32,
}

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
        IdfTable {
            weights,
            unseen: max.max(1.0),
        }
    }

    /// A table computed from the caller's own documents: `idf = ln(N / df)`.
    pub fn from_documents<'a>(documents: impl IntoIterator<Item = &'a str>) -> IdfTable {
        let terms = Terms::new();
        let mut document_frequency: FxHashMap<String, u32> = FxHashMap::default();
        let mut count = 0u32;
        let mut seen: Vec<String> = Vec::new();
        for document in documents {
            count += 1;
            seen.clear();
            terms.for_each(document, |term, _| seen.push(term.to_string()));
            seen.sort_unstable();
            seen.dedup();
            for term in seen.drain(..) {
                *document_frequency.entry(term).or_default() += 1;
            }
        }
        let n = count.max(1) as f32;
        let weights = document_frequency
            .into_iter()
            .map(|(term, df)| (term, (n / df as f32).ln()))
            .collect();
        IdfTable {
            weights,
            unseen: (n + 1.0).ln(),
        }
    }

    /// The weight of a term; terms never seen get the weight of the rarest.
    pub fn weight(&self, term: &str) -> f32 {
        self.weights.get(term).copied().unwrap_or(self.unseen)
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
