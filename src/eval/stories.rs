//! `docpipe eval stories`: groups a gold file's articles into stories with `docpipe run`
//! itself, writes `{id, story}` predictions for `../shared/eval/stories/score.py`, and prints
//! the same BCubed and pairwise precision, recall and F1, against the gold stories and the
//! gold topics. It runs twice: with the articles' `published` dates, and with the field not
//! given (the run reads a date field no article has), to show what grouping does without
//! dates. The records' own `story` fields are the predictions.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::common::{
    default_predictions, f1, read_jsonl, run_pipeline, write_jsonl, ClusterKey, Contingency,
    PairCounts,
};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Articles with their gold story and topic: `{id, title, text, published, story,
    /// topic}` per line, in stream order.
    #[arg(long, default_value = "../shared/eval/stories/dev.jsonl")]
    gold: PathBuf,
    /// Where to write the `{id, story}` predictions of the run with dates; those of the run
    /// without go beside it, `.no-published` before the extension.
    #[arg(long)]
    predictions: Option<PathBuf>,
    /// Also score these topics (comma-separated gold `topic` values) and the other topics
    /// apart, for a split into tuning and held-out topics. The run still reads every article.
    #[arg(long, value_delimiter = ',', value_name = "TOPIC,...")]
    topics: Option<Vec<String>>,
    /// Print the metrics as one JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Deserialize)]
struct Gold {
    id: String,
    story: String,
    topic: String,
}

#[derive(Serialize)]
struct Prediction<'a> {
    id: &'a str,
    story: Option<&'a str>,
}

/// A field no gold line has: the run then finds no publication date in the metadata.
const MISSING_DATE_FIELD: &str = "docpipe-eval-no-date";

/// The scores of one partition against the gold, as score.py computes them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClusterScores {
    pub bcubed_precision: f64,
    pub bcubed_recall: f64,
    pub bcubed_f1: f64,
    pub pairwise_precision: f64,
    pub pairwise_recall: f64,
    pub pairwise_f1: f64,
    pub pred_clusters: usize,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let gold: Vec<Gold> = read_jsonl(&args.gold)?;
    let path = args
        .predictions
        .clone()
        .unwrap_or_else(|| default_predictions("stories"));
    let mut metrics: Vec<(String, f64)> = Vec::new();
    let modes = [
        ("published", "published", path.clone()),
        ("no_published", MISSING_DATE_FIELD, no_published_path(&path)),
    ];
    for (mode, date_field, predictions_path) in modes {
        let run = run_pipeline(&[args.gold.as_path()], &["--date-field", date_field])?;
        let by_id = run.by_id();
        let story_of = |id: &str| {
            by_id
                .get(id)
                .and_then(|record| record.get("story"))
                .and_then(|story| story.as_str())
        };
        let predictions: Vec<Prediction> = gold
            .iter()
            .map(|g| Prediction {
                id: &g.id,
                story: story_of(&g.id),
            })
            .collect();
        write_jsonl(&predictions_path, &predictions)?;
        let predicted: Vec<Option<&str>> = predictions.iter().map(|p| p.story).collect();
        // How many articles the run still dated from their text (a dateline) without the
        // field: what "without dates" leaves.
        let dated = gold
            .iter()
            .filter(|g| {
                by_id
                    .get(g.id.as_str())
                    .is_some_and(|r| r.get("published").is_some_and(|p| !p.is_null()))
            })
            .count();
        metrics.push((format!("{mode}.dated_articles"), dated as f64));
        metrics.push((
            format!("{mode}.missing"),
            predicted.iter().filter(|p| p.is_none()).count() as f64,
        ));
        let parts: Vec<(String, Vec<usize>)> = match &args.topics {
            None => vec![(String::new(), (0..gold.len()).collect())],
            Some(topics) => {
                let chosen: BTreeSet<&str> = topics.iter().map(String::as_str).collect();
                let (inside, outside): (Vec<usize>, Vec<usize>) =
                    (0..gold.len()).partition(|&i| chosen.contains(gold[i].topic.as_str()));
                vec![
                    (String::new(), (0..gold.len()).collect()),
                    (".topics".to_string(), inside),
                    (".other_topics".to_string(), outside),
                ]
            }
        };
        for (part, indices) in parts {
            let pred: Vec<Option<&str>> = indices.iter().map(|&i| predicted[i]).collect();
            for level in ["story", "topic"] {
                let labels: Vec<Option<&str>> = indices
                    .iter()
                    .map(|&i| {
                        Some(match level {
                            "story" => gold[i].story.as_str(),
                            _ => gold[i].topic.as_str(),
                        })
                    })
                    .collect();
                let scores = cluster_scores(&labels, &pred);
                let key = |name: &str| format!("{mode}{part}.{level}.{name}");
                metrics.extend([
                    (key("bcubed_precision"), scores.bcubed_precision),
                    (key("bcubed_recall"), scores.bcubed_recall),
                    (key("bcubed_f1"), scores.bcubed_f1),
                    (key("pairwise_precision"), scores.pairwise_precision),
                    (key("pairwise_recall"), scores.pairwise_recall),
                    (key("pairwise_f1"), scores.pairwise_f1),
                    (key("pred_clusters"), scores.pred_clusters as f64),
                ]);
            }
        }
    }
    if args.json {
        let map: serde_json::Map<String, serde_json::Value> = metrics
            .into_iter()
            .map(|(name, value)| (name, serde_json::json!(value)))
            .collect();
        println!("{}", serde_json::Value::Object(map));
    } else {
        println!(
            "Stories (score.py's metrics; `published`: with the articles' dates, \
             `no_published`: without the field)"
        );
        for (name, value) in &metrics {
            println!("  {name:<44} {value:.4}");
        }
        println!(
            "predictions: {} and {}",
            path.display(),
            no_published_path(&path).display()
        );
    }
    Ok(())
}

/// `X.jsonl` -> `X.no-published.jsonl`.
fn no_published_path(path: &Path) -> PathBuf {
    let stem = path.file_stem().map_or_else(
        || "stories".to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    let extension = path
        .extension()
        .map_or_else(String::new, |e| format!(".{}", e.to_string_lossy()));
    path.with_file_name(format!("{stem}.no-published{extension}"))
}

/// BCubed (per article, averaged) and pairwise scores of `predicted` against `gold`, as
/// score.py computes them from the contingency table: a `None` label is a cluster of its own.
pub fn cluster_scores(gold: &[Option<&str>], predicted: &[Option<&str>]) -> ClusterScores {
    let table = Contingency::new(gold, predicted);
    let n = table.items.max(1) as f64;
    // Summed in a fixed order (by label), so the figure does not move with the hash order.
    let mut sorted: Vec<(&(ClusterKey, ClusterKey), u64)> =
        table.cells.iter().map(|(k, &c)| (k, c)).collect();
    sorted.sort();
    let (mut precision_sum, mut recall_sum) = (0.0, 0.0);
    for &((g, p), count) in &sorted {
        let c = count as f64;
        precision_sum += c * c / table.pred_sizes[p] as f64;
        recall_sum += c * c / table.gold_sizes[g] as f64;
    }
    let (bp, br) = (precision_sum / n, recall_sum / n);
    let PairCounts {
        precision: pp,
        recall: pr,
        ..
    } = table.pair_counts();
    ClusterScores {
        bcubed_precision: bp,
        bcubed_recall: br,
        bcubed_f1: f1(bp, br),
        pairwise_precision: pp,
        pairwise_recall: pr,
        pairwise_f1: f1(pp, pr),
        pred_clusters: table.pred_sizes.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_match_hand_counts() {
        // Gold {a,b,c} {d}; predicted {a,b} {c,d}.
        let gold = [Some("x"), Some("x"), Some("x"), Some("y")];
        let pred = [Some("1"), Some("1"), Some("2"), Some("2")];
        let s = cluster_scores(&gold, &pred);
        // Precision per article: 1, 1, 1/2, 1/2; recall: 2/3, 2/3, 1/3, 1.
        assert!((s.bcubed_precision - 0.75).abs() < 1e-12);
        assert!((s.bcubed_recall - (2.0 / 3.0 + 2.0 / 3.0 + 1.0 / 3.0 + 1.0) / 4.0).abs() < 1e-12);
        // Pairs: predicted ab, cd; gold ab, ac, bc: one in common.
        assert!((s.pairwise_precision - 0.5).abs() < 1e-12);
        assert!((s.pairwise_recall - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(s.pred_clusters, 2);
    }

    #[test]
    fn a_missing_label_is_a_singleton() {
        let gold = [Some("x"), Some("x")];
        let s = cluster_scores(&gold, &[None, None]);
        assert_eq!((s.bcubed_precision, s.bcubed_recall), (1.0, 0.5));
        assert_eq!((s.pairwise_precision, s.pairwise_recall), (1.0, 0.0));
        assert_eq!(s.pred_clusters, 2);
    }
}
