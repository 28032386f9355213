//! The progress bar of `docpipe run` on standard error: bytes of the input files read out of
//! their total, documents per second and the time left; a spinner when the total is unknown
//! (standard input, a FIFO); nothing when standard error is not a terminal or with `-q`.

use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// How often the bar redraws by itself, between the writer's updates.
const TICK: Duration = Duration::from_millis(200);

/// The bar, with the counter the reader adds the bytes it reads to
/// (`IngestOptions::count_bytes`).
pub struct Progress {
    bar: ProgressBar,
    bytes_read: Arc<AtomicU64>,
    started: Instant,
    /// Documents counted before this process started (a resumed run's), left out of the rate.
    documents_before: u64,
}

impl Progress {
    /// A bar over `total` bytes of input, a spinner when that is unknown, or a hidden bar;
    /// its position is what the reader has added to `bytes_read`.
    pub fn new(
        quiet: bool,
        total: Option<u64>,
        documents_before: u64,
        bytes_read: Arc<AtomicU64>,
    ) -> Progress {
        let bar = if quiet || !io::stderr().is_terminal() {
            ProgressBar::hidden()
        } else {
            styled(total)
        };
        Progress {
            bar,
            bytes_read,
            started: Instant::now(),
            documents_before,
        }
    }

    #[cfg(test)]
    pub fn is_hidden(&self) -> bool {
        self.bar.is_hidden()
    }

    /// Called by the writer after each batch with the documents counted so far.
    pub fn update(&self, documents: u64) {
        self.bar
            .set_position(self.bytes_read.load(Ordering::Relaxed));
        let seconds = self.started.elapsed().as_secs_f64().max(1e-3);
        let rate = documents.saturating_sub(self.documents_before) as f64 / seconds;
        self.bar
            .set_message(format!("{documents} documents, {rate:.0} docs/s"));
    }

    pub fn finish_and_clear(&self) {
        self.bar.finish_and_clear();
    }
}

fn styled(total: Option<u64>) -> ProgressBar {
    let (bar, template) = match total {
        Some(total) => (
            ProgressBar::new(total),
            "{elapsed_precise} [{wide_bar}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left) {msg}",
        ),
        None => (
            ProgressBar::new_spinner(),
            "{spinner} {elapsed_precise} {bytes} read, {msg}",
        ),
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.enable_steady_tick(TICK);
    bar
}

/// The total size of the input files, when every input is a regular file (`None` for
/// standard input or a FIFO, whose size is not known until they end): inputs that cannot be
/// looked at count as empty, as they are rejected unread.
pub fn total_input_bytes(inputs: &[Option<PathBuf>]) -> Option<u64> {
    inputs.iter().try_fold(0u64, |total, input| {
        let path = input.as_deref()?;
        match std::fs::metadata(path) {
            Ok(metadata) if metadata.is_file() => Some(total + metadata.len()),
            Ok(_) => None,
            Err(_) => Some(total),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_total_is_known_for_files_only() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.jsonl");
        std::fs::write(&a, "0123456789").unwrap();
        let missing = dir.path().join("gone.jsonl");
        assert_eq!(
            total_input_bytes(&[Some(a.clone()), Some(missing), Some(a.clone())]),
            Some(20)
        );
        // Standard input.
        assert_eq!(total_input_bytes(&[Some(a), None]), None);
        #[cfg(unix)]
        assert_eq!(total_input_bytes(&[Some(PathBuf::from("/dev/null"))]), None);
    }

    #[test]
    fn a_quiet_run_has_no_bar() {
        let counter = Arc::new(AtomicU64::new(0));
        assert!(Progress::new(true, Some(10), 0, Arc::clone(&counter)).is_hidden());
        assert!(Progress::new(true, None, 0, counter).is_hidden());
    }
}
