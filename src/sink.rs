//! Output files that only appear under their final name once complete.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

/// Where records go: a file written under a temporary name and renamed by [`Sink::finish`], or
/// standard output.
pub enum Sink {
    File(AtomicFile),
    Stdout(BufWriter<io::Stdout>),
}

impl Sink {
    pub fn create(path: Option<&Path>) -> anyhow::Result<Sink> {
        match path {
            None => Ok(Sink::Stdout(BufWriter::with_capacity(
                1 << 16,
                io::stdout(),
            ))),
            Some(path) => Ok(Sink::File(AtomicFile::create(path)?)),
        }
    }

    /// Bytes written so far (standard output counts as 0: it cannot be resumed).
    pub fn len(&self) -> u64 {
        match self {
            Sink::File(file) => file.len(),
            Sink::Stdout(_) => 0,
        }
    }

    pub fn flush(&mut self) -> anyhow::Result<()> {
        match self {
            Sink::File(file) => file.flush(),
            Sink::Stdout(out) => out.flush().context("cannot write to standard output"),
        }
    }

    pub fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self {
            Sink::File(file) => file.write_all(bytes),
            Sink::Stdout(out) => out.write_all(bytes),
        }
    }

    pub fn finish(self) -> anyhow::Result<()> {
        match self {
            Sink::File(file) => file.finish(),
            Sink::Stdout(mut out) => out.flush().context("cannot write to standard output"),
        }
    }

    /// Flushes what was written but leaves a file under its `.partial` name: an interrupted
    /// run must not leave a file that looks finished.
    pub fn abandon(self) -> anyhow::Result<Option<PathBuf>> {
        match self {
            Sink::File(file) => file.abandon().map(Some),
            Sink::Stdout(mut out) => {
                out.flush().context("cannot write to standard output")?;
                Ok(None)
            }
        }
    }
}

/// A file written as `.<name>.partial` beside its final path and renamed when complete, so a
/// killed run never leaves a truncated file that looks finished. Dropping it unfinished removes
/// the partial file.
pub struct AtomicFile {
    final_path: PathBuf,
    temp_path: PathBuf,
    out: Option<BufWriter<File>>,
    written: u64,
}

impl AtomicFile {
    pub fn create(path: &Path) -> anyhow::Result<AtomicFile> {
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
        if let Some(dir) = dir {
            fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let temp_path = path.with_file_name(format!(".{name}.partial"));
        let file = File::create(&temp_path)
            .with_context(|| format!("cannot create {}", temp_path.display()))?;
        Ok(AtomicFile {
            final_path: path.to_path_buf(),
            temp_path,
            out: Some(BufWriter::with_capacity(1 << 16, file)),
            written: 0,
        })
    }

    /// Reopens the `.partial` file of an interrupted run, cut back to `length` bytes (what a
    /// checkpoint recorded; anything after it was written past the checkpoint and comes again).
    pub fn resume(path: &Path, length: u64) -> anyhow::Result<AtomicFile> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let temp_path = path.with_file_name(format!(".{name}.partial"));
        let mut file = OpenOptions::new()
            .write(true)
            .open(&temp_path)
            .with_context(|| format!("cannot resume: {} is missing", temp_path.display()))?;
        let found = file
            .metadata()
            .with_context(|| format!("cannot read {}", temp_path.display()))?
            .len();
        if found < length {
            anyhow::bail!(
                "cannot resume: {} holds {found} bytes, the journal expects at least {length}",
                temp_path.display()
            );
        }
        file.set_len(length)
            .and_then(|()| file.seek(SeekFrom::Start(length)))
            .with_context(|| format!("cannot truncate {}", temp_path.display()))?;
        Ok(AtomicFile {
            final_path: path.to_path_buf(),
            temp_path,
            out: Some(BufWriter::with_capacity(1 << 16, file)),
            written: length,
        })
    }

    pub fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self.out.as_mut() {
            Some(out) => {
                out.write_all(bytes)?;
                self.written += bytes.len() as u64;
                Ok(())
            }
            None => Err(io::Error::other("file already finished")),
        }
    }

    /// Bytes in the file, counting those still buffered.
    pub fn len(&self) -> u64 {
        self.written
    }

    /// Hands buffered bytes to the operating system, so a checkpoint can count on them.
    pub fn flush(&mut self) -> anyhow::Result<()> {
        match self.out.as_mut() {
            Some(out) => out
                .flush()
                .with_context(|| format!("cannot write {}", self.temp_path.display())),
            None => Ok(()),
        }
    }

    pub fn finish(mut self) -> anyhow::Result<()> {
        if let Some(out) = self.out.take() {
            let file = out
                .into_inner()
                .map_err(|err| err.into_error())
                .with_context(|| format!("cannot write {}", self.temp_path.display()))?;
            file.sync_all()
                .with_context(|| format!("cannot write {}", self.temp_path.display()))?;
        }
        fs::rename(&self.temp_path, &self.final_path).with_context(|| {
            format!(
                "cannot rename {} to {}",
                self.temp_path.display(),
                self.final_path.display()
            )
        })
    }
}

impl AtomicFile {
    /// Flushes and keeps the `.partial` file, without renaming it; returns its path.
    pub fn abandon(mut self) -> anyhow::Result<PathBuf> {
        if let Some(mut out) = self.out.take() {
            out.flush()
                .with_context(|| format!("cannot write {}", self.temp_path.display()))?;
        }
        Ok(self.temp_path.clone())
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.out.is_some() {
            let _ = fs::remove_file(&self.temp_path);
        }
    }
}
