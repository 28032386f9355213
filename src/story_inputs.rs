//! `docpipe run --story-inputs FILE`: each document's prepared article, as the story tracker
//! would take it, written in input order. A cluster job processes a dump in parts on many
//! machines, then runs `docpipe stories` over these lines in input order with the final dedup
//! verdicts: the tracker then sees exactly what a single `docpipe run` would have given it.

use std::path::PathBuf;

use anyhow::{bail, Context};
use docpipe_pipeline::{Pipeline, Stage};
use docpipe_stories::PreparedArticle;

use crate::cli::RunArgs;
use crate::sink::AtomicFile;
use crate::usage::UsageError;

/// The `--story-inputs` file of a run.
pub struct StoryInputs {
    file: AtomicFile,
    path: PathBuf,
    line: Vec<u8>,
}

impl StoryInputs {
    /// The file, when `--story-inputs` is given. It needs the stories stage (which prepares the
    /// articles on the workers), and a run from the start: a resumed run does not prepare the
    /// documents of the inputs it had finished again for this file.
    pub fn open(args: &RunArgs, pipeline: &Pipeline) -> anyhow::Result<Option<StoryInputs>> {
        let Some(path) = &args.story_inputs else {
            return Ok(None);
        };
        if !pipeline.runs(Stage::Stories) {
            bail!(UsageError("--story-inputs needs the stories stage".into()));
        }
        if args.resume {
            bail!(UsageError(
                "--story-inputs cannot be resumed: run again from the start".into()
            ));
        }
        if path.is_dir() {
            bail!(UsageError(format!(
                "--story-inputs {} is a directory; name a file",
                path.display()
            )));
        }
        Ok(Some(StoryInputs {
            file: AtomicFile::create(path)?,
            path: path.clone(),
            line: Vec::new(),
        }))
    }

    /// The next document's line.
    pub fn write(&mut self, article: &PreparedArticle) -> anyhow::Result<()> {
        self.line.clear();
        serde_json::to_writer(&mut self.line, article)?;
        self.line.push(b'\n');
        self.file
            .write_all(&self.line)
            .with_context(|| format!("cannot write {}", self.path.display()))
    }

    /// Puts the file in place.
    pub fn finish(self) -> anyhow::Result<()> {
        self.file.finish()
    }

    /// Leaves the file under its `.partial` name (an interrupted run).
    pub fn abandon(self) -> anyhow::Result<()> {
        self.file.abandon().map(|_| ())
    }
}
