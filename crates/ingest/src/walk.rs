//! Expands the inputs into a sorted list of files, following directory symlinks once.

use std::collections::{HashSet, VecDeque};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::document::{RejectReason, Rejected};
use crate::error::IngestError;

/// One thing to read, in order.
pub enum Input {
    File(PathBuf),
    Stdin,
    /// A directory entry that could not be listed: reported, not fatal.
    Failed(Rejected),
}

/// Lists every file under `inputs`, depth first, entries sorted byte-wise by name. Fails only
/// when a top-level input does not exist or cannot be read.
pub fn expand(inputs: &[PathBuf]) -> Result<VecDeque<Input>, IngestError> {
    let mut out = VecDeque::new();
    let mut visited = HashSet::new();
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
        walk_dir(input, &mut visited, &mut out);
    }
    Ok(out)
}

fn walk_dir(root: &Path, visited: &mut HashSet<PathBuf>, out: &mut VecDeque<Input>) {
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
        for (_, path) in names {
            match std::fs::metadata(&path) {
                Ok(metadata) if metadata.is_dir() => subdirs.push(path),
                Ok(_) => out.push_back(Input::File(path)),
                Err(err) => out.push_back(failed(&path, &err)),
            }
        }
        // Files of a directory come before its subdirectories' files; subdirectories in order.
        stack.extend(subdirs.into_iter().rev());
    }
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
        expand(inputs)
            .unwrap()
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
        let err = expand(&[PathBuf::from("no/such/input.jsonl")])
            .err()
            .unwrap();
        assert!(err.to_string().contains("no/such/input.jsonl"));
    }
}
