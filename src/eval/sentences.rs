//! `docpipe eval sentences`: the English Golden Rules (48 cases), scored as pySBD scores them:
//! a case passes when the stripped sentences equal the expected list exactly.

use std::path::PathBuf;

use docpipe_normalize::SentenceSplitter;
use serde::{Deserialize, Serialize};

use super::common::{default_predictions, print_metrics, read_jsonl, write_jsonl};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Gold cases: `{id, text, sentences}` per line.
    #[arg(long, default_value = "../shared/eval/sentences/golden_rules_en.jsonl")]
    gold: PathBuf,
    /// Where to write `{id, sentences}` predictions.
    #[arg(long)]
    predictions: Option<PathBuf>,
    /// Print the metrics as one JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Deserialize)]
struct Case {
    id: String,
    text: String,
    sentences: Vec<String>,
}

#[derive(Serialize)]
struct Prediction<'a> {
    id: &'a str,
    sentences: Vec<&'a str>,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let cases: Vec<Case> = read_jsonl(&args.gold)?;
    let splitter = SentenceSplitter::new();
    let mut predictions = Vec::with_capacity(cases.len());
    let mut passed = 0usize;
    for case in &cases {
        let sentences: Vec<&str> = splitter
            .split(&case.text)
            .into_iter()
            .map(|span| case.text[span].trim())
            .collect();
        if sentences == case.sentences {
            passed += 1;
        } else if !args.json {
            println!(
                "FAIL {}\n  expected {:?}\n  got      {:?}",
                case.id, case.sentences, sentences
            );
        }
        predictions.push(Prediction {
            id: &case.id,
            sentences,
        });
    }
    let path = args
        .predictions
        .clone()
        .unwrap_or_else(|| default_predictions("sentences"));
    write_jsonl(&path, &predictions)?;
    print_metrics(
        args.json,
        "English Golden Rules",
        &[("passed", passed as f64), ("total", cases.len() as f64)],
    )
}
