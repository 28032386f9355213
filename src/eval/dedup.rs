//! `docpipe eval dedup`: clusters a gold file's documents with `docpipe run` itself, writes `{id, cluster}` predictions for `../shared/eval/dedup/score.py`, and
//! prints the same pairwise precision, recall, F1 and adjusted Rand index.

use std::collections::HashMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::common::{
    default_predictions, f1, pairs, print_metrics, run_pipeline, write_jsonl, Contingency,
    PairCounts,
};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Documents: `{id, text, cluster}` per line (`cluster` may be absent: then only
    /// predictions and pairs are written). Gzip is read too.
    #[arg(long, default_value = "../shared/eval/dedup/dev.jsonl")]
    gold: PathBuf,
    /// Where to write `{id, cluster}` predictions.
    #[arg(long)]
    predictions: Option<PathBuf>,
    /// Also write every merge: `{id, duplicate_of, status, similarity, text, duplicate_text}`.
    #[arg(long, value_name = "FILE")]
    pairs: Option<PathBuf>,
    /// JSON field of the text.
    #[arg(long, default_value = "text")]
    text_field: String,
    /// Print the metrics as one JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Deserialize)]
struct Doc {
    id: serde_json::Value,
    #[serde(flatten)]
    fields: HashMap<String, serde_json::Value>,
}

#[derive(Serialize)]
struct Prediction<'a> {
    id: &'a str,
    cluster: &'a str,
}

#[derive(Serialize)]
struct Pair<'a> {
    id: &'a str,
    duplicate_of: &'a str,
    status: &'a str,
    similarity: Option<f64>,
    text: &'a str,
    duplicate_text: &'a str,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let docs = read_docs(&args.gold)?;
    let ids: Vec<String> = docs
        .iter()
        .map(|d| match &d.id {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect();
    // The documents go through `docpipe run` as a user's JSON Lines would; its verdicts are
    // the predictions. A document it rejects is a cluster of its own.
    let run = run_pipeline(
        &[args.gold.as_path()],
        &[
            "--stages",
            "normalize,dedup",
            "--text-field",
            &args.text_field,
        ],
    )?;
    let by_id = run.by_id();
    let verdicts: Vec<Verdict> = ids
        .iter()
        .map(|id| Verdict::of(id, by_id.get(id.as_str()).copied()))
        .collect();
    let texts: Vec<&str> = ids
        .iter()
        .map(|id| {
            by_id
                .get(id.as_str())
                .and_then(|record| record.get("text")?.as_str())
                .unwrap_or("")
        })
        .collect();
    let predictions: Vec<Prediction> = ids
        .iter()
        .zip(&verdicts)
        .map(|(id, verdict)| Prediction {
            id,
            cluster: &verdict.cluster,
        })
        .collect();
    let path = args
        .predictions
        .clone()
        .unwrap_or_else(|| default_predictions("dedup"));
    write_jsonl(&path, &predictions)?;

    if let Some(pairs_path) = &args.pairs {
        let position: HashMap<&str, usize> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i))
            .collect();
        let pairs: Vec<Pair> = ids
            .iter()
            .zip(&verdicts)
            .enumerate()
            .filter_map(|(i, (id, verdict))| {
                let of = verdict.duplicate_of?;
                let j = *position.get(of)?;
                Some(Pair {
                    id,
                    duplicate_of: of,
                    status: verdict.status,
                    similarity: verdict.similarity,
                    text: texts[i],
                    duplicate_text: texts[j],
                })
            })
            .collect();
        write_jsonl(pairs_path, &pairs)?;
    }

    let near = verdicts.iter().filter(|v| v.status == "near").count();
    let exact = verdicts.iter().filter(|v| v.status == "exact").count();
    let mut metrics = vec![
        ("documents", ids.len() as f64),
        ("exact_duplicates", exact as f64),
        ("near_duplicates", near as f64),
    ];
    let gold: Vec<Option<String>> = docs
        .iter()
        .map(|d| match d.fields.get("cluster") {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(other) => Some(other.to_string()),
        })
        .collect();
    if gold.iter().any(Option::is_some) {
        let predicted: Vec<Option<String>> =
            verdicts.iter().map(|v| Some(v.cluster.clone())).collect();
        let scores = pair_scores(&gold, &predicted);
        metrics.extend([
            ("precision", scores.precision),
            ("recall", scores.recall),
            ("f1", scores.f1),
            ("ari", scores.ari),
        ]);
    }
    print_metrics(args.json, "Near-duplicate clustering", &metrics)
}

fn read_docs(path: &std::path::Path) -> anyhow::Result<Vec<Doc>> {
    use anyhow::Context;
    use std::io::{BufRead, BufReader, Read};
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut docs = Vec::new();
    for (n, line) in BufReader::new(reader).lines().enumerate() {
        let line = line.with_context(|| format!("{}:{}", path.display(), n + 1))?;
        if !line.trim().is_empty() {
            docs.push(
                serde_json::from_str(&line)
                    .with_context(|| format!("{}:{}", path.display(), n + 1))?,
            );
        }
    }
    Ok(docs)
}

struct PairScores {
    precision: f64,
    recall: f64,
    f1: f64,
    ari: f64,
}

/// Pairwise scores over same-cluster pairs and the adjusted Rand index, as score.py computes
/// them: a missing label is a singleton.
fn pair_scores(gold: &[Option<String>], predicted: &[Option<String>]) -> PairScores {
    let gold: Vec<Option<&str>> = gold.iter().map(Option::as_deref).collect();
    let predicted: Vec<Option<&str>> = predicted.iter().map(Option::as_deref).collect();
    let table = Contingency::new(&gold, &predicted);
    let PairCounts {
        together,
        gold_pairs,
        pred_pairs,
        precision,
        recall,
    } = table.pair_counts();
    let f1 = f1(precision, recall);
    let all = pairs(table.items as u64) as f64;
    let expected = gold_pairs as f64 * pred_pairs as f64 / all.max(1.0);
    let max_index = (gold_pairs + pred_pairs) as f64 / 2.0;
    let ari = if (max_index - expected).abs() < f64::EPSILON {
        1.0
    } else {
        (together as f64 - expected) / (max_index - expected)
    };
    PairScores {
        precision,
        recall,
        f1,
        ari,
    }
}

/// The dedup verdict of one gold document, read from its record.
struct Verdict<'a> {
    status: &'a str,
    duplicate_of: Option<&'a str>,
    cluster: String,
    similarity: Option<f64>,
}

impl<'a> Verdict<'a> {
    fn of(id: &str, record: Option<&'a serde_json::Value>) -> Verdict<'a> {
        let dedup = record.and_then(|record| record.get("dedup"));
        let field = |name: &str| dedup.and_then(|d| d.get(name)).and_then(|v| v.as_str());
        Verdict {
            status: field("status").unwrap_or("unique"),
            duplicate_of: field("duplicate_of"),
            cluster: field("cluster").unwrap_or(id).to_owned(),
            similarity: dedup
                .and_then(|d| d.get("similarity"))
                .and_then(|v| v.as_f64()),
        }
    }
}
