//! The serial end of a run: each document, in input order, gets its dedup verdict and its
//! story, is counted, and goes to the writer; checkpoints are taken between inputs.

use docpipe_deduplicate::DuplicateStatus;
use docpipe_pipeline::{Reject, Stage, StageClock, StageTiming};

use super::batches::{Outcome, Rendered};
use super::checkpoints::Checkpoints;
use super::dedup_step::DedupStep;
use super::writer::Writer;
use crate::counts::Counts;
use crate::journal::{Checkpoint, Journal};
use crate::progress::Progress;
use crate::story_inputs::StoryInputs;
use crate::story_output::StoryOutput;

/// Documents with an id already seen that are named on stderr; the stats count them all.
const MAX_ID_WARNINGS: u64 = 5;

/// The steps every document goes through after the workers, one document at a time.
pub struct Serial<'a> {
    pub writer: Writer<'a>,
    pub dedup: DedupStep,
    pub checkpoints: Checkpoints<'a>,
    /// The story tracker, when the stories stage runs.
    pub stories: Option<StoryOutput>,
    /// `--story-inputs`: each document's prepared article, for `docpipe stories`.
    pub story_inputs: Option<StoryInputs>,
    pub counts: Counts,
    pub journal: Option<&'a Journal>,
    pub timing: &'a StageTiming,
    pub progress: &'a Progress,
    pub quiet: bool,
}

impl Serial<'_> {
    /// Takes the outcomes of one batch, in input order.
    pub fn consume(&mut self, outcomes: Vec<Outcome>) -> anyhow::Result<()> {
        let mut kept = Vec::with_capacity(outcomes.len());
        // A checkpoint found in the middle of the batch, taken once the records before it are
        // written, with the number of them.
        let mut pending: Option<(Checkpoint, usize)> = None;
        for (input, result) in outcomes {
            let source = match &result {
                Ok(rendered) => &rendered.source,
                Err(rejected) => &rejected.source,
            };
            if self.checkpoints.is_replayed(input) {
                self.checkpoints.replayed(input, source);
                if let Ok(rendered) = result {
                    self.replay(rendered)?;
                }
                continue;
            }
            let writer = &self.writer;
            let at = self
                .checkpoints
                .next_item(input, source, &self.counts, || {
                    writer.outputs.side_lengths()
                })?;
            if let Some(checkpoint) = at {
                pending = Some((checkpoint, kept.len()));
            }
            self.counts.read += 1;
            if let Some(rendered) = self.handle(result)? {
                kept.push(rendered);
            }
        }
        self.write_records(kept, pending)?;
        self.progress.update(self.counts.read);
        Ok(())
    }

    /// A document of an input the interrupted run finished: the dedup index and the story
    /// tracker are rebuilt as that run built them, from the same documents in the same order.
    fn replay(&mut self, mut rendered: Rendered) -> anyhow::Result<()> {
        self.dedup.id_reused(&rendered.id);
        if let Some(prepared) = rendered.fingerprint.take() {
            rendered.verdict = Some(self.dedup.verdict(&rendered.id, prepared));
        }
        if !self.dropped(&rendered) {
            self.add_to_story(&mut rendered, true)?;
        }
        Ok(())
    }

    /// Writes the kept records in order, then the checkpoint.
    fn write_records(
        &mut self,
        kept: Vec<Rendered>,
        pending: Option<(Checkpoint, usize)>,
    ) -> anyhow::Result<()> {
        let mut checkpoint_at = None;
        for (index, rendered) in kept.iter().enumerate() {
            if pending.as_ref().is_some_and(|(_, before)| *before == index) {
                checkpoint_at = Some(self.writer.records_len());
            }
            self.writer.record(rendered)?;
        }
        if let (Some(journal), Some((mut checkpoint, _))) = (self.journal, pending) {
            checkpoint.lengths.records = checkpoint_at.unwrap_or(self.writer.records_len());
            self.writer.checkpoint(journal, &checkpoint)?;
        }
        Ok(())
    }

    /// Counts one document, writes it to the side files it belongs in, and returns it if its
    /// record goes to the output.
    fn handle(&mut self, result: Result<Rendered, Reject>) -> anyhow::Result<Option<Rendered>> {
        let mut rendered = match result {
            Err(rejected) => {
                self.counts.rejected += 1;
                self.counts.bytes += rejected.bytes;
                self.writer.reject(&rejected)?;
                return Ok(None);
            }
            Ok(rendered) => rendered,
        };
        self.counts.bytes += rendered.bytes;
        if self.dedup.id_reused(&rendered.id) {
            self.counts.duplicate_ids += 1;
            if self.counts.duplicate_ids <= MAX_ID_WARNINGS && !self.quiet {
                eprintln!(
                    "docpipe: warning: the id {:?} ({}) was already used by an earlier document",
                    rendered.id, rendered.source
                );
            }
        }
        if let Some(prepared) = rendered.fingerprint.take() {
            self.writer.signature(&rendered.id, &prepared)?;
            let clock = StageClock::start();
            let verdict = self.dedup.verdict(&rendered.id, prepared);
            self.timing.record(Stage::Dedup, clock);
            if verdict.status != DuplicateStatus::Unique {
                self.counts.duplicates += 1;
            }
            rendered.verdict = Some(verdict);
        }
        if let (Some(inputs), Some(article)) = (self.story_inputs.as_mut(), &rendered.story) {
            inputs.write(article)?;
        }
        if self.dropped(&rendered) {
            self.counts.duplicates_dropped += 1;
            self.writer.duplicate(&rendered)?;
            return Ok(None);
        }
        if let Some((code, reliable)) = rendered.language {
            // Unreliable guesses are counted as undetermined, not as a language.
            let code = code.filter(|_| reliable).unwrap_or("und");
            *self.counts.languages.entry(code.to_string()).or_default() += 1;
        }
        self.counts.written += 1;
        self.add_to_story(&mut rendered, false)?;
        Ok(Some(rendered))
    }

    /// Whether the document is a duplicate that `--drop-duplicates` leaves out.
    fn dropped(&self, rendered: &Rendered) -> bool {
        let is_duplicate = rendered
            .verdict
            .as_ref()
            .is_some_and(|v| v.status != DuplicateStatus::Unique);
        is_duplicate && self.writer.drops_duplicates()
    }

    /// Puts a document in its story, right after its dedup verdict: a duplicate joins the
    /// story of its cluster's first document. A duplicate that `--drop-duplicates` leaves out
    /// is not given to the tracker (a story names only documents in the output).
    fn add_to_story(&mut self, rendered: &mut Rendered, replayed: bool) -> anyhow::Result<()> {
        let (Some(stories), Some(article), Some((file, path))) = (
            self.stories.as_mut(),
            rendered.story.take(),
            self.writer.stories_file(),
        ) else {
            return Ok(());
        };
        let clock = StageClock::start();
        let original = rendered
            .verdict
            .as_ref()
            .filter(|v| v.status != DuplicateStatus::Unique)
            .map(|v| v.cluster.as_str());
        let story = stories.add(article, original, replayed, file, path)?;
        rendered.story_id = Some(story);
        self.timing.record(Stage::Stories, clock);
        Ok(())
    }
}
