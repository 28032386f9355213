//! Summarizes the first N articles of a JSON Lines corpus (default 1,000) with their keywords,
//! for profiling the stage alone (`valgrind --tool=callgrind`, `perf record`): normalizing and
//! segmenting are done first, outside the loop that is repeated `ROUNDS` times.
//!
//!     cargo build --release -p docpipe-summarize --example profile_news
//!     valgrind --tool=callgrind target/release/examples/profile_news \
//!         ../shared/corpora/news_en_combined/news_en_combined.jsonl.gz 1000 1
//!
//! It prints a checksum of the chosen sentences and keywords, so that two builds can be
//! compared.

use std::io::{BufRead, BufReader, Read};

use docpipe_normalize::{segment, Normalizer};
use docpipe_summarize::{SentenceInput, Summarizer};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let Some(input) = args.get(1) else {
        return Err("usage: profile_news CORPUS.jsonl[.gz] [ARTICLES] [ROUNDS]".into());
    };
    let limit: usize = args.get(2).map_or(Ok(1000), |n| n.parse())?;
    let rounds: usize = args.get(3).map_or(Ok(1), |n| n.parse())?;
    let file = std::fs::File::open(input)?;
    let reader: Box<dyn Read> = if input.ends_with(".gz") {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let normalizer = Normalizer::new();
    let mut documents: Vec<(String, Vec<SentenceInput>)> = Vec::new();
    for line in BufReader::new(reader).lines().take(limit) {
        let value: serde_json::Value = serde_json::from_str(&line?)?;
        let Some(text) = value.get("text").and_then(|t| t.as_str()) else {
            continue;
        };
        let text = normalizer.normalize(text);
        let sentences = SentenceInput::from_blocks(&segment(&text));
        documents.push((text, sentences));
    }
    let summarizer = Summarizer::new();
    let bytes: usize = documents.iter().map(|(text, _)| text.len()).sum();
    let started = std::time::Instant::now();
    let cpu_started = thread_cpu_seconds();
    let mut checksum = 0u64;
    for _ in 0..rounds {
        for (text, sentences) in &documents {
            let (summary, keywords) = summarizer.summary_and_keywords(text, sentences, 10);
            for &index in &summary.sentences {
                checksum = checksum.wrapping_mul(31).wrapping_add(index as u64);
            }
            for keyword in &keywords {
                for byte in keyword.phrase.bytes() {
                    checksum = checksum.wrapping_mul(31).wrapping_add(u64::from(byte));
                }
                checksum = checksum.wrapping_add(keyword.score.to_bits());
            }
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let cpu = thread_cpu_seconds()
        .zip(cpu_started)
        .map(|(end, start)| end - start);
    let megabytes = (bytes * rounds) as f64 / 1e6;
    println!(
        "{} documents, {:.1} MB, {rounds} rounds: {seconds:.3} s wall, {:.1} MB/s; {} CPU; checksum {checksum:016x}",
        documents.len(),
        bytes as f64 / 1e6,
        megabytes / seconds,
        cpu.map_or("no".to_string(), |cpu| format!("{cpu:.2} s, {:.1} MB/CPU-s", megabytes / cpu)),
    );
    Ok(())
}

/// This thread's user + system CPU seconds (Linux: `/proc/thread-self/stat`, in clock ticks
/// of 1/100 s), which a busy machine does not inflate as it does wall time.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |index: usize| fields.get(index)?.parse::<f64>().ok();
    Some((ticks(11)? + ticks(12)?) / 100.0)
}
