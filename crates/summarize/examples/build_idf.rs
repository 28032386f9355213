//! Builds `data/idf_en.tsv`, the English IDF table shipped with the crate, from a JSON Lines
//! news corpus (gzip or not) with a `text` field:
//!
//!     cargo run --release -p docpipe-summarize --example build_idf -- \
//!         ../shared/corpora/news_en_combined/news_en_combined.jsonl.gz crates/summarize/data/idf_en.tsv
//!
//! Only term statistics are written (stem, IDF x 100), never text. Terms seen in fewer than
//! MIN_DOCUMENTS documents are left out (they fall back to the rarest weight), as are all but
//! the MAX_TERMS most frequent, to keep the table small.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};

use docpipe_summarize::Terms;

const MIN_DOCUMENTS: u32 = 3;
const MAX_TERMS: usize = 30_000;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (input, output) = match (args.get(1), args.get(2)) {
        (Some(input), Some(output)) => (input, output),
        _ => return Err("usage: build_idf CORPUS.jsonl[.gz] OUT.tsv".into()),
    };
    let file = std::fs::File::open(input)?;
    let reader: Box<dyn Read> = if input.ends_with(".gz") {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let terms = Terms::new();
    let mut document_frequency: HashMap<String, u32> = HashMap::new();
    let mut documents = 0u32;
    for line in BufReader::new(reader).lines() {
        let value: serde_json::Value = serde_json::from_str(&line?)?;
        let Some(text) = value.get("text").and_then(|t| t.as_str()) else {
            continue;
        };
        documents += 1;
        let mut seen: Vec<String> = Vec::new();
        terms.for_each(text, |term, _| seen.push(term.to_string()));
        seen.sort_unstable();
        seen.dedup();
        for term in seen {
            *document_frequency.entry(term).or_default() += 1;
        }
    }
    let mut rows: Vec<(String, u32)> = document_frequency
        .into_iter()
        .filter(|(_, df)| *df >= MIN_DOCUMENTS)
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows.truncate(MAX_TERMS);
    rows.sort();
    let mut out = std::io::BufWriter::new(std::fs::File::create(output)?);
    for (term, df) in &rows {
        let idf = (documents as f64 / *df as f64).ln();
        writeln!(out, "{term}\t{}", (idf * 100.0).round() as u32)?;
    }
    eprintln!(
        "{} terms from {documents} documents written to {output}",
        rows.len()
    );
    Ok(())
}
