//! Per-document work: everything that can run on any worker thread, in any order.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::OnceLock;

use docpipe_date_extract::{Extractor, PublishedSource};
use docpipe_deduplicate::{DedupConfig, Fingerprinter};
use docpipe_ingest::Document;
use docpipe_normalize::{LanguageDetector, Normalizer};
use docpipe_stories::ArticlePreparer;
use docpipe_summarize::{Budget, IdfTable, Summarizer};

use crate::processed::{Depth, Parts, Processed, Reject};
use crate::summary_input::sentence_inputs;
use crate::timing::{StageClock, StageTiming};
use crate::{PipelineConfig, Stage};

/// The configured stages, shared read-only by the workers: [`Pipeline::process`] takes a
/// [`Document`] from ingest and gives the [`Processed`] document that
/// [`render`](crate::render()) turns into its record.
pub struct Pipeline {
    /// The stages run, in the order of [`Stage::ALL`] whatever the configuration's order.
    pub stages: Vec<Stage>,
    normalizer: Normalizer,
    language: LanguageDetector,
    /// The fingerprinting half of dedup (the index that gives verdicts is the run's own).
    pub dedup: Fingerprinter,
    /// Built only when the dates stage runs: compiling its patterns is the costliest part of
    /// start-up.
    extractor: Option<Extractor>,
    summarizer: Option<Summarizer>,
    /// Set by the run when the stories stage runs (it shares the tracker's IDF table).
    stories: Option<ArticlePreparer>,
    /// The preparer [`Pipeline::record`] uses when the run gave none, made on first use.
    pub(crate) alone_stories: OnceLock<ArticlePreparer>,
    keywords: usize,
    reference_date: Option<chrono::NaiveDate>,
    /// Sentences are written to the records (no `--no-sentences`).
    pub(crate) sentences: bool,
    /// Time spent per stage, summed over the threads that called [`Pipeline::process`].
    pub timing: StageTiming,
}

impl Pipeline {
    /// Builds the stages the configuration names; the summarizer weighs terms by the shipped
    /// English IDF table until [`Pipeline::use_idf`] gives another.
    pub fn new(config: &PipelineConfig) -> Self {
        let stages: Vec<Stage> = Stage::ALL
            .into_iter()
            .filter(|stage| config.runs(*stage))
            .collect();
        let extractor = stages
            .contains(&Stage::Dates)
            .then(|| Extractor::builder().day_first(config.day_first).build());
        // Built only when the summarize stage runs: parsing the shipped IDF table is the
        // second costliest part of start-up.
        let summarizer = stages.contains(&Stage::Summarize).then(|| {
            Summarizer::builder()
                .budget(Budget::Sentences(config.summary_sentences))
                .build()
        });
        Pipeline {
            stages,
            normalizer: Normalizer::new().form(config.normal_form),
            language: LanguageDetector::new(),
            dedup: Fingerprinter::new(DedupConfig::default()),
            extractor,
            reference_date: config.reference_date,
            summarizer,
            stories: None,
            alone_stories: OnceLock::new(),
            keywords: config.keywords,
            sentences: config.sentences,
            timing: StageTiming::default(),
        }
    }

    /// Uses IDF weights from the run's own documents instead of the shipped English table.
    pub fn use_idf(&mut self, idf: IdfTable, summary_sentences: usize) {
        self.summarizer = Some(
            Summarizer::builder()
                .budget(Budget::Sentences(summary_sentences))
                .idf(idf)
                .build(),
        );
    }

    /// Prepares articles for the run's story tracker on the workers.
    pub fn use_story_preparer(&mut self, preparer: ArticlePreparer) {
        self.stories = Some(preparer);
    }

    /// Whether the stage runs.
    pub fn runs(&self, stage: Stage) -> bool {
        self.stages.contains(&stage)
    }

    /// Runs every per-document stage. A panic inside a stage is caught and returned as the
    /// reason the document is rejected, so one bad document never stops a run.
    pub fn process(&self, doc: Document, depth: Depth) -> Result<Processed, Reject> {
        self.process_with(doc, depth, self.stories.as_ref())
    }

    pub(crate) fn process_with(
        &self,
        mut doc: Document,
        depth: Depth,
        stories: Option<&ArticlePreparer>,
    ) -> Result<Processed, Reject> {
        // The raw text moves into the stages: normalizing makes the text of the record, and the
        // raw one is freed as soon as that is done (no stage after normalize reads it), so a
        // document's text is in memory twice only while it is being normalized, and never when
        // the normalize stage does not run.
        let raw = std::mem::take(&mut doc.text);
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            IN_STAGE.with(|flag| flag.set(true));
            let processed = self.process_unguarded(&doc, raw, depth, stories);
            IN_STAGE.with(|flag| flag.set(false));
            processed
        }));
        match outcome {
            // Ingest rejects texts that are only whitespace; these were only format or
            // control characters (zero-width spaces, say), which normalization removes. A
            // record with an empty text would be a document in name only.
            Ok(parts) if self.runs(Stage::Normalize) && parts.text.trim().is_empty() => {
                Err(Reject {
                    source: doc.source,
                    kind: "empty_after_normalization",
                    reason: "empty after normalization: the text was only control, format or \
                             space characters"
                        .to_string(),
                    bytes: doc.bytes,
                })
            }
            Ok(parts) => Ok(parts.into_processed(doc)),
            Err(payload) => {
                IN_STAGE.with(|flag| flag.set(false));
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".to_string());
                Err(Reject {
                    source: doc.source,
                    kind: "internal_error",
                    reason: format!("internal error while processing: {message}"),
                    bytes: doc.bytes,
                })
            }
        }
    }

    fn process_unguarded(
        &self,
        doc: &Document,
        raw: String,
        depth: Depth,
        stories: Option<&ArticlePreparer>,
    ) -> Parts {
        // A replayed document still feeds the story tracker, which needs what the stages
        // before it found: only language ID and rendering are left out then.
        let full = depth == Depth::Full || stories.is_some();
        let mut parts = Parts::default();
        let clock = StageClock::start();
        parts.text = if self.runs(Stage::Normalize) {
            let normalized = self.normalizer.normalize(&raw);
            drop(raw);
            normalized
        } else {
            raw
        };
        let text = parts.text.as_str();
        if full && (self.runs(Stage::Normalize) || self.runs(Stage::Summarize)) {
            // Summaries are made of sentences, so they are split for it even when the records
            // leave them out.
            parts.blocks = Some(if self.sentences || self.runs(Stage::Summarize) {
                docpipe_normalize::segment(text)
            } else {
                docpipe_normalize::blocks(text)
            });
        }
        self.timing.record(Stage::Normalize, clock);

        if depth == Depth::Full && self.runs(Stage::Lang) {
            let clock = StageClock::start();
            parts.lang = Some(self.language.detect(text));
            self.timing.record(Stage::Lang, clock);
        }
        if self.runs(Stage::Dedup) {
            let clock = StageClock::start();
            parts.fingerprint = Some(self.dedup.prepare(text));
            self.timing.record(Stage::Dedup, clock);
        }
        if let Some(extractor) = self.extractor.as_ref().filter(|_| full) {
            let clock = StageClock::start();
            parts.published = docpipe_date_extract::publication_date(
                doc.date.as_deref(),
                text,
                self.reference_date,
            )
            .map(|mut published| {
                // The document's date came from its page rather than from metadata given
                // with it.
                let from_page = doc.page.as_ref().is_some_and(|p| p.date_source.is_some());
                if from_page && published.source == PublishedSource::Metadata {
                    published.source = PublishedSource::Html;
                }
                published
            });
            let reference = parts.published.as_ref().map(|p| p.date);
            parts.dates = Some(extractor.extract(text, reference));
            self.timing.record(Stage::Dates, clock);
        }
        if let Some(summarizer) = self.summarizer.as_ref().filter(|_| full) {
            let clock = StageClock::start();
            let sentences = sentence_inputs(parts.blocks.as_deref().unwrap_or_default());
            let (summary, keywords) =
                summarizer.summary_and_keywords(text, &sentences, self.keywords);
            parts.summary = Some(summary);
            parts.keywords = Some(keywords);
            self.timing.record(Stage::Summarize, clock);
        }
        if let Some(preparer) = stories {
            let clock = StageClock::start();
            parts.story = Some(crate::story_input::prepare(preparer, doc, &parts));
            self.timing.record(Stage::Stories, clock);
        }
        parts
    }
}

thread_local! {
    /// Set while a worker runs stage code, so the panic hook stays quiet for panics that are
    /// caught and reported as rejects.
    static IN_STAGE: Cell<bool> = const { Cell::new(false) };
}

/// Keeps the default panic message for bugs in the driver itself, but not for panics inside a
/// stage: those become rejects with the message, and a user never sees a backtrace for bad input.
pub fn install_panic_hook() {
    let default = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if !IN_STAGE.with(Cell::get) {
            default(info);
        }
    }));
}
