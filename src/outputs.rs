//! Where a run writes, and the checks that keep it from writing over what it reads: an output
//! that is one of the inputs is refused before anything is read, a FIFO or device given as the
//! output is written in place, and the files of an earlier run found in a walked folder are
//! skipped (see [`OutputPaths::identities`]).

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::bail;

use docpipe_ingest::FileId;

use crate::cli::{OutputFormat, RunArgs, Stage};
use crate::journal::Lengths;
use crate::sink::{partial_path, AtomicFile, Sink};
use crate::usage::UsageError;

/// Where a run writes: the records, and the side files beside them.
pub struct OutputPaths {
    /// Where the records are written as JSON Lines, `None` for standard output. For Parquet
    /// this is the spool, `NAME.parquet.records`, only ever written under its `.partial` name
    /// (see `src/parquet_out.rs`).
    pub records: Option<PathBuf>,
    pub format: OutputFormat,
    /// The Parquet file the spool becomes, for `--format parquet` to a file.
    pub parquet: Option<PathBuf>,
    /// The records go to a FIFO, a device or a socket, written in place: no journal, and the
    /// side files go where they go for standard output, not beside it (into `/dev`, say).
    pub records_stream: bool,
    pub rejects: PathBuf,
    pub duplicates: PathBuf,
    /// The stories file (when the stories stage runs).
    pub stories: PathBuf,
    pub stats: PathBuf,
    pub journal: PathBuf,
}

impl OutputPaths {
    pub fn new(args: &RunArgs) -> OutputPaths {
        let name = run_name(&args.inputs);
        let format = args.format.unwrap_or(match &args.output {
            Some(path) if path.extension().is_some_and(|ext| ext == "parquet") => {
                OutputFormat::Parquet
            }
            _ => OutputFormat::Jsonl,
        });
        let records = match &args.output {
            Some(path) if path.as_os_str() == "-" => None,
            Some(path) => Some(path.clone()),
            None => Some(PathBuf::from("output").join(format!("{name}.{}", format.name()))),
        };
        let records_stream = records.as_deref().is_some_and(is_special);
        let base = match &records {
            Some(path) if !records_stream => {
                let stem = path.file_name().map(|n| n.to_string_lossy().into_owned());
                let stem = stem.unwrap_or_else(|| name.clone());
                let stem = stem.strip_suffix(".jsonl").unwrap_or(&stem);
                let stem = stem.strip_suffix(".parquet").unwrap_or(stem).to_string();
                path.with_file_name(stem)
            }
            _ => PathBuf::from("output").join(&name),
        };
        // Parquet to a stream is refused by `check`; the records then go nowhere.
        let (records, parquet) = match (format, records) {
            (OutputFormat::Parquet, Some(path)) if !records_stream => {
                let mut spool = path.clone().into_os_string();
                spool.push(".records");
                (Some(PathBuf::from(spool)), Some(path))
            }
            (_, records) => (records, None),
        };
        let side = |suffix: &str| {
            let mut path = base.clone().into_os_string();
            path.push(suffix);
            PathBuf::from(path)
        };
        OutputPaths {
            records,
            format,
            parquet,
            records_stream,
            rejects: side(".rejects.jsonl"),
            duplicates: side(".duplicates.jsonl"),
            stories: side(".stories.jsonl"),
            stats: side(".stats.json"),
            journal: side(".progress.json"),
        }
    }

    /// Every path the run may write or rename over, with the temporary names it writes under,
    /// each with what it is ("records", "rejects list", ...).
    pub fn all(&self, args: &RunArgs) -> Vec<(PathBuf, &'static str)> {
        let mut finals: Vec<(PathBuf, &'static str)> = self
            .records
            .iter()
            .map(|path| (path.clone(), "records"))
            .collect();
        finals.extend(
            self.parquet
                .iter()
                .map(|path| (path.clone(), "Parquet records")),
        );
        finals.extend([
            (self.rejects.clone(), "rejects list"),
            (self.duplicates.clone(), "duplicates list"),
            (self.stories.clone(), "stories file"),
            (self.stats.clone(), "stats file"),
            (self.journal.clone(), "resume journal"),
        ]);
        finals.extend(
            args.signatures
                .iter()
                .map(|path| (path.clone(), "signatures")),
        );
        finals.extend(
            args.story_inputs
                .iter()
                .map(|path| (path.clone(), "story inputs")),
        );
        let mut all = Vec::with_capacity(finals.len() * 2 + 1);
        for (path, role) in finals {
            all.push((partial_path(&path), role));
            all.push((path, role));
        }
        all.push((crate::journal::temp_path(&self.journal), "resume journal"));
        all
    }

    /// Refuses, before anything is read, a run that would write over one of its inputs or
    /// cannot write where it is told. Files are compared by identity (device and inode), so a
    /// link, `./x`, or `dir/../x` is caught as surely as the same spelling.
    pub fn check(&self, args: &RunArgs) -> anyhow::Result<()> {
        if self.format == OutputFormat::Parquet {
            if !cfg!(feature = "parquet") {
                bail!(UsageError(
                    "this docpipe was built without Parquet output (cargo feature `parquet`, \
                     on by default); write JSON Lines, or build it with default features"
                        .into()
                ));
            }
            if self.parquet.is_none() {
                // Parquet's footer, which readers need first, comes last: a stream reader
                // could do nothing before the end anyway, and the spool needs a folder.
                bail!(UsageError(
                    "Parquet output needs a file: name one with -o NAME.parquet (standard \
                     output, a FIFO or a device takes JSON Lines only)"
                        .into()
                ));
            }
        }
        for path in self.records.iter().chain(&self.parquet) {
            if path.is_dir() {
                bail!(UsageError(format!(
                    "the output {} is a directory; name a file with -o",
                    path.display()
                )));
            }
        }
        if let Some(path) = args.signatures.as_deref().filter(|path| path.is_dir()) {
            bail!(UsageError(format!(
                "--signatures {} is a directory; name a file",
                path.display()
            )));
        }
        let outputs: Vec<(PathBuf, &str, FileId)> = self
            .all(args)
            .into_iter()
            .filter_map(|(path, role)| FileId::of(&path).map(|id| (path, role, id)))
            .collect();
        for input in &args.inputs {
            let id = if input.as_os_str() == "-" {
                stdin_id()
            } else if input.is_dir() {
                // Files inside it are skipped by the walk instead (`identities`).
                None
            } else {
                FileId::of(input)
            };
            let Some(id) = id else { continue };
            // A FIFO or a terminal is not destroyed by being written to, but reading and
            // writing the same one in one run is never meant.
            if let Some((output, role, _)) = outputs.iter().find(|(_, _, out)| *out == id) {
                let input = if input.as_os_str() == "-" {
                    "standard input".to_string()
                } else {
                    input.display().to_string()
                };
                bail!(UsageError(format!(
                    "the run's {role} {} is the input {input}: writing it would destroy the \
                     input; name another output with -o",
                    output.display()
                )));
            }
        }
        Ok(())
    }

    /// The outputs that exist now, for a walk to skip: a folder that holds this run's own
    /// outputs must not read them back.
    pub fn identities(&self, args: &RunArgs) -> Vec<PathBuf> {
        self.all(args)
            .into_iter()
            .map(|(path, _)| path)
            .filter(|path| path.exists())
            .collect()
    }
}

/// Standard input's file, when it is redirected from one (`< data.jsonl`).
fn stdin_id() -> Option<FileId> {
    if cfg!(target_os = "linux") {
        FileId::of(Path::new("/proc/self/fd/0"))
    } else {
        None
    }
}

/// A FIFO, device or socket: anything that exists and is neither a regular file nor a folder.
fn is_special(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|metadata| !metadata.is_file() && !metadata.is_dir())
}

/// The name of a run: the first input's file or folder name without its extensions.
pub fn run_name(inputs: &[PathBuf]) -> String {
    let Some(first) = inputs.first() else {
        return "docpipe".to_string();
    };
    if first.as_os_str() == "-" {
        return "stdin".to_string();
    }
    let absolute = std::fs::canonicalize(first).unwrap_or_else(|_| first.clone());
    let file_name = absolute
        .file_name()
        .map(|n| n.to_string_lossy().into_owned());
    let mut name = file_name.unwrap_or_else(|| "docpipe".to_string());
    for ext in [
        ".gz", ".zst", ".zstd", ".jsonl", ".ndjson", ".json", ".txt", ".md",
    ] {
        if let Some(stripped) = name.strip_suffix(ext) {
            name = stripped.to_string();
        }
    }
    name
}

/// The files a run writes records and side lists to.
pub struct Outputs {
    pub records: Sink,
    pub rejects: AtomicFile,
    pub duplicates: Option<AtomicFile>,
    pub signatures: Option<AtomicFile>,
    /// One line per story, in the order stories close (when the stories stage runs).
    pub stories: Option<AtomicFile>,
}

impl Outputs {
    /// New files, or the `.partial` files of an interrupted run cut back to its checkpoint.
    pub fn open(
        paths: &OutputPaths,
        args: &RunArgs,
        dedup: bool,
        resume: Option<&Lengths>,
    ) -> anyhow::Result<Outputs> {
        let open = |path: &Path, length: Option<u64>| match length {
            Some(length) => AtomicFile::resume(path, length),
            None => AtomicFile::create(path),
        };
        let signatures = match (&args.signatures, dedup) {
            (Some(_), false) => bail!(UsageError("--signatures needs the dedup stage".into())),
            (Some(path), true) => Some(path),
            _ => None,
        };
        let records = match (&paths.records, resume) {
            (Some(path), Some(lengths)) => Sink::File(AtomicFile::resume(path, lengths.records)?),
            (path, _) => Sink::create(path.as_deref())?,
        };
        let rejects = open(&paths.rejects, resume.map(|l| l.rejects))?;
        let duplicates = if args.drop_duplicates && dedup {
            Some(open(&paths.duplicates, resume.and_then(|l| l.duplicates))?)
        } else {
            None
        };
        let signatures = match signatures {
            Some(path) => Some(open(path, resume.and_then(|l| l.signatures))?),
            None => None,
        };
        let stories_run = args
            .stages
            .as_ref()
            .is_none_or(|stages| stages.contains(&Stage::Stories));
        let stories = if stories_run {
            Some(open(&paths.stories, resume.and_then(|l| l.stories))?)
        } else {
            None
        };
        Ok(Outputs {
            records,
            rejects,
            duplicates,
            signatures,
            stories,
        })
    }

    /// Current lengths, `records` given separately: records are rendered after the side files.
    pub fn side_lengths(&self) -> Lengths {
        Lengths {
            records: self.records.len(),
            rejects: self.rejects.len(),
            duplicates: self.duplicates.as_ref().map(AtomicFile::len),
            signatures: self.signatures.as_ref().map(AtomicFile::len),
            stories: self.stories.as_ref().map(AtomicFile::len),
        }
    }

    pub fn flush(&mut self) -> anyhow::Result<()> {
        self.records.flush()?;
        self.rejects.flush()?;
        if let Some(file) = self.duplicates.as_mut() {
            file.flush()?;
        }
        if let Some(file) = self.signatures.as_mut() {
            file.flush()?;
        }
        if let Some(file) = self.stories.as_mut() {
            file.flush()?;
        }
        Ok(())
    }

    /// Renames the side files to their final names and removes the records' `.partial` file
    /// (the Parquet spool, converted by then).
    #[cfg(feature = "parquet")]
    pub fn finish_without_records(self) -> anyhow::Result<()> {
        let Outputs {
            records,
            rejects,
            duplicates,
            signatures,
            stories,
        } = self;
        // Dropped unfinished, an atomic file removes its `.partial` file.
        drop(records);
        rejects.finish()?;
        if let Some(file) = duplicates {
            file.finish()?;
        }
        if let Some(file) = signatures {
            file.finish()?;
        }
        if let Some(file) = stories {
            file.finish()?;
        }
        Ok(())
    }

    /// Renames every file to its final name.
    pub fn finish(self) -> anyhow::Result<()> {
        self.records.finish()?;
        self.rejects.finish()?;
        if let Some(file) = self.duplicates {
            file.finish()?;
        }
        if let Some(file) = self.signatures {
            file.finish()?;
        }
        if let Some(file) = self.stories {
            file.finish()?;
        }
        Ok(())
    }

    /// Leaves every file under its `.partial` name; returns the records' path.
    pub fn abandon(self) -> anyhow::Result<Option<PathBuf>> {
        let kept = self.records.abandon()?;
        self.rejects.abandon()?;
        if let Some(file) = self.duplicates {
            file.abandon()?;
        }
        if let Some(file) = self.signatures {
            file.abandon()?;
        }
        if let Some(file) = self.stories {
            file.abandon()?;
        }
        Ok(kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        run: RunArgs,
    }

    fn args(words: &[&str]) -> RunArgs {
        let mut all = vec!["docpipe"];
        all.extend_from_slice(words);
        Cli::parse_from(all).run
    }

    fn is_usage(result: anyhow::Result<()>) -> String {
        let err = result.expect_err("the run was not refused");
        assert_eq!(crate::usage::exit_code(&err), 2, "{err:#}");
        err.to_string()
    }

    #[test]
    fn an_output_that_is_an_input_is_refused_by_identity() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data.jsonl");
        fs::write(&data, "{\"text\": \"x\"}\n").unwrap();
        let same = dir.path().join("sub/../data.jsonl");
        fs::create_dir(dir.path().join("sub")).unwrap();
        let a = args(&[data.to_str().unwrap(), "-o", same.to_str().unwrap()]);
        let message = is_usage(OutputPaths::new(&a).check(&a));
        assert!(message.contains("data.jsonl"), "{message}");

        // A hard link is the same file under another name.
        let link = dir.path().join("link.jsonl");
        fs::hard_link(&data, &link).unwrap();
        let a = args(&[data.to_str().unwrap(), "-o", link.to_str().unwrap()]);
        is_usage(OutputPaths::new(&a).check(&a));

        // A side file: x.rejects.jsonl as input, x.jsonl as output.
        let rejects = dir.path().join("x.rejects.jsonl");
        fs::write(&rejects, "{}\n").unwrap();
        let out = dir.path().join("x.jsonl");
        let a = args(&[rejects.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        is_usage(OutputPaths::new(&a).check(&a));

        // Another output is fine.
        let a = args(&[data.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        OutputPaths::new(&a).check(&a).unwrap();
    }

    #[test]
    fn a_directory_output_is_refused_up_front() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("a.txt");
        fs::write(&data, "Text.").unwrap();
        let a = args(&[data.to_str().unwrap(), "-o", dir.path().to_str().unwrap()]);
        let message = is_usage(OutputPaths::new(&a).check(&a));
        assert!(message.contains("directory"), "{message}");
    }

    #[test]
    fn a_parquet_output_spools_beside_itself_and_needs_a_file() {
        let a = args(&["in.jsonl", "-o", "some/out.parquet"]);
        let paths = OutputPaths::new(&a);
        assert_eq!(paths.format, OutputFormat::Parquet);
        assert_eq!(
            paths.parquet.as_deref(),
            Some(Path::new("some/out.parquet"))
        );
        assert_eq!(
            paths.records.as_deref(),
            Some(Path::new("some/out.parquet.records"))
        );
        assert_eq!(paths.rejects, Path::new("some/out.rejects.jsonl"));
        let a = args(&["in.jsonl", "--format", "parquet"]);
        let paths = OutputPaths::new(&a);
        assert_eq!(
            paths.parquet.as_deref(),
            Some(Path::new("output/in.parquet"))
        );
        // --format wins over the name.
        let a = args(&["in.jsonl", "-o", "x.parquet", "--format", "jsonl"]);
        assert_eq!(OutputPaths::new(&a).parquet, None);

        let a = args(&["in.jsonl", "-o", "-", "--format", "parquet"]);
        let message = is_usage(OutputPaths::new(&a).check(&a));
        if cfg!(feature = "parquet") {
            assert!(message.contains("Parquet output needs a file"), "{message}");
        } else {
            assert!(message.contains("built without Parquet"), "{message}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_device_output_keeps_its_side_files_away_from_it() {
        let a = args(&["in.jsonl", "-o", "/dev/null"]);
        let paths = OutputPaths::new(&a);
        assert!(paths.records_stream);
        assert_eq!(paths.rejects, Path::new("output/in.rejects.jsonl"));
        let a = args(&["in.jsonl", "-o", "some/out.jsonl"]);
        let paths = OutputPaths::new(&a);
        assert!(!paths.records_stream);
        assert_eq!(paths.rejects, Path::new("some/out.rejects.jsonl"));
    }
}
