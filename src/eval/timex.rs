//! `docpipe eval timex`: the tagger on TempEval-3 documents (`../shared/eval/timex/dev.jsonl`),
//! predictions in the format of its `score.py` (character offsets), and the same metrics:
//! strict and relaxed extent P/R/F1, type and value accuracy and F1, micro-averaged.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use docpipe_date_extract::Extractor;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::common::{default_predictions, print_metrics, read_jsonl, write_jsonl};
use crate::offsets::CharOffsets;

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
    let extractor = Extractor::new();
    let predicted: Vec<Vec<Span>> = docs
        .par_iter()
        .map(|doc| {
            let reference = docpipe_date_extract::parse_date(&doc.dct);
            let mut offsets = CharOffsets::new(&doc.text);
            extractor
                .extract(&doc.text, reference)
                .into_iter()
                .map(|timex| {
                    let (start, end) = offsets.span(timex.span.clone());
                    Span {
                        start,
                        end,
                        text: doc.text[timex.span].to_string(),
                        kind: timex.kind.to_string(),
                        value: timex.value,
                    }
                })
                .collect()
        })
        .collect();
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
