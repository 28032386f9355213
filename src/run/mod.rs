//! `docpipe run`: batches of documents are read, processed on rayon workers and written in input
//! order, so the output is byte-identical for any thread count. With one thread everything runs
//! in one loop on it; with more, a reader thread and a writer thread run beside the workers.
//!
//! The pieces, in the order a document meets them: [`batches`] (reading, and each worker's
//! work: parse, [`Pipeline::process`], render), [`idf_ahead`] (the run's own IDF table from
//! its first documents), [`serial`] (in input order: [`dedup_step`], the story tracker,
//! [`checkpoints`], the [`writer`]), then [`finish`] (outputs put in place, the stats file).

mod batches;
mod checkpoints;
mod dedup_step;
mod finish;
mod idf_ahead;
mod serial;
mod stats;
mod writer;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{channel, sync_channel};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context};
use docpipe_ingest::{Ingest, IngestOptions};
use docpipe_pipeline::{Pipeline, Stage};
use docpipe_summarize::IdfTable;
use rayon::prelude::*;

use crate::cli::RunArgs;
use crate::journal::{Checkpoint, Journal};
use crate::outputs::{OutputPaths, Outputs};
use crate::progress::{total_input_bytes, Progress};
use crate::story_output::StoryOutput;
use crate::usage::UsageError;
use batches::{
    process_entry, start_reading, worker_pool, worker_threads, Batches, Entry, Outcome,
    BATCHES_IN_FLIGHT,
};
use checkpoints::{check_finished_inputs, Checkpoints};
use dedup_step::DedupStep;
use serial::Serial;
pub use stats::{stage_table, summary_line, RunStats, SkippedFile};
#[cfg(test)]
pub use writer::hex;
use writer::Writer;

pub fn run(args: &RunArgs) -> anyhow::Result<RunStats> {
    let config = args.pipeline_config()?;
    if args.batch_size == 0 {
        bail!(UsageError("--batch-size must be at least 1".into()));
    }
    let pool = worker_pool(worker_threads(args.threads, args.quiet)?)?;
    let stop = stop_on_signals();
    // Added to by the reader as it reads the input files: the progress bar's position.
    let bytes_read = Arc::new(AtomicU64::new(0));
    // Nothing is read before the outputs are known not to be inputs.
    let paths = OutputPaths::new(args);
    paths.check(args)?;
    let options = ingest_options(args, &stop, &bytes_read).skip_files(paths.identities(args));
    let ingest = Ingest::new(&args.inputs, options)?;
    // Counted by the reader, which goes to its own thread with the ingest.
    let record_skips = ingest.record_skips();
    let input_paths = ingest.input_paths().to_vec();
    let skipped = skipped_files(&ingest, args.quiet);
    let (journal, resume_from) = open_journal(args, &paths, &input_paths)?;
    let mut pipeline = Pipeline::new(&config);
    let outputs = Outputs::open(
        &paths,
        args,
        pipeline.runs(Stage::Dedup),
        resume_from.as_ref().map(|c| &c.lengths),
    )?;
    let done_before = resume_from.as_ref().map_or(0, |c| c.counts.read);
    let progress = Progress::new(
        args.quiet,
        total_input_bytes(&input_paths),
        done_before,
        bytes_read,
    );
    let started = Instant::now();
    let resumed_inputs = resume_from.as_ref().map_or(0, |c| c.inputs_done);
    let mut stats = RunStats::new(paths.format.name(), resumed_inputs, skipped);
    let batches = Batches::new(ingest, Arc::clone(&stop), args.batch_size);
    let (mut source, reader) = start_reading(batches, pool.is_some())?;
    let (ahead, story_idf) =
        choose_idf(args, &mut pipeline, &mut source, &mut stats, &pool, &stop)?;
    let stories = story_output(args, &mut pipeline, story_idf)?;
    let serial = Serial {
        writer: Writer::new(outputs, &paths, args.signatures.as_deref(), &stop),
        dedup: DedupStep::new(pipeline.dedup.config().clone()),
        checkpoints: Checkpoints::new(&input_paths, resume_from.as_ref()),
        story_inputs: crate::story_inputs::StoryInputs::open(args, &pipeline)?,
        stories,
        counts: resume_from
            .as_ref()
            .map(|c| c.counts.clone())
            .unwrap_or_default(),
        journal: journal.as_ref(),
        timing: &pipeline.timing,
        progress: &progress,
        quiet: args.quiet,
    };
    let inputs_done = stats.resumed_inputs;
    let batches = ahead.into_iter().chain(source);
    let serial = drive(
        serial,
        batches,
        pool.as_ref(),
        &pipeline,
        inputs_done,
        config.sentences,
    )?;
    batches::join_reader(reader)?;
    stats.skipped_records = record_skips.counts();
    progress.finish_and_clear();
    finish::finish(
        serial,
        stats,
        &pipeline,
        &paths,
        journal.as_ref(),
        &stop,
        started,
    )
}

/// The story tracker and its output, when the stories stage runs; the workers prepare
/// articles for it with the table it weighs terms by (the summaries', else the shipped one).
fn story_output(
    args: &RunArgs,
    pipeline: &mut Pipeline,
    idf: Option<IdfTable>,
) -> anyhow::Result<Option<StoryOutput>> {
    if !pipeline.runs(Stage::Stories) {
        return Ok(None);
    }
    let stories = StoryOutput::new(args, idf.unwrap_or_else(IdfTable::english))?;
    pipeline.use_story_preparer(stories.preparer());
    Ok(Some(stories))
}

/// Ctrl-C or SIGTERM: the reader stops, the batches already read are finished, and the
/// outputs stay under their .partial names. A second one ends the process at once (what was
/// checkpointed can still be resumed), whatever a thread is waiting for.
fn stop_on_signals() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    // Without a handler (one already set by an embedding program) signals keep their default.
    let _ = ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            eprintln!("docpipe: stopped at once; --resume goes on from the last checkpoint");
            std::process::exit(130);
        }
    });
    stop
}

fn ingest_options(
    args: &RunArgs,
    stop: &Arc<AtomicBool>,
    bytes_read: &Arc<AtomicU64>,
) -> IngestOptions {
    let options = IngestOptions::new()
        .stop_flag(Arc::clone(stop))
        .count_bytes(Arc::clone(bytes_read))
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
    match &args.stdin_name {
        Some(name) => options.stdin_name(name),
        None => options,
    }
}

/// Files of the walked folders that are docpipe outputs, not read.
fn skipped_files(ingest: &Ingest, quiet: bool) -> Vec<SkippedFile> {
    let skipped: Vec<SkippedFile> = ingest
        .skipped()
        .iter()
        .map(|skipped| SkippedFile {
            path: skipped.path.display().to_string(),
            reason: skipped.reason.to_string(),
        })
        .collect();
    if !skipped.is_empty() && !quiet {
        eprintln!(
            "docpipe: {} file(s) in the input folders are docpipe outputs and were not read \
             (listed in the stats file)",
            skipped.len()
        );
    }
    skipped
}

/// The run's journal (none for standard output or a FIFO, which cannot be cut back to a
/// checkpoint) and, with `--resume`, the checkpoint to go on from.
fn open_journal(
    args: &RunArgs,
    paths: &OutputPaths,
    input_paths: &[Option<std::path::PathBuf>],
) -> anyhow::Result<(Option<Journal>, Option<Checkpoint>)> {
    let journal = match (&paths.records, args.resume) {
        (Some(_), _) if !paths.records_stream => {
            Some(Journal::new(paths.journal.clone(), args.journal_key()?))
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
    if let Some(checkpoint) = &resume_from {
        check_finished_inputs(checkpoint, input_paths)?;
    }
    Ok((journal, resume_from))
}

/// Which IDF table weighs the summaries: `--idf`'s, the run's own from its first documents
/// (read ahead, returned to be processed first), or the shipped one. Returns the batches read
/// ahead and the table the story tracker shares.
fn choose_idf(
    args: &RunArgs,
    pipeline: &mut Pipeline,
    source: &mut batches::Source,
    stats: &mut RunStats,
    pool: &Option<rayon::ThreadPool>,
    stop: &AtomicBool,
) -> anyhow::Result<(Vec<Vec<Entry>>, Option<IdfTable>)> {
    if !pipeline.runs(Stage::Summarize) {
        return Ok((Vec::new(), None));
    }
    let summary_sentences = args.summary_sentences;
    if let Some(path) = &args.idf {
        let idf = crate::idf::load(path)?;
        pipeline.use_idf(idf.clone(), summary_sentences);
        stats.idf = "file";
        return Ok((Vec::new(), Some(idf)));
    }
    let ahead = idf_ahead::read_ahead(source, pipeline, pool.as_ref(), stop);
    if ahead.stopped {
        *source = Box::new(std::iter::empty());
    }
    if let Some(idf) = &ahead.idf {
        pipeline.use_idf(idf.clone(), summary_sentences);
        stats.idf = "run";
    }
    Ok((ahead.batches, ahead.idf))
}

/// Processes every batch and gives the outcomes to the serial end in input order. The workers
/// process and render later batches while the writer thread checks batch k against the dedup
/// index and writes it: the serial part is off the workers' critical path.
fn drive<'a>(
    mut serial: Serial<'a>,
    batches: impl Iterator<Item = Vec<Entry>>,
    pool: Option<&rayon::ThreadPool>,
    pipeline: &Pipeline,
    inputs_done: usize,
    sentences: bool,
) -> anyhow::Result<Serial<'a>> {
    let Some(pool) = pool else {
        for batch in batches {
            let outcomes = batch
                .into_iter()
                .map(|entry| process_entry(pipeline, entry, inputs_done, sentences))
                .collect();
            serial.consume(outcomes)?;
        }
        return Ok(serial);
    };
    std::thread::scope(|scope| {
        // A slot is taken for each batch handed to the workers and given back when the
        // writer has written it: at most BATCHES_IN_FLIGHT are processed or waiting.
        let (take_slot, give_back) = sync_channel::<()>(BATCHES_IN_FLIGHT);
        let (results_to_writer, results) = channel::<(usize, Vec<Outcome>)>();
        let writing = std::thread::Builder::new()
            .name("docpipe-write".to_string())
            .spawn_scoped(scope, move || -> anyhow::Result<Serial<'a>> {
                // Batches finish out of order; they are written in input order.
                let mut finished = BTreeMap::new();
                let mut next = 0;
                for (index, outcomes) in results {
                    finished.insert(index, outcomes);
                    while let Some(outcomes) = finished.remove(&next) {
                        serial.consume(outcomes)?;
                        next += 1;
                        let _ = give_back.recv();
                    }
                }
                Ok(serial)
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
                        .map(|entry| process_entry(pipeline, entry, inputs_done, sentences))
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
    })
}
