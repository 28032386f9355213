//! What a pipeline runs and how: the options of `docpipe run` that decide a record's content.

use chrono::NaiveDate;
use docpipe_normalize::NormalForm;

use crate::Stage;

/// Sentences in a document's summary unless told otherwise (`--summary-sentences`).
pub const DEFAULT_SUMMARY_SENTENCES: usize = 3;
/// Keywords per document unless told otherwise (`--keywords`).
pub const DEFAULT_KEYWORDS: usize = 10;

/// The options of a [`Pipeline`](crate::Pipeline), built without any command line.
///
/// ```
/// use docpipe_pipeline::{PipelineConfig, Stage};
///
/// let config = PipelineConfig::default()
///     .stages([Stage::Normalize, Stage::Dates])
///     .day_first(true);
/// assert!(config.runs(Stage::Dates) && !config.runs(Stage::Summarize));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PipelineConfig {
    /// The stages run, after ingest; every one by default.
    pub stages: Vec<Stage>,
    /// NFC (the default) or NFKC.
    pub normal_form: NormalForm,
    /// Numeric dates are day/month (18/03/2024), not US month/day.
    pub day_first: bool,
    /// Sentences per summary.
    pub summary_sentences: usize,
    /// Keywords per document.
    pub keywords: usize,
    /// Records list each block's sentences (false: `--no-sentences`).
    pub sentences: bool,
    /// Publication date for documents whose metadata and dateline give none.
    pub reference_date: Option<NaiveDate>,
}

impl Default for PipelineConfig {
    fn default() -> Self {
        PipelineConfig {
            stages: Stage::ALL.to_vec(),
            normal_form: NormalForm::Nfc,
            day_first: false,
            summary_sentences: DEFAULT_SUMMARY_SENTENCES,
            keywords: DEFAULT_KEYWORDS,
            sentences: true,
            reference_date: None,
        }
    }
}

impl PipelineConfig {
    /// Runs these stages (in the pipeline's own order, whatever the order given).
    pub fn stages(mut self, stages: impl IntoIterator<Item = Stage>) -> Self {
        self.stages = stages.into_iter().collect();
        self
    }

    /// NFC or NFKC.
    pub fn normal_form(mut self, form: NormalForm) -> Self {
        self.normal_form = form;
        self
    }

    /// Reads numeric dates as day/month.
    pub fn day_first(mut self, yes: bool) -> Self {
        self.day_first = yes;
        self
    }

    /// Sentences per summary.
    pub fn summary_sentences(mut self, n: usize) -> Self {
        self.summary_sentences = n;
        self
    }

    /// Keywords per document.
    pub fn keywords(mut self, n: usize) -> Self {
        self.keywords = n;
        self
    }

    /// Whether records list sentences.
    pub fn sentences(mut self, yes: bool) -> Self {
        self.sentences = yes;
        self
    }

    /// The publication date of documents that give none.
    pub fn reference_date(mut self, date: Option<NaiveDate>) -> Self {
        self.reference_date = date;
        self
    }

    /// Whether the stage runs.
    pub fn runs(&self, stage: Stage) -> bool {
        self.stages.contains(&stage)
    }
}
