//! Index memory for many documents: checks N synthetic, mostly distinct documents and prints
//! the index's own estimate of bytes per document and the process's peak RSS.
//!
//!     cargo run --release -p docpipe-deduplicate --example memory -- 1000000

use docpipe_deduplicate::{DedupConfig, Deduplicator};

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let mut dedup = Deduplicator::new(DedupConfig::default());
    let words = [
        "market", "council", "minister", "river", "season", "bank", "talks", "trade", "storm",
        "court",
    ];
    let mut text = String::with_capacity(2048);
    let started = std::time::Instant::now();
    for i in 0..count {
        text.clear();
        // About 120 tokens, unique per document: a seeded walk over words and numbers.
        let mut state = i as u64 ^ 0x9E37_79B9_7F4A_7C15;
        for _ in 0..60 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            text.push_str(words[(state % 10) as usize]);
            text.push(' ');
            text.push_str(&(state % 1000).to_string());
            text.push(' ');
        }
        dedup.check(&format!("doc-{i}"), &text);
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .unwrap_or("VmHWM: unknown");
    println!(
        "{count} documents in {:.1} s; index estimate {} bytes/document; peak RSS {}",
        started.elapsed().as_secs_f64(),
        dedup.bytes_per_document(),
        peak.trim_start_matches("VmHWM:").trim()
    );
}
