//! `docpipe eval summarize`: summaries of a gold file's articles with the pipeline's
//! normalizer, segmenter and summarizer, written as `{id, summary}` (sentences joined by
//! newlines) for `../shared/eval/summarization/score.py`, scored in-process with `rougers`
//! (the same numbers as rouge-score with the Porter stemmer), next to LEAD-3 on the same split.

use std::path::PathBuf;

use rayon::prelude::*;
use rougers::{RougeScorer, RougeType};
use serde::{Deserialize, Serialize};

use super::common::{
    default_predictions, print_metrics, read_jsonl, run_pipeline, sentence_texts, write_jsonl,
};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Articles with references: `{id, text, reference}` per line.
    #[arg(long, default_value = "../shared/eval/summarization/cnndm_dev.jsonl")]
    gold: PathBuf,
    /// Where to write `{id, summary}` predictions.
    #[arg(long)]
    predictions: Option<PathBuf>,
    /// Sentences per summary.
    #[arg(long, default_value_t = 3)]
    sentences: usize,
    /// Print the metrics as one JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Deserialize)]
struct Article {
    id: String,
    reference: String,
}

#[derive(Serialize)]
struct Prediction<'a> {
    id: &'a str,
    summary: String,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let articles: Vec<Article> = read_jsonl(&args.gold)?;
    // The articles go through `docpipe run` as a user's JSON Lines would: its summaries, and
    // its sentences for the lead baseline, are the figures' input.
    let budget = args.sentences.to_string();
    let run = run_pipeline(
        &[args.gold.as_path()],
        &["--summary-sentences", budget.as_str()],
    )?;
    let by_id = run.by_id();
    let outputs: Vec<(String, String)> = articles
        .iter()
        .map(|article| match by_id.get(article.id.as_str()) {
            Some(record) => (summary_of(record), lead_of(record, args.sentences)),
            None => (String::new(), String::new()),
        })
        .collect();
    let predictions: Vec<Prediction> = articles
        .iter()
        .zip(&outputs)
        .map(|(article, (ours, _))| Prediction {
            id: &article.id,
            summary: ours.clone(),
        })
        .collect();
    let path = args
        .predictions
        .clone()
        .unwrap_or_else(|| default_predictions("summarize"));
    write_jsonl(&path, &predictions)?;

    let scorer = RougeScorer::new(["rouge1", "rouge2", "rougeL", "rougeLsum"], true)
        .map_err(|err| anyhow::anyhow!("cannot build the ROUGE scorer: {err:?}"))?;
    // `lead` picks LEAD-3's summary of each article instead of ours.
    let mean = |lead: bool, kind: RougeType| -> f64 {
        let total: f64 = articles
            .par_iter()
            .zip(&outputs)
            .map(|(article, (ours, lead3))| {
                let prediction = if lead { lead3 } else { ours };
                let scores = scorer.score(&article.reference, prediction);
                scores.get(kind).map_or(0.0, |s| s.fmeasure)
            })
            .sum();
        100.0 * total / articles.len().max(1) as f64
    };
    print_metrics(
        args.json,
        "ROUGE F1 x100 (rouge-score, Porter stemmer)",
        &[
            ("rouge1", mean(false, RougeType::N(1))),
            ("rouge2", mean(false, RougeType::N(2))),
            ("rougeL", mean(false, RougeType::L)),
            ("rougeLsum", mean(false, RougeType::LSum)),
            ("lead3_rouge1", mean(true, RougeType::N(1))),
            ("lead3_rouge2", mean(true, RougeType::N(2))),
            ("lead3_rougeLsum", mean(true, RougeType::LSum)),
        ],
    )
}

/// A record's summary sentences, one per line.
fn summary_of(record: &serde_json::Value) -> String {
    let spans = record.get("summary").and_then(|summary| summary.as_array());
    let texts: Vec<&str> = spans
        .into_iter()
        .flatten()
        .filter_map(|span| span.get("text")?.as_str())
        .collect();
    texts.join("\n")
}

/// A record's first `n` sentences, one per line: the lead baseline on the same segmentation.
fn lead_of(record: &serde_json::Value, n: usize) -> String {
    let mut lead = sentence_texts(record);
    lead.truncate(n);
    lead.join("\n")
}
