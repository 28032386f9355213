//! Where a run stands in its inputs, for the resume journal: which inputs are finished (every
//! document of them in the outputs), and whether a resumed run reads what the interrupted one
//! read.

use std::path::PathBuf;

use anyhow::bail;

use crate::counts::Counts;
use crate::journal::{fold_stamps, Checkpoint, InputStamp, Lengths};
use crate::usage::UsageError;

/// Follows the items of a run in input order and says when one starts a new input: the moment
/// every earlier input is completely in the outputs, which is a checkpoint.
pub struct Checkpoints<'a> {
    /// The input of the last item seen and its source.
    previous: Option<(usize, String)>,
    /// Inputs an interrupted run had finished: their items are only replayed.
    inputs_done: usize,
    /// How many inputs are finished and their stamps folded.
    finished: (usize, String),
    input_paths: &'a [Option<PathBuf>],
    resume_from: Option<&'a Checkpoint>,
}

impl<'a> Checkpoints<'a> {
    /// Starts at the beginning, or where `resume_from` left off.
    pub fn new(input_paths: &'a [Option<PathBuf>], resume_from: Option<&'a Checkpoint>) -> Self {
        Checkpoints {
            previous: None,
            inputs_done: resume_from.map_or(0, |c| c.inputs_done),
            finished: resume_from
                .map(|c| (c.inputs_done, c.finished.clone()))
                .unwrap_or_default(),
            input_paths,
            resume_from,
        }
    }

    /// Whether the item's input was finished by the interrupted run (its records are written).
    pub fn is_replayed(&self, input: usize) -> bool {
        input < self.inputs_done
    }

    /// Notes an item of a replayed input.
    pub fn replayed(&mut self, input: usize, source: &str) {
        self.previous = Some((input, source.to_string()));
    }

    /// Notes an item of an input not yet finished. When it starts a new input, returns the
    /// checkpoint the outputs are at before it (`lengths` and `counts` as they are now; the
    /// records' length is set when the records before it are written).
    pub fn next_item(
        &mut self,
        input: usize,
        source: &str,
        counts: &Counts,
        lengths: impl FnOnce() -> Lengths,
    ) -> anyhow::Result<Option<Checkpoint>> {
        let mut checkpoint = None;
        match &self.previous {
            Some((last, last_source)) if *last < input => {
                if *last < self.inputs_done {
                    check_last_source(self.resume_from, last_source)?;
                }
                while self.finished.0 < input {
                    let path = self.input_paths.get(self.finished.0).cloned().flatten();
                    let stamp = InputStamp::of(path.as_deref());
                    self.finished = (self.finished.0 + 1, fold_stamps(&self.finished.1, &stamp));
                }
                checkpoint = Some(Checkpoint {
                    inputs_done: input,
                    last_source: last_source.clone(),
                    lengths: lengths(),
                    counts: counts.clone(),
                    finished: self.finished.1.clone(),
                });
            }
            None => check_last_source(self.resume_from, "nothing")?,
            _ => {}
        }
        self.previous = Some((input, source.to_string()));
        Ok(checkpoint)
    }

    /// At the end of an uninterrupted run: the inputs the interrupted run had finished must
    /// still end the same way, even when no later input followed them.
    pub fn finish(&self) -> anyhow::Result<()> {
        match &self.previous {
            Some((last, last_source)) if *last < self.inputs_done => {
                check_last_source(self.resume_from, last_source)
            }
            None => check_last_source(self.resume_from, "nothing"),
            _ => Ok(()),
        }
    }
}

/// The inputs the interrupted run finished are skipped, so they must be what it read: same
/// files, same sizes, times and sampled content.
pub fn check_finished_inputs(
    checkpoint: &Checkpoint,
    input_paths: &[Option<PathBuf>],
) -> anyhow::Result<()> {
    let mut folded = String::new();
    for index in 0..checkpoint.inputs_done {
        let path = input_paths.get(index).cloned().flatten();
        folded = fold_stamps(&folded, &InputStamp::of(path.as_deref()));
    }
    if folded != checkpoint.finished {
        bail!(UsageError(format!(
            "cannot resume: the {} input file(s) the interrupted run had finished are not the \
             same now (a file's size, time or content changed, or files were added or removed \
             before them); run again without --resume",
            checkpoint.inputs_done
        )));
    }
    Ok(())
}

/// The last input an interrupted run finished must end with the same document now.
fn check_last_source(checkpoint: Option<&Checkpoint>, last_source: &str) -> anyhow::Result<()> {
    match checkpoint {
        Some(checkpoint) if checkpoint.last_source != last_source => bail!(
            "cannot resume: the inputs changed since the interrupted run (it had finished with \
             {}, this run reads {} there)",
            checkpoint.last_source,
            last_source
        ),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checkpoint(inputs_done: usize, last_source: &str) -> Checkpoint {
        Checkpoint {
            inputs_done,
            last_source: last_source.to_string(),
            lengths: Lengths::default(),
            counts: Counts::default(),
            finished: String::new(),
        }
    }

    #[test]
    fn a_checkpoint_comes_when_an_item_starts_a_new_input() {
        let paths = [None, None, None];
        let mut checkpoints = Checkpoints::new(&paths, None);
        let counts = Counts::default();
        let at = |checkpoints: &mut Checkpoints, input, source: &str| {
            checkpoints
                .next_item(input, source, &counts, Lengths::default)
                .unwrap()
                .map(|c| (c.inputs_done, c.last_source))
        };
        assert_eq!(at(&mut checkpoints, 0, "a:1"), None);
        assert_eq!(at(&mut checkpoints, 0, "a:2"), None);
        assert_eq!(at(&mut checkpoints, 2, "c:1"), Some((2, "a:2".to_string())));
        assert!(checkpoints.finish().is_ok());
    }

    #[test]
    fn a_resumed_run_must_end_its_finished_inputs_as_the_interrupted_one_did() {
        let paths = [None, None];
        let resumed = checkpoint(1, "a:2");
        let mut checkpoints = Checkpoints::new(&paths, Some(&resumed));
        assert!(checkpoints.is_replayed(0) && !checkpoints.is_replayed(1));
        checkpoints.replayed(0, "a:3");
        let counts = Counts::default();
        let moved_on = checkpoints.next_item(1, "b:1", &counts, Lengths::default);
        assert!(moved_on.unwrap_err().to_string().contains("a:2"));

        let mut checkpoints = Checkpoints::new(&paths, Some(&resumed));
        checkpoints.replayed(0, "a:2");
        assert!(checkpoints.finish().is_ok());
        let mut nothing_read = Checkpoints::new(&paths, Some(&resumed));
        assert!(nothing_read.finish().is_err());
        assert!(nothing_read
            .next_item(1, "b:1", &counts, Lengths::default)
            .is_err());
    }
}
