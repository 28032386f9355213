//! `docpipe run`: batches of documents are read, processed on rayon workers and written in input
//! order, so the output is byte-identical for any thread count. With one thread everything runs
//! in one loop on it; with more, a reader thread and a writer thread run beside the workers.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{channel, sync_channel};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context};
use docpipe_deduplicate::{DuplicateStatus, Index, Prepared, Verdict};
use docpipe_ingest::{Ingest, IngestOptions, Item, RawItem};
use docpipe_summarize::IdfTable;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::cli::{RunArgs, Stage};
use crate::journal::{fold_stamps, Checkpoint, InputStamp, Journal};
use crate::outputs::{OutputPaths, Outputs};
use crate::process::{Depth, Engines, Processed, Reject, StageTiming};
use crate::progress::{total_input_bytes, Progress};
use crate::record::Gaps;
use crate::record::{DuplicateRecord, RejectRecord, SignatureRecord};
use crate::render::{dedup_record, render};
use crate::sink::AtomicFile;
use crate::story_output::StoryOutput;
use crate::usage::UsageError;

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

/// Batches also close at this many bytes of input, so that a few huge documents cannot pile up.
/// News articles (1-2 KB) never reach it in a 512-document batch; 1,100 documents of 512 KB
/// on 2 threads peaked at 647 MiB with 32 MiB batches and 191 MiB with 8 MiB ones.
const BATCH_BYTES: u64 = 8 * 1024 * 1024;

/// Batches processed or waiting to be written at any time (with workers): enough that the
/// workers have the next batch at hand when the writer was kept off a core for a moment, few
/// enough to bound memory. With 3 in flight and 2 read ahead, the two rayon workers yielded
/// about 2,250 times looking for work on news_en_combined; with 4 and 4, about half as often
/// (`strace -f -e trace=sched_yield` around a 2-thread run).
const BATCHES_IN_FLIGHT: usize = 4;
/// Batches the reader thread reads ahead of the workers, for the same reason as
/// [`BATCHES_IN_FLIGHT`] when the reader is the one kept off a core.
const BATCHES_READ_AHEAD: usize = 4;

/// What happened to the documents of a run; `read = written + duplicates_dropped + rejected`
/// always holds.
#[derive(Serialize, Deserialize, Default, Debug, Clone)]
pub struct Counts {
    pub read: u64,
    pub written: u64,
    pub rejected: u64,
    pub duplicates: u64,
    pub duplicates_dropped: u64,
    /// Documents whose id an earlier document already had: both are kept (ids come from the
    /// input), but whatever joins records by id needs to know.
    #[serde(default)]
    pub duplicate_ids: u64,
    /// WARC records that hold no page (requests, metadata, responses that are not HTML or not
    /// 200), not in `read`: every WARC record read is a document, a reject, or one of these.
    #[serde(default)]
    pub skipped_records_total: u64,
    pub bytes: u64,
    pub languages: BTreeMap<String, u64>,
}

/// The figures of one run, written to `<name>.stats.json`.
#[derive(Serialize, Default, Debug)]
pub struct RunStats {
    #[serde(flatten)]
    pub counts: Counts,
    /// Where summary term weights came from: `run` (the run's first documents), `file`
    /// (`--idf`) or `shipped`.
    pub idf: &'static str,
    /// The records' format: `jsonl` or `parquet`.
    pub format: &'static str,
    pub seconds: f64,
    /// The run was stopped by SIGINT or SIGTERM: outputs are left as `.partial` files and
    /// `--resume` goes on from the journal.
    pub interrupted: bool,
    /// Standard output was closed by its reader (`| head`): reading stopped there, the counts
    /// are of what was read, and the records after the close went nowhere.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub output_closed: bool,
    /// Input files this run found finished by an interrupted run and did not process again.
    pub resumed_inputs: usize,
    /// The `skipped_records_total` by kind (`request`, `warcinfo`, `not_html`, `http_status`...).
    pub skipped_records: BTreeMap<&'static str, u64>,
    /// Files in walked input folders that were not read: this run's own outputs and those of
    /// earlier docpipe runs. They hold no input documents, so they are not in the counts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<SkippedFile>,
    /// Wall seconds per stage, summed over the threads that ran it.
    pub stage_seconds: BTreeMap<&'static str, f64>,
    /// CPU seconds per stage (each thread's own CPU clock), summed over threads.
    pub stage_cpu_seconds: BTreeMap<&'static str, f64>,
}

/// A walked file that was passed over, in the stats file.
#[derive(Serialize, Debug, Clone)]
pub struct SkippedFile {
    pub path: String,
    pub reason: String,
}

/// The options that decide what a run writes: a journal only resumes a run that had the same.
fn command_key(args: &RunArgs) -> String {
    let mut key = args.clone();
    key.threads = None;
    key.batch_size = 0;
    key.stats = false;
    key.quiet = false;
    key.resume = false;
    format!("{key:?}")
}

/// One item read, with the position of the input file it came from. Its JSON, if any, is
/// parsed by the worker that processes it, not by the reader.
struct Entry {
    input: usize,
    item: RawItem,
}

/// Reads the inputs in batches of `batch_size` items (or `BATCH_BYTES`). A stop request (Ctrl-C)
/// ends the reading: the batch being filled is dropped, the batches already handed out are
/// finished.
struct Batches {
    ingest: Ingest,
    stop: Arc<AtomicBool>,
    batch_size: usize,
    done: bool,
}

impl Iterator for Batches {
    type Item = Vec<Entry>;

    fn next(&mut self) -> Option<Vec<Entry>> {
        if self.done {
            return None;
        }
        let mut batch = Vec::with_capacity(self.batch_size);
        let mut batch_bytes = 0;
        while let Some(item) = self.ingest.next_raw() {
            if self.stop.load(Ordering::SeqCst) {
                self.done = true;
                return None;
            }
            batch_bytes += item.bytes();
            batch.push(Entry {
                input: self.ingest.input_index(),
                item,
            });
            if batch.len() >= self.batch_size || batch_bytes >= BATCH_BYTES {
                return Some(batch);
            }
        }
        self.done = true;
        (!batch.is_empty()).then_some(batch)
    }
}

/// Most worker threads a run starts: more than this gains nothing on any machine docpipe
/// runs on, and thousands cost their start-up alone (5,000 took 56 s and 827 MiB for 50
/// documents).
pub const MAX_THREADS: usize = 1024;

/// Worker threads a run starts for `--threads`: `None` (or 0) for one per core; a request above
/// four per core is cut to that, since the output is the same for any number.
fn worker_threads(requested: Option<usize>, quiet: bool) -> anyhow::Result<Option<usize>> {
    match requested {
        Some(n) if n > MAX_THREADS => bail!(UsageError(format!(
            "--threads {n} is more than {MAX_THREADS}; the output is the same for any number, \
             so use at most a few per core"
        ))),
        Some(0) | None => Ok(None),
        Some(n) => {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            let most = (4 * cores).max(2);
            if n > most && !quiet {
                eprintln!("docpipe: --threads {n} on {cores} cores: starting {most}");
            }
            Ok(Some(n.min(most)))
        }
    }
}

/// A checkpoint found in the middle of a batch, completed once the batch's records are written.
struct PendingCheckpoint {
    checkpoint: Checkpoint,
    /// Records of the batch written before the checkpoint.
    records_before: usize,
}

pub fn run(args: &RunArgs) -> anyhow::Result<RunStats> {
    let reference_date = match &args.reference_date {
        Some(text) => match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(date) => Some(date),
            Err(err) => bail!(UsageError(format!(
                "--reference-date {text:?} is not a date as YYYY-MM-DD ({err})"
            ))),
        },
        None => None,
    };
    if args.batch_size == 0 {
        bail!(UsageError("--batch-size must be at least 1".into()));
    }
    let threads = worker_threads(args.threads, args.quiet)?;
    // With one thread there is no pool: reading, processing and writing take turns on this
    // thread, so `--threads 1` uses one core, not a worker beside a reader and a writer.
    let pool = match threads {
        Some(1) => None,
        threads => Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads.unwrap_or(0))
                .build()
                .context("cannot start worker threads")?,
        ),
    };
    let pool = pool.filter(|pool| pool.current_num_threads() > 1);
    // Ctrl-C or SIGTERM: the reader stops, the batches already read are finished, and the
    // outputs stay under their .partial names. A second one ends the process at once (what
    // was checkpointed can still be resumed), whatever a thread is waiting for.
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    // Without a handler (one already set by an embedding program) signals keep their default.
    let _ = ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            eprintln!("docpipe: stopped at once; --resume goes on from the last checkpoint");
            std::process::exit(130);
        }
    });
    // Added to by the reader as it reads the input files: the progress bar's position.
    let bytes_read = Arc::new(AtomicU64::new(0));
    let options = IngestOptions::new()
        .stop_flag(Arc::clone(&stop))
        .count_bytes(Arc::clone(&bytes_read))
        .text_field(&args.text_field)
        .id_field(&args.id_field)
        .title_field(&args.title_field)
        .date_field(&args.date_field)
        .max_document_bytes(args.max_document_bytes)
        .stdin_first_line(args.stdin_first_line)
        .stdin_first_offset(args.stdin_first_offset);
    let options = match &args.html_field {
        Some(name) => options.html_field(name),
        None => options,
    };
    let options = match &args.stdin_name {
        Some(name) => options.stdin_name(name),
        None => options,
    };
    // Nothing is read before the outputs are known not to be inputs.
    let paths = OutputPaths::new(args);
    paths.check(args)?;
    let options = options.skip_files(paths.identities(args));
    let ingest = Ingest::new(&args.inputs, options)?;
    // Counted by the reader, which goes to its own thread with the ingest.
    let record_skips = ingest.record_skips();
    let input_paths = ingest.input_paths().to_vec();
    let skipped: Vec<SkippedFile> = ingest
        .skipped()
        .iter()
        .map(|skipped| SkippedFile {
            path: skipped.path.display().to_string(),
            reason: skipped.reason.to_string(),
        })
        .collect();
    if !skipped.is_empty() && !args.quiet {
        eprintln!(
            "docpipe: {} file(s) in the input folders are docpipe outputs and were not read \
             (listed in the stats file)",
            skipped.len()
        );
    }
    // Standard output or a FIFO cannot be cut back to a checkpoint, so a run to one keeps no
    // journal.
    let journal = match (&paths.records, args.resume) {
        (Some(_), _) if !paths.records_stream => {
            Some(Journal::new(paths.journal.clone(), command_key(args)))
        }
        (_, true) => bail!(UsageError(
            "--resume needs an output file, not standard output, a FIFO or a device".into()
        )),
        (_, false) => None,
    };
    let resume_from = match (&journal, args.resume) {
        (Some(journal), true) => {
            let checkpoint = journal.load()?;
            if checkpoint.is_none() && !args.quiet {
                eprintln!(
                    "docpipe: no journal at {}; starting from the beginning",
                    journal.path().display()
                );
            }
            checkpoint
        }
        _ => None,
    };
    // The inputs the interrupted run finished are skipped, so they must be what it read.
    if let Some(checkpoint) = &resume_from {
        let mut folded = String::new();
        for index in 0..checkpoint.inputs_done {
            let path = input_paths.get(index).cloned().flatten();
            folded = fold_stamps(&folded, &InputStamp::of(path.as_deref()));
        }
        if folded != checkpoint.finished {
            bail!(UsageError(format!(
                "cannot resume: the {} input file(s) the interrupted run had finished are not \
                 the same now (a file's size, time or content changed, or files were added or \
                 removed before them); run again without --resume",
                checkpoint.inputs_done
            )));
        }
    }
    let mut engines = Engines::new(args, reference_date);
    let outputs = Outputs::open(
        &paths,
        args,
        engines.runs(Stage::Dedup),
        resume_from.as_ref().map(|c| &c.lengths),
    )?;
    let inputs_done = resume_from.as_ref().map_or(0, |c| c.inputs_done);
    let progress = Progress::new(
        args.quiet,
        total_input_bytes(&input_paths),
        resume_from.as_ref().map_or(0, |c| c.counts.read),
        bytes_read,
    );
    let started = Instant::now();
    let mut stats = RunStats {
        counts: resume_from
            .as_ref()
            .map(|c| c.counts.clone())
            .unwrap_or_default(),
        idf: "shipped",
        format: paths.format.name(),
        resumed_inputs: inputs_done,
        skipped,
        ..RunStats::default()
    };
    // A table given on the command line replaces the choice by the run's size below.
    // The story tracker weighs terms by the summarizer's table.
    let mut story_idf = None;
    if let (Some(path), true) = (&args.idf, engines.runs(Stage::Summarize)) {
        let idf = crate::idf::load(path)?;
        story_idf = Some(idf.clone());
        engines.use_idf(idf, args.summary_sentences);
        stats.idf = "file";
    }

    let batches = Batches {
        ingest,
        stop: Arc::clone(&stop),
        batch_size: args.batch_size,
        done: false,
    };
    // With workers, a reader thread decompresses the input and finds its lines while the
    // workers process the batches read before; the JSON of each line is parsed by a worker.
    let (mut source, reader): (Box<dyn Iterator<Item = Vec<Entry>>>, _) = match &pool {
        Some(_) => {
            let (sender, receiver) = sync_channel::<Vec<Entry>>(BATCHES_READ_AHEAD);
            let reader = std::thread::Builder::new()
                .name("docpipe-read".to_string())
                .spawn(move || {
                    for batch in batches {
                        if sender.send(batch).is_err() {
                            return;
                        }
                    }
                })
                .context("cannot start the reader thread")?;
            (Box::new(receiver.into_iter()), Some(reader))
        }
        None => (Box::new(batches), None),
    };

    // Read ahead up to RUN_IDF_DOCUMENTS documents; if there are that many, their IDF weights
    // the summaries of the whole run. The choice depends on the input alone, never on threads,
    // and a resumed run reads the same first documents again.
    let mut ahead: Vec<Vec<Entry>> = Vec::new();
    if engines.runs(Stage::Summarize) && args.idf.is_none() {
        let (mut documents, mut bytes) = (0, 0);
        while documents < RUN_IDF_DOCUMENTS && bytes < RUN_IDF_BYTES {
            let Some(batch) = source.next() else { break };
            // The table needs these texts now, so these batches are parsed here, on the
            // workers when there are some: extracting HTML pages costs more than the rest.
            let parse = |Entry { input, item }: Entry| {
                let clock = crate::process::StageClock::start();
                let item = RawItem::from(item.parse());
                engines.timing.record_parse(clock);
                Entry { input, item }
            };
            let batch: Vec<Entry> = match &pool {
                Some(pool) => pool.install(|| batch.into_par_iter().map(parse).collect()),
                None => batch.into_iter().map(parse).collect(),
            };
            for entry in &batch {
                if let Some(Item::Document(doc)) = entry.item.parsed() {
                    documents += 1;
                    bytes += doc.text.len();
                }
            }
            ahead.push(batch);
        }
        if documents >= RUN_IDF_DOCUMENTS || bytes >= RUN_IDF_BYTES {
            let texts = ahead
                .iter()
                .flatten()
                .filter_map(|entry| match entry.item.parsed() {
                    Some(Item::Document(doc)) => Some(doc.text.as_str()),
                    _ => None,
                });
            // The batches read may hold more; the sample is the same whatever the batch size.
            let (sample, _) = idf_sample(texts);
            let idf = IdfTable::from_documents(sample);
            story_idf = Some(idf.clone());
            engines.use_idf(idf, args.summary_sentences);
            stats.idf = "run";
        } else if stop.load(Ordering::SeqCst) {
            // Interrupted before the reader got that far: the run might have been long enough
            // for its own table, so summaries made now could differ from an uninterrupted
            // run's. Nothing is processed; a resumed run starts from the beginning.
            ahead.clear();
            source = Box::new(std::iter::empty());
        }
    }

    let stories = match engines.runs(Stage::Stories) {
        true => {
            let idf = story_idf.unwrap_or_else(IdfTable::english);
            let stories = StoryOutput::new(args, idf)?;
            engines.use_story_preparer(stories.preparer());
            Some(stories)
        }
        false => None,
    };

    // The workers process and render later batches while the writer thread checks batch k
    // against the dedup index and writes it: the serial part is off the workers' critical
    // path.
    let mut writer = Writer {
        ids: rustc_hash::FxHashSet::default(),
        index: Index::new(engines.dedup.config().clone()),
        stories,
        outputs,
        counts: std::mem::take(&mut stats.counts),
        previous: None,
        inputs_done,
        finished: resume_from
            .as_ref()
            .map(|c| (c.inputs_done, c.finished.clone()))
            .unwrap_or_default(),
        input_paths: &input_paths,
        resume_from: resume_from.as_ref(),
        journal: journal.as_ref(),
        args,
        paths: &paths,
        timing: &engines.timing,
        progress: &progress,
        output_closed: false,
        stop: &stop,
    };
    let engines = &engines;
    let sentences = !args.no_sentences;
    let batches = ahead.into_iter().chain(source);
    let writer = match &pool {
        None => {
            for batch in batches {
                let outcomes = batch
                    .into_iter()
                    .map(|entry| process_entry(engines, entry, inputs_done, sentences))
                    .collect();
                writer.consume(outcomes)?;
            }
            writer
        }
        Some(pool) => std::thread::scope(|scope| {
            // A slot is taken for each batch handed to the workers and given back when the
            // writer has written it: at most BATCHES_IN_FLIGHT are processed or waiting.
            let (take_slot, give_back) = sync_channel::<()>(BATCHES_IN_FLIGHT);
            let (results_to_writer, results) = channel::<(usize, Vec<Outcome>)>();
            let writing = std::thread::Builder::new()
                .name("docpipe-write".to_string())
                .spawn_scoped(scope, move || -> anyhow::Result<Writer> {
                    // Batches finish out of order; they are written in input order.
                    let mut finished = BTreeMap::new();
                    let mut next = 0;
                    for (index, outcomes) in results {
                        finished.insert(index, outcomes);
                        while let Some(outcomes) = finished.remove(&next) {
                            writer.consume(outcomes)?;
                            next += 1;
                            let _ = give_back.recv();
                        }
                    }
                    Ok(writer)
                })
                .context("cannot start the writer thread")?;
            // Each batch is a task of its own, so a worker done with its share of one batch
            // starts on the next instead of waiting for the other worker's last documents.
            pool.in_place_scope(|tasks| {
                for (index, batch) in batches.enumerate() {
                    if take_slot.send(()).is_err() {
                        // The writer stopped on an error, which its join reports.
                        break;
                    }
                    let results_to_writer = results_to_writer.clone();
                    tasks.spawn(move |_| {
                        let outcomes = batch
                            .into_par_iter()
                            .map(|entry| process_entry(engines, entry, inputs_done, sentences))
                            .collect();
                        // A stopped writer has reported why; the outcome has nowhere to go.
                        let _ = results_to_writer.send((index, outcomes));
                    });
                }
            });
            drop(results_to_writer);
            writing
                .join()
                .map_err(|_| anyhow::anyhow!("the output writer thread failed"))?
        })?,
    };
    let Writer {
        index,
        ids,
        output_closed,
        mut outputs,
        counts,
        previous,
        stories,
        ..
    } = writer;
    // The index goes with the process: freeing its small allocations one by one (several per
    // document) would hold up the end of a run for nothing, 10-20 ms for 25,000 documents.
    std::mem::forget(index);
    std::mem::forget(ids);
    stats.counts = counts;
    if let Some(reader) = reader {
        reader
            .join()
            .map_err(|_| anyhow::anyhow!("the input reader thread failed"))?;
    }
    stats.skipped_records = record_skips.counts();
    stats.counts.skipped_records_total = record_skips.total();
    progress.finish_and_clear();
    stats.output_closed = output_closed;
    stats.interrupted = stop.load(Ordering::SeqCst) && !output_closed;
    match &previous {
        // Only inputs the interrupted run had finished: they must still end the same way.
        Some((last, last_source)) if *last < inputs_done && !stats.interrupted => {
            check_resumed_inputs(resume_from.as_ref(), last_source)?
        }
        None if !stats.interrupted => check_resumed_inputs(resume_from.as_ref(), "nothing")?,
        _ => {}
    }
    if stats.interrupted {
        if let Some(path) = outputs.abandon()? {
            eprintln!(
                "docpipe: interrupted; the records written so far are in {} \
                 (run again with --resume to go on)",
                path.display()
            );
        }
    } else {
        // The stories still open are written before the records are finished, in whichever
        // format: a stop during the Parquet conversion below leaves them in the `.partial`
        // stories file, which a resumed run cuts back to its checkpoint like the others.
        if let (Some(stories), Some(file)) = (stories, outputs.stories.as_mut()) {
            let clock = crate::process::StageClock::start();
            stories.finish(file, &paths.stories)?;
            engines.timing.record(Stage::Stories, clock);
        }
        if let (Some(spool), Some(parquet)) = (&paths.records, &paths.parquet) {
            stats.interrupted = finish_parquet(outputs, spool, parquet, journal.as_ref(), &stop)?;
        } else {
            finish_jsonl(outputs, journal.as_ref())?;
        }
    }
    stats.seconds = started.elapsed().as_secs_f64();
    // Parsing JSON and extracting HTML pages, on the workers: reading and decompressing, on
    // the reader thread, is not in it.
    let (wall, cpu) = engines.timing.parse_seconds();
    stats.stage_seconds.insert("parse", wall);
    stats.stage_cpu_seconds.insert("parse", cpu);
    for stage in &engines.stages {
        let (wall, cpu) = engines.timing.seconds(*stage);
        stats.stage_seconds.insert(stage.name(), wall);
        stats.stage_cpu_seconds.insert(stage.name(), cpu);
    }
    let mut stats_file = AtomicFile::create(&paths.stats)?;
    let json = serde_json::to_vec_pretty(&stats)?;
    stats_file
        .write_all(&json)
        .with_context(|| format!("cannot write {}", paths.stats.display()))?;
    stats_file.finish()?;
    Ok(stats)
}

/// Renames the JSON Lines outputs into place. The journal goes first: a kill while the files
/// are renamed then leaves no journal pointing at .partial files that are gone, and a resumed
/// run starts over instead.
fn finish_jsonl(outputs: Outputs, journal: Option<&Journal>) -> anyhow::Result<()> {
    if let Some(journal) = journal {
        journal.remove()?;
    }
    outputs.finish()
}

/// Converts the spool into the Parquet file and puts the outputs in place (see
/// `src/parquet_out.rs`); true when a stop request came during the conversion.
#[cfg(feature = "parquet")]
fn finish_parquet(
    outputs: Outputs,
    spool: &Path,
    parquet: &Path,
    journal: Option<&Journal>,
    stop: &AtomicBool,
) -> anyhow::Result<bool> {
    crate::parquet_out::finish(outputs, spool, parquet, journal, stop)
}

/// Without the `parquet` feature `OutputPaths::check` refuses a Parquet output before anything
/// is read, so this is never reached.
#[cfg(not(feature = "parquet"))]
fn finish_parquet(
    outputs: Outputs,
    _: &Path,
    parquet: &Path,
    _: Option<&Journal>,
    _: &AtomicBool,
) -> anyhow::Result<bool> {
    outputs.abandon()?;
    bail!("cannot write {}: built without Parquet", parquet.display())
}

/// A document after the workers, with the position of its input file.
type Outcome = (usize, Result<Ready, Reject>);

/// A processed document as the writer needs it: its record rendered on the worker, all but
/// the dedup verdict, which only the writer can give (it depends on every earlier document),
/// and what the side files and counts need. The document itself is freed on the worker.
struct Ready {
    id: String,
    source: String,
    bytes: u64,
    /// Language code and whether the guess is reliable, when the language stage ran.
    language: Option<(Option<&'static str>, bool)>,
    fingerprint: Option<Prepared>,
    verdict: Option<Verdict>,
    /// What the story tracker needs of the document, when the stories stage runs.
    story: Option<docpipe_stories::PreparedArticle>,
    /// The document's story, once the tracker has put it in one.
    story_id: Option<String>,
    /// The record line; empty for a replayed input, whose records are already written.
    record: Vec<u8>,
    /// Where the verdict and the story go in `record`, when dedup and stories ran on it.
    gaps: Gaps,
}

fn process_entry(
    engines: &Engines,
    Entry { input, item }: Entry,
    inputs_done: usize,
    sentences: bool,
) -> Outcome {
    // Inputs finished by an interrupted run are read again only to rebuild the dedup index;
    // their records are already in the outputs.
    let depth = if input < inputs_done {
        Depth::Replay
    } else {
        Depth::Full
    };
    let clock = crate::process::StageClock::start();
    let item = item.parse();
    engines.timing.record_parse(clock);
    let result = match item {
        Item::Document(doc) => engines
            .process(doc, depth)
            .and_then(|processed| ready(processed, depth, sentences)),
        Item::Rejected(rejected) => Err(Reject {
            kind: rejected.reason.kind(),
            reason: rejected.reason.to_string(),
            source: rejected.source,
            bytes: rejected.bytes,
        }),
    };
    (input, result)
}

/// Renders a processed document's record (unless its input is only replayed) and keeps what
/// the writer needs of the rest.
fn ready(mut processed: Processed, depth: Depth, sentences: bool) -> Result<Ready, Reject> {
    let mut record = Vec::new();
    let mut gaps = Gaps::default();
    if depth == Depth::Full {
        // `render` reserves room for the whole record up front (text and spans); reserving
        // here too would make the allocator copy an unused buffer when its estimate is larger.
        match render(&processed, sentences, &mut record) {
            Ok(at) => gaps = at,
            Err(err) => {
                return Err(Reject {
                    kind: "unserializable",
                    reason: format!("cannot serialize the record: {err}"),
                    source: processed.doc.source,
                    bytes: processed.doc.bytes,
                })
            }
        }
    }
    Ok(Ready {
        id: std::mem::take(&mut processed.doc.id),
        source: std::mem::take(&mut processed.doc.source),
        bytes: processed.doc.bytes,
        language: processed
            .lang
            .as_ref()
            .map(|lang| (lang.code, lang.reliable)),
        fingerprint: processed.fingerprint.take(),
        verdict: None,
        story: processed.story.take(),
        story_id: None,
        record,
        gaps,
    })
}

/// Documents with an id already seen that are named on stderr; the stats count them all.
const MAX_ID_WARNINGS: u64 = 5;

/// The serial end of a run: dedup in input order, side files, records, checkpoints.
struct Writer<'a> {
    /// Hashes of the ids seen, to count documents that reuse one.
    ids: rustc_hash::FxHashSet<u64>,
    index: Index,
    /// The story tracker, when the stories stage runs.
    stories: Option<StoryOutput>,
    outputs: Outputs,
    counts: Counts,
    /// The input of the last item handled and its source: when an item from a later input
    /// arrives, every earlier input is completely in the outputs.
    previous: Option<(usize, String)>,
    inputs_done: usize,
    /// How many inputs are finished and their stamps folded, for the checkpoints.
    finished: (usize, String),
    input_paths: &'a [Option<PathBuf>],
    resume_from: Option<&'a Checkpoint>,
    journal: Option<&'a Journal>,
    args: &'a RunArgs,
    paths: &'a OutputPaths,
    timing: &'a StageTiming,
    progress: &'a Progress,
    /// Standard output was closed by its reader: nothing more is written to it.
    output_closed: bool,
    stop: &'a AtomicBool,
}

impl Writer<'_> {
    fn consume(&mut self, outcomes: Vec<Outcome>) -> anyhow::Result<()> {
        // Dedup sees documents strictly in input order: the verdicts never depend on threads.
        let mut kept = Vec::with_capacity(outcomes.len());
        let mut pending: Option<PendingCheckpoint> = None;
        for (input, result) in outcomes {
            let source = match &result {
                Ok(ready) => &ready.source,
                Err(rejected) => &rejected.source,
            };
            if input < self.inputs_done {
                self.previous = Some((input, source.clone()));
                if let Ok(mut ready) = result {
                    self.ids
                        .insert(xxhash_rust::xxh3::xxh3_64(ready.id.as_bytes()));
                    if let Some(prepared) = ready.fingerprint.take() {
                        ready.verdict = Some(self.index.check(&ready.id, prepared));
                    }
                    // The tracker is rebuilt as the interrupted run built it: the same
                    // documents in the same order.
                    if !self.dropped(&ready) {
                        self.add_to_story(&mut ready, true)?;
                    }
                }
                continue;
            }
            match &self.previous {
                Some((last, last_source)) if *last < input => {
                    if *last < self.inputs_done {
                        check_resumed_inputs(self.resume_from, last_source)?;
                    }
                    while self.finished.0 < input {
                        let path = self.input_paths.get(self.finished.0).cloned().flatten();
                        let stamp = InputStamp::of(path.as_deref());
                        self.finished =
                            (self.finished.0 + 1, fold_stamps(&self.finished.1, &stamp));
                    }
                    pending = Some(PendingCheckpoint {
                        checkpoint: Checkpoint {
                            inputs_done: input,
                            last_source: last_source.clone(),
                            lengths: self.outputs.side_lengths(),
                            counts: self.counts.clone(),
                            finished: self.finished.1.clone(),
                        },
                        records_before: kept.len(),
                    });
                }
                None => check_resumed_inputs(self.resume_from, "nothing")?,
                _ => {}
            }
            self.previous = Some((input, source.clone()));
            self.counts.read += 1;
            if let Some(ready) = self.handle(result)? {
                kept.push(ready);
            }
        }
        self.write_records(kept, pending)?;
        self.progress.update(self.counts.read);
        Ok(())
    }

    /// Writes the kept records in order, each with its verdict put in, then the checkpoint.
    fn write_records(
        &mut self,
        kept: Vec<Ready>,
        pending: Option<PendingCheckpoint>,
    ) -> anyhow::Result<()> {
        let mut checkpoint_at = None;
        let mut verdict = Vec::new();
        let mut story = Vec::new();
        for (index, ready) in kept.iter().enumerate() {
            if pending.as_ref().is_some_and(|p| p.records_before == index) {
                checkpoint_at = Some(self.outputs.records.len());
            }
            let mut from = 0;
            if let Some(at) = ready.gaps.dedup {
                verdict.clear();
                serde_json::to_writer(&mut verdict, &dedup_record(ready.verdict.as_ref()))
                    .context("cannot serialize a record")?;
                self.write_record_bytes(&ready.record[from..at])?;
                self.write_record_bytes(&verdict)?;
                from = at;
            }
            if let Some(at) = ready.gaps.story {
                story.clear();
                serde_json::to_writer(&mut story, &ready.story_id)
                    .context("cannot serialize a record")?;
                self.write_record_bytes(&ready.record[from..at])?;
                self.write_record_bytes(&story)?;
                from = at;
            }
            self.write_record_bytes(&ready.record[from..])?;
        }
        if let (Some(journal), Some(mut pending)) = (self.journal, pending) {
            pending.checkpoint.lengths.records =
                checkpoint_at.unwrap_or(self.outputs.records.len());
            self.outputs.flush()?;
            journal.save(&pending.checkpoint)?;
        }
        Ok(())
    }

    fn write_record_bytes(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        if self.output_closed {
            return Ok(());
        }
        match self.outputs.records.write_all(bytes) {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == io::ErrorKind::BrokenPipe && self.paths.records.is_none() => {
                // `docpipe run ... -o - | head`: the reader has all it wants. Reading stops as
                // on Ctrl-C, and the side files are finished with what was read.
                self.output_closed = true;
                self.stop.store(true, Ordering::SeqCst);
                Ok(())
            }
            Err(err) => {
                let target = self
                    .paths
                    .records
                    .as_deref()
                    .unwrap_or(Path::new("standard output"));
                Err(err).with_context(|| format!("cannot write {}", target.display()))
            }
        }
    }

    /// Counts one document, writes it to the side files it belongs in, and returns it if its
    /// record goes to the output.
    fn handle(&mut self, result: Result<Ready, Reject>) -> anyhow::Result<Option<Ready>> {
        let (counts, outputs, args, paths) =
            (&mut self.counts, &mut self.outputs, self.args, self.paths);
        let mut ready = match result {
            Err(rejected) => {
                counts.rejected += 1;
                counts.bytes += rejected.bytes;
                write_json_line(
                    &mut outputs.rejects,
                    &reject_record(&rejected),
                    &paths.rejects,
                )?;
                return Ok(None);
            }
            Ok(ready) => ready,
        };
        counts.bytes += ready.bytes;
        // 64-bit hashes, not the ids: 8 bytes a document, and a false alarm once in ~10^9
        // runs of 10 M documents.
        if !self
            .ids
            .insert(xxhash_rust::xxh3::xxh3_64(ready.id.as_bytes()))
        {
            counts.duplicate_ids += 1;
            if counts.duplicate_ids <= MAX_ID_WARNINGS && !args.quiet {
                eprintln!(
                    "docpipe: warning: the id {:?} ({}) was already used by an earlier document",
                    ready.id, ready.source
                );
            }
        }
        if let Some(prepared) = ready.fingerprint.take() {
            if let (Some(file), Some(path)) = (outputs.signatures.as_mut(), &args.signatures) {
                let fingerprint = prepared.fingerprint();
                let record = SignatureRecord {
                    id: &ready.id,
                    exact: format!("{:032x}", fingerprint.exact),
                    bands: prepared
                        .band_keys()
                        .iter()
                        .map(|k| format!("{k:016x}"))
                        .collect(),
                    fingerprint: hex(&fingerprint.to_bytes()),
                };
                write_json_line(file, &record, path)?;
            }
            let clock = crate::process::StageClock::start();
            let verdict = self.index.check(&ready.id, prepared);
            self.timing.record(Stage::Dedup, clock);
            if verdict.status != DuplicateStatus::Unique {
                counts.duplicates += 1;
            }
            ready.verdict = Some(verdict);
        }
        let dropped = self.dropped(&ready);
        let (counts, outputs, paths) = (&mut self.counts, &mut self.outputs, self.paths);
        if let (true, Some(list)) = (dropped, outputs.duplicates.as_mut()) {
            counts.duplicates_dropped += 1;
            let verdict = ready.verdict.as_ref();
            let record = DuplicateRecord {
                id: &ready.id,
                source: &ready.source,
                duplicate_of: verdict.and_then(|v| v.duplicate_of.as_deref()),
                cluster: verdict.map_or(ready.id.as_str(), |v| v.cluster.as_str()),
                status: verdict.map_or("unique", |v| v.status.as_str()),
                similarity: verdict.and_then(|v| v.similarity),
            };
            write_json_line(list, &record, &paths.duplicates)?;
            return Ok(None);
        }
        if let Some((code, reliable)) = ready.language {
            // Unreliable guesses are counted as undetermined, not as a language.
            let code = code.filter(|_| reliable).unwrap_or("und");
            *counts.languages.entry(code.to_string()).or_default() += 1;
        }
        counts.written += 1;
        self.add_to_story(&mut ready, false)?;
        Ok(Some(ready))
    }

    /// Whether the document is a duplicate that `--drop-duplicates` leaves out.
    fn dropped(&self, ready: &Ready) -> bool {
        let is_duplicate = ready
            .verdict
            .as_ref()
            .is_some_and(|v| v.status != DuplicateStatus::Unique);
        is_duplicate && self.outputs.duplicates.is_some()
    }

    /// Puts a document in its story, right after its dedup verdict: a duplicate joins the
    /// story of its cluster's first document. A duplicate that `--drop-duplicates` leaves out
    /// is not given to the tracker (a story names only documents in the output).
    fn add_to_story(&mut self, ready: &mut Ready, replayed: bool) -> anyhow::Result<()> {
        let (Some(stories), Some(article), Some(file)) = (
            self.stories.as_mut(),
            ready.story.take(),
            self.outputs.stories.as_mut(),
        ) else {
            return Ok(());
        };
        let clock = crate::process::StageClock::start();
        let original = ready
            .verdict
            .as_ref()
            .filter(|v| v.status != DuplicateStatus::Unique)
            .map(|v| v.cluster.as_str());
        let story = stories.add(article, original, replayed, file, &self.paths.stories)?;
        ready.story_id = Some(story);
        self.timing.record(Stage::Stories, clock);
        Ok(())
    }
}

/// The last input an interrupted run finished must end with the same document now.
fn check_resumed_inputs(checkpoint: Option<&Checkpoint>, last_source: &str) -> anyhow::Result<()> {
    match checkpoint {
        Some(checkpoint) if checkpoint.last_source != last_source => bail!(
            "cannot resume: the inputs changed since the interrupted run (it had finished with \
             {}, this run reads {} there)",
            checkpoint.last_source,
            last_source
        ),
        _ => Ok(()),
    }
}

fn reject_record(rejected: &Reject) -> RejectRecord<'_> {
    RejectRecord {
        source: &rejected.source,
        reason: &rejected.reason,
        kind: rejected.kind,
        bytes: rejected.bytes,
    }
}

fn write_json_line<T: Serialize>(
    file: &mut AtomicFile,
    value: &T,
    path: &Path,
) -> anyhow::Result<()> {
    let mut line = serde_json::to_vec(value)?;
    line.push(b'\n');
    file.write_all(&line)
        .with_context(|| format!("cannot write {}", path.display()))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The one line printed at the end of a run.
pub fn summary_line(stats: &RunStats) -> String {
    let languages: Vec<String> = stats
        .counts
        .languages
        .iter()
        .map(|(lang, count)| format!("{lang}:{count}"))
        .collect();
    let megabytes = stats.counts.bytes as f64 / 1e6;
    format!(
        "docpipe: {}read {}, written {}, rejected {}{}, duplicates {} (dropped {}), languages [{}], {:.1} MB in {:.2} s ({:.1} MB/s)",
        if stats.interrupted { "interrupted, " } else { "" },
        stats.counts.read,
        stats.counts.written,
        stats.counts.rejected,
        match stats.counts.skipped_records_total {
            0 => String::new(),
            n => format!(", WARC records skipped {n}"),
        },
        stats.counts.duplicates,
        stats.counts.duplicates_dropped,
        languages.join(" "),
        megabytes,
        stats.seconds,
        megabytes / stats.seconds.max(1e-9),
    )
}

/// Per-stage figures for `--stats`: CPU seconds summed over threads, and MB/s per core.
pub fn stage_table(stats: &RunStats) -> String {
    let megabytes = stats.counts.bytes as f64 / 1e6;
    // Per core: over the stage's CPU time, which waiting for a busy machine does not inflate.
    let mut table = String::from("stage       cpu-s   wall-s    MB/s/core   docs/s/core\n");
    for (stage, wall) in &stats.stage_seconds {
        let cpu = stats.stage_cpu_seconds.get(stage).copied().unwrap_or(*wall);
        let per = cpu.max(1e-9);
        table.push_str(&format!(
            "{stage:<10} {cpu:>7.2} {wall:>8.2} {:>11.1} {:>13.0}\n",
            megabytes / per,
            stats.counts.read as f64 / per
        ));
    }
    if !stats.skipped_records.is_empty() {
        let kinds: Vec<String> = stats
            .skipped_records
            .iter()
            .map(|(kind, count)| format!("{kind} {count}"))
            .collect();
        table.push_str(&format!(
            "items {} = read {} (written, dropped as duplicates or rejected) + WARC records \
             skipped {} ({})\n",
            stats.counts.read + stats.counts.skipped_records_total,
            stats.counts.read,
            stats.counts.skipped_records_total,
            kinds.join(", ")
        ));
    }
    table.push_str(&format!(
        "end-to-end {:>7.2} s wall, {:.1} MB/s, {:.0} docs/s\n",
        stats.seconds,
        megabytes / stats.seconds.max(1e-9),
        stats.counts.read as f64 / stats.seconds.max(1e-9)
    ));
    table
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

    #[test]
    fn thread_requests_are_bounded() {
        assert!(worker_threads(Some(MAX_THREADS + 1), true).is_err());
        assert_eq!(worker_threads(Some(0), true).unwrap(), None);
        assert_eq!(worker_threads(Some(1), true).unwrap(), Some(1));
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let most = (4 * cores).max(2);
        assert_eq!(worker_threads(Some(MAX_THREADS), true).unwrap(), Some(most));
    }
}
