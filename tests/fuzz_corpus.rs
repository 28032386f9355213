//! Replays the committed fuzz corpora (`fuzz/corpus/<target>/`) through the same stage calls
//! and invariant checks as the fuzz targets, without libFuzzer, so that every input a fuzz run
//! kept, crashes it found included, stays a regression test in CI.

#[path = "../fuzz/fuzz_targets/checks.rs"]
mod checks;

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

fn corpus_files(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{}: {err} (the corpus must be committed)", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.expect("listing the corpus").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    // An empty corpus would make this test pass without checking anything.
    assert!(!files.is_empty(), "{}: no corpus files", dir.display());
    files
}

/// Runs every file, then fails naming all the files that failed, not only the first.
fn replay(target: &str, check: fn(&[u8])) {
    let mut failed = Vec::new();
    let files = corpus_files(target);
    for path in &files {
        let data = std::fs::read(path).expect("reading a corpus file");
        if panic::catch_unwind(AssertUnwindSafe(|| check(&data))).is_err() {
            failed.push(path.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} {target} inputs failed:\n{}",
        failed.len(),
        files.len(),
        failed.join("\n")
    );
}

#[test]
fn ingest_corpus() {
    replay("ingest", checks::ingest);
}

#[test]
fn normalize_corpus() {
    replay("normalize", checks::normalize);
}

#[test]
fn date_extract_corpus() {
    replay("date_extract", checks::date_extract);
}

#[test]
fn summarize_corpus() {
    replay("summarize", checks::summarize);
}

#[test]
fn scaling_corpus() {
    replay("scaling", checks::scaling);
}

#[test]
fn extract_corpus() {
    replay("extract", checks::extract);
}

/// The normalize corpus (texts of every shape) through the whole pipeline: the `pipeline`
/// target's own corpus starts from it.
#[test]
fn pipeline_corpus() {
    replay("normalize", checks::pipeline);
}
