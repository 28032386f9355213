//! The IDF read-ahead: a run of at least [`RUN_IDF_DOCUMENTS`] documents weighs summary terms
//! by IDF from its own first documents, read before any is processed.

use std::sync::atomic::{AtomicBool, Ordering};

use docpipe_ingest::{Item, RawItem};
use docpipe_pipeline::{Pipeline, StageClock};
use docpipe_summarize::IdfTable;
use rayon::prelude::*;

use super::batches::{Entry, Source};
use crate::idf::{idf_sample, RUN_IDF_BYTES, RUN_IDF_DOCUMENTS};

/// What the read-ahead found.
pub struct ReadAhead {
    /// The batches read, parsed, to be processed first.
    pub batches: Vec<Vec<Entry>>,
    /// The run's own table, when there were enough documents for one.
    pub idf: Option<IdfTable>,
    /// A stop request came before there were enough documents: nothing is to be processed.
    pub stopped: bool,
}

/// Reads ahead up to [`RUN_IDF_DOCUMENTS`] documents (or [`RUN_IDF_BYTES`] of text); if there
/// are that many, their IDF table is returned. The choice depends on the input alone, never on
/// threads, and a resumed run reads the same first documents again.
pub fn read_ahead(
    source: &mut Source,
    pipeline: &Pipeline,
    pool: Option<&rayon::ThreadPool>,
    stop: &AtomicBool,
) -> ReadAhead {
    let mut ahead: Vec<Vec<Entry>> = Vec::new();
    let (mut documents, mut bytes) = (0, 0);
    while documents < RUN_IDF_DOCUMENTS && bytes < RUN_IDF_BYTES {
        let Some(batch) = source.next() else { break };
        // The table needs these texts now, so these batches are parsed here, on the workers
        // when there are some: extracting HTML pages costs more than the rest.
        let parse = |Entry { input, item }: Entry| {
            let clock = StageClock::start();
            let item = RawItem::from(item.parse());
            pipeline.timing.record_parse(clock);
            Entry { input, item }
        };
        let batch: Vec<Entry> = match pool {
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
        return ReadAhead {
            batches: ahead,
            idf: Some(idf),
            stopped: false,
        };
    }
    // Interrupted before the reader got that far: the run might have been long enough for its
    // own table, so summaries made now could differ from an uninterrupted run's. Nothing is
    // processed; a resumed run starts from the beginning.
    let stopped = stop.load(Ordering::SeqCst);
    if stopped {
        ahead.clear();
    }
    ReadAhead {
        batches: ahead,
        idf: None,
        stopped,
    }
}
