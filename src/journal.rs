//! The progress journal of a run that writes files: after every batch, how many input files are
//! completely in the outputs, how long each output file was at that point, and the counts so
//! far. `--resume` truncates the `.partial` outputs back to those lengths and goes on from the
//! next input file, so a killed run loses nothing and writes nothing twice.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};

use crate::counts::Counts;

/// Bumped whenever the journal's meaning changes, so an old journal is never misread.
/// 2: each finished input's size, modification time and sample hash.
const VERSION: u32 = 3;

/// Bytes hashed at each end of an input for its [`InputStamp`]: enough to notice an edit in
/// the part of a file most likely to change (appended lines, a rewritten head), cheap enough to
/// take at every checkpoint.
const SAMPLE_BYTES: u64 = 64 * 1024;

/// Folds one more finished input into the hash of those before it (`""` for none).
pub fn fold_stamps(previous: &str, stamp: &InputStamp) -> String {
    let seed = u64::from_str_radix(previous, 16).unwrap_or(0);
    format!(
        "{:016x}",
        xxhash_rust::xxh3::xxh3_64_with_seed(stamp.key().as_bytes(), seed)
    )
}

/// What a finished input file was when the interrupted run read it. A resumed run skips the
/// inputs it finished, so it must be sure they are still the same files: any change would make
/// the result match neither version.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct InputStamp {
    /// The file as the walk found it; `None` for standard input, which cannot be checked.
    pub path: Option<String>,
    pub bytes: u64,
    /// Modification time, seconds and nanoseconds since the Unix epoch.
    pub modified: (u64, u32),
    /// xxh3 of the first and last [`SAMPLE_BYTES`] bytes, hex.
    pub sample: String,
}

impl InputStamp {
    /// The stamp of `path` now; standard input (`None`) gets an empty one, and a file that
    /// cannot be read (it was rejected as unreadable, or is gone) one that says so, which only
    /// matches a file that still cannot be read.
    pub fn of(path: Option<&Path>) -> InputStamp {
        let Some(path) = path else {
            return InputStamp {
                path: None,
                bytes: 0,
                modified: (0, 0),
                sample: String::new(),
            };
        };
        let read = || -> std::io::Result<InputStamp> {
            use std::io::{Read, Seek, SeekFrom};
            let mut file = fs::File::open(path)?;
            let metadata = file.metadata()?;
            let modified = metadata
                .modified()
                .ok()
                .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or((0, 0), |since| (since.as_secs(), since.subsec_nanos()));
            let bytes = metadata.len();
            let mut sample = Vec::with_capacity(2 * SAMPLE_BYTES as usize);
            (&mut file).take(SAMPLE_BYTES).read_to_end(&mut sample)?;
            if bytes > SAMPLE_BYTES {
                file.seek(SeekFrom::Start(
                    bytes.saturating_sub(SAMPLE_BYTES).max(SAMPLE_BYTES),
                ))?;
                file.take(SAMPLE_BYTES).read_to_end(&mut sample)?;
            }
            Ok(InputStamp {
                path: Some(path.display().to_string()),
                bytes,
                modified,
                sample: format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&sample)),
            })
        };
        read().unwrap_or_else(|err| InputStamp {
            path: Some(path.display().to_string()),
            bytes: 0,
            modified: (0, 0),
            sample: format!("unreadable: {:?}", err.kind()),
        })
    }

    /// The bytes the stamp is folded in by.
    fn key(&self) -> String {
        format!(
            "{}\0{}\0{}.{}\0{}",
            self.path.as_deref().unwrap_or("-"),
            self.bytes,
            self.modified.0,
            self.modified.1,
            self.sample
        )
    }
}

/// Lengths in bytes of the output files at a checkpoint.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Lengths {
    pub records: u64,
    pub rejects: u64,
    pub duplicates: Option<u64>,
    pub signatures: Option<u64>,
    /// The stories file, when the stories stage runs.
    #[serde(default)]
    pub stories: Option<u64>,
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
    /// The first `inputs_done` inputs as they were when finished, folded into one hash by
    /// [`fold_stamps`] (a list of stamps would make every checkpoint of a run over a million
    /// small files rewrite a journal of a million entries).
    pub finished: String,
}

#[derive(Serialize, Deserialize)]
struct JournalFile {
    version: u32,
    /// The options that decide the output; only a run with the same ones may resume.
    command: serde_json::Value,
    checkpoint: Checkpoint,
}

/// Where a journal is written before it replaces the last one: `.<name>.tmp` beside it.
pub fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp"))
}

/// The journal file of one run.
pub struct Journal {
    path: PathBuf,
    temp: PathBuf,
    command: serde_json::Value,
}

impl Journal {
    /// `command` holds every option that changes the output.
    pub fn new(path: PathBuf, command: serde_json::Value) -> Journal {
        let temp = temp_path(&path);
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
        // The version first: another version's journal may not parse as this one's.
        #[derive(Deserialize)]
        struct Versioned {
            version: u32,
        }
        let versioned: Versioned = serde_json::from_slice(&bytes)
            .with_context(|| format!("{} is not a docpipe journal", self.path.display()))?;
        if versioned.version != VERSION {
            bail!(
                "{} was written by another version of docpipe; run again without --resume",
                self.path.display()
            );
        }
        let file: JournalFile = serde_json::from_slice(&bytes)
            .with_context(|| format!("{} is not a docpipe journal", self.path.display()))?;
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
                stories: Some(3),
            },
            counts: Counts::default(),
            finished: String::new(),
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

    #[test]
    fn a_stamp_notices_a_changed_input() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.jsonl");
        fs::write(&path, "{\"text\": \"one\"}\n").unwrap();
        let folded = |path: &Path| fold_stamps("", &InputStamp::of(Some(path)));
        let before = folded(&path);
        assert_eq!(before, folded(&path));
        // Same size, other content.
        fs::write(&path, "{\"text\": \"two\"}\n").unwrap();
        assert_ne!(before, folded(&path));
        // A large file changed only in its middle keeps its samples: the time tells.
        let big = dir.path().join("big.jsonl");
        fs::write(&big, vec![b'x'; 300_000]).unwrap();
        let before = folded(&big);
        std::thread::sleep(std::time::Duration::from_millis(20));
        let mut bytes = vec![b'x'; 300_000];
        bytes[150_000] = b'y';
        fs::write(&big, bytes).unwrap();
        assert_ne!(before, folded(&big));
        // Order matters: a, b is not b, a.
        let a = InputStamp::of(Some(&path));
        let b = InputStamp::of(Some(&big));
        assert_ne!(
            fold_stamps(&fold_stamps("", &a), &b),
            fold_stamps(&fold_stamps("", &b), &a)
        );
    }
}
