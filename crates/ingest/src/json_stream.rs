//! JSON Lines and JSON array streams: one JSON object's bytes per item, framed here and parsed
//! when the item is (on the caller's worker threads).

use std::io::{self, BufRead, BufReader, Read};
use std::sync::Arc;

use crate::document::{Encoding, Format, Item, RejectReason, Rejected};
use crate::json::JsonObject;
use crate::json_split::{read_capped_line, ArraySplitter, Element};
use crate::raw::RawItem;
use crate::stream::Stream;

/// The objects of a JSON Lines stream, one per line.
pub struct JsonLines {
    stream: Arc<Stream>,
    reader: BufReader<Box<dyn Read + Send>>,
    line: u64,
    buf: Vec<u8>,
    wide: Option<Encoding>,
    done: bool,
}

impl Iterator for JsonLines {
    type Item = RawItem;

    fn next(&mut self) -> Option<RawItem> {
        if self.done {
            return None;
        }
        let limit = self.stream.options.max_document_bytes;
        self.line += 1;
        if let Some(bytes) = whole_line_in_buffer(&mut self.reader, limit) {
            return Some(self.object(bytes));
        }
        match read_capped_line(&mut self.reader, &mut self.buf, limit) {
            Ok(None) => {
                self.done = true;
                None
            }
            Ok(Some((size, true))) => Some(RawItem::from(Item::Rejected(Rejected {
                source: format!("{}:{}", self.stream.name, self.line),
                reason: RejectReason::TooLarge { limit },
                bytes: size,
            }))),
            // An exact-size copy: the line buffer stays for the next line.
            Ok(Some(_)) => Some(self.object(self.buf.clone())),
            Err(err) => {
                self.done = true;
                Some(RawItem::from(Item::Rejected(Rejected {
                    source: format!("{}:{}", self.stream.name, self.line),
                    reason: self.stream.stream_error(&err),
                    bytes: self.buf.len() as u64,
                })))
            }
        }
    }
}

impl JsonLines {
    /// The lines of `reader`, the first of them numbered `first`.
    pub fn new(
        stream: Arc<Stream>,
        reader: BufReader<Box<dyn Read + Send>>,
        first: u64,
        wide: Option<Encoding>,
    ) -> JsonLines {
        JsonLines {
            stream,
            reader,
            // `next` counts up before reading.
            line: first.saturating_sub(1),
            buf: Vec::new(),
            wide,
            done: false,
        }
    }

    fn object(&self, bytes: Vec<u8>) -> RawItem {
        RawItem::json(JsonObject {
            bytes,
            stream: Arc::clone(&self.stream),
            number: self.line,
            format: Format::JsonLines,
            wide: self.wide,
            line: self.line,
            column: 0,
        })
    }
}

/// The next line, when it lies whole in the reader's buffer and within `limit`: copied once,
/// straight from the buffer, where [`read_capped_line`] would copy it into a line buffer first.
/// Any other case (a line across buffer refills, an oversized line, a read error) is left to
/// [`read_capped_line`], with nothing consumed.
fn whole_line_in_buffer(
    reader: &mut BufReader<Box<dyn Read + Send>>,
    limit: usize,
) -> Option<Vec<u8>> {
    let available = reader.buffer();
    let end = memchr::memchr(b'\n', available)?;
    if end > limit {
        return None;
    }
    let line = &available[..end];
    let bytes = line.strip_suffix(b"\r").unwrap_or(line).to_vec();
    reader.consume(end + 1);
    Some(bytes)
}

/// The elements of a top-level JSON array, one at a time.
pub struct JsonArray {
    stream: Arc<Stream>,
    reader: BufReader<Box<dyn Read + Send>>,
    splitter: ArraySplitter,
    /// The number of the array's first element (`--stdin-first-line` may start past 1).
    first: u64,
    index: u64,
    buf: Vec<u8>,
    wide: Option<Encoding>,
    done: bool,
}

impl JsonArray {
    /// The elements of the array `reader` holds, the first of them numbered `first`.
    pub fn new(
        stream: Arc<Stream>,
        reader: BufReader<Box<dyn Read + Send>>,
        first: u64,
        wide: Option<Encoding>,
    ) -> JsonArray {
        JsonArray {
            stream,
            reader,
            splitter: ArraySplitter::new(),
            first,
            index: first.saturating_sub(1),
            buf: Vec::new(),
            wide,
            done: false,
        }
    }
}

impl Iterator for JsonArray {
    type Item = RawItem;

    fn next(&mut self) -> Option<RawItem> {
        if self.done {
            return None;
        }
        let limit = self.stream.options.max_document_bytes;
        self.index += 1;
        let source = format!("{}:{}", self.stream.name, self.index);
        match self
            .splitter
            .next_element(&mut self.reader, &mut self.buf, limit)
        {
            Ok(Element::End) => {
                self.done = true;
                // An array with no elements is an input with no documents, which is said, as
                // for an empty file, rather than left out.
                (self.index == self.first.max(1)).then(|| {
                    RawItem::from(Item::Rejected(Rejected {
                        source: self.stream.name.clone(),
                        reason: RejectReason::Empty,
                        bytes: 0,
                    }))
                })
            }
            Ok(Element::TooLarge(size)) => Some(RawItem::from(Item::Rejected(Rejected {
                source,
                reason: RejectReason::TooLarge { limit },
                bytes: size,
            }))),
            Ok(Element::Value) => {
                let (line, column) = self.splitter.element_start();
                Some(RawItem::json(JsonObject {
                    bytes: self.buf.clone(),
                    stream: Arc::clone(&self.stream),
                    number: self.index,
                    format: Format::JsonArray,
                    wide: self.wide,
                    line,
                    column,
                }))
            }
            Err(err) => {
                self.done = true;
                let reason = match err.kind() {
                    io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof
                        if self.stream.compression.is_none() =>
                    {
                        RejectReason::NotJson(err.to_string())
                    }
                    _ => self.stream.stream_error(&err),
                };
                Some(RawItem::from(Item::Rejected(Rejected {
                    source,
                    reason,
                    bytes: self.buf.len() as u64,
                })))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;

    /// Found by the `ingest` fuzz target (minimized from `[]Title: A story...`): an empty
    /// array gave no item at all, and text after the array vanished.
    #[test]
    fn every_array_input_yields_an_item() {
        for bytes in [
            &b"[]"[..],
            b" [ ] \n",
            b"[]Title: A story\n\nBody text here.",
        ] {
            let items = items("dump", bytes.to_vec());
            assert_eq!(items.len(), 1, "{bytes:?}");
            assert!(matches!(&items[0], Item::Rejected(_)), "{bytes:?}");
        }
        assert!(
            matches!(&items("x.json", b"[]".to_vec())[0], Item::Rejected(r) if r.reason == RejectReason::Empty && r.source == "x.json")
        );
        let trailing = items("x", b"[{\"text\": \"kept\"}] and more".to_vec());
        assert!(matches!(&trailing[0], Item::Document(d) if d.text == "kept"));
        assert!(
            matches!(&trailing[1], Item::Rejected(r) if matches!(r.reason, RejectReason::NotJson(_)))
        );
        assert_eq!(trailing.len(), 2);
    }

    #[test]
    fn numbering_can_start_further_into_a_file() {
        let lines =
            b"{\"text\": \"First story.\"}\n\n{\"id\": \"k\", \"text\": \"Second.\"}\n".to_vec();
        let options = Arc::new(IngestOptions::new());
        let items: Vec<Item> = open_reader(
            "part.jsonl".into(),
            Box::new(Cursor::new(lines)),
            41,
            0,
            &options,
        )
        .map(RawItem::parse)
        .collect();
        let sources: Vec<&str> = items
            .iter()
            .map(|item| match item {
                Item::Document(doc) => doc.source.as_str(),
                Item::Rejected(r) => r.source.as_str(),
            })
            .collect();
        assert_eq!(sources, ["part.jsonl:41", "part.jsonl:42", "part.jsonl:43"]);
        assert!(matches!(&items[0], Item::Document(doc) if doc.id == "part.jsonl:41"));
        // An empty array is still said when its numbering starts further in.
        let empty: Vec<Item> = open_reader(
            "part.json".into(),
            Box::new(Cursor::new(b"[]".to_vec())),
            41,
            0,
            &options,
        )
        .map(RawItem::parse)
        .collect();
        assert!(
            matches!(&empty[..], [Item::Rejected(r)] if r.reason == RejectReason::Empty),
            "{empty:?}"
        );
    }
}
