//! `docpipe stories`: the stories pass of a run whose documents were processed elsewhere (a
//! cluster job, spark/). It takes, in input order, each document's prepared article (from
//! `docpipe run --story-inputs`) with its final dedup verdict, puts it in its story exactly as
//! `docpipe run` does right after the verdict, writes the stories file, and gives each
//! document's story id for its record.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::Args;
use docpipe_stories::PreparedArticle;
use docpipe_summarize::IdfTable;
use serde::Deserialize;

use crate::cli::StoryOptions;
use crate::sink::AtomicFile;
use crate::story_output;

const STORIES_EXAMPLES: &str = "\
Input, one document a line in input order: its record's `dedup` value (or null), a tab, and its
line of `docpipe run --story-inputs`:
  {\"status\":\"unique\",\"duplicate_of\":null,\"cluster\":\"a1\",\"similarity\":null}<TAB>{\"id\":\"a1\",...}
Output (--ids), one line per input line, in order: the record's `story` value
  \"a1\"        or null for a duplicate that --drop-duplicates leaves out";

/// `docpipe stories`: prepared articles with their verdicts in, stories and story ids out.
#[derive(Args, Debug)]
#[command(after_help = STORIES_EXAMPLES)]
// The shared options keep this command's short help, which points at `docpipe run`'s.
#[command(mut_arg("story_window_articles", |a| a.help("As `docpipe run --story-window-articles`.")))]
#[command(mut_arg("story_window_days", |a| a.help("As `docpipe run --story-window-days`.")))]
#[command(mut_arg("story_summary_sentences", |a| a.help("As `docpipe run --story-summary-sentences`.")))]
#[command(mut_arg("story_timeline_entries", |a| a.help("As `docpipe run --story-timeline-entries`.")))]
pub struct StoriesArgs {
    /// The documents, as above; `-` reads standard input.
    #[arg(default_value = "-", value_name = "INPUT")]
    pub input: PathBuf,

    /// The stories file to write (as `docpipe run`'s `NAME.stories.jsonl`).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,

    /// Where the story ids go, one line per document; `-` is standard output.
    #[arg(long, default_value = "-", value_name = "FILE")]
    pub ids: PathBuf,

    /// Duplicates are left out of the output (`docpipe run --drop-duplicates`): they join no
    /// story and their id line is null.
    #[arg(long)]
    pub drop_duplicates: bool,

    /// The tracker's options, as `docpipe run` takes them.
    #[command(flatten)]
    pub stories: StoryOptions,
}

/// The part of a record's `dedup` value the tracker needs.
#[derive(Deserialize)]
struct Verdict {
    status: String,
    cluster: String,
}

/// Runs the pass: every input line gets an id line, and the stories file is put in place.
pub fn run(args: &StoriesArgs) -> anyhow::Result<()> {
    // The articles come prepared, their terms weighed already: the IDF table serves only
    // preparing, which this pass does not do (the default table, as before).
    let mut tracker = args.stories.tracker(IdfTable::english())?;
    let input: Box<dyn BufRead> = if args.input == Path::new("-") {
        Box::new(io::stdin().lock())
    } else {
        let file = File::open(&args.input)
            .with_context(|| format!("cannot open {}", args.input.display()))?;
        Box::new(BufReader::new(file))
    };
    let mut stories = AtomicFile::create(&args.output)?;
    let mut ids: Box<dyn Write> = if args.ids == Path::new("-") {
        Box::new(BufWriter::new(io::stdout().lock()))
    } else {
        Box::new(BufWriter::new(File::create(&args.ids).with_context(
            || format!("cannot create {}", args.ids.display()),
        )?))
    };
    let name = args.input.display().to_string();
    for (index, line) in input.lines().enumerate() {
        let line = line.with_context(|| format!("cannot read {name}"))?;
        let at = || format!("{name}, line {}", index + 1);
        let (mut article, original) = parse_line(&line).with_context(at)?;
        let is_duplicate = original.is_some();
        if is_duplicate && args.drop_duplicates {
            ids.write_all(b"null\n")?;
            continue;
        }
        // As `docpipe run`: a duplicate joins the story of its cluster's first document.
        article.set_duplicate_of(original.as_deref());
        let assignment = tracker.add_prepared(article);
        story_output::write_stories(&mut stories, &tracker.take_closed(), &args.output)?;
        serde_json::to_writer(&mut ids, &assignment.story)?;
        ids.write_all(b"\n")?;
    }
    story_output::write_stories(&mut stories, &tracker.finish(), &args.output)?;
    ids.flush().context("cannot write the story ids")?;
    stories.finish()
}

/// A line's article and, for a duplicate, its cluster.
fn parse_line(line: &str) -> anyhow::Result<(PreparedArticle, Option<String>)> {
    let (verdict, article) = match line.split_once('\t') {
        Some((verdict, article)) => (Some(verdict), article),
        None => (None, line),
    };
    let verdict: Option<Verdict> = match verdict {
        Some(text) => serde_json::from_str(text).context("not a dedup value")?,
        None => None,
    };
    let article: PreparedArticle =
        serde_json::from_str(article).context("not a line of `docpipe run --story-inputs`")?;
    let original = match verdict {
        None => None,
        Some(v) if v.status == "unique" => None,
        Some(v) if v.status == "exact" || v.status == "near" => Some(v.cluster),
        Some(v) => bail!("unknown dedup status {:?}", v.status),
    };
    Ok((article, original))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_without_a_verdict_is_a_unique_document() {
        let err = parse_line("{}").unwrap_err();
        assert!(format!("{err:#}").contains("--story-inputs"), "{err:#}");
        let err = parse_line("{\"status\":\"odd\",\"cluster\":\"a\"}\t{}").unwrap_err();
        assert!(format!("{err:#}").contains("--story-inputs"), "{err:#}");
        let err = parse_line("nonsense\t{}").unwrap_err();
        assert!(format!("{err:#}").contains("dedup value"), "{err:#}");
    }
}
