//! `docpipe eval langid`: language identification on `../shared/eval/langid/dev.jsonl`, with
//! the accuracy figures of its `score.py` (micro, macro, per kind).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use docpipe_normalize::LanguageDetector;
use serde::{Deserialize, Serialize};

use super::common::{default_predictions, print_metrics, read_jsonl, write_jsonl};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Gold items: `{id, text, lang, kind}` per line.
    #[arg(long, default_value = "../shared/eval/langid/dev.jsonl")]
    gold: PathBuf,
    /// Where to write `{id, lang}` predictions (`null` = abstain).
    #[arg(long)]
    predictions: Option<PathBuf>,
    /// Bytes of words the detector reads (0 = all).
    #[arg(long, default_value_t = docpipe_normalize::DEFAULT_SAMPLE_BYTES)]
    sample_bytes: usize,
    /// Print the metrics as one JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Deserialize)]
struct Item {
    id: String,
    text: String,
    lang: String,
    kind: String,
}

#[derive(Serialize)]
struct Prediction<'a> {
    id: &'a str,
    lang: Option<&'static str>,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let items: Vec<Item> = read_jsonl(&args.gold)?;
    let detector = LanguageDetector::new().sample_bytes(args.sample_bytes);
    let started = Instant::now();
    let guesses: Vec<Option<&'static str>> = items
        .iter()
        .map(|item| detector.detect(&item.text).code)
        .collect();
    let seconds = started.elapsed().as_secs_f64();
    let bytes: usize = items.iter().map(|item| item.text.len()).sum();

    let mut per_lang: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut per_kind: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut correct = 0;
    for (item, guess) in items.iter().zip(&guesses) {
        let hit = usize::from(*guess == Some(item.lang.as_str()));
        correct += hit;
        let entry = per_lang.entry(&item.lang).or_default();
        entry.0 += hit;
        entry.1 += 1;
        let entry = per_kind.entry(&item.kind).or_default();
        entry.0 += hit;
        entry.1 += 1;
    }
    let predictions: Vec<Prediction> = items
        .iter()
        .zip(&guesses)
        .map(|(item, guess)| Prediction {
            id: &item.id,
            lang: *guess,
        })
        .collect();
    let path = args
        .predictions
        .clone()
        .unwrap_or_else(|| default_predictions("langid"));
    write_jsonl(&path, &predictions)?;

    let ratio = |(hit, total): (usize, usize)| hit as f64 / total.max(1) as f64;
    let macro_accuracy =
        per_lang.values().map(|&counts| ratio(counts)).sum::<f64>() / per_lang.len().max(1) as f64;
    let mut metrics = vec![
        ("accuracy", ratio((correct, items.len()))),
        ("macro_accuracy", macro_accuracy),
        (
            "abstained",
            guesses.iter().filter(|g| g.is_none()).count() as f64,
        ),
        ("mb_per_s", bytes as f64 / 1e6 / seconds.max(1e-9)),
    ];
    let kinds: Vec<(String, f64)> = per_kind
        .iter()
        .map(|(kind, &counts)| (format!("accuracy_{kind}"), ratio(counts)))
        .collect();
    for (name, value) in &kinds {
        metrics.push((name.as_str(), *value));
    }
    print_metrics(args.json, "Language identification", &metrics)
}
