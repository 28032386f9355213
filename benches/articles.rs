//! Real article text for the stage benches (included by each crate's bench with `#[path]`).
//! Reads `../shared/corpora/news_en_combined` (evaluation-only licence: read at bench time,
//! never copied), and falls back to the repository's own `corpus/` when it is absent.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;

fn repo_root() -> PathBuf {
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    while !dir.join("corpus").is_dir() && dir.pop() {}
    dir
}

/// Up to `limit` article texts, in corpus order.
pub fn articles(limit: usize) -> Vec<String> {
    let path = repo_root().join("../shared/corpora/news_en_combined/news_en_combined.jsonl.gz");
    if let Ok(file) = std::fs::File::open(&path) {
        let reader = BufReader::new(flate2::read::MultiGzDecoder::new(file));
        return reader
            .lines()
            .map_while(Result::ok)
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(&line).ok())
            .filter_map(|value| value.get("text")?.as_str().map(str::to_string))
            .take(limit)
            .collect();
    }
    eprintln!("../shared is absent: benching on corpus/ only");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(repo_root().join("corpus"))
        .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.sort();
    paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

/// A sample spread over the whole corpus (Reuters, BBC and CNN), its longest article, and a
/// short one (under 600 bytes).
pub fn sample() -> (Vec<String>, String, String) {
    let all = articles(usize::MAX);
    let step = (all.len() / 1500).max(1);
    let sample: Vec<String> = all.iter().step_by(step).cloned().collect();
    let long = all
        .iter()
        .max_by_key(|t| t.len())
        .cloned()
        .unwrap_or_default();
    let short = all
        .iter()
        .find(|t| (300..600).contains(&t.len()))
        .cloned()
        .unwrap_or_else(|| long.clone());
    (sample, long, short)
}

pub fn bytes(texts: &[String]) -> u64 {
    texts.iter().map(|t| t.len() as u64).sum()
}
