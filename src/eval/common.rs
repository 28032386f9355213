//! Reading gold files and writing predictions, shared by every `docpipe eval` command.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Reads every line of a JSON Lines gold file.
pub fn read_jsonl<T: DeserializeOwned>(path: &Path) -> anyhow::Result<Vec<T>> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut items = Vec::new();
    for (number, line) in BufReader::new(file).lines().enumerate() {
        let line =
            line.with_context(|| format!("{}:{}: read failed", path.display(), number + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let item = serde_json::from_str(&line)
            .with_context(|| format!("{}:{}: not a gold record", path.display(), number + 1))?;
        items.push(item);
    }
    Ok(items)
}

/// Writes predictions as JSON Lines, creating the parent folder.
pub fn write_jsonl<T: Serialize>(path: &Path, items: &[T]) -> anyhow::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = BufWriter::new(file);
    for item in items {
        serde_json::to_writer(&mut out, item)?;
        out.write_all(b"\n")?;
    }
    out.flush()
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Where a stage's predictions go unless `--predictions` says otherwise.
pub fn default_predictions(stage: &str) -> PathBuf {
    PathBuf::from(format!("output/eval/{stage}.predictions.jsonl"))
}

/// Prints metrics: one JSON object with `--json` (what the quality tests read), else a table.
pub fn print_metrics(json: bool, title: &str, metrics: &[(&str, f64)]) -> anyhow::Result<()> {
    if json {
        let map: serde_json::Map<String, serde_json::Value> = metrics
            .iter()
            .map(|(name, value)| ((*name).to_string(), serde_json::json!(value)))
            .collect();
        println!("{}", serde_json::Value::Object(map));
    } else {
        println!("{title}");
        for (name, value) in metrics {
            println!("  {name:<24} {value:.4}");
        }
    }
    Ok(())
}

/// What one `docpipe run` over some inputs wrote: its records, its rejects and its stats.
pub struct PipelineRun {
    /// The records, in output order.
    pub records: Vec<serde_json::Value>,
    /// The lines of the rejects file.
    pub rejects: Vec<serde_json::Value>,
    /// The run's own counts and timings.
    pub stats: crate::run::RunStats,
}

impl PipelineRun {
    /// The records by their `id`: the first record of an id, where the input repeats one.
    pub fn by_id(&self) -> std::collections::HashMap<&str, &serde_json::Value> {
        let mut by_id = std::collections::HashMap::with_capacity(self.records.len());
        for record in &self.records {
            if let Some(id) = record.get("id").and_then(|id| id.as_str()) {
                by_id.entry(id).or_insert(record);
            }
        }
        by_id
    }
}

/// `docpipe run` on `inputs` with `options`, exactly as the command line would run it, into a
/// temporary folder; its records and rejects read back. The quality figures of `docpipe eval`
/// are then those of what users get, not of a second code path.
pub fn run_pipeline(inputs: &[&Path], options: &[&str]) -> anyhow::Result<PipelineRun> {
    use clap::Parser;

    /// `docpipe run`'s options, parsed as the command line would give them.
    #[derive(Parser)]
    struct RunCommand {
        #[command(flatten)]
        run: crate::cli::RunArgs,
    }

    let scratch = tempfile::tempdir().context("cannot create a temporary folder")?;
    let output = scratch.path().join("eval.jsonl");
    let mut argv: Vec<std::ffi::OsString> = vec!["docpipe".into()];
    argv.extend(inputs.iter().map(|path| path.as_os_str().to_owned()));
    argv.extend(["-o".into(), output.as_os_str().to_owned(), "-q".into()]);
    argv.extend(options.iter().map(|option| (*option).into()));
    let args = RunCommand::try_parse_from(argv)?.run;
    let stats = crate::run::run(&args)?;
    let records = read_jsonl(&output)?;
    let rejects_path = scratch.path().join("eval.rejects.jsonl");
    let rejects = if rejects_path.exists() {
        read_jsonl(&rejects_path)?
    } else {
        Vec::new()
    };
    Ok(PipelineRun {
        records,
        rejects,
        stats,
    })
}

/// A record's sentences, cut from its text by their character offsets.
pub fn sentence_texts(record: &serde_json::Value) -> Vec<String> {
    let text: Vec<char> = record
        .get("text")
        .and_then(|text| text.as_str())
        .unwrap_or("")
        .chars()
        .collect();
    let spans = record.get("sentences").and_then(|spans| spans.as_array());
    spans
        .into_iter()
        .flatten()
        .filter_map(|pair| {
            let start = usize::try_from(pair.get(0)?.as_u64()?).ok()?;
            let end = usize::try_from(pair.get(1)?.as_u64()?).ok()?;
            Some(text.get(start..end)?.iter().collect())
        })
        .collect()
}

/// The contingency table of two clusterings of the same items, as the dedup and stories
/// scorers (`score.py`) build it: a `None` label is a cluster of its own.
pub struct Contingency {
    /// Items per (gold, predicted) cluster pair.
    pub cells: std::collections::HashMap<(ClusterKey, ClusterKey), u64>,
    /// Items per gold cluster.
    pub gold_sizes: std::collections::HashMap<ClusterKey, u64>,
    /// Items per predicted cluster.
    pub pred_sizes: std::collections::HashMap<ClusterKey, u64>,
    /// Number of items.
    pub items: usize,
}

/// A cluster: `(true, label)`, or `(false, position)` for an item without a label, which no
/// other item shares.
pub type ClusterKey = (bool, String);

/// Same-cluster pair counts and the pairwise scores they give.
pub struct PairCounts {
    /// Pairs in one cluster in both clusterings.
    pub together: u64,
    /// Pairs in one gold cluster.
    pub gold_pairs: u64,
    /// Pairs in one predicted cluster.
    pub pred_pairs: u64,
    /// `together / pred_pairs`, 1 without predicted pairs.
    pub precision: f64,
    /// `together / gold_pairs`, 1 without gold pairs.
    pub recall: f64,
}

/// Pairs among `n` items.
pub fn pairs(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

/// The harmonic mean of `p` and `r`, 0 when both are 0.
pub fn f1(p: f64, r: f64) -> f64 {
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}

impl Contingency {
    /// The table of `gold` against `predicted` (the same items in the same order).
    pub fn new(gold: &[Option<&str>], predicted: &[Option<&str>]) -> Contingency {
        let key = |i: usize, label: Option<&str>| -> ClusterKey {
            match label {
                Some(label) => (true, label.to_string()),
                None => (false, i.to_string()),
            }
        };
        let mut table = Contingency {
            cells: Default::default(),
            gold_sizes: Default::default(),
            pred_sizes: Default::default(),
            items: gold.len(),
        };
        for (i, (g, p)) in gold.iter().zip(predicted).enumerate() {
            let (g, p) = (key(i, *g), key(i, *p));
            *table.gold_sizes.entry(g.clone()).or_default() += 1;
            *table.pred_sizes.entry(p.clone()).or_default() += 1;
            *table.cells.entry((g, p)).or_default() += 1;
        }
        table
    }

    /// Same-cluster pairs and pairwise precision and recall.
    pub fn pair_counts(&self) -> PairCounts {
        let sum = |sizes: &mut dyn Iterator<Item = &u64>| sizes.map(|&n| pairs(n)).sum::<u64>();
        let together = sum(&mut self.cells.values());
        let gold_pairs = sum(&mut self.gold_sizes.values());
        let pred_pairs = sum(&mut self.pred_sizes.values());
        let ratio = |part: u64, whole: u64| {
            if whole == 0 {
                1.0
            } else {
                part as f64 / whole as f64
            }
        };
        PairCounts {
            together,
            gold_pairs,
            pred_pairs,
            precision: ratio(together, pred_pairs),
            recall: ratio(together, gold_pairs),
        }
    }
}
