use std::collections::VecDeque;
use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

use crate::document::Item;
use crate::error::IngestError;
use crate::options::IngestOptions;
use crate::raw::{Items, RawItem};
use crate::skips::RecordSkips;
use crate::source::{counted, open_path, open_reader};
use crate::walk::{expand, Input, Skipped};

/// Streams the documents of all inputs, in input order: files in the order given, directories
/// walked recursively with entries sorted by name. Only one file is open at a time, and a JSON
/// Lines file is read line by line, so memory stays bounded whatever the input size.
pub struct Ingest {
    inputs: VecDeque<Input>,
    readers: VecDeque<(String, Box<dyn Read + Send>)>,
    current: Option<Items>,
    options: Arc<IngestOptions>,
    /// Inputs opened so far (files, standard input, unlistable entries, readers).
    opened: usize,
    skipped: Vec<Skipped>,
    /// Each input's file in input order (`None` for standard input, readers, and entries that
    /// could not be listed).
    paths: Vec<Option<PathBuf>>,
}

impl Ingest {
    /// Lists the inputs (`-` is standard input). Fails if a top-level input does not exist or
    /// cannot be read; whatever goes wrong further in becomes [`Item::Rejected`].
    pub fn new(inputs: &[PathBuf], mut options: IngestOptions) -> Result<Ingest, IngestError> {
        options.skips = RecordSkips::default();
        let expanded = expand(inputs, &options.skip_files)?;
        let paths = expanded
            .inputs
            .iter()
            .map(|input| match input {
                Input::File(path) => Some(path.clone()),
                Input::Stdin | Input::Failed(_) => None,
            })
            .collect();
        Ok(Ingest {
            paths,
            inputs: expanded.inputs,
            readers: VecDeque::new(),
            current: None,
            options: Arc::new(options),
            opened: 0,
            skipped: expanded.skipped,
        })
    }

    /// Reads one stream that is already open: a file, a socket, a decompressor, bytes in
    /// memory (`&[u8]` of static data, a `Cursor<Vec<u8>>`). `name` is used for sources and ids
    /// and its extension, if any, as a format hint.
    ///
    /// The reader is owned because an `Ingest` is an iterator that may outlive the caller's
    /// frame and move to a reader thread (as `docpipe run` does); hence `Send + 'static`.
    pub fn from_reader<R: Read + Send + 'static>(
        name: &str,
        reader: R,
        mut options: IngestOptions,
    ) -> Ingest {
        options.skips = RecordSkips::default();
        let reader: Box<dyn Read + Send> = Box::new(reader);
        Ingest {
            inputs: VecDeque::new(),
            readers: VecDeque::from([(name.to_string(), reader)]),
            current: None,
            options: Arc::new(options),
            opened: 0,
            skipped: Vec::new(),
            paths: vec![None],
        }
    }

    /// The counts of WARC records passed over (requests, metadata, responses that are not
    /// HTML pages...), by kind: with the documents and rejects, every WARC record read is
    /// counted once. The handle can be kept while the `Ingest` is moved away: it goes on
    /// counting.
    pub fn record_skips(&self) -> RecordSkips {
        self.options.skips.clone()
    }

    /// The file of each input, by [`Ingest::input_index`]: `None` for standard input, a
    /// reader, or a folder entry that could not be listed.
    pub fn input_paths(&self) -> &[Option<PathBuf>] {
        &self.paths
    }

    /// Files found in walked folders and passed over: the caller's own outputs and those of
    /// earlier docpipe runs. They are not items: nothing was read from them.
    pub fn skipped(&self) -> &[Skipped] {
        &self.skipped
    }

    /// The position, counting from 0 in input order, of the input file (or stream) that the
    /// item last returned came from. A caller that checkpoints a long run can tell from it when
    /// an input file has been read completely: the next item comes from a later input.
    pub fn input_index(&self) -> usize {
        self.opened.saturating_sub(1)
    }
}

impl Ingest {
    /// The next item without parsing its JSON, for a caller that parses on other threads
    /// ([`RawItem::parse`]): reading then costs little more than decompressing and finding line
    /// ends. Items come in the same order, with the same [`Ingest::input_index`], as from the
    /// iterator.
    pub fn next_raw(&mut self) -> Option<RawItem> {
        loop {
            if let Some(current) = self.current.as_mut() {
                if let Some(item) = current.next() {
                    return Some(item);
                }
                self.current = None;
            }
            if let Some((name, reader)) = self.readers.pop_front() {
                self.opened += 1;
                self.current = Some(open_reader(name, reader, 1, 0, &self.options));
                continue;
            }
            let input = self.inputs.pop_front()?;
            self.opened += 1;
            match input {
                Input::File(path) => self.current = Some(open_path(&path, &self.options)),
                Input::Stdin => {
                    self.current = Some(open_reader(
                        self.options.stdin_name.clone(),
                        counted(std::io::stdin(), &self.options),
                        self.options.stdin_first_line,
                        self.options.stdin_first_offset,
                        &self.options,
                    ))
                }
                Input::Failed(rejected) => return Some(RawItem::from(Item::Rejected(rejected))),
            }
        }
    }
}

impl Iterator for Ingest {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        self.next_raw().map(RawItem::parse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn reads_the_corpus_in_order() {
        let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
        let items: Vec<Item> = Ingest::new(&[corpus], IngestOptions::new())
            .unwrap()
            .collect();
        let ids: Vec<String> = items
            .iter()
            .map(|item| match item {
                Item::Document(doc) => doc.id.clone(),
                Item::Rejected(r) => panic!("{r:?}"),
            })
            .collect();
        assert_eq!(ids.len(), 5);
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        assert!(ids[0].starts_with("000_"));
    }

    /// Every item `next` gives, each with the input index right after it.
    fn indexed<T>(
        mut ingest: Ingest,
        mut next: impl FnMut(&mut Ingest) -> Option<T>,
    ) -> Vec<(usize, T)> {
        let mut seen = Vec::new();
        while let Some(item) = next(&mut ingest) {
            seen.push((ingest.input_index(), item));
        }
        seen
    }

    #[test]
    fn input_index_counts_files_in_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.jsonl"),
            "{\"text\": \"One.\"}\n{\"text\": \"Two.\"}\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("b.txt"), "").unwrap();
        std::fs::write(dir.path().join("c.txt"), "Three.").unwrap();
        let ingest = Ingest::new(&[dir.path().to_path_buf()], IngestOptions::new()).unwrap();
        let seen: Vec<(usize, String)> = indexed(ingest, Iterator::next)
            .into_iter()
            .map(|(index, item)| {
                let source = match item {
                    Item::Document(doc) => doc.source,
                    Item::Rejected(r) => r.source,
                };
                let name = Path::new(&source).file_name().unwrap().to_string_lossy();
                (index, name.into_owned())
            })
            .collect();
        let expected = [
            (0, "a.jsonl:1"),
            (0, "a.jsonl:2"),
            (1, "b.txt"),
            (2, "c.txt"),
        ];
        let expected: Vec<(usize, String)> =
            expected.iter().map(|(i, n)| (*i, n.to_string())).collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn raw_items_parse_to_the_same_items_in_the_same_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.jsonl"),
            "{\"id\": 7, \"text\": \"One.\", \"date\": \"2024-01-02\"}\n{not json\n\n{\"text\": 3}\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("b.json"), "[{\"text\": \"Two.\"}, 5]").unwrap();
        std::fs::write(dir.path().join("c.txt"), "Three.").unwrap();
        let inputs = [dir.path().to_path_buf()];
        let parsed = indexed(
            Ingest::new(&inputs, IngestOptions::new()).unwrap(),
            Iterator::next,
        );
        let raw = indexed(
            Ingest::new(&inputs, IngestOptions::new()).unwrap(),
            Ingest::next_raw,
        );
        assert_eq!(raw.len(), parsed.len());
        for ((raw_index, item), (index, expected)) in raw.into_iter().zip(&parsed) {
            assert_eq!(raw_index, *index);
            let bytes = item.bytes();
            let item = item.parse();
            let expected_bytes = match expected {
                Item::Document(doc) => doc.bytes,
                Item::Rejected(rejected) => rejected.bytes,
            };
            assert_eq!((&item, bytes), (expected, expected_bytes));
        }
    }

    #[test]
    fn unreadable_files_are_rejected_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("gone.txt"), "Some words here.").unwrap();
        let mut ingest = Ingest::new(&[dir.path().to_path_buf()], IngestOptions::new()).unwrap();
        std::fs::remove_file(dir.path().join("gone.txt")).unwrap();
        match ingest.next() {
            Some(Item::Rejected(r)) => assert!(r.source.ends_with("gone.txt")),
            other => panic!("{other:?}"),
        }
        assert!(ingest.next().is_none());
    }
}
