//! `docpipe eval sentences`: the English Golden Rules (48 cases), scored as pySBD scores them:
//! a case passes when the stripped sentences equal the expected list exactly. Each case goes
//! through what `docpipe run --stages normalize` does with a JSON line holding it: ingest,
//! normalization, blocks and list items, then sentences; the figure is what users get.

use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use docpipe_ingest::{Ingest, IngestOptions, Item};
use serde::{Deserialize, Serialize};

use crate::cli::RunArgs;
use crate::process::{Depth, Engines};

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

/// `docpipe run`'s options, parsed as the command line would give them.
#[derive(Parser)]
struct RunCommand {
    #[command(flatten)]
    run: RunArgs,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let cases: Vec<Case> = read_jsonl(&args.gold)?;
    let run_args = RunCommand::try_parse_from(["docpipe", "-", "--stages", "normalize"])?.run;
    let engines = Engines::new(&run_args, None);
    // The cases as the JSON Lines a user would feed `docpipe run`.
    let mut lines = Vec::new();
    for case in &cases {
        serde_json::to_writer(
            &mut lines,
            &serde_json::json!({"id": case.id, "text": case.text}),
        )?;
        lines.push(b'\n');
    }
    let ingest = Ingest::from_reader(
        "golden_rules.jsonl",
        Box::new(std::io::Cursor::new(lines)),
        IngestOptions::new(),
    );
    let mut texts = Vec::with_capacity(cases.len());
    for (case, item) in cases.iter().zip(ingest) {
        let doc = match item {
            Item::Document(doc) => doc,
            Item::Rejected(rejected) => anyhow::bail!("{}: {}", case.id, rejected.reason),
        };
        let processed = engines
            .process(doc, Depth::Full)
            .map_err(|reject| anyhow::anyhow!("{}: {}", case.id, reject.reason))
            .with_context(|| format!("case {} was rejected", case.id))?;
        let spans: Vec<std::ops::Range<usize>> = processed
            .blocks
            .iter()
            .flatten()
            .flat_map(|block| block.sentences.iter().cloned())
            .collect();
        texts.push((processed.text, spans));
    }
    let mut predictions = Vec::with_capacity(cases.len());
    let mut passed = 0usize;
    for (case, (text, spans)) in cases.iter().zip(&texts) {
        let sentences: Vec<&str> = spans.iter().map(|span| text[span.clone()].trim()).collect();
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
