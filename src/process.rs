//! Per-document work: everything that can run on any worker thread, in any order.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use docpipe_date_extract::{Extractor, Published, PublishedSource, Timex};
use docpipe_deduplicate::{DedupConfig, Fingerprinter, Prepared};
use docpipe_ingest::Document;
use docpipe_normalize::{Block, Language, LanguageDetector, NormalForm, Normalizer};
use docpipe_stories::{ArticlePreparer, PreparedArticle};
use docpipe_summarize::{Budget, IdfTable, Keyword, Summarizer, Summary};

use crate::cli::{RunArgs, Stage};
use crate::summary_input::sentence_inputs;

/// The configured stages, shared read-only by the workers.
pub struct Engines {
    pub stages: Vec<Stage>,
    normalizer: Normalizer,
    language: LanguageDetector,
    pub dedup: Fingerprinter,
    /// Built only when the dates stage runs: compiling its patterns is the costliest part of
    /// start-up.
    extractor: Option<Extractor>,
    summarizer: Option<Summarizer>,
    /// Set by the run when the stories stage runs (it shares the tracker's IDF table).
    stories: Option<ArticlePreparer>,
    keywords: usize,
    reference_date: Option<chrono::NaiveDate>,
    /// Sentences are written to the records (no `--no-sentences`).
    sentences: bool,
    pub timing: StageTiming,
}

/// Time spent in each stage, summed over threads, for `--stats`: wall time, and the thread's
/// own CPU time, which a busy machine does not inflate (a stage waiting for a core counts in
/// the first, not in the second).
#[derive(Default)]
pub struct StageTiming {
    wall: [AtomicU64; SLOTS],
    cpu: [AtomicU64; SLOTS],
}

/// Slot of the parse time in [`StageTiming`], after the stages': parsing items on the workers
/// (JSON objects, and extracting HTML pages).
const PARSE: usize = Stage::ALL.len();
const SLOTS: usize = PARSE + 1;

/// When a stage began on this thread, by both clocks.
#[derive(Clone, Copy)]
pub struct StageClock {
    wall: Instant,
    cpu: u64,
}

impl StageClock {
    pub fn start() -> StageClock {
        StageClock {
            wall: Instant::now(),
            cpu: thread_cpu_nanos(),
        }
    }
}

/// This thread's CPU time so far, in nanoseconds (0 where the platform has no such clock).
#[cfg(unix)]
fn thread_cpu_nanos() -> u64 {
    let now = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    let seconds = u64::try_from(now.tv_sec).unwrap_or(0);
    let nanos = u64::try_from(now.tv_nsec).unwrap_or(0);
    seconds.saturating_mul(1_000_000_000).saturating_add(nanos)
}

#[cfg(not(unix))]
fn thread_cpu_nanos() -> u64 {
    0
}

impl StageTiming {
    fn add(&self, slot: usize, since: StageClock) {
        let wall = u64::try_from(since.wall.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.wall[slot].fetch_add(wall, Ordering::Relaxed);
        let cpu = thread_cpu_nanos().saturating_sub(since.cpu);
        self.cpu[slot].fetch_add(cpu, Ordering::Relaxed);
    }

    pub fn record(&self, stage: Stage, since: StageClock) {
        self.add(stage as usize, since);
    }

    pub fn record_parse(&self, since: StageClock) {
        self.add(PARSE, since);
    }

    /// Wall seconds and CPU seconds of the parse slot.
    pub fn parse_seconds(&self) -> (f64, f64) {
        self.read(PARSE)
    }

    /// Wall seconds and CPU seconds of a stage.
    pub fn seconds(&self, stage: Stage) -> (f64, f64) {
        self.read(stage as usize)
    }

    fn read(&self, slot: usize) -> (f64, f64) {
        (
            self.wall[slot].load(Ordering::Relaxed) as f64 / 1e9,
            self.cpu[slot].load(Ordering::Relaxed) as f64 / 1e9,
        )
    }
}

/// How much of the work a document gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Depth {
    /// Every configured stage.
    Full,
    /// Only what rebuilds the dedup index, and the story tracker when the stories stage runs
    /// (which then needs every stage but language ID): a resumed run re-reads the inputs an
    /// interrupted run finished, whose records are already written.
    Replay,
}

/// A document that could not be read or processed: where it came from, why, and its size.
pub struct Reject {
    pub source: String,
    /// A stable name for the reason, for programs: ingest's
    /// [`RejectReason::kind`](docpipe_ingest::RejectReason::kind), or one of the pipeline's own
    /// (`internal_error`, `empty_after_normalization`, `unserializable`).
    pub kind: &'static str,
    pub reason: String,
    pub bytes: u64,
}

/// A document after the parallel stages. Its dedup verdict depends on every earlier document,
/// so the writer gives it, in input order, and puts it into the rendered record.
pub struct Processed {
    pub doc: Document,
    pub text: String,
    /// `None` when the text was not split into blocks (neither normalize nor summarize ran):
    /// the record's `blocks` and `sentences` are then `null`, not empty.
    pub blocks: Option<Vec<Block>>,
    pub lang: Option<Language>,
    pub fingerprint: Option<Prepared>,
    pub published: Option<Published>,
    pub dates: Option<Vec<Timex>>,
    pub summary: Option<Summary>,
    pub keywords: Option<Vec<Keyword>>,
    /// What the story tracker needs of the document, when the stories stage runs.
    pub story: Option<PreparedArticle>,
}

impl Engines {
    pub fn new(args: &RunArgs, reference_date: Option<chrono::NaiveDate>) -> Self {
        let form = if args.nfkc {
            NormalForm::Nfkc
        } else {
            NormalForm::Nfc
        };
        let stages = args.stages.clone().unwrap_or_else(|| Stage::ALL.to_vec());
        let extractor = stages
            .contains(&Stage::Dates)
            .then(|| Extractor::builder().day_first(args.day_first).build());
        // Built only when the summarize stage runs: parsing the shipped IDF table is the
        // second costliest part of start-up.
        let summarizer = stages.contains(&Stage::Summarize).then(|| {
            Summarizer::builder()
                .budget(Budget::Sentences(args.summary_sentences))
                .build()
        });
        Engines {
            stages,
            normalizer: Normalizer::new().form(form),
            language: LanguageDetector::new(),
            dedup: Fingerprinter::new(DedupConfig::default()),
            extractor,
            reference_date,
            summarizer,
            stories: None,
            keywords: args.keywords,
            sentences: !args.no_sentences,
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

    pub fn runs(&self, stage: Stage) -> bool {
        self.stages.contains(&stage)
    }

    /// Runs every per-document stage. A panic inside a stage is caught and returned as the
    /// reason the document is rejected, so one bad document never stops a run.
    pub fn process(&self, mut doc: Document, depth: Depth) -> Result<Processed, Reject> {
        // The raw text moves into the stages: normalizing makes the text of the record, and the
        // raw one is freed as soon as that is done (no stage after normalize reads it), so a
        // document's text is in memory twice only while it is being normalized, and never when
        // the normalize stage does not run.
        let raw = std::mem::take(&mut doc.text);
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            IN_STAGE.with(|flag| flag.set(true));
            let processed = self.process_unguarded(&doc, raw, depth);
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

    fn process_unguarded(&self, doc: &Document, raw: String, depth: Depth) -> Parts {
        // A replayed document still feeds the story tracker, which needs what the stages
        // before it found: only language ID and rendering are left out then.
        let full = depth == Depth::Full || self.stories.is_some();
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
        if let Some(preparer) = &self.stories {
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

/// What the stages made of a document so far.
#[derive(Default)]
pub(crate) struct Parts {
    pub text: String,
    pub blocks: Option<Vec<Block>>,
    lang: Option<Language>,
    fingerprint: Option<Prepared>,
    pub published: Option<Published>,
    pub dates: Option<Vec<Timex>>,
    summary: Option<Summary>,
    pub keywords: Option<Vec<Keyword>>,
    story: Option<PreparedArticle>,
}

impl Parts {
    fn into_processed(self, doc: Document) -> Processed {
        Processed {
            doc,
            text: self.text,
            blocks: self.blocks,
            lang: self.lang,
            fingerprint: self.fingerprint,
            published: self.published,
            dates: self.dates,
            summary: self.summary,
            keywords: self.keywords,
            story: self.story,
        }
    }
}
