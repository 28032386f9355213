//! The reading side of a run and the work of each worker: inputs read in batches, each item
//! parsed and put through the pipeline, its record rendered.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::sync_channel;
use std::sync::Arc;

use anyhow::{bail, Context};
use docpipe_deduplicate::{Prepared, Verdict};
use docpipe_ingest::{Ingest, Item, RawItem};
use docpipe_pipeline::{
    render, unserializable, Depth, Gaps, Pipeline, Processed, Reject, StageClock,
};

use crate::usage::UsageError;

/// Batches also close at this many bytes of input, so that a few huge documents cannot pile up.
/// News articles (1-2 KB) never reach it in a 512-document batch; 1,100 documents of 512 KB
/// on 2 threads peaked at 647 MiB with 32 MiB batches and 191 MiB with 8 MiB ones.
const BATCH_BYTES: u64 = 8 * 1024 * 1024;

/// Batches processed or waiting to be written at any time (with workers): enough that the
/// workers have the next batch at hand when the writer was kept off a core for a moment, few
/// enough to bound memory. With 3 in flight and 2 read ahead, the two rayon workers yielded
/// about 2,250 times looking for work on news_en_combined; with 4 and 4, about half as often
/// (`strace -f -e trace=sched_yield` around a 2-thread run).
pub const BATCHES_IN_FLIGHT: usize = 4;
/// Batches the reader thread reads ahead of the workers, for the same reason as
/// [`BATCHES_IN_FLIGHT`] when the reader is the one kept off a core.
const BATCHES_READ_AHEAD: usize = 4;

/// Most worker threads a run starts: more than this gains nothing on any machine docpipe
/// runs on, and thousands cost their start-up alone (5,000 took 56 s and 827 MiB for 50
/// documents).
pub const MAX_THREADS: usize = 1024;

/// One item read, with the position of the input file it came from. Its JSON, if any, is
/// parsed by the worker that processes it, not by the reader.
pub struct Entry {
    pub input: usize,
    pub item: RawItem,
}

/// Reads the inputs in batches of `batch_size` items (or `BATCH_BYTES`). A stop request (Ctrl-C)
/// ends the reading: the batch being filled is dropped, the batches already handed out are
/// finished.
pub struct Batches {
    ingest: Ingest,
    stop: Arc<AtomicBool>,
    batch_size: usize,
    done: bool,
}

impl Batches {
    pub fn new(ingest: Ingest, stop: Arc<AtomicBool>, batch_size: usize) -> Self {
        Batches {
            ingest,
            stop,
            batch_size,
            done: false,
        }
    }
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

/// The batches as the run takes them. With workers, a reader thread decompresses the input and
/// finds its lines while the workers process the batches read before (the JSON of each line
/// is parsed by a worker); its handle is returned to be joined.
pub type Source = Box<dyn Iterator<Item = Vec<Entry>>>;

pub fn start_reading(
    batches: Batches,
    threaded: bool,
) -> anyhow::Result<(Source, Option<std::thread::JoinHandle<()>>)> {
    if !threaded {
        return Ok((Box::new(batches), None));
    }
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
    Ok((Box::new(receiver.into_iter()), Some(reader)))
}

/// Waits for the reader thread, if there is one, to end.
pub fn join_reader(reader: Option<std::thread::JoinHandle<()>>) -> anyhow::Result<()> {
    match reader.map(|reader| reader.join()) {
        Some(Err(_)) => bail!("the input reader thread failed"),
        _ => Ok(()),
    }
}

/// Worker threads a run starts for `--threads`: `None` (or 0) for one per core; a request above
/// four per core is cut to that, since the output is the same for any number.
pub fn worker_threads(requested: Option<usize>, quiet: bool) -> anyhow::Result<Option<usize>> {
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

/// The pool of workers for `--threads`; `None` for one thread, where reading, processing and
/// writing take turns on this thread, so `--threads 1` uses one core, not a worker beside a
/// reader and a writer.
pub fn worker_pool(threads: Option<usize>) -> anyhow::Result<Option<rayon::ThreadPool>> {
    if threads == Some(1) {
        return Ok(None);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .context("cannot start worker threads")?;
    Ok(Some(pool).filter(|pool| pool.current_num_threads() > 1))
}

/// A document after the workers, with the position of its input file.
pub type Outcome = (usize, Result<Rendered, Reject>);

/// A processed document as the serial end of the run needs it: its record rendered on the
/// worker, all but the dedup verdict and the story, which only the serial end can give (they
/// depend on every earlier document), and what the side files and counts need. The document
/// itself is freed on the worker.
pub struct Rendered {
    pub id: String,
    pub source: String,
    pub bytes: u64,
    /// Language code and whether the guess is reliable, when the language stage ran.
    pub language: Option<(Option<&'static str>, bool)>,
    pub fingerprint: Option<Prepared>,
    pub verdict: Option<Verdict>,
    /// What the story tracker needs of the document, when the stories stage runs.
    pub story: Option<docpipe_stories::PreparedArticle>,
    /// The document's story, once the tracker has put it in one.
    pub story_id: Option<String>,
    /// The record line; empty for a replayed input, whose records are already written.
    pub record: Vec<u8>,
    /// Where the verdict and the story go in `record`, when dedup and stories ran on it.
    pub gaps: Gaps,
}

/// What a worker does with one item: parse it, run the pipeline, render the record.
pub fn process_entry(
    pipeline: &Pipeline,
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
    let clock = StageClock::start();
    let item = item.parse();
    pipeline.timing.record_parse(clock);
    let result = match item {
        Item::Document(doc) => pipeline
            .process(doc, depth)
            .and_then(|processed| rendered(processed, depth, sentences)),
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
/// the serial end needs of the rest.
fn rendered(mut processed: Processed, depth: Depth, sentences: bool) -> Result<Rendered, Reject> {
    let mut record = Vec::new();
    let mut gaps = Gaps::default();
    if depth == Depth::Full {
        // `render` reserves room for the whole record up front (text and spans); reserving
        // here too would make the allocator copy an unused buffer when its estimate is larger.
        match render(&processed, sentences, &mut record) {
            Ok(at) => gaps = at,
            Err(err) => return Err(unserializable(processed.doc, &err)),
        }
    }
    Ok(Rendered {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thread_requests_are_bounded() {
        assert!(worker_threads(Some(MAX_THREADS + 1), true).is_err());
        assert_eq!(worker_threads(Some(0), true).unwrap(), None);
        assert_eq!(worker_threads(Some(1), true).unwrap(), Some(1));
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let most = (4 * cores).max(2);
        assert_eq!(worker_threads(Some(MAX_THREADS), true).unwrap(), Some(most));
    }

    #[test]
    fn one_thread_runs_without_a_pool() {
        assert!(worker_pool(Some(1)).unwrap().is_none());
        assert_eq!(
            worker_pool(Some(2))
                .unwrap()
                .map(|p| p.current_num_threads()),
            Some(2)
        );
    }
}
