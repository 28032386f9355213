//! `docpipe eval summarize`: summaries of a gold file's articles with the pipeline's
//! normalizer, segmenter and summarizer, written as `{id, summary}` (sentences joined by
//! newlines) for `../shared/eval/summarization/score.py`, scored in-process with `rougers`
//! (the same numbers as rouge-score with the Porter stemmer), next to LEAD-3 on the same split.

use std::path::PathBuf;

use docpipe_normalize::{segment, Normalizer};
use docpipe_summarize::{Budget, Summarizer};
use rayon::prelude::*;
use rougers::{RougeScorer, RougeType};
use serde::{Deserialize, Serialize};

use super::common::{default_predictions, print_metrics, read_jsonl, write_jsonl};
use crate::summary_input::sentence_inputs;

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
    text: String,
    reference: String,
}

#[derive(Serialize)]
struct Prediction<'a> {
    id: &'a str,
    summary: String,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let articles: Vec<Article> = read_jsonl(&args.gold)?;
    let normalizer = Normalizer::new();
    let summarizer = Summarizer::builder()
        .budget(Budget::Sentences(args.sentences))
        .build();
    let outputs: Vec<(String, String)> = articles
        .par_iter()
        .map(|article| {
            let text = normalizer.normalize(&article.text);
            let blocks = segment(&text);
            let inputs = sentence_inputs(&blocks);
            let summary = summarizer.summarize(&text, &inputs);
            let ours: Vec<&str> = summary
                .sentences
                .iter()
                .map(|&i| &text[inputs[i].span.clone()])
                .collect();
            let lead: Vec<&str> = inputs
                .iter()
                .take(args.sentences)
                .map(|s| &text[s.span.clone()])
                .collect();
            (ours.join("\n"), lead.join("\n"))
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
