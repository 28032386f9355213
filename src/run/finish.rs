//! The end of a run: the outputs put in place (or left as `.partial` files when it was
//! interrupted), the stats file written.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::Context;
use docpipe_pipeline::{Pipeline, Stage, StageClock};

use super::serial::Serial;
use super::stats::RunStats;
use crate::journal::Journal;
use crate::outputs::{OutputPaths, Outputs};
use crate::sink::AtomicFile;

pub fn finish(
    serial: Serial<'_>,
    mut stats: RunStats,
    pipeline: &Pipeline,
    paths: &OutputPaths,
    journal: Option<&Journal>,
    stop: &AtomicBool,
    started: Instant,
) -> anyhow::Result<RunStats> {
    let Serial {
        writer,
        dedup,
        checkpoints,
        stories,
        story_inputs,
        counts,
        ..
    } = serial;
    dedup.leak();
    let (mut outputs, output_closed) = writer.into_outputs();
    stats.counts = counts;
    stats.counts.skipped_records_total = stats.skipped_records.values().sum();
    stats.output_closed = output_closed;
    stats.interrupted = stop.load(Ordering::SeqCst) && !output_closed;
    if stats.interrupted {
        if let Some(inputs) = story_inputs {
            inputs.abandon()?;
        }
        if let Some(path) = outputs.abandon()? {
            eprintln!(
                "docpipe: interrupted; the records written so far are in {} \
                 (run again with --resume to go on)",
                path.display()
            );
        }
    } else {
        checkpoints.finish()?;
        if let Some(inputs) = story_inputs {
            inputs.finish()?;
        }
        // The stories still open are written before the records are finished, in whichever
        // format: a stop during the Parquet conversion below leaves them in the `.partial`
        // stories file, which a resumed run cuts back to its checkpoint like the others.
        if let (Some(stories), Some(file)) = (stories, outputs.stories.as_mut()) {
            let clock = StageClock::start();
            stories.finish(file, &paths.stories)?;
            pipeline.timing.record(Stage::Stories, clock);
        }
        if let (Some(spool), Some(parquet)) = (&paths.records, &paths.parquet) {
            stats.interrupted = finish_parquet(outputs, spool, parquet, journal, stop)?;
        } else {
            finish_jsonl(outputs, journal)?;
        }
    }
    stats.seconds = started.elapsed().as_secs_f64();
    stats.add_timing(&pipeline.stages, &pipeline.timing);
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
    anyhow::bail!("cannot write {}: built without Parquet", parquet.display())
}
