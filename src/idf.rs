//! `docpipe idf`: the IDF table a run over the same inputs would weigh summary terms by, written
//! to a file so that a cluster job can give it to every machine (`docpipe run --idf FILE`).

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use docpipe_ingest::{Ingest, IngestOptions, Item};
use docpipe_summarize::IdfTable;

use crate::sink::AtomicFile;

/// A run with at least this many documents weighs summary terms by IDF from its own first
/// documents (read ahead, this many at most); smaller runs use the shipped English table.
pub const RUN_IDF_DOCUMENTS: usize = 1_000;

/// The read-ahead for the run's IDF also stops at this much text, so that documents far larger
/// than news articles (1,000 of 512 KB held 500 MB) are not all held at once; a run that reaches
/// it is large enough for a table of its own, made from the documents read so far. News never
/// gets near it (1,000 articles are 2 MB).
pub const RUN_IDF_BYTES: usize = 64 * 1024 * 1024;

/// The documents a run's own IDF table is made from, out of its first documents in input
/// order: up to [`RUN_IDF_DOCUMENTS`] of them, fewer when their text reaches [`RUN_IDF_BYTES`]
/// first (the document that reaches it included); and whether there were enough for a table.
/// `docpipe idf` takes the same documents.
pub fn idf_sample<'a>(texts: impl Iterator<Item = &'a str>) -> (Vec<&'a str>, bool) {
    let mut sample = Vec::new();
    let mut bytes = 0;
    for text in texts {
        if sample.len() >= RUN_IDF_DOCUMENTS || bytes >= RUN_IDF_BYTES {
            break;
        }
        bytes += text.len();
        sample.push(text);
    }
    let enough = sample.len() >= RUN_IDF_DOCUMENTS || bytes >= RUN_IDF_BYTES;
    (sample, enough)
}

const IDF_EXAMPLES: &str = "\
Examples:
  docpipe idf dump.jsonl -o idf.tsv            # then: docpipe run part.jsonl --idf idf.tsv
  head -n 5000 dump.jsonl | docpipe idf - --stdin-name dump.jsonl -o idf.tsv";

/// `docpipe idf`: read the first 1,000 documents and write their IDF table.
#[derive(Args, Debug)]
#[command(after_help = IDF_EXAMPLES)]
pub struct IdfArgs {
    /// Files and directories to read, as for `docpipe run`; `-` reads standard input.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Where to write the table. It is written only when the inputs hold at least 1,000
    /// documents: a smaller run uses the shipped table, and so should its parts.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,

    /// JSON field holding the article text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_field: String,

    /// Documents larger than this many bytes are rejected instead of read.
    #[arg(long, default_value_t = 64 * 1024 * 1024, value_name = "BYTES")]
    pub max_document_bytes: usize,

    /// Read standard input as if it were the file NAME (its extension gives the format).
    #[arg(long, value_name = "NAME")]
    pub stdin_name: Option<String>,
}

/// Writes the table if there are enough documents, and prints on standard output how many
/// documents were read (at most 1,000) and whether the table was written, as one JSON object.
pub fn run(args: &IdfArgs) -> anyhow::Result<()> {
    let options = IngestOptions::new()
        .text_field(&args.text_field)
        .max_document_bytes(args.max_document_bytes);
    let options = match &args.stdin_name {
        Some(name) => options.stdin_name(name),
        None => options,
    };
    // The same documents a run's read-ahead takes: every document ingest yields, in input order.
    // At most RUN_IDF_DOCUMENTS, of at most RUN_IDF_BYTES of text; idf_sample picks them.
    let mut bytes = 0;
    let texts: Vec<String> = Ingest::new(&args.inputs, options)?
        .filter_map(|item| match item {
            Item::Document(doc) => Some(doc.text),
            Item::Rejected(_) => None,
        })
        .take_while(|text| {
            let more = bytes < RUN_IDF_BYTES;
            bytes += text.len();
            more
        })
        .take(RUN_IDF_DOCUMENTS)
        .collect();
    let (sample, written) = idf_sample(texts.iter().map(String::as_str));
    if written {
        let table = IdfTable::from_documents(sample);
        let mut file = AtomicFile::create(&args.output)?;
        file.write_all(table.to_tsv().as_bytes())
            .with_context(|| format!("cannot write {}", args.output.display()))?;
        file.finish()?;
    }
    println!(
        "{}",
        serde_json::json!({"documents": texts.len(), "written": written})
    );
    Ok(())
}

/// Reads a table written by `docpipe idf`.
pub fn load(path: &Path) -> anyhow::Result<IdfTable> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the IDF table {}", path.display()))?;
    IdfTable::parse(&text).with_context(|| format!("{} is not an IDF table", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_idf_sample_stops_at_the_document_count_or_the_text_size() {
        let short = vec!["a short text"; 1_500];
        let (sample, enough) = idf_sample(short.iter().copied());
        assert_eq!((sample.len(), enough), (RUN_IDF_DOCUMENTS, true));
        let (sample, enough) = idf_sample(short[..10].iter().copied());
        assert_eq!((sample.len(), enough), (10, false));
        // Documents of 20 MiB: the fourth reaches 64 MiB and is the last one taken.
        let big = "x".repeat(20 << 20);
        let (sample, enough) = idf_sample(std::iter::repeat_n(big.as_str(), 10));
        assert_eq!((sample.len(), enough), (4, true));
    }
}
