//! The progress journal of a run that writes files: after every batch, how many input files are
//! completely in the outputs, how long each output file was at that point, and the counts so
//! far. `--resume` truncates the `.partial` outputs back to those lengths and goes on from the
//! next input file, so a killed run loses nothing and writes nothing twice.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};

use crate::run::Counts;

/// Bumped whenever the journal's meaning changes, so an old journal is never misread.
const VERSION: u32 = 1;

/// Lengths in bytes of the output files at a checkpoint.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Lengths {
    pub records: u64,
    pub rejects: u64,
    pub duplicates: Option<u64>,
    pub signatures: Option<u64>,
}

/// Everything a resumed run needs from the interrupted one.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct Checkpoint {
    /// Input files, in input order, whose every document is in the outputs.
    pub inputs_done: usize,
    /// Source of the last document of the last finished input: a resumed run checks it to
    /// notice inputs that changed in between.
    pub last_source: String,
    pub lengths: Lengths,
    pub counts: Counts,
}

#[derive(Serialize, Deserialize)]
struct JournalFile {
    version: u32,
    /// The options that decide the output; only a run with the same ones may resume.
    command: String,
    checkpoint: Checkpoint,
}

/// The journal file of one run.
pub struct Journal {
    path: PathBuf,
    temp: PathBuf,
    command: String,
}

impl Journal {
    /// `command` describes every option that changes the output.
    pub fn new(path: PathBuf, command: String) -> Journal {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = path.with_file_name(format!(".{name}.tmp"));
        Journal {
            path,
            temp,
            command,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The checkpoint of an interrupted run of the same command, if there is a journal.
    pub fn load(&self) -> anyhow::Result<Option<Checkpoint>> {
        let bytes = match fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(err) => {
                return Err(err).with_context(|| format!("cannot read {}", self.path.display()))
            }
        };
        let file: JournalFile = serde_json::from_slice(&bytes)
            .with_context(|| format!("{} is not a docpipe journal", self.path.display()))?;
        if file.version != VERSION {
            bail!(
                "{} was written by another version of docpipe; run again without --resume",
                self.path.display()
            );
        }
        if file.command != self.command {
            bail!(
                "{} belongs to a run with other inputs or options; run again without --resume, \
                 or with the same options",
                self.path.display()
            );
        }
        Ok(Some(file.checkpoint))
    }

    /// Records a checkpoint. The outputs must already hold (flushed) the lengths it gives; the
    /// journal is replaced by rename, so a kill leaves the old checkpoint or the new one.
    pub fn save(&self, checkpoint: &Checkpoint) -> anyhow::Result<()> {
        let file = JournalFile {
            version: VERSION,
            command: self.command.clone(),
            checkpoint: checkpoint.clone(),
        };
        let json = serde_json::to_vec(&file)?;
        fs::write(&self.temp, json)
            .with_context(|| format!("cannot write {}", self.temp.display()))?;
        fs::rename(&self.temp, &self.path)
            .with_context(|| format!("cannot write {}", self.path.display()))
    }

    /// The run finished: its outputs are final and nothing is left to resume.
    pub fn remove(&self) -> anyhow::Result<()> {
        match fs::remove_file(&self.path) {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(err) => Err(err).with_context(|| format!("cannot remove {}", self.path.display())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checkpoint(inputs_done: usize) -> Checkpoint {
        Checkpoint {
            inputs_done,
            last_source: "dump/a.jsonl:3".to_string(),
            lengths: Lengths {
                records: 120,
                rejects: 0,
                duplicates: Some(7),
                signatures: None,
            },
            counts: Counts::default(),
        }
    }

    #[test]
    fn saves_and_loads_the_last_checkpoint() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::new(dir.path().join("run.progress.json"), "cmd".into());
        assert!(journal.load().unwrap().is_none());
        journal.save(&checkpoint(1)).unwrap();
        journal.save(&checkpoint(2)).unwrap();
        let loaded = journal.load().unwrap().unwrap();
        assert_eq!(loaded.inputs_done, 2);
        assert_eq!(loaded.lengths.duplicates, Some(7));
        journal.remove().unwrap();
        assert!(journal.load().unwrap().is_none());
    }

    #[test]
    fn refuses_a_journal_of_another_command() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.progress.json");
        Journal::new(path.clone(), "one".into())
            .save(&checkpoint(1))
            .unwrap();
        let err = Journal::new(path, "two".into()).load().unwrap_err();
        assert!(err.to_string().contains("other inputs or options"), "{err}");
    }
}
