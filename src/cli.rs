//! Command-line arguments of `docpipe run`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use docpipe_normalize::NormalForm;
use docpipe_pipeline::PipelineConfig;
use docpipe_stories::StoryTracker;
use docpipe_summarize::IdfTable;

use crate::usage::UsageError;

pub use docpipe_pipeline::Stage;

/// How the records are written (`--format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    /// One JSON object a line.
    Jsonl,
    /// Apache Parquet, one row per record (the README's "Output formats").
    Parquet,
}

impl OutputFormat {
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Jsonl => "jsonl",
            OutputFormat::Parquet => "parquet",
        }
    }
}

const RUN_EXAMPLES: &str = "\
Examples:
  docpipe run corpus/                          # writes output/corpus.jsonl
  docpipe run dump.jsonl.gz -o clean.jsonl --drop-duplicates
  docpipe run articles/ --text-field body --id-field url --threads 2
  docpipe run crawl.warc.gz pages/               # WARC records and HTML files
  docpipe run pages.jsonl --html-field html      # JSON Lines with the page in a field
  cat dump.jsonl | docpipe run - -o - --stages normalize,lang > out.jsonl
  docpipe run dump.jsonl.gz -o clean.parquet    # Parquet; side files stay JSON Lines
  docpipe run dump.jsonl.gz --stats             # per-stage throughput on stderr";

/// `docpipe run`: read inputs, run the chosen stages, write one JSON record per document.
#[derive(Args, Debug, Clone, serde::Serialize)]
#[command(after_help = RUN_EXAMPLES)]
pub struct RunArgs {
    /// Files and directories to read (directories are walked recursively, in sorted order);
    /// `-` reads standard input. Text, Markdown, JSON Lines, JSON arrays, HTML pages, WARC
    /// crawls, CSV/TSV (by name: `.csv`, `.tsv`), Parquet (files only); gzip or zstd.
    #[arg(required = true, value_name = "INPUT")]
    #[serde(serialize_with = "paths_exactly")]
    pub inputs: Vec<PathBuf>,

    /// Output file (JSON Lines, or Parquet when it ends in `.parquet`); `-` writes JSON Lines
    /// to standard output. [default: output/NAME.jsonl, NAME being the first input's name]
    #[arg(short, long, value_name = "FILE")]
    #[serde(serialize_with = "optional_path_exactly")]
    pub output: Option<PathBuf>,

    /// Format of the records [default: parquet for an output ending in `.parquet`, else
    /// jsonl]. Parquet needs an output file (not standard output or a FIFO); the side files
    /// (rejects, duplicates, stats) stay JSON.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<OutputFormat>,

    /// Threads [default: all cores]. With 1, reading, processing and writing take turns on one
    /// thread; with more, that many workers process documents while a reader thread
    /// decompresses the input and a writer thread writes. The output is the same for every
    /// value.
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,

    /// Stages to run after ingest, comma-separated [default: all].
    #[arg(long, value_enum, value_delimiter = ',', value_name = "STAGE,...")]
    pub stages: Option<Vec<Stage>>,

    /// JSON field (CSV or Parquet column) holding the article text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_field: String,

    /// JSON field (CSV or Parquet column) holding the document id.
    #[arg(long, default_value = "id", value_name = "NAME")]
    pub id_field: String,

    /// JSON field (CSV or Parquet column) holding the title.
    #[arg(long, default_value = "title", value_name = "NAME")]
    pub title_field: String,

    /// JSON field (CSV or Parquet column) holding the publication date.
    #[arg(long, default_value = "date", value_name = "NAME")]
    pub date_field: String,

    /// JSON field (CSV or Parquet column) holding an HTML page instead of a text: the page's
    /// main text and metadata are extracted, and the object's `url` field, if any, is the page
    /// URL.
    #[arg(long, value_name = "NAME")]
    pub html_field: Option<String>,

    /// Documents larger than this many bytes are rejected instead of read (for HTML pages and
    /// WARC records, the HTML as fetched, after HTTP decoding; for CSV, the row; for Parquet,
    /// the text value).
    #[arg(long, default_value_t = 64 * 1024 * 1024, value_name = "BYTES")]
    pub max_document_bytes: usize,

    /// Leave sentences out of the records (`sentences` is null) and do not split the text into
    /// sentences unless the summarize stage needs them: sentence splitting is the largest cost
    /// of `--stages normalize,dedup`. Blocks are still found.
    #[arg(long)]
    pub no_sentences: bool,

    /// Use NFKC instead of NFC.
    #[arg(long)]
    pub nfkc: bool,

    /// Publication date for documents whose metadata and dateline give none (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub reference_date: Option<String>,

    /// Read numeric dates as day/month (18/03/2024) instead of US month/day.
    #[arg(long)]
    pub day_first: bool,

    /// Leave duplicates out of the output and list them in `<name>.duplicates.jsonl`.
    #[arg(long)]
    pub drop_duplicates: bool,

    /// Also write each document's dedup fingerprint and LSH band keys, in input order, as JSON
    /// Lines (`{id, exact, bands, fingerprint}`, hex): the input of a cluster job that groups
    /// documents by band key.
    #[arg(long, value_name = "FILE")]
    #[serde(serialize_with = "optional_path_exactly")]
    pub signatures: Option<PathBuf>,

    /// Also write, for each document that gets a record, what the story tracker takes of it
    /// (JSON Lines, in input order; weights as the bits of their floats): the input of
    /// `docpipe stories`, which a cluster job runs over the documents of every machine in
    /// input order (see spark/README.md). Needs the stories stage.
    #[arg(long, value_name = "FILE")]
    #[serde(
        serialize_with = "optional_path_exactly",
        skip_serializing_if = "Option::is_none"
    )]
    pub story_inputs: Option<PathBuf>,

    /// Read standard input (`-`) as if it were the file NAME: its extension gives the format,
    /// and ids and sources are named after it. For a cluster job that pipes part of a file
    /// through the binary (see spark/README.md).
    #[arg(long, value_name = "NAME")]
    pub stdin_name: Option<String>,

    /// Number of the first line (JSON Lines) or element (JSON array) of standard input, for
    /// sources and default ids when standard input starts further into a file.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub stdin_first_line: u64,

    /// Byte offset in its file of the first byte of standard input, for sources (`path@OFFSET`)
    /// when a WARC is piped from a record boundary further into it.
    #[arg(long, default_value_t = 0, value_name = "BYTES")]
    pub stdin_first_offset: u64,

    /// Weigh summary terms by the IDF table in FILE, written by `docpipe idf`, instead of the
    /// run's own first 1,000 documents (or the shipped table for smaller runs): every part of a
    /// dump split across machines then gets the weights of a run over the whole dump.
    #[arg(long, value_name = "FILE")]
    #[serde(serialize_with = "optional_path_exactly")]
    pub idf: Option<PathBuf>,

    /// Sentences per summary.
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub summary_sentences: usize,

    /// Keywords per document.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub keywords: usize,

    /// The story tracker's options (shared with `docpipe stories`).
    #[command(flatten)]
    #[serde(flatten)]
    pub stories: StoryOptions,

    /// Documents handed to the workers at a time (bounds memory).
    #[arg(long, default_value_t = 512, value_name = "N")]
    pub batch_size: usize,

    /// Go on from where an interrupted run of the same command stopped: input files it had
    /// finished are not written again (only re-read to rebuild the dedup index, and with the
    /// stories stage processed again to rebuild the story tracker), its `.partial` outputs are
    /// cut back to its last checkpoint and continued. Without a journal
    /// (`<name>.progress.json` beside the output) the run starts from the beginning.
    #[arg(long)]
    pub resume: bool,

    /// Print time and throughput per stage at the end.
    #[arg(long)]
    pub stats: bool,

    /// No progress bar and no summary line. The bar (bytes read of the inputs' total, documents
    /// per second, time left) is drawn only when standard error is a terminal; a spinner stands
    /// in for it when the total is unknown (standard input, a FIFO).
    #[arg(short, long)]
    pub quiet: bool,
}

/// The story tracker's options, the same in `docpipe run` and `docpipe stories` (which must
/// put articles in the stories `run` would).
#[derive(Args, Debug, Clone, serde::Serialize)]
pub struct StoryOptions {
    /// Stories: close a story that no article joined for this many articles.
    #[arg(long, default_value_t = docpipe_stories::DEFAULT_WINDOW_ARTICLES, value_name = "N")]
    pub story_window_articles: usize,

    /// Stories: close a dated story once the stream's dates are this many days past its last
    /// article (and at least 1,000 articles have passed since).
    #[arg(long, default_value_t = docpipe_stories::DEFAULT_WINDOW_DAYS, value_name = "DAYS")]
    pub story_window_days: u32,

    /// Stories: sentences in a story's summary.
    #[arg(long, default_value_t = docpipe_stories::DEFAULT_SUMMARY_SENTENCES, value_name = "N")]
    pub story_summary_sentences: usize,

    /// Stories: most entries in a story's timeline.
    #[arg(long, default_value_t = docpipe_stories::DEFAULT_TIMELINE_ENTRIES, value_name = "N")]
    pub story_timeline_entries: usize,
}

impl StoryOptions {
    /// A tracker with these options, weighing terms by `idf` (the summarizer's table).
    pub fn tracker(&self, idf: IdfTable) -> Result<StoryTracker, UsageError> {
        StoryTracker::builder()
            .idf(idf)
            .window_articles(self.story_window_articles)
            .window_days(self.story_window_days)
            .summary_sentences(self.story_summary_sentences)
            .timeline_entries(self.story_timeline_entries)
            .build()
            .map_err(|err| UsageError(format!("stories: {err}")))
    }
}

impl RunArgs {
    /// The pipeline's options, from the command line's.
    pub fn pipeline_config(&self) -> anyhow::Result<PipelineConfig> {
        let reference_date = match &self.reference_date {
            Some(text) => match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(date) => Some(date),
                Err(err) => anyhow::bail!(UsageError(format!(
                    "--reference-date {text:?} is not a date as YYYY-MM-DD ({err})"
                ))),
            },
            None => None,
        };
        let config = PipelineConfig::default()
            .normal_form(if self.nfkc {
                NormalForm::Nfkc
            } else {
                NormalForm::Nfc
            })
            .day_first(self.day_first)
            .summary_sentences(self.summary_sentences)
            .keywords(self.keywords)
            .sentences(!self.no_sentences)
            .reference_date(reference_date);
        Ok(match &self.stages {
            Some(stages) => config.stages(stages.iter().copied()),
            None => config,
        })
    }

    /// The options that decide what a run writes, as JSON: a journal only resumes a run that
    /// had the same. Every option is in it but those that never change the output.
    pub fn journal_key(&self) -> anyhow::Result<serde_json::Value> {
        let mut key = self.clone();
        key.threads = None;
        key.batch_size = 0;
        key.stats = false;
        key.quiet = false;
        key.resume = false;
        Ok(serde_json::to_value(&key)?)
    }
}

/// A path as its string, or as its bytes when it is not UTF-8 (which JSON strings cannot
/// hold), so that two paths are the same in the journal only when they are the same path.
fn path_exactly<S: serde::Serializer>(
    path: &std::path::Path,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match path.to_str() {
        Some(text) => serializer.serialize_str(text),
        None => serializer.collect_seq(path.as_os_str().as_encoded_bytes()),
    }
}

fn paths_exactly<S: serde::Serializer>(
    paths: &[PathBuf],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    struct Exactly<'a>(&'a std::path::Path);
    impl serde::Serialize for Exactly<'_> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            path_exactly(self.0, serializer)
        }
    }
    serializer.collect_seq(paths.iter().map(|path| Exactly(path)))
}

fn optional_path_exactly<S: serde::Serializer>(
    path: &Option<PathBuf>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match path {
        Some(path) => path_exactly(path, serializer),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Command {
        #[command(flatten)]
        run: RunArgs,
    }

    fn key(argv: &[&str]) -> serde_json::Value {
        let mut full = vec!["docpipe"];
        full.extend_from_slice(argv);
        Command::parse_from(full).run.journal_key().unwrap()
    }

    #[test]
    fn the_journal_key_holds_what_changes_the_output_and_nothing_else() {
        assert_eq!(
            key(&["a.jsonl", "-j", "2", "--batch-size", "7", "-q"]),
            key(&["a.jsonl"])
        );
        assert_ne!(
            key(&["a.jsonl", "--stages", "normalize"]),
            key(&["a.jsonl"])
        );
        assert_ne!(key(&["a.jsonl", "--keywords", "3"]), key(&["a.jsonl"]));
        assert_ne!(key(&["b.jsonl"]), key(&["a.jsonl"]));
        assert_eq!(key(&["a.jsonl"])["inputs"], serde_json::json!(["a.jsonl"]));
    }

    #[cfg(unix)]
    #[test]
    fn paths_that_are_not_utf8_are_keyed_by_their_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let path = PathBuf::from(std::ffi::OsStr::from_bytes(b"caf\xe9.jsonl"));
        let mut args = Command::parse_from(["docpipe", "x"]).run;
        args.inputs = vec![path];
        let key = args.journal_key().unwrap();
        assert_eq!(key["inputs"][0].as_array().map(Vec::len), Some(10));
    }
}
