//! `docpipe eval langid`: language identification on `../shared/eval/langid/dev.jsonl`, with
//! the accuracy figures of its `score.py` (micro, macro, per kind, per length bucket), and
//! accuracy by confidence bucket, from which `lang_reliable`'s threshold is chosen. The texts
//! go through `docpipe run` itself; `mb_per_s` is the run's own time in the `lang` stage.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::common::{default_predictions, print_metrics, read_jsonl, run_pipeline, write_jsonl};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Gold items: `{id, text, lang, kind}` per line.
    #[arg(long, default_value = "../shared/eval/langid/dev.jsonl")]
    gold: PathBuf,
    /// Where to write `{id, lang}` predictions (`null` = abstain).
    #[arg(long)]
    predictions: Option<PathBuf>,
    /// Print the metrics as one JSON object.
    #[arg(long)]
    json: bool,
}

/// Length buckets in characters, as `score.py` and whatlang's benchmark cut them: name, most.
const LENGTH_BUCKETS: [(&str, usize); 4] = [
    ("le20", 20),
    ("21_50", 50),
    ("51_100", 100),
    ("gt100", usize::MAX),
];

/// Confidence buckets: name, least confidence.
const CONFIDENCE_BUCKETS: [(&str, f64); 7] = [
    ("lt0.5", 0.0),
    ("0.5_0.7", 0.5),
    ("0.7_0.8", 0.7),
    ("0.8_0.9", 0.8),
    ("0.9_0.95", 0.9),
    ("0.95_0.99", 0.95),
    ("ge0.99", 0.99),
];

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
    lang: Option<&'a str>,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let items: Vec<Item> = read_jsonl(&args.gold)?;
    // The texts go through `docpipe run` as a user's JSON Lines would: normalization, then the
    // `lang` stage. A text the run rejects (empty once normalized) gets no language.
    let run = run_pipeline(&[args.gold.as_path()], &["--stages", "normalize,lang"])?;
    let by_id = run.by_id();
    let found: Vec<Found<'_>> = items
        .iter()
        .map(|item| {
            by_id
                .get(item.id.as_str())
                .map_or_else(Found::default, |record| Found::of(record))
        })
        .collect();
    let guesses: Vec<Option<&str>> = found.iter().map(|l| l.code).collect();
    let seconds = run.stats.stage_seconds.get("lang").copied().unwrap_or(0.0);
    let bytes: usize = items.iter().map(|item| item.text.len()).sum();

    let mut per_lang: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut per_kind: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut per_length = [(0usize, 0usize); LENGTH_BUCKETS.len()];
    let mut per_confidence = [(0usize, 0usize); CONFIDENCE_BUCKETS.len()];
    let mut reliable = (0usize, 0usize);
    let mut correct = 0;
    for ((item, guess), language) in items.iter().zip(&guesses).zip(&found) {
        let hit = usize::from(*guess == Some(item.lang.as_str()));
        correct += hit;
        let chars = item.text.chars().count();
        let length = LENGTH_BUCKETS
            .iter()
            .position(|&(_, most)| chars <= most)
            .unwrap_or(LENGTH_BUCKETS.len() - 1);
        per_length[length].0 += hit;
        per_length[length].1 += 1;
        let confidence = CONFIDENCE_BUCKETS
            .iter()
            .rposition(|&(_, least)| language.confidence >= least)
            .unwrap_or(0);
        per_confidence[confidence].0 += hit;
        per_confidence[confidence].1 += 1;
        if language.reliable {
            reliable.0 += hit;
            reliable.1 += 1;
        }
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
    let mut named: Vec<(String, f64)> = per_kind
        .iter()
        .map(|(kind, &counts)| (format!("accuracy_{kind}"), ratio(counts)))
        .collect();
    for (&(name, _), &counts) in LENGTH_BUCKETS.iter().zip(&per_length) {
        named.push((format!("accuracy_chars_{name}"), ratio(counts)));
    }
    named.push(("reliable_share".into(), ratio((reliable.1, items.len()))));
    named.push(("reliable_accuracy".into(), ratio(reliable)));
    for (&(name, _), &counts) in CONFIDENCE_BUCKETS.iter().zip(&per_confidence) {
        named.push((
            format!("confidence_{name}_share"),
            ratio((counts.1, items.len())),
        ));
        named.push((format!("confidence_{name}_accuracy"), ratio(counts)));
    }
    for (name, value) in &named {
        metrics.push((name.as_str(), *value));
    }
    print_metrics(args.json, "Language identification", &metrics)
}

/// The language a record was given.
#[derive(Clone, Copy, Default)]
struct Found<'a> {
    code: Option<&'a str>,
    confidence: f64,
    reliable: bool,
}

impl<'a> Found<'a> {
    fn of(record: &'a serde_json::Value) -> Found<'a> {
        Found {
            code: record.get("lang").and_then(|v| v.as_str()),
            confidence: record
                .get("lang_confidence")
                .and_then(|v| v.as_f64())
                .unwrap_or(0.0),
            reliable: record
                .get("lang_reliable")
                .and_then(|v| v.as_bool())
                .unwrap_or(false),
        }
    }
}
