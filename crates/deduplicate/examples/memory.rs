//! Index memory per unique document: checks synthetic news-like documents, all distinct, and
//! at each count given prints the process's resident memory (VmRSS) and the index's own heap;
//! then the slope between the first and the last count, which is what each further document
//! costs (start-up, the binary and the allocator's own pages are in the intercept, not in it).
//!
//!     cargo run --release -p docpipe-deduplicate --example memory -- 25000 100000
//!
//! The documents look like the news the index sees (`news_en_combined`: 246 words, 6 distinct
//! figures in the sketch, 18-byte ids on average): 250 words drawn from a 20,000-word
//! vocabulary with a skewed (Zipf-like) frequency, a figure every 40 words, ids like
//! `wire-2024-0001234`. Linux only (it reads `/proc/self/status`).

use docpipe_deduplicate::{DedupConfig, Deduplicator, DuplicateStatus};

const WORDS: usize = 250;
const VOCABULARY: usize = 20_000;
const WORDS_PER_FIGURE: usize = 40;
const SYLLABLES: [&str; 16] = [
    "ka", "ter", "mon", "si", "lo", "ran", "de", "vi", "sto", "al", "men", "tu", "pre", "ga", "ix",
    "ber",
];

/// A small xorshift generator: the documents are the same on every run.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn vocabulary() -> Vec<String> {
    let mut random = Random(0x2545_F491_4F6C_DD1D);
    (0..VOCABULARY)
        .map(|_| {
            let syllables = 1 + (random.next() % 3) as usize;
            (0..syllables)
                .map(|_| SYLLABLES[(random.next() % 16) as usize])
                .collect()
        })
        .collect()
}

fn document(number: usize, vocabulary: &[String], text: &mut String) {
    text.clear();
    let mut random = Random(number as u64 ^ 0x9E37_79B9_7F4A_7C15);
    for _ in 0..8 {
        random.next();
    }
    for word in 0..WORDS {
        if word % WORDS_PER_FIGURE == WORDS_PER_FIGURE - 1 {
            text.push_str(&(random.next() % 100_000).to_string());
        } else {
            // Cubing a uniform value favours the first words, as real text favours "the".
            let pick = (random.unit().powi(3) * VOCABULARY as f64) as usize;
            text.push_str(&vocabulary[pick.min(VOCABULARY - 1)]);
        }
        text.push(if word % 20 == 19 { '.' } else { ' ' });
    }
}

/// Resident memory in bytes, from `/proc/self/status`.
fn resident() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| {
            value
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .map_or(0, |kib| kib * 1024)
}

fn main() {
    let mut counts: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|arg| arg.parse().ok())
        .collect();
    if counts.is_empty() {
        counts = vec![25_000, 100_000];
    }
    counts.sort_unstable();
    let vocabulary = vocabulary();
    let mut dedup = Deduplicator::new(DedupConfig::default());
    let mut text = String::with_capacity(4096);
    let mut points = Vec::new();
    let mut duplicates = 0;
    let started = std::time::Instant::now();
    let mut done = 0;
    for &count in &counts {
        while done < count {
            document(done, &vocabulary, &mut text);
            let id = format!("wire-2024-{done:07}");
            if dedup.check(&id, &text).status != DuplicateStatus::Unique {
                duplicates += 1;
            }
            done += 1;
        }
        let (rss, heap) = (resident(), dedup.index().heap_bytes() as u64);
        println!(
            "{count:>9} documents: RSS {:>7.1} MiB, index heap {:>7.1} MiB ({} bytes/document)",
            rss as f64 / 1048576.0,
            heap as f64 / 1048576.0,
            dedup.index().bytes_per_document()
        );
        points.push((count, rss, heap));
    }
    if let (Some(first), Some(last)) = (points.first(), points.last()) {
        let documents = (last.0 - first.0).max(1) as f64;
        println!(
            "slope {}..{}: RSS {:.0} bytes/document, index heap {:.0} bytes/document; {duplicates} duplicates; {:.1} s",
            first.0,
            last.0,
            (last.1 as f64 - first.1 as f64) / documents,
            (last.2 as f64 - first.2 as f64) / documents,
            started.elapsed().as_secs_f64()
        );
    }
}
