//! `docpipe eval timex`: the tagger on TempEval-3 documents (`../shared/eval/timex/dev.jsonl`),
//! predictions in the format of its `score.py` (character offsets), and the same metrics:
//! strict and relaxed extent P/R/F1, type and value accuracy and F1, micro-averaged.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::common::{default_predictions, print_metrics, read_jsonl, run_pipeline, write_jsonl};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Gold documents: `{id, dct, text, timexes}` per line.
    #[arg(long, default_value = "../shared/eval/timex/dev.jsonl")]
    gold: PathBuf,
    /// Where to write `{id, timexes: [{start, end, text, type, value}]}` predictions.
    #[arg(long)]
    predictions: Option<PathBuf>,
    /// Also print every miss, false alarm and wrong value (for error analysis).
    #[arg(long)]
    errors: bool,
    /// Print the metrics as one JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Deserialize)]
struct GoldDoc {
    id: String,
    dct: String,
    text: String,
    timexes: Vec<Span>,
}

#[derive(Deserialize, Serialize, Clone, Debug)]
struct Span {
    start: usize,
    end: usize,
    #[serde(default)]
    text: String,
    #[serde(rename = "type")]
    kind: String,
    value: String,
}

#[derive(Serialize)]
struct Prediction<'a> {
    id: &'a str,
    timexes: &'a [Span],
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let docs: Vec<GoldDoc> = read_jsonl(&args.gold)?;
    // The documents go through `docpipe run` as a user's JSON Lines would, the creation date
    // as their date field: the tagger sees the normalized text with that reference date.
    let run = run_pipeline(&[args.gold.as_path()], &["--date-field", "dct"])?;
    let by_id = run.by_id();
    let mut unmapped = 0;
    let predicted: Vec<Vec<Span>> = docs
        .iter()
        .map(|doc| {
            let Some(record) = by_id.get(doc.id.as_str()) else {
                unmapped += 1;
                return Vec::new();
            };
            let spans = record_spans(record);
            match map_to_original(&doc.text, record, &spans) {
                Some(mapped) => mapped,
                None => {
                    unmapped += 1;
                    Vec::new()
                }
            }
        })
        .collect();
    if unmapped > 0 {
        eprintln!(
            "docpipe eval timex: {unmapped} documents were rejected, or normalized beyond \
             whitespace so their spans cannot be placed in the gold text: scored as tagging nothing"
        );
    }
    let predictions: Vec<Prediction> = docs
        .iter()
        .zip(&predicted)
        .map(|(doc, timexes)| Prediction {
            id: &doc.id,
            timexes,
        })
        .collect();
    let path = args
        .predictions
        .clone()
        .unwrap_or_else(|| default_predictions("timex"));
    write_jsonl(&path, &predictions)?;

    let mut counts = Counts::default();
    for (doc, pred) in docs.iter().zip(&predicted) {
        let (strict, pairs) = align(&doc.timexes, pred);
        counts.gold += doc.timexes.len();
        counts.pred += pred.len();
        counts.strict += strict;
        counts.relaxed += pairs.len();
        counts.type_ok += pairs
            .iter()
            .filter(|(g, p)| doc.timexes[*g].kind == pred[*p].kind)
            .count();
        counts.value_ok += pairs
            .iter()
            .filter(|(g, p)| doc.timexes[*g].value == pred[*p].value)
            .count();
        if args.errors && !args.json {
            print_errors(doc, pred, &pairs);
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let prf = |tp: usize| {
        let (p, r) = (ratio(tp, counts.pred), ratio(tp, counts.gold));
        (
            p,
            r,
            if p + r == 0.0 {
                0.0
            } else {
                2.0 * p * r / (p + r)
            },
        )
    };
    let (sp, sr, sf) = prf(counts.strict);
    let (rp, rr, rf) = prf(counts.relaxed);
    let (ta, va) = (
        ratio(counts.type_ok, counts.relaxed),
        ratio(counts.value_ok, counts.relaxed),
    );
    print_metrics(
        args.json,
        "TempEval-3 Task A (timex extents, types, values)",
        &[
            ("gold", counts.gold as f64),
            ("pred", counts.pred as f64),
            ("strict_p", sp),
            ("strict_r", sr),
            ("strict_f1", sf),
            ("relaxed_p", rp),
            ("relaxed_r", rr),
            ("relaxed_f1", rf),
            ("type_accuracy", ta),
            ("value_accuracy", va),
            ("type_f1", rf * ta),
            ("value_f1", rf * va),
        ],
    )
}

#[derive(Default)]
struct Counts {
    gold: usize,
    pred: usize,
    strict: usize,
    relaxed: usize,
    type_ok: usize,
    value_ok: usize,
}

/// One-to-one alignment as score.py does it: identical spans first, then overlapping ones,
/// largest overlap first (ties: later gold, then later prediction, first). Returns the number
/// of strict matches and all (gold, prediction) index pairs.
fn align(gold: &[Span], pred: &[Span]) -> (usize, Vec<(usize, usize)>) {
    let mut pairs = Vec::new();
    let mut free_gold: HashSet<usize> = (0..gold.len()).collect();
    let mut free_pred: HashSet<usize> = (0..pred.len()).collect();
    let mut by_span: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    for (j, p) in pred.iter().enumerate() {
        by_span.entry((p.start, p.end)).or_default().push(j);
    }
    for (i, g) in gold.iter().enumerate() {
        if let Some(js) = by_span.get_mut(&(g.start, g.end)) {
            if !js.is_empty() {
                let j = js.remove(0);
                pairs.push((i, j));
                free_gold.remove(&i);
                free_pred.remove(&j);
            }
        }
    }
    let strict = pairs.len();
    let mut candidates: Vec<(usize, usize, usize)> = Vec::new();
    for &i in &free_gold {
        for &j in &free_pred {
            if gold[i].start < pred[j].end && pred[j].start < gold[i].end {
                let overlap = gold[i].end.min(pred[j].end) - gold[i].start.max(pred[j].start);
                candidates.push((overlap, i, j));
            }
        }
    }
    candidates.sort_unstable_by(|a, b| b.cmp(a));
    for (_, i, j) in candidates {
        if free_gold.contains(&i) && free_pred.contains(&j) {
            pairs.push((i, j));
            free_gold.remove(&i);
            free_pred.remove(&j);
        }
    }
    (strict, pairs)
}

fn print_errors(doc: &GoldDoc, pred: &[Span], pairs: &[(usize, usize)]) {
    let matched_gold: HashSet<usize> = pairs.iter().map(|p| p.0).collect();
    let matched_pred: HashSet<usize> = pairs.iter().map(|p| p.1).collect();
    for (i, g) in doc.timexes.iter().enumerate() {
        if !matched_gold.contains(&i) {
            println!(
                "MISS\t{}\t{}\t{:?}\t{}\t{}",
                doc.id, doc.dct, g.text, g.kind, g.value
            );
        }
    }
    for (j, p) in pred.iter().enumerate() {
        if !matched_pred.contains(&j) {
            println!(
                "FALSE\t{}\t{}\t{:?}\t{}\t{}",
                doc.id, doc.dct, p.text, p.kind, p.value
            );
        }
    }
    for &(i, j) in pairs {
        let (g, p) = (&doc.timexes[i], &pred[j]);
        if g.value != p.value || g.kind != p.kind || g.start != p.start || g.end != p.end {
            println!(
                "DIFF\t{}\t{}\tgold {:?} {} {}\tpred {:?} {} {}",
                doc.id, doc.dct, g.text, g.kind, g.value, p.text, p.kind, p.value
            );
        }
    }
}

/// The `dates` of a record: character offsets into its (normalized) text.
fn record_spans(record: &serde_json::Value) -> Vec<Span> {
    let dates = record.get("dates").and_then(|dates| dates.as_array());
    dates
        .into_iter()
        .flatten()
        .filter_map(|date| serde_json::from_value(date.clone()).ok())
        .collect()
}

/// Places spans of the record's text in the gold text. Normalization only changes whitespace
/// in these documents (trims, folds runs), so the n-th non-space character of one is the n-th
/// of the other. `None` when the texts differ in anything else.
fn map_to_original(
    original: &str,
    record: &serde_json::Value,
    spans: &[Span],
) -> Option<Vec<Span>> {
    let text = record.get("text")?.as_str()?;
    let solid = |s: &str| -> Vec<(usize, char)> {
        s.chars()
            .enumerate()
            .filter(|(_, c)| !c.is_whitespace())
            .collect()
    };
    let (gold, ours) = (solid(original), solid(text));
    if gold.len() != ours.len() || gold.iter().zip(&ours).any(|(a, b)| a.1 != b.1) {
        return None;
    }
    // For each character offset of the record's text: the rank of the first non-space
    // character at or after it.
    let chars = text.chars().count();
    let mut rank_at = vec![ours.len(); chars + 1];
    let mut next = ours.len();
    for position in (0..=chars).rev() {
        if let Ok(rank) = ours.binary_search_by_key(&position, |(index, _)| *index) {
            next = rank;
        }
        rank_at[position] = next;
    }
    let original_chars: Vec<char> = original.chars().collect();
    spans
        .iter()
        .map(|span| {
            let first = *rank_at.get(span.start)?;
            // The last non-space character before the end.
            let last = rank_at.get(span.end)?.checked_sub(1)?;
            if first > last {
                return None;
            }
            let (start, end) = (gold.get(first)?.0, gold.get(last)?.0 + 1);
            Some(Span {
                start,
                end,
                text: original_chars.get(start..end)?.iter().collect(),
                kind: span.kind.clone(),
                value: span.value.clone(),
            })
        })
        .collect()
}
