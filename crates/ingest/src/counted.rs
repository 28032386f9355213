//! Bytes read from input files, counted as they are read, for a caller's progress report
//! ([`IngestOptions::count_bytes`](crate::IngestOptions::count_bytes)).

use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// A reader that adds every byte it hands out to a shared counter. It sits under any
/// decompression, so a compressed file counts its compressed bytes: the counter then ends at
/// the files' total size, which is what an ETA needs.
pub(crate) struct Counted<R> {
    inner: R,
    counter: Arc<AtomicU64>,
}

impl<R> Counted<R> {
    pub(crate) fn new(inner: R, counter: Arc<AtomicU64>) -> Self {
        Counted { inner, counter }
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        // Only a progress figure: no other memory depends on it, so no ordering is needed.
        self.counter.fetch_add(read as u64, Ordering::Relaxed);
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::path::PathBuf;

    use super::*;
    use crate::{Ingest, IngestOptions};

    #[test]
    fn the_counter_ends_at_the_total_size_of_the_input_files() {
        let dir = tempfile::tempdir().unwrap();
        let lines: String = (0..500)
            .map(|i| format!("{{\"id\": \"{i}\", \"text\": \"Article number {i}.\"}}\n"))
            .collect();
        std::fs::write(dir.path().join("a.jsonl"), &lines).unwrap();
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gzip.write_all(lines.as_bytes()).unwrap();
        std::fs::write(dir.path().join("b.jsonl.gz"), gzip.finish().unwrap()).unwrap();
        std::fs::write(dir.path().join("c.txt"), "A text article of one line.").unwrap();
        let total: u64 = ["a.jsonl", "b.jsonl.gz", "c.txt"]
            .iter()
            .map(|name| std::fs::metadata(dir.path().join(name)).unwrap().len())
            .sum();

        let counter = Arc::new(AtomicU64::new(0));
        let options = IngestOptions::new().count_bytes(Arc::clone(&counter));
        let ingest = Ingest::new(&[PathBuf::from(dir.path())], options).unwrap();
        assert_eq!(ingest.count(), 1001);
        assert_eq!(counter.load(Ordering::Relaxed), total);
    }
}
