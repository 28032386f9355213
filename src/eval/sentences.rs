//! `docpipe eval sentences`: the English Golden Rules (48 cases), scored as pySBD scores them:
//! a case passes when the stripped sentences equal the expected list exactly. Each case goes
//! through `docpipe run --stages normalize` itself as a JSON line, and its sentences are read
//! from the record: the figure is what users get.

use std::path::PathBuf;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use super::common::{
    default_predictions, print_metrics, read_jsonl, run_pipeline, sentence_texts, write_jsonl,
};

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
    // The cases as the JSON Lines a user would feed `docpipe run`.
    let scratch = tempfile::tempdir()?;
    let input = scratch.path().join("golden_rules.jsonl");
    let mut lines = Vec::new();
    for case in &cases {
        serde_json::to_writer(
            &mut lines,
            &serde_json::json!({"id": case.id, "text": case.text}),
        )?;
        lines.push(b'\n');
    }
    std::fs::write(&input, lines)?;
    let run = run_pipeline(&[input.as_path()], &["--stages", "normalize"])?;
    let by_id = run.by_id();
    let mut texts = Vec::with_capacity(cases.len());
    for case in &cases {
        let record = by_id
            .get(case.id.as_str())
            .with_context(|| format!("case {} was rejected", case.id))?;
        texts.push(sentence_texts(record));
    }
    let mut predictions = Vec::with_capacity(cases.len());
    let mut passed = 0usize;
    for (case, sentences) in cases.iter().zip(&texts) {
        let sentences: Vec<&str> = sentences.iter().map(|s| s.trim()).collect();
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
