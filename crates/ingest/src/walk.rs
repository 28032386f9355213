//! Expands the inputs into a sorted list of files, following directory symlinks once. A walked
//! folder yields only regular files: FIFOs, sockets and devices in it become rejects (opening a
//! FIFO would wait for a writer forever), and the outputs of docpipe runs found in it are
//! skipped, so that a run over a folder that holds its own output folder never reads its
//! earlier results back.

use std::collections::{HashSet, VecDeque};
use std::ffi::OsString;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::document::{RejectReason, Rejected};
use crate::error::IngestError;

/// A file a folder walk passed over, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The file.
    pub path: PathBuf,
    /// Why it was not read.
    pub reason: SkipReason,
}

/// Why a walked file was not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SkipReason {
    /// One of the files the caller asked to skip ([`IngestOptions::skip_files`]).
    ///
    /// [`IngestOptions::skip_files`]: crate::IngestOptions::skip_files
    Excluded,
    /// Written by a docpipe run: records, rejects, duplicates, signatures, stats, a journal,
    /// or a `.partial` file of an unfinished run.
    DocpipeOutput(&'static str),
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::Excluded => f.write_str("an output of this run"),
            SkipReason::DocpipeOutput(kind) => write!(f, "docpipe {kind} of an earlier run"),
        }
    }
}

/// The inputs of a run in order, and the walked files passed over.
pub struct Expanded {
    pub inputs: VecDeque<Input>,
    pub skipped: Vec<Skipped>,
}

/// One thing to read, in order.
pub enum Input {
    File(PathBuf),
    Stdin,
    /// A directory entry that could not be listed: reported, not fatal.
    Failed(Rejected),
}

/// Lists every file under `inputs`, depth first, entries sorted byte-wise by name, passing over
/// the files in `skip` (by identity) and docpipe's own outputs. Fails only when a top-level
/// input does not exist or cannot be read.
pub fn expand(inputs: &[PathBuf], skip: &[PathBuf]) -> Result<Expanded, IngestError> {
    let mut out = VecDeque::new();
    let mut visited = HashSet::new();
    let mut walk = Walk {
        skip: skip.iter().filter_map(|path| FileId::of(path)).collect(),
        skipped: Vec::new(),
    };
    for input in inputs {
        if input.as_os_str() == "-" {
            out.push_back(Input::Stdin);
            continue;
        }
        let metadata = std::fs::metadata(input).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => IngestError::NotFound {
                path: input.clone(),
            },
            _ => IngestError::Unreadable {
                path: input.clone(),
                source,
            },
        })?;
        if !metadata.is_dir() {
            out.push_back(Input::File(input.clone()));
            continue;
        }
        std::fs::read_dir(input).map_err(|source| IngestError::Unreadable {
            path: input.clone(),
            source,
        })?;
        walk.walk_dir(input, &mut visited, &mut out);
    }
    Ok(Expanded {
        inputs: out,
        skipped: walk.skipped,
    })
}

struct Walk {
    skip: Vec<FileId>,
    skipped: Vec<Skipped>,
}

impl Walk {
    fn walk_dir(&mut self, root: &Path, visited: &mut HashSet<PathBuf>, out: &mut VecDeque<Input>) {
        // An explicit stack: deeply nested trees cannot overflow the call stack.
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            // A directory reached twice (a symlink loop, or two links to one place) is read once.
            let canonical = std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
            if !visited.insert(canonical) {
                continue;
            }
            let entries = match std::fs::read_dir(&dir) {
                Ok(entries) => entries,
                Err(err) => {
                    out.push_back(failed(&dir, &err));
                    continue;
                }
            };
            let mut names: Vec<(OsString, PathBuf)> = Vec::new();
            for entry in entries {
                match entry {
                    Ok(entry) => names.push((entry.file_name(), entry.path())),
                    Err(err) => out.push_back(failed(&dir, &err)),
                }
            }
            names.sort_by(|a, b| a.0.as_encoded_bytes().cmp(b.0.as_encoded_bytes()));
            let mut subdirs = Vec::new();
            for (name, path) in names {
                match std::fs::metadata(&path) {
                    Ok(metadata) if metadata.is_dir() => subdirs.push(path),
                    Ok(metadata) if !metadata.is_file() => out.push_back(Input::Failed(Rejected {
                        source: path.display().to_string(),
                        reason: RejectReason::NotRegularFile(special_kind(&metadata)),
                        bytes: 0,
                    })),
                    Ok(metadata) => {
                        let reason = if self.skip.contains(&FileId::from(&metadata)) {
                            Some(SkipReason::Excluded)
                        } else {
                            docpipe_output(&name, &path).map(SkipReason::DocpipeOutput)
                        };
                        match reason {
                            Some(reason) => self.skipped.push(Skipped { path, reason }),
                            None => out.push_back(Input::File(path)),
                        }
                    }
                    Err(err) => out.push_back(failed(&path, &err)),
                }
            }
            // Files of a directory come before its subdirectories' files; subdirectories in order.
            stack.extend(subdirs.into_iter().rev());
        }
    }
}

/// A file's identity: its device and inode number (off Unix, its length and modification
/// time), to tell whether two paths name one file whatever their spelling, links included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileId(u64, u64);

impl FileId {
    /// The identity of the file `path` names (following symlinks); `None` when it does not
    /// exist or cannot be looked at.
    pub fn of(path: &Path) -> Option<FileId> {
        fs::metadata(path)
            .ok()
            .map(|metadata| FileId::from(&metadata))
    }
}

impl From<&fs::Metadata> for FileId {
    #[cfg(unix)]
    fn from(metadata: &fs::Metadata) -> FileId {
        use std::os::unix::fs::MetadataExt;
        FileId(metadata.dev(), metadata.ino())
    }

    #[cfg(not(unix))]
    fn from(metadata: &fs::Metadata) -> FileId {
        // No inode numbers here: length and modification time stand in for them.
        let modified = metadata
            .modified()
            .ok()
            .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |since| since.as_nanos() as u64);
        FileId(metadata.len(), modified)
    }
}

/// What kind of special file this is, for the reject reason.
fn special_kind(metadata: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
    }
    let _ = metadata;
    "not a regular file"
}

/// Bytes of a file looked at to recognize a docpipe output: the start of its first line.
const SNIFF_BYTES: usize = 4096;

/// The kind of docpipe output a walked file is, recognized by its name and its first line, or
/// `None` for anything else. Names alone are not enough (a user may call an article
/// `x.stats.json`), except for the hidden temporary names only docpipe writes.
fn docpipe_output(name: &std::ffi::OsStr, path: &Path) -> Option<&'static str> {
    let name = name.to_string_lossy();
    if name.starts_with('.') && (name.ends_with(".partial") || name.ends_with(".progress.json.tmp"))
    {
        return Some("unfinished output");
    }
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    fs::File::open(path)
        .and_then(|file| file.take(SNIFF_BYTES as u64).read_to_end(&mut head))
        .ok()?;
    let side_list = [".rejects.jsonl", ".duplicates.jsonl", ".stories.jsonl"];
    if head.is_empty() && side_list.iter().any(|suffix| name.ends_with(suffix)) {
        // A run with nothing to reject leaves an empty list.
        return Some("empty side list");
    }
    if head.starts_with(PARQUET_MAGIC) && is_docpipe_parquet(path) {
        return Some("Parquet records");
    }
    let line = head.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let contains = |needle: &[u8]| memchr::memmem::find(line, needle).is_some();
    if line.starts_with(b"{\"schema\":") && contains(b",\"id\":") && contains(b",\"text\":") {
        return Some("records");
    }
    if line.starts_with(b"{\"source\":") && contains(b",\"reason\":") && contains(b",\"bytes\":") {
        return Some("rejects");
    }
    if line.starts_with(b"{\"id\":") && contains(b",\"duplicate_of\":") && contains(b",\"status\":")
    {
        return Some("duplicates");
    }
    if line.starts_with(b"{\"id\":") && contains(b",\"exact\":") && contains(b",\"bands\":[") {
        return Some("signatures");
    }
    if line.starts_with(b"{\"id\":") && contains(b",\"articles\":[") && contains(b",\"timeline\":[")
    {
        return Some("stories");
    }
    if name.ends_with(".stats.json") && head.starts_with(b"{\n  \"read\":") {
        return Some("stats");
    }
    if name.ends_with(".progress.json") && head.starts_with(b"{\"version\":") {
        return Some("journal");
    }
    None
}

/// The first and last four bytes of a Parquet file.
const PARQUET_MAGIC: &[u8] = b"PAR1";

/// The key docpipe's Parquet output puts in its footer's key-value metadata.
const DOCPIPE_PARQUET_KEY: &[u8] = b"docpipe.record_schema";

/// Footers larger than this are not looked into: docpipe's are a few KB per row group, so a
/// file with one this large is some other program's.
const MAX_PARQUET_FOOTER: u64 = 16 << 20;

/// Whether a file that starts like Parquet ends with a footer that names docpipe's key. The
/// footer is Thrift, whose strings are stored as their bytes, so the key is found as it is;
/// reading the footer properly would take a Parquet library for one lookup.
fn is_docpipe_parquet(path: &Path) -> bool {
    use std::io::{Seek, SeekFrom};
    let look = || -> std::io::Result<bool> {
        let mut file = fs::File::open(path)?;
        let length = file.seek(SeekFrom::End(0))?;
        // The footer ends with its length (4 bytes, little-endian) and the magic.
        if length < 12 {
            return Ok(false);
        }
        let mut tail = [0u8; 8];
        file.seek(SeekFrom::Start(length - 8))?;
        file.read_exact(&mut tail)?;
        let footer = u64::from(u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]));
        if &tail[4..] != PARQUET_MAGIC || footer > MAX_PARQUET_FOOTER || footer + 12 > length {
            return Ok(false);
        }
        let mut bytes = Vec::new();
        file.seek(SeekFrom::Start(length - 8 - footer))?;
        file.take(footer).read_to_end(&mut bytes)?;
        Ok(memchr::memmem::find(&bytes, DOCPIPE_PARQUET_KEY).is_some())
    };
    look().unwrap_or(false)
}

fn failed(path: &Path, err: &std::io::Error) -> Input {
    Input::Failed(Rejected {
        source: path.display().to_string(),
        reason: RejectReason::Io(err.to_string()),
        bytes: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(inputs: &[PathBuf]) -> Vec<String> {
        expand(inputs, &[])
            .unwrap()
            .inputs
            .into_iter()
            .map(|input| match input {
                Input::File(path) => path.file_name().unwrap().to_string_lossy().into_owned(),
                Input::Stdin => "-".to_string(),
                Input::Failed(r) => format!("failed {}", r.source),
            })
            .collect()
    }

    #[test]
    fn sorted_recursive_walk_survives_symlink_loops() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/deep")).unwrap();
        std::fs::write(root.join("c.txt"), "x").unwrap();
        std::fs::write(root.join("a.txt"), "x").unwrap();
        std::fs::write(root.join("b/z.txt"), "x").unwrap();
        std::fs::write(root.join("b/deep/y.txt"), "x").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(root, root.join("b/loop")).unwrap();
        assert_eq!(
            files(&[root.to_path_buf()]),
            ["a.txt", "c.txt", "z.txt", "y.txt"]
        );
        assert_eq!(
            files(&[root.join("c.txt"), PathBuf::from("-")]),
            ["c.txt", "-"]
        );
    }

    #[test]
    fn missing_input_is_an_error_naming_it() {
        let err = expand(&[PathBuf::from("no/such/input.jsonl")], &[])
            .err()
            .unwrap();
        assert!(err.to_string().contains("no/such/input.jsonl"));
    }

    #[test]
    fn docpipe_outputs_in_a_walked_folder_are_skipped_and_listed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("output")).unwrap();
        std::fs::write(root.join("a.txt"), "An article.").unwrap();
        std::fs::write(
            root.join("output/a.jsonl"),
            "{\"schema\":1,\"id\":\"a\",\"source\":\"a.txt\",\"text\":\"x\"}\n",
        )
        .unwrap();
        std::fs::write(
            root.join("output/a.rejects.jsonl"),
            "{\"source\":\"b\",\"reason\":\"empty: no text\",\"bytes\":0}\n",
        )
        .unwrap();
        std::fs::write(root.join("output/.a.jsonl.partial"), "{\"schema\":1").unwrap();
        // Named like a side file but not one: read.
        std::fs::write(root.join("notes.stats.json"), "{\"text\": \"t\"}").unwrap();
        let own = root.join("mine.jsonl");
        std::fs::write(&own, "{\"text\": \"t\"}\n").unwrap();
        let expanded = expand(&[root.to_path_buf()], std::slice::from_ref(&own)).unwrap();
        let read: Vec<String> = expanded
            .inputs
            .iter()
            .map(|input| match input {
                Input::File(path) => path.file_name().unwrap().to_string_lossy().into_owned(),
                _ => "other".to_string(),
            })
            .collect();
        assert_eq!(read, ["a.txt", "notes.stats.json"]);
        let mut skipped: Vec<(String, SkipReason)> = expanded
            .skipped
            .iter()
            .map(|s| {
                (
                    s.path.file_name().unwrap().to_string_lossy().into_owned(),
                    s.reason,
                )
            })
            .collect();
        skipped.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            skipped,
            [
                (
                    ".a.jsonl.partial".to_string(),
                    SkipReason::DocpipeOutput("unfinished output")
                ),
                ("a.jsonl".to_string(), SkipReason::DocpipeOutput("records")),
                (
                    "a.rejects.jsonl".to_string(),
                    SkipReason::DocpipeOutput("rejects")
                ),
                ("mine.jsonl".to_string(), SkipReason::Excluded),
            ]
        );
    }

    #[test]
    fn a_stories_file_in_a_walked_folder_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("a.txt"), "An article.").unwrap();
        std::fs::write(
            root.join("a.stories.jsonl"),
            "{\"id\":\"a\",\"title\":\"\",\"articles\":[\"a\"],\"summary\":[],\"timeline\":[]}\n",
        )
        .unwrap();
        std::fs::write(root.join("b.stories.jsonl"), "").unwrap();
        let expanded = expand(&[root.to_path_buf()], &[]).unwrap();
        assert_eq!(expanded.inputs.len(), 1, "only a.txt is read");
        let mut reasons: Vec<SkipReason> = expanded.skipped.iter().map(|s| s.reason).collect();
        reasons.sort_by_key(|r| format!("{r:?}"));
        assert_eq!(
            reasons,
            [
                SkipReason::DocpipeOutput("empty side list"),
                SkipReason::DocpipeOutput("stories"),
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_in_a_walked_folder_is_rejected_not_opened() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.jsonl");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|status| status.success()) {
            eprintln!("no mkfifo here: skipped");
            return;
        }
        std::fs::write(dir.path().join("z.txt"), "Text.").unwrap();
        let expanded = expand(&[dir.path().to_path_buf()], &[]).unwrap();
        let kinds: Vec<String> = expanded
            .inputs
            .iter()
            .map(|input| match input {
                Input::Failed(r) => r.reason.to_string(),
                Input::File(path) => path.file_name().unwrap().to_string_lossy().into_owned(),
                Input::Stdin => "-".into(),
            })
            .collect();
        assert_eq!(kinds.len(), 2);
        assert!(kinds[0].contains("FIFO"), "{kinds:?}");
        assert_eq!(kinds[1], "z.txt");
    }
}
