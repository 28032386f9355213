//! The writer: puts each record, reject, dropped duplicate and signature in its file, and
//! notices when standard output was closed by its reader.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context;
use docpipe_deduplicate::Prepared;
use docpipe_pipeline::{DuplicateRecord, Reject, RejectRecord, SignatureRecord};
use serde::Serialize;

use super::batches::Rendered;
use crate::journal::{Checkpoint, Journal};
use crate::outputs::{OutputPaths, Outputs};
use crate::sink::AtomicFile;

/// Writes a run's outputs, in the order it is given them.
pub struct Writer<'a> {
    pub outputs: Outputs,
    paths: &'a OutputPaths,
    signatures: Option<&'a Path>,
    /// Standard output was closed by its reader: nothing more is written to it.
    output_closed: bool,
    /// Set when the output was closed, so that reading stops as on Ctrl-C.
    stop: &'a AtomicBool,
}

impl<'a> Writer<'a> {
    pub fn new(
        outputs: Outputs,
        paths: &'a OutputPaths,
        signatures: Option<&'a Path>,
        stop: &'a AtomicBool,
    ) -> Self {
        Writer {
            outputs,
            paths,
            signatures,
            output_closed: false,
            stop,
        }
    }

    /// Whether dropped duplicates go to their own file (`--drop-duplicates`) instead of the
    /// output.
    pub fn drops_duplicates(&self) -> bool {
        self.outputs.duplicates.is_some()
    }

    /// The record line, with its dedup verdict and story put in.
    pub fn record(&mut self, rendered: &Rendered) -> anyhow::Result<()> {
        rendered.gaps.fill(
            &rendered.record,
            rendered.verdict.as_ref(),
            rendered.story_id.as_deref(),
            |piece| self.record_bytes(piece),
        )
    }

    fn record_bytes(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        if self.output_closed {
            return Ok(());
        }
        match self.outputs.records.write_all(bytes) {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == io::ErrorKind::BrokenPipe && self.paths.records.is_none() => {
                // `docpipe run ... -o - | head`: the reader has all it wants. Reading stops as
                // on Ctrl-C, and the side files are finished with what was read.
                self.output_closed = true;
                self.stop.store(true, Ordering::SeqCst);
                Ok(())
            }
            Err(err) => {
                let target = self
                    .paths
                    .records
                    .as_deref()
                    .unwrap_or(Path::new("standard output"));
                Err(err).with_context(|| format!("cannot write {}", target.display()))
            }
        }
    }

    /// A line of the rejects file.
    pub fn reject(&mut self, rejected: &Reject) -> anyhow::Result<()> {
        let record = RejectRecord {
            source: &rejected.source,
            reason: &rejected.reason,
            kind: rejected.kind,
            bytes: rejected.bytes,
        };
        write_json_line(&mut self.outputs.rejects, &record, &self.paths.rejects)
    }

    /// A line of the duplicates file, for a duplicate left out of the output.
    pub fn duplicate(&mut self, rendered: &Rendered) -> anyhow::Result<()> {
        let Some(list) = self.outputs.duplicates.as_mut() else {
            return Ok(());
        };
        let verdict = rendered.verdict.as_ref();
        let record = DuplicateRecord {
            id: &rendered.id,
            source: &rendered.source,
            duplicate_of: verdict.and_then(|v| v.duplicate_of.as_deref()),
            cluster: verdict.map_or(rendered.id.as_str(), |v| v.cluster.as_str()),
            status: verdict.map_or("unique", |v| v.status.as_str()),
            similarity: verdict.and_then(|v| v.similarity),
        };
        write_json_line(list, &record, &self.paths.duplicates)
    }

    /// A line of the `--signatures` file, if there is one.
    pub fn signature(&mut self, id: &str, prepared: &Prepared) -> anyhow::Result<()> {
        let (Some(file), Some(path)) = (self.outputs.signatures.as_mut(), self.signatures) else {
            return Ok(());
        };
        let fingerprint = prepared.fingerprint();
        let record = SignatureRecord {
            id,
            exact: format!("{:032x}", fingerprint.exact),
            bands: prepared
                .band_keys()
                .iter()
                .map(|k| format!("{k:016x}"))
                .collect(),
            fingerprint: hex(&fingerprint.to_bytes()),
        };
        write_json_line(file, &record, path)
    }

    /// Bytes of records written so far.
    pub fn records_len(&self) -> u64 {
        self.outputs.records.len()
    }

    /// Flushes every output and saves the checkpoint: after a kill, the journal never points
    /// past what is in the files.
    pub fn checkpoint(&mut self, journal: &Journal, checkpoint: &Checkpoint) -> anyhow::Result<()> {
        self.outputs.flush()?;
        journal.save(checkpoint)
    }

    /// The stories file and its path, when the stories stage runs.
    pub fn stories_file(&mut self) -> Option<(&mut AtomicFile, &PathBuf)> {
        self.outputs
            .stories
            .as_mut()
            .map(|file| (file, &self.paths.stories))
    }

    /// The outputs, to be finished or abandoned, and whether standard output was closed.
    pub fn into_outputs(self) -> (Outputs, bool) {
        (self.outputs, self.output_closed)
    }
}

fn write_json_line<T: Serialize>(
    file: &mut AtomicFile,
    value: &T,
    path: &Path,
) -> anyhow::Result<()> {
    let mut line = serde_json::to_vec(value)?;
    line.push(b'\n');
    file.write_all(&line)
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Lower-case hex, two digits a byte.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_two_lower_case_digits_a_byte() {
        assert_eq!(hex(&[0, 15, 16, 255]), "000f10ff");
        assert_eq!(hex(&[]), "");
    }
}
