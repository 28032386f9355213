//! `docpipe eval extract`: main text and metadata of HTML pages (WCXB's dev pages), scored by
//! `../shared/eval/html/score.py`. The pages go through `docpipe run` itself, read as the
//! files they are (or as one WARC file with `--warc`), and the predictions are taken from the
//! records it writes: the figures are those of what users get.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use super::common::{default_predictions, run_pipeline, write_jsonl};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Gold pages: `{id, html_file, ...}` per line (html_file relative to this file's folder).
    #[arg(long, default_value = "../shared/eval/html/dev.jsonl")]
    gold: PathBuf,
    /// Read the pages from this WARC file instead of the gold's `html_file`s; only the pages
    /// it holds are scored (the gold is cut to them).
    #[arg(long, value_name = "WARC")]
    warc: Option<PathBuf>,
    /// Where to write `{id, text, title, author, published}` predictions.
    #[arg(long)]
    predictions: Option<PathBuf>,
    /// The scorer [default: score.py beside the gold file].
    #[arg(long)]
    scorer: Option<PathBuf>,
    /// Python interpreter for the scorer.
    #[arg(long, default_value = "python3")]
    python: String,
    /// Print the scorer's figures as one JSON object.
    #[arg(long)]
    json: bool,
    /// Also give the figures per page type.
    #[arg(long)]
    by_type: bool,
    /// Options passed to `docpipe run` as they are (e.g. `--max-document-bytes 1000000`).
    #[arg(last = true)]
    run_options: Vec<String>,
}

#[derive(Deserialize)]
struct GoldPage {
    id: String,
    url: Option<String>,
    html_file: String,
}

#[derive(Serialize)]
struct Prediction {
    id: String,
    text: String,
    title: Option<String>,
    author: Option<String>,
    published: Option<String>,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let folder = args.gold.parent().unwrap_or(Path::new("."));
    let gold_lines = std::fs::read_to_string(&args.gold)
        .with_context(|| format!("cannot read {}", args.gold.display()))?;
    let mut pages = Vec::new();
    for (number, line) in gold_lines.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let page: GoldPage = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: not a gold page", args.gold.display(), number + 1))?;
        pages.push((page, line));
    }
    let inputs: Vec<PathBuf> = match &args.warc {
        Some(warc) => vec![warc.clone()],
        None => pages
            .iter()
            .map(|(page, _)| folder.join(&page.html_file))
            .collect(),
    };
    let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    // Every stage, as `docpipe run` does by default: the publication date comes from the
    // dates stage.
    let options: Vec<&str> = args.run_options.iter().map(String::as_str).collect();
    let run = run_pipeline(&inputs, &options)?;

    // A WARC record's id is its record id: the page id is found through the URL.
    let by_url: HashMap<&str, &str> = pages
        .iter()
        .filter_map(|(page, _)| Some((page.url.as_deref()?, page.id.as_str())))
        .collect();
    let mut predictions = Vec::with_capacity(run.records.len());
    for record in &run.records {
        let text_of = |name: &str| record.get(name).and_then(|v| v.as_str()).map(str::to_owned);
        let id = if args.warc.is_some() {
            let url = record.get("url").and_then(|v| v.as_str()).unwrap_or("");
            match by_url.get(url) {
                Some(id) => (*id).to_owned(),
                None => continue,
            }
        } else {
            text_of("id").unwrap_or_default()
        };
        let authors: Vec<&str> = record
            .get("authors")
            .and_then(|v| v.as_array())
            .map(|names| names.iter().filter_map(|name| name.as_str()).collect())
            .unwrap_or_default();
        predictions.push(Prediction {
            id,
            text: text_of("text").unwrap_or_default(),
            title: text_of("title"),
            author: (!authors.is_empty()).then(|| authors.join(", ")),
            published: record
                .get("published")
                .and_then(|p| p.get("date"))
                .and_then(|d| d.as_str())
                .map(str::to_owned),
        });
    }
    let path = args
        .predictions
        .clone()
        .unwrap_or_else(|| default_predictions("extract"));
    write_jsonl(&path, &predictions)?;

    // With a WARC, only its pages are scored: those its index names (`dev.warc.jsonl` beside
    // `dev.warc.gz`: a page the run rejected then counts as extracted empty), else those the
    // run gave records for.
    let scratch = tempfile::tempdir()?;
    let gold = if let Some(warc) = &args.warc {
        let index = warc_index(warc)?;
        let held: BTreeSet<&str> = match &index {
            Some(ids) => ids.iter().map(String::as_str).collect(),
            None => {
                eprintln!(
                    "docpipe eval extract: no index beside {}: pages the run rejected are not \
                     scored",
                    warc.display()
                );
                predictions.iter().map(|p| p.id.as_str()).collect()
            }
        };
        let cut = scratch.path().join("gold.jsonl");
        let mut lines = String::new();
        for (page, line) in &pages {
            if held.contains(page.id.as_str()) {
                lines.push_str(line);
                lines.push('\n');
            }
        }
        std::fs::write(&cut, lines)?;
        cut
    } else {
        args.gold.clone()
    };
    eprintln!(
        "docpipe eval extract: {} pages read, {} records, {} rejected, {:.2} s; predictions in {}",
        run.stats.counts.read,
        run.records.len(),
        run.rejects.len(),
        run.stats.seconds,
        path.display()
    );
    let scorer = args
        .scorer
        .clone()
        .unwrap_or_else(|| folder.join("score.py"));
    let mut command = Command::new(&args.python);
    command.arg(&scorer).arg(&gold).arg(&path);
    if args.json {
        command.arg("--json");
    }
    if args.by_type {
        command.arg("--by-type");
    }
    let status = command
        .status()
        .with_context(|| format!("cannot run {} {}", args.python, scorer.display()))?;
    anyhow::ensure!(status.success(), "the scorer failed: {status}");
    Ok(())
}

/// The page ids a WARC's index lists (`NAME.warc.jsonl` beside `NAME.warc.gz` or
/// `NAME.warc`, an `id` per line), if it has one.
fn warc_index(warc: &Path) -> anyhow::Result<Option<Vec<String>>> {
    let name = warc.to_string_lossy();
    let stem = name.strip_suffix(".gz").unwrap_or(&name);
    let index = PathBuf::from(format!("{stem}.jsonl"));
    if !index.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&index)
        .with_context(|| format!("cannot read {}", index.display()))?;
    let mut ids = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let entry: serde_json::Value = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: not JSON", index.display(), number + 1))?;
        if let Some(id) = entry.get("id").and_then(|id| id.as_str()) {
            ids.push(id.to_owned());
        }
    }
    Ok(Some(ids))
}
