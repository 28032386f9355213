//! The stories stage's serial half: the tracker, fed in input order by the writer right after
//! each document's dedup verdict, and the stories file, one line per story in the order the
//! stories close.

use std::path::Path;

use anyhow::Context;
use docpipe_stories::{PreparedArticle, Story, StoryTracker};
use docpipe_summarize::IdfTable;
use serde::Serialize;

use crate::cli::RunArgs;
use crate::sink::AtomicFile;

/// The run's story tracker and where its stories go.
pub struct StoryOutput {
    tracker: StoryTracker,
}

/// A line of `NAME.stories.jsonl`. Spans are character offsets into the `text` of the record
/// whose id is `article`, end exclusive.
#[derive(Serialize)]
struct StoryLine<'a> {
    id: &'a str,
    title: &'a str,
    articles: &'a [String],
    outlets: &'a [String],
    first_published: Option<String>,
    last_published: Option<String>,
    keywords: &'a [String],
    summary: Vec<SpanLine<'a>>,
    timeline: Vec<TimelineLine<'a>>,
}

#[derive(Serialize)]
struct SpanLine<'a> {
    article: &'a str,
    start: usize,
    end: usize,
    text: &'a str,
}

#[derive(Serialize)]
struct TimelineLine<'a> {
    date: String,
    article: &'a str,
    start: usize,
    end: usize,
    text: &'a str,
}

impl StoryOutput {
    /// A tracker with the run's options, weighing terms by `idf` (the summarizer's table).
    pub fn new(args: &RunArgs, idf: IdfTable) -> anyhow::Result<StoryOutput> {
        let tracker = args.stories.tracker(idf)?;
        Ok(StoryOutput { tracker })
    }

    /// A handle for the workers, which prepare the articles.
    pub fn preparer(&self) -> docpipe_stories::ArticlePreparer {
        self.tracker.preparer()
    }

    /// Puts the next document of the stream in a story and writes the stories that closed;
    /// `duplicate_of` is the kept original of a duplicate (its dedup cluster). `replayed`:
    /// the document's input was finished by an interrupted run: the stories file, cut back to
    /// its checkpoint, already holds every story that closed before it. Returns the story's
    /// id.
    pub fn add(
        &mut self,
        mut article: PreparedArticle,
        duplicate_of: Option<&str>,
        replayed: bool,
        file: &mut AtomicFile,
        path: &Path,
    ) -> anyhow::Result<String> {
        article.set_duplicate_of(duplicate_of);
        let assignment = self.tracker.add_prepared(article);
        let closed = self.tracker.take_closed();
        if !replayed {
            write_stories(file, &closed, path)?;
        }
        Ok(assignment.story)
    }

    /// Closes and writes every story still open.
    pub fn finish(self, file: &mut AtomicFile, path: &Path) -> anyhow::Result<()> {
        write_stories(file, &self.tracker.finish(), path)
    }
}

/// Writes stories as lines of `NAME.stories.jsonl` (also for `docpipe stories`).
pub fn write_stories(file: &mut AtomicFile, stories: &[Story], path: &Path) -> anyhow::Result<()> {
    let mut line = Vec::new();
    for story in stories {
        line.clear();
        serde_json::to_writer(&mut line, &story_line(story))?;
        line.push(b'\n');
        file.write_all(&line)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

fn story_line(story: &Story) -> StoryLine<'_> {
    let day = |date: Option<chrono::NaiveDate>| date.map(|d| d.format("%Y-%m-%d").to_string());
    StoryLine {
        id: &story.id,
        title: &story.title,
        articles: &story.articles,
        outlets: &story.outlets,
        first_published: day(story.first_published),
        last_published: day(story.last_published),
        keywords: &story.keywords,
        summary: story
            .summary
            .iter()
            .map(|s| SpanLine {
                article: &s.article,
                start: s.start,
                end: s.end,
                text: &s.text,
            })
            .collect(),
        timeline: story
            .timeline
            .iter()
            .map(|e| TimelineLine {
                date: e.date.to_string(),
                article: &e.article,
                start: e.start,
                end: e.end,
                text: &e.text,
            })
            .collect(),
    }
}
