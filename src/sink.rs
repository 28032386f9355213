//! Output files that only appear under their final name once complete.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, SyncSender, TrySendError};
use std::thread::JoinHandle;

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
            Sink::Stdout(mut out) => match out.flush() {
                // Its reader has gone (`| head`): what it did not take is not wanted.
                Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                flushed => flushed.context("cannot write to standard output"),
            },
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
/// the partial file. A FIFO or device is written in place instead ([`AtomicFile::stream`]).
pub struct AtomicFile {
    final_path: PathBuf,
    /// `None` for a stream (FIFO, device) written in place.
    temp_path: Option<PathBuf>,
    out: Option<BufWriter<File>>,
    written: u64,
    /// Written bytes at which the next background sync is asked for.
    next_sync: u64,
    syncer: Option<Syncer>,
}

/// Bytes written between background syncs.
///
/// The final sync before the rename is what makes a finished file safe; without earlier ones
/// the kernel keeps the whole output in memory until then, and a run ends waiting for all of it
/// to reach the disk (0.05-0.08 s for 67 MB here, seconds for a large dump). Syncing as the run
/// goes leaves the last sync little to do, and the waiting happens on a thread of its own.
const SYNC_EVERY: u64 = 8 << 20;

/// A thread that syncs a file's data whenever asked, while the writer goes on writing.
struct Syncer {
    requests: SyncSender<()>,
    thread: JoinHandle<io::Result<()>>,
}

impl Syncer {
    fn start(file: &File) -> io::Result<Syncer> {
        Syncer::start_with(file, File::sync_data)
    }

    /// A syncer that syncs with `sync` (tests make it fail).
    fn start_with(file: &File, sync: fn(&File) -> io::Result<()>) -> io::Result<Syncer> {
        let file = file.try_clone()?;
        // One request waiting at most: asks made while a sync runs are covered by the next.
        let (requests, received) = sync_channel::<()>(1);
        let thread = std::thread::Builder::new()
            .name("docpipe-sync".to_string())
            .spawn(move || {
                for () in received {
                    sync(&file)?;
                }
                Ok(())
            })?;
        Ok(Syncer { requests, thread })
    }

    /// Asks for a sync; false when the thread has stopped, which it only does on an error
    /// that [`Syncer::finish`] returns.
    fn request(&self) -> bool {
        match self.requests.try_send(()) {
            // A sync already waiting covers these bytes too.
            Ok(()) | Err(TrySendError::Full(())) => true,
            Err(TrySendError::Disconnected(())) => false,
        }
    }

    /// Waits for the syncs asked for so far; the first error of any of them.
    fn finish(self) -> io::Result<()> {
        drop(self.requests);
        self.thread
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the sync thread failed")))
    }
}

impl AtomicFile {
    /// A new file at `path`, written under its `.partial` name, or written directly when `path`
    /// is a FIFO, a device or a socket (see [`AtomicFile::stream`]). The `.partial` file is
    /// locked for the life of the value: a second run writing the same output fails here
    /// instead of mixing its lines with this one's.
    pub fn create(path: &Path) -> anyhow::Result<AtomicFile> {
        if let Some(stream) = AtomicFile::stream(path)? {
            return Ok(stream);
        }
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
        if let Some(dir) = dir {
            fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let temp_path = partial_path(path);
        // Opened without truncating: the file may be another run's, whose lines must survive
        // until the lock says whose it is.
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(&temp_path)
            .with_context(|| format!("cannot create {}", temp_path.display()))?;
        lock(&file, &temp_path, path)?;
        file.set_len(0)
            .with_context(|| format!("cannot truncate {}", temp_path.display()))?;
        Ok(AtomicFile::temporary(path, temp_path, file, 0))
    }

    /// Reopens the `.partial` file of an interrupted run, cut back to `length` bytes (what a
    /// checkpoint recorded; anything after it was written past the checkpoint and comes again).
    pub fn resume(path: &Path, length: u64) -> anyhow::Result<AtomicFile> {
        let temp_path = partial_path(path);
        let mut file = OpenOptions::new()
            .write(true)
            .open(&temp_path)
            .with_context(|| format!("cannot resume: {} is missing", temp_path.display()))?;
        lock(&file, &temp_path, path)?;
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
        Ok(AtomicFile::temporary(path, temp_path, file, length))
    }

    /// `path` as a stream when it is not a regular file (a FIFO, `/dev/null`, a terminal, a
    /// socket): written in place, never renamed over, removed or truncated, and never synced
    /// (a pipe cannot be). `None` for a regular file or a path that does not exist yet.
    pub fn stream(path: &Path) -> anyhow::Result<Option<AtomicFile>> {
        let metadata = match fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(err) => {
                return Err(err).with_context(|| format!("cannot write {}", path.display()))
            }
        };
        if metadata.is_file() {
            return Ok(None);
        }
        if metadata.is_dir() {
            anyhow::bail!("cannot write {}: it is a directory", path.display());
        }
        let file = OpenOptions::new()
            .write(true)
            .open(path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(Some(AtomicFile {
            final_path: path.to_path_buf(),
            temp_path: None,
            out: Some(BufWriter::with_capacity(1 << 16, file)),
            written: 0,
            next_sync: u64::MAX,
            syncer: None,
        }))
    }

    fn temporary(path: &Path, temp_path: PathBuf, file: File, written: u64) -> AtomicFile {
        AtomicFile {
            final_path: path.to_path_buf(),
            temp_path: Some(temp_path),
            out: Some(BufWriter::with_capacity(1 << 16, file)),
            written,
            next_sync: written + SYNC_EVERY,
            syncer: None,
        }
    }

    /// The name the file is written under until it is finished.
    fn writing_path(&self) -> &Path {
        self.temp_path.as_deref().unwrap_or(&self.final_path)
    }

    pub fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self.out.as_mut() {
            Some(out) => {
                out.write_all(bytes)?;
                self.written += bytes.len() as u64;
                if self.written >= self.next_sync {
                    self.next_sync = self.written + SYNC_EVERY;
                    // The sync covers what the kernel has, so the buffer goes to it first.
                    out.flush()?;
                    if self.syncer.is_none() {
                        self.syncer = Some(Syncer::start(out.get_ref())?);
                    }
                    if self.syncer.as_ref().is_some_and(|syncer| !syncer.request()) {
                        // A sync failed: say so now, not after writing the rest of the run.
                        if let Some(syncer) = self.syncer.take() {
                            syncer.finish()?;
                        }
                        return Err(io::Error::other("the background sync stopped"));
                    }
                }
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
                .with_context(|| format!("cannot write {}", self.writing_path().display())),
            None => Ok(()),
        }
    }

    pub fn finish(mut self) -> anyhow::Result<()> {
        let finished = self.sync_and_rename();
        if let (Err(_), Some(temp_path)) = (&finished, &self.temp_path) {
            // Not finished after all: the partial file goes, as when an unfinished one is
            // dropped (the run's journal is already gone, so it could not be resumed).
            let _ = fs::remove_file(temp_path);
        }
        finished
    }

    fn sync_and_rename(&mut self) -> anyhow::Result<()> {
        let writing = self.writing_path().to_path_buf();
        if let Some(out) = self.out.take() {
            let file = out
                .into_inner()
                .map_err(|err| err.into_error())
                .with_context(|| format!("cannot write {}", writing.display()))?;
            if let Some(syncer) = self.syncer.take() {
                syncer
                    .finish()
                    .with_context(|| format!("cannot write {}", writing.display()))?;
            }
            if self.temp_path.is_some() {
                file.sync_all()
                    .with_context(|| format!("cannot write {}", writing.display()))?;
            }
        }
        let Some(temp_path) = &self.temp_path else {
            return Ok(());
        };
        fs::rename(temp_path, &self.final_path).with_context(|| {
            format!(
                "cannot rename {} to {}",
                temp_path.display(),
                self.final_path.display()
            )
        })
    }
}

impl AtomicFile {
    /// Flushes and keeps the `.partial` file, without renaming it; returns its path (a
    /// stream's own path).
    pub fn abandon(mut self) -> anyhow::Result<PathBuf> {
        let writing = self.writing_path().to_path_buf();
        if let Some(mut out) = self.out.take() {
            out.flush()
                .with_context(|| format!("cannot write {}", writing.display()))?;
        }
        // A resumed run counts on what was written so far: a failed sync must be reported.
        if let Some(syncer) = self.syncer.take() {
            syncer
                .finish()
                .with_context(|| format!("cannot write {}", writing.display()))?;
        }
        Ok(writing)
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let (Some(_), Some(temp_path)) = (&self.out, &self.temp_path) {
            let _ = fs::remove_file(temp_path);
        }
    }
}

/// Where a file is written until it is finished: `.<name>.partial` beside it.
pub fn partial_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.partial"))
}

/// Takes the exclusive lock on a `.partial` file for as long as it is open, or says which run
/// holds it.
fn lock(file: &File, temp_path: &Path, path: &Path) -> anyhow::Result<()> {
    match file.try_lock() {
        Ok(()) => Ok(()),
        Err(fs::TryLockError::WouldBlock) => {
            let holder = file
                .metadata()
                .ok()
                .and_then(|metadata| lock_holder(&metadata))
                .unwrap_or_else(|| "another docpipe run".to_string());
            Err(anyhow::Error::new(crate::usage::UsageError(format!(
                "{holder} is writing {} (its {} is locked); wait for it to finish or write \
                 elsewhere",
                path.display(),
                temp_path.display()
            ))))
        }
        Err(fs::TryLockError::Error(err)) => {
            Err(err).with_context(|| format!("cannot lock {}", temp_path.display()))
        }
    }
}

/// "process 1234 (docpipe run a.jsonl -o b.jsonl)" for the process that holds an flock on the
/// file, read from `/proc/locks` (Linux); `None` where that cannot be told.
fn lock_holder(metadata: &fs::Metadata) -> Option<String> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::MetadataExt;
        let locks = fs::read_to_string("/proc/locks").ok()?;
        let inode = metadata.ino().to_string();
        // "1: FLOCK  ADVISORY  WRITE 1234 fd:01:5678 0 EOF": the pid, then device:inode.
        let pid = locks.lines().find_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let (pid, id) = (fields.get(4)?, fields.get(5)?);
            (id.rsplit(':').next() == Some(inode.as_str()) && pid.parse::<u32>().is_ok())
                .then(|| pid.to_string())
        })?;
        let command = fs::read(format!("/proc/{pid}/cmdline"))
            .map(|bytes| {
                String::from_utf8_lossy(&bytes)
                    .split('\0')
                    .filter(|arg| !arg.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default();
        Some(format!("process {pid} ({command})"))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = metadata;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_synced_as_it_goes_is_complete_once_finished() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("records.jsonl");
        let mut file = AtomicFile::create(&path).unwrap();
        let line = [b'x'; 1000];
        let lines = (3 * SYNC_EVERY / 1000) as usize;
        for _ in 0..lines {
            file.write_all(&line).unwrap();
        }
        assert!(file.syncer.is_some(), "no background sync was started");
        assert!(
            !path.exists(),
            "the final name appeared before the file was finished"
        );
        file.finish().unwrap();
        assert_eq!(fs::metadata(&path).unwrap().len(), lines as u64 * 1000);
    }

    fn failing_sync(_: &File) -> io::Result<()> {
        Err(io::Error::other("injected sync failure"))
    }

    /// A `records.jsonl` being written in `dir`, whose background sync has already failed and
    /// stopped.
    fn file_whose_sync_failed(dir: &Path) -> (PathBuf, AtomicFile) {
        let path = dir.join("records.jsonl");
        let mut file = AtomicFile::create(&path).unwrap();
        let handle = file.out.as_ref().unwrap().get_ref();
        let syncer = Syncer::start_with(handle, failing_sync).unwrap();
        assert!(syncer.request());
        while syncer.request() {
            std::thread::yield_now();
        }
        file.syncer = Some(syncer);
        (path, file)
    }

    #[test]
    fn a_failed_background_sync_stops_the_writes_and_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let (_, mut file) = file_whose_sync_failed(dir.path());
        let line = [b'x'; 1000];
        let error = (0..2 * SYNC_EVERY / 1000)
            .find_map(|_| file.write_all(&line).err())
            .expect("writes went on after the sync failed");
        assert!(error.to_string().contains("injected"), "{error}");
        assert!(
            file.written <= SYNC_EVERY + 1000,
            "{} bytes written",
            file.written
        );
    }

    #[test]
    fn a_file_whose_sync_failed_is_not_finished_and_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let (path, mut file) = file_whose_sync_failed(dir.path());
        file.write_all(b"{}\n").unwrap();
        let temp_path = file.temp_path.clone().unwrap();
        let error = file.finish().unwrap_err();
        assert!(format!("{error:#}").contains("injected"), "{error:#}");
        assert!(!path.exists() && !temp_path.exists());
    }

    #[test]
    fn abandoning_a_file_reports_a_failed_sync() {
        let dir = tempfile::tempdir().unwrap();
        let (_, file) = file_whose_sync_failed(dir.path());
        let error = file.abandon().unwrap_err();
        assert!(format!("{error:#}").contains("injected"), "{error:#}");
    }
}
