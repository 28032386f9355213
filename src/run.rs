//! `docpipe run`: a streaming reader thread feeds batches to rayon workers; results are written
//! in input order, so the output is byte-identical for any thread count.

use std::collections::BTreeMap;
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::sync_channel;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use docpipe_deduplicate::DuplicateStatus;
use docpipe_ingest::{Ingest, IngestOptions, Item};
use docpipe_summarize::IdfTable;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;

use crate::cli::{RunArgs, Stage};
use crate::process::{Engines, Processed, Reject};
use crate::record::{DuplicateRecord, RejectRecord, SignatureRecord};
use crate::render::render;
use crate::sink::{AtomicFile, Sink};

/// A run with at least this many documents weighs summary terms by IDF from its own first
/// documents (read ahead, this many at most); smaller runs use the shipped English table.
pub const RUN_IDF_DOCUMENTS: usize = 1_000;

/// Batches also close at this many bytes of input, so that a few huge documents cannot pile up.
const BATCH_BYTES: u64 = 32 * 1024 * 1024;

/// Counts of one run; `read = written + dropped + rejected` always holds.
#[derive(Serialize, Default, Debug)]
pub struct RunStats {
    pub read: u64,
    pub written: u64,
    pub rejected: u64,
    pub duplicates: u64,
    pub duplicates_dropped: u64,
    pub bytes: u64,
    pub languages: BTreeMap<String, u64>,
    /// Where summary term weights came from: `run` (the run's first documents), `file`
    /// (`--idf`) or `shipped`.
    pub idf: &'static str,
    pub seconds: f64,
    /// The run was stopped by SIGINT or SIGTERM: outputs are left as `.partial` files.
    pub interrupted: bool,
    pub stage_seconds: BTreeMap<&'static str, f64>,
}

/// Where a run writes: the records, and the side files beside them.
struct OutputPaths {
    records: Option<PathBuf>,
    rejects: PathBuf,
    duplicates: PathBuf,
    stats: PathBuf,
}

impl OutputPaths {
    fn new(args: &RunArgs) -> OutputPaths {
        let name = run_name(&args.inputs);
        let records = match &args.output {
            Some(path) if path.as_os_str() == "-" => None,
            Some(path) => Some(path.clone()),
            None => Some(PathBuf::from("output").join(format!("{name}.jsonl"))),
        };
        let base = match &records {
            Some(path) => {
                let stem = path.file_name().map(|n| n.to_string_lossy().into_owned());
                let stem = stem.unwrap_or_else(|| name.clone());
                let stem = stem.strip_suffix(".jsonl").unwrap_or(&stem).to_string();
                path.with_file_name(stem)
            }
            None => PathBuf::from("output").join(&name),
        };
        let side = |suffix: &str| {
            let mut path = base.clone().into_os_string();
            path.push(suffix);
            PathBuf::from(path)
        };
        OutputPaths {
            records,
            rejects: side(".rejects.jsonl"),
            duplicates: side(".duplicates.jsonl"),
            stats: side(".stats.json"),
        }
    }
}

/// The name of a run: the first input's file or folder name without its extensions.
fn run_name(inputs: &[PathBuf]) -> String {
    let Some(first) = inputs.first() else {
        return "docpipe".to_string();
    };
    if first.as_os_str() == "-" {
        return "stdin".to_string();
    }
    let absolute = std::fs::canonicalize(first).unwrap_or_else(|_| first.clone());
    let file_name = absolute
        .file_name()
        .map(|n| n.to_string_lossy().into_owned());
    let mut name = file_name.unwrap_or_else(|| "docpipe".to_string());
    for ext in [
        ".gz", ".zst", ".zstd", ".jsonl", ".ndjson", ".json", ".txt", ".md",
    ] {
        if let Some(stripped) = name.strip_suffix(ext) {
            name = stripped.to_string();
        }
    }
    name
}

pub fn run(args: &RunArgs) -> anyhow::Result<RunStats> {
    let reference_date = match &args.reference_date {
        Some(text) => Some(
            chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .with_context(|| format!("--reference-date {text:?} is not YYYY-MM-DD"))?,
        ),
        None => None,
    };
    if args.batch_size == 0 {
        bail!("--batch-size must be at least 1");
    }
    let threads = args.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start worker threads")?;
    let options = IngestOptions::new()
        .text_field(&args.text_field)
        .id_field(&args.id_field)
        .title_field(&args.title_field)
        .date_field(&args.date_field)
        .max_document_bytes(args.max_document_bytes)
        .stdin_first_line(args.stdin_first_line);
    let options = match &args.stdin_name {
        Some(name) => options.stdin_name(name),
        None => options,
    };
    let ingest = Ingest::new(&args.inputs, options)?;
    let paths = OutputPaths::new(args);
    let mut engines = Engines::new(args, reference_date);
    let mut records = Sink::create(paths.records.as_deref())?;
    let mut rejects = AtomicFile::create(&paths.rejects)?;
    let mut duplicates = if args.drop_duplicates && engines.runs(Stage::Dedup) {
        Some(AtomicFile::create(&paths.duplicates)?)
    } else {
        None
    };
    let mut signatures = match (&args.signatures, engines.runs(Stage::Dedup)) {
        (Some(path), true) => Some(AtomicFile::create(path)?),
        (Some(_), false) => bail!("--signatures needs the dedup stage"),
        _ => None,
    };
    let progress = progress_bar(args.quiet);
    let started = Instant::now();
    let mut stats = RunStats {
        idf: "shipped",
        ..RunStats::default()
    };
    // A table given on the command line replaces the choice by the run's size below.
    if let (Some(path), true) = (&args.idf, engines.runs(Stage::Summarize)) {
        engines.use_idf(crate::idf::load(path)?, args.summary_sentences);
        stats.idf = "file";
    }

    // Ctrl-C or SIGTERM: the reader stops, the batches already read are finished, and the
    // outputs stay under their .partial names.
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    // Without a handler (one already set by an embedding program) signals keep their default.
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
    let reader_stop = Arc::clone(&stop);

    let batch_size = args.batch_size;
    let (sender, receiver) = sync_channel::<Vec<Item>>(2);
    let reader = std::thread::spawn(move || {
        let mut batch = Vec::with_capacity(batch_size);
        let mut batch_bytes = 0;
        for item in ingest {
            if reader_stop.load(Ordering::SeqCst) {
                return;
            }
            batch_bytes += match &item {
                Item::Document(doc) => doc.bytes,
                Item::Rejected(rejected) => rejected.bytes,
            };
            batch.push(item);
            if batch.len() >= batch_size || batch_bytes >= BATCH_BYTES {
                if sender.send(std::mem::take(&mut batch)).is_err() {
                    return;
                }
                batch_bytes = 0;
            }
        }
        if !batch.is_empty() {
            let _ = sender.send(batch);
        }
    });

    // Read ahead up to RUN_IDF_DOCUMENTS documents; if there are that many, their IDF weights
    // the summaries of the whole run. The choice depends on the input alone, never on threads.
    let mut receiver = receiver.into_iter();
    let mut ahead: Vec<Vec<Item>> = Vec::new();
    if engines.runs(Stage::Summarize) && args.idf.is_none() {
        let mut documents = 0;
        while documents < RUN_IDF_DOCUMENTS {
            let Some(batch) = receiver.next() else { break };
            documents += batch
                .iter()
                .filter(|item| matches!(item, Item::Document(_)))
                .count();
            ahead.push(batch);
        }
        if documents >= RUN_IDF_DOCUMENTS {
            let texts = ahead.iter().flatten().filter_map(|item| match item {
                Item::Document(doc) => Some(doc.text.as_str()),
                Item::Rejected(_) => None,
            });
            let idf = IdfTable::from_documents(texts.take(RUN_IDF_DOCUMENTS));
            engines.use_idf(idf, args.summary_sentences);
            stats.idf = "run";
        }
    }

    let mut buffers: Vec<Vec<u8>> = Vec::new();
    for batch in ahead.into_iter().chain(receiver) {
        stats.read += batch.len() as u64;
        let results: Vec<Result<Processed, Reject>> = pool.install(|| {
            batch
                .into_par_iter()
                .map(|item| match item {
                    Item::Document(doc) => engines.process(doc),
                    Item::Rejected(rejected) => Err(Reject {
                        reason: rejected.reason.to_string(),
                        source: rejected.source,
                        bytes: rejected.bytes,
                    }),
                })
                .collect()
        });

        // Dedup sees documents strictly in input order: the verdicts never depend on threads.
        let mut kept = Vec::with_capacity(results.len());
        for result in results {
            match result {
                Err(rejected) => {
                    stats.rejected += 1;
                    stats.bytes += rejected.bytes;
                    write_json_line(&mut rejects, &reject_record(&rejected), &paths.rejects)?;
                }
                Ok(mut processed) => {
                    stats.bytes += processed.doc.bytes;
                    if let Some(fingerprint) = processed.fingerprint.take() {
                        if let (Some(file), Some(path)) = (signatures.as_mut(), &args.signatures) {
                            let rows = engines.dedup.config().rows();
                            let record = SignatureRecord {
                                id: &processed.doc.id,
                                exact: format!("{:032x}", fingerprint.exact),
                                bands: fingerprint
                                    .band_keys(rows)
                                    .map(|k| format!("{k:016x}"))
                                    .collect(),
                                fingerprint: hex(&fingerprint.to_bytes()),
                            };
                            write_json_line(file, &record, path)?;
                        }
                        let clock = Instant::now();
                        let verdict = engines
                            .dedup
                            .check_fingerprint(&processed.doc.id, fingerprint);
                        engines.timing.record(Stage::Dedup, clock);
                        if verdict.status != DuplicateStatus::Unique {
                            stats.duplicates += 1;
                        }
                        processed.verdict = Some(verdict);
                    }
                    let is_duplicate = processed
                        .verdict
                        .as_ref()
                        .is_some_and(|v| v.status != DuplicateStatus::Unique);
                    if let (true, Some(list)) = (is_duplicate, duplicates.as_mut()) {
                        stats.duplicates_dropped += 1;
                        let verdict = processed.verdict.as_ref();
                        let record = DuplicateRecord {
                            id: &processed.doc.id,
                            source: &processed.doc.source,
                            duplicate_of: verdict.and_then(|v| v.duplicate_of.as_deref()),
                            status: verdict.map_or("unique", |v| v.status.as_str()),
                            similarity: verdict.and_then(|v| v.similarity),
                        };
                        write_json_line(list, &record, &paths.duplicates)?;
                        continue;
                    }
                    if let Some(lang) = &processed.lang {
                        // Unreliable guesses are counted as undetermined, not as a language.
                        let code = lang.code.filter(|_| lang.reliable).unwrap_or("und");
                        *stats.languages.entry(code.to_string()).or_default() += 1;
                    }
                    kept.push(processed);
                }
            }
        }

        buffers.resize_with(kept.len(), Vec::new);
        pool.install(|| {
            kept.par_iter()
                .zip(buffers.par_iter_mut())
                .try_for_each(|(processed, buffer)| {
                    buffer.clear();
                    render(processed, buffer)
                })
        })
        .context("cannot serialize a record")?;
        for buffer in &buffers[..kept.len()] {
            if let Err(err) = records.write_all(buffer) {
                if err.kind() == io::ErrorKind::BrokenPipe && paths.records.is_none() {
                    // `docpipe run ... -o - | head`: the reader has all it wants.
                    std::process::exit(0);
                }
                let target = paths
                    .records
                    .as_deref()
                    .unwrap_or(Path::new("standard output"));
                return Err(err).with_context(|| format!("cannot write {}", target.display()));
            }
        }
        stats.written += kept.len() as u64;
        progress.set_message(format!(
            "{} documents, {:.1} MB",
            stats.read,
            stats.bytes as f64 / 1e6
        ));
    }
    reader
        .join()
        .map_err(|_| anyhow::anyhow!("the input reader thread failed"))?;
    progress.finish_and_clear();

    stats.interrupted = stop.load(Ordering::SeqCst);
    if stats.interrupted {
        let kept = records.abandon()?;
        rejects.abandon()?;
        if let Some(list) = duplicates {
            list.abandon()?;
        }
        if let Some(file) = signatures {
            file.abandon()?;
        }
        if let Some(path) = kept {
            eprintln!(
                "docpipe: interrupted; the records written so far are in {}",
                path.display()
            );
        }
    } else {
        records.finish()?;
        rejects.finish()?;
        if let Some(list) = duplicates {
            list.finish()?;
        }
        if let Some(file) = signatures {
            file.finish()?;
        }
    }
    stats.seconds = started.elapsed().as_secs_f64();
    for stage in &engines.stages {
        stats
            .stage_seconds
            .insert(stage.name(), engines.timing.seconds(*stage));
    }
    let mut stats_file = AtomicFile::create(&paths.stats)?;
    let json = serde_json::to_vec_pretty(&stats)?;
    stats_file
        .write_all(&json)
        .with_context(|| format!("cannot write {}", paths.stats.display()))?;
    stats_file.finish()?;
    Ok(stats)
}

fn reject_record(rejected: &Reject) -> RejectRecord<'_> {
    RejectRecord {
        source: &rejected.source,
        reason: &rejected.reason,
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

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn progress_bar(quiet: bool) -> ProgressBar {
    if quiet || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {elapsed} {msg}") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// The one line printed at the end of a run.
pub fn summary_line(stats: &RunStats) -> String {
    let languages: Vec<String> = stats
        .languages
        .iter()
        .map(|(lang, count)| format!("{lang}:{count}"))
        .collect();
    let megabytes = stats.bytes as f64 / 1e6;
    format!(
        "docpipe: {}read {}, written {}, rejected {}, duplicates {} (dropped {}), languages [{}], {:.1} MB in {:.2} s ({:.1} MB/s)",
        if stats.interrupted { "interrupted, " } else { "" },
        stats.read,
        stats.written,
        stats.rejected,
        stats.duplicates,
        stats.duplicates_dropped,
        languages.join(" "),
        megabytes,
        stats.seconds,
        megabytes / stats.seconds.max(1e-9),
    )
}

/// Per-stage figures for `--stats`: CPU seconds summed over threads, and MB/s per core.
pub fn stage_table(stats: &RunStats) -> String {
    let megabytes = stats.bytes as f64 / 1e6;
    let mut table = String::from("stage       cpu-s    MB/s/core   docs/s/core\n");
    for (stage, seconds) in &stats.stage_seconds {
        let seconds = seconds.max(1e-9);
        table.push_str(&format!(
            "{stage:<10} {seconds:>7.2} {:>11.1} {:>13.0}\n",
            megabytes / seconds,
            stats.read as f64 / seconds
        ));
    }
    table.push_str(&format!(
        "end-to-end {:>7.2} s wall, {:.1} MB/s, {:.0} docs/s\n",
        stats.seconds,
        megabytes / stats.seconds.max(1e-9),
        stats.read as f64 / stats.seconds.max(1e-9)
    ));
    table
}
