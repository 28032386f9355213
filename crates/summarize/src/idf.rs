use rustc_hash::FxHashMap;

use crate::terms::Terms;

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
        Ok(IdfTable { weights, unseen })
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
