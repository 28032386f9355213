//! CSV and TSV with a header row: one document per record, its columns mapped as a JSON
//! object's fields are (`table.rs`).
//!
//! Records are split by `csv-core`, the parser inside the `csv` crate, driven here directly:
//! the `csv` crate grows a record's buffer for as long as the record goes on, so one unclosed
//! quote would hold the rest of the file in memory. Driving the parser lets a record past
//! `--max-document-bytes` be dropped as it is read, and parsing go on after it.

use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, Read};
use std::sync::Arc;

use csv_core::ReadRecordResult;

use crate::decode::decode_line;
use crate::document::{Compression, Encoding, Format, Item, RejectReason, Rejected};
use crate::options::IngestOptions;
use crate::raw::RawItem;
use crate::table::{item_from_row, Cell, RowOrigin};

/// Starting size of the field buffer; it doubles up to the document limit as records need.
const FIELD_BUFFER_BYTES: usize = 4096;
/// Starting number of field ends; it doubles as records need.
const FIELD_ENDS: usize = 64;
/// After a record larger than this, the field buffer is given back down to this size.
const KEPT_BUFFER_BYTES: usize = 1 << 20;

/// One record as split, its fields in [`CsvRows::out`] and their ends in [`CsvRows::ends`].
struct RawRecord {
    /// The line its first byte is on.
    line: u64,
    /// Bytes of input it took.
    bytes: u64,
    /// Number of fields.
    fields: usize,
    /// Its fields came to more than the document limit: they were not kept.
    too_large: bool,
}

/// The rows of one CSV or TSV stream.
pub struct CsvRows {
    name: String,
    format: Format,
    compression: Option<Compression>,
    /// Set when the whole stream was transcoded (UTF-16, UTF-32); else decided per row.
    stream_encoding: Option<Encoding>,
    options: Arc<IngestOptions>,
    reader: BufReader<Box<dyn Read + Send>>,
    core: csv_core::Reader,
    /// The number of the stream's first line.
    first_line: u64,
    header: Option<Vec<String>>,
    out: Vec<u8>,
    ends: Vec<usize>,
    rows: u64,
    done: bool,
}

impl CsvRows {
    /// Reads `reader`, already decoded to UTF-8 if `stream_encoding` is set; `format` is
    /// [`Format::Csv`] or [`Format::Tsv`].
    pub fn new(
        name: String,
        format: Format,
        compression: Option<Compression>,
        stream_encoding: Option<Encoding>,
        options: Arc<IngestOptions>,
        reader: BufReader<Box<dyn Read + Send>>,
        first_line: u64,
    ) -> CsvRows {
        let delimiter = if format == Format::Tsv { b'\t' } else { b',' };
        CsvRows {
            name,
            format,
            compression,
            stream_encoding,
            options,
            reader,
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            first_line: first_line.max(1),
            header: None,
            out: vec![0; FIELD_BUFFER_BYTES],
            ends: vec![0; FIELD_ENDS],
            rows: 0,
            done: false,
        }
    }

    fn reject(&self, source: String, reason: RejectReason, bytes: u64) -> RawItem {
        RawItem::from(Item::Rejected(Rejected {
            source,
            reason,
            bytes,
        }))
    }

    fn stream_error(&self, err: &io::Error) -> RejectReason {
        match self.compression {
            Some(_) => RejectReason::CorruptStream(err.to_string()),
            None => RejectReason::Io(err.to_string()),
        }
    }

    /// Blank lines between records are no records (the parser skips them too); they are
    /// skipped here so that a record's line is the one its first byte is on.
    fn skip_blank_lines(&mut self) -> io::Result<()> {
        loop {
            let available = fill(&mut self.reader)?;
            let blank = available
                .iter()
                .take_while(|&&b| b == b'\n' || b == b'\r')
                .count();
            let newlines = available[..blank].iter().filter(|&&b| b == b'\n').count();
            let all = blank == available.len() && blank > 0;
            self.reader.consume(blank);
            self.core.set_line(self.core.line() + newlines as u64);
            if !all {
                return Ok(());
            }
        }
    }

    /// The next record, `None` at the end of the stream.
    fn read_record(&mut self) -> io::Result<Option<RawRecord>> {
        self.skip_blank_lines()?;
        let limit = self.options.max_document_bytes;
        // The parser counts lines from 1.
        let line = self.first_line - 1 + self.core.line();
        let (mut out_len, mut ends_len, mut bytes, mut too_large) = (0, 0, 0u64, false);
        loop {
            let input = fill(&mut self.reader)?;
            let (result, read, written, ended) =
                self.core
                    .read_record(input, &mut self.out[out_len..], &mut self.ends[ends_len..]);
            self.reader.consume(read);
            bytes += read as u64;
            out_len += written;
            ends_len += ended;
            match result {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => {
                    // One byte past the limit tells a record over it.
                    if self.out.len() > limit {
                        too_large = true;
                    } else {
                        let size = (self.out.len() * 2).min(limit + 1);
                        self.out.resize(size, 0);
                    }
                }
                ReadRecordResult::OutputEndsFull => {
                    if self.ends.len() * size_of::<usize>() > limit {
                        too_large = true;
                    } else {
                        self.ends.resize(self.ends.len() * 2, 0);
                    }
                }
                ReadRecordResult::Record => {
                    too_large |= out_len > limit;
                    if too_large && self.out.len() > KEPT_BUFFER_BYTES {
                        self.out.truncate(KEPT_BUFFER_BYTES);
                        self.out.shrink_to_fit();
                    }
                    return Ok(Some(RawRecord {
                        line,
                        bytes,
                        fields: ends_len,
                        too_large,
                    }));
                }
                ReadRecordResult::End => return Ok(None),
            }
            if too_large {
                // The record goes on being parsed, to find its end, but nothing of it is kept.
                out_len = 0;
                ends_len = 0;
            }
        }
    }

    /// The fields of the record just read, decoded as a JSON line would be (UTF-8, a few bad
    /// bytes replaced, else Windows-1252): the text, its encoding and whether bytes were
    /// replaced.
    fn fields(&self, record: &RawRecord) -> (Vec<String>, Encoding, bool) {
        let end = record
            .fields
            .checked_sub(1)
            .map_or(0, |last| self.ends[last]);
        let all = &self.out[..end];
        let (_, encoding, replaced) = decode_line(all);
        let mut start = 0;
        let fields = self.ends[..record.fields]
            .iter()
            .map(|&end| {
                let bytes = &self.out[start..end];
                start = end;
                match encoding {
                    Encoding::Windows1252 => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
                    _ => String::from_utf8_lossy(bytes).into_owned(),
                }
            })
            .collect();
        match self.stream_encoding {
            Some(stream) => (fields, stream, false),
            None => (fields, encoding, replaced),
        }
    }

    fn row(&self, record: &RawRecord, header: &[String]) -> RawItem {
        let source = format!("{}:{}", self.name, record.line);
        if record.too_large {
            let limit = self.options.max_document_bytes;
            return self.reject(source, RejectReason::TooLarge { limit }, record.bytes);
        }
        if record.fields != header.len() {
            let reason = RejectReason::BadRow(format!(
                "{} fields where the header has {}",
                record.fields,
                header.len()
            ));
            return self.reject(source, reason, record.bytes);
        }
        let (values, encoding, replaced_invalid) = self.fields(record);
        let options = &self.options;
        let text_field = options.html_field.as_ref().unwrap_or(&options.text_field);
        let row: BTreeMap<String, Cell> = header
            .iter()
            .zip(values)
            .map(|(name, value)| {
                // An empty cell is no value; in the text column it is an empty text.
                let cell = if value.is_empty() && name != text_field {
                    Cell::Null
                } else {
                    Cell::Text(value)
                };
                (name.clone(), cell)
            })
            .collect();
        item_from_row(
            row,
            RowOrigin {
                source,
                format: self.format,
                compression: self.compression,
                encoding,
                replaced_invalid,
                options,
                bytes: record.bytes,
            },
        )
    }
}

/// The reader's buffer, refilled if empty; empty only at the end of the stream.
fn fill(reader: &mut BufReader<Box<dyn Read + Send>>) -> io::Result<&[u8]> {
    loop {
        match reader.fill_buf() {
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            // Reborrowed: returning the first borrow from inside the loop does not compile.
            Ok(_) => return reader.fill_buf(),
            Err(err) => return Err(err),
        }
    }
}

impl Iterator for CsvRows {
    type Item = RawItem;

    fn next(&mut self) -> Option<RawItem> {
        while !self.done {
            let record = match self.read_record() {
                Ok(Some(record)) => record,
                Ok(None) => {
                    self.done = true;
                    // A header and no rows is an input with no documents: said, as for an
                    // empty file.
                    if self.rows == 0 {
                        return Some(self.reject(self.name.clone(), RejectReason::Empty, 0));
                    }
                    return None;
                }
                Err(err) => {
                    self.done = true;
                    let source =
                        format!("{}:{}", self.name, self.first_line - 1 + self.core.line());
                    return Some(self.reject(source, self.stream_error(&err), 0));
                }
            };
            let Some(header) = self.header.take() else {
                if record.too_large {
                    // Without its header no row of the file can be read.
                    self.done = true;
                    let limit = self.options.max_document_bytes;
                    let reason = RejectReason::TooLarge { limit };
                    return Some(self.reject(self.name.clone(), reason, record.bytes));
                }
                self.header = Some(self.fields(&record).0);
                continue;
            };
            self.rows += 1;
            let item = self.row(&record, &header);
            self.header = Some(header);
            return Some(item);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn rows(name: &str, bytes: &[u8], options: IngestOptions) -> Vec<Item> {
        let format = if name.ends_with(".tsv") {
            Format::Tsv
        } else {
            Format::Csv
        };
        let reader: Box<dyn Read + Send> = Box::new(Cursor::new(bytes.to_vec()));
        CsvRows::new(
            name.to_string(),
            format,
            None,
            None,
            Arc::new(options),
            BufReader::new(reader),
            1,
        )
        .map(RawItem::parse)
        .collect()
    }

    /// Each item's source, and its text or reject kind.
    fn summary(items: &[Item]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|item| match item {
                Item::Document(doc) => (doc.source.clone(), doc.text.clone()),
                Item::Rejected(r) => (r.source.clone(), r.reason.kind().to_string()),
            })
            .collect()
    }

    #[test]
    fn quoted_newlines_and_bad_rows_keep_their_lines() {
        let csv = b"id,title,text,date\n\
                    a1,Storm,\"Winds rose.\nTrees fell.\",2024-05-01\n\
                    \n\
                    a2,Short,only three\n\
                    a3,\"Rates, again\",\"He said \"\"no\"\".\",\n\
                    ,Untitled,No id here.,2024-05-02\n";
        let items = rows("x.csv", csv, IngestOptions::new());
        assert_eq!(
            summary(&items),
            [
                ("x.csv:2".into(), "Winds rose.\nTrees fell.".into()),
                ("x.csv:5".into(), "bad_row".into()),
                ("x.csv:6".into(), "He said \"no\".".into()),
                ("x.csv:7".into(), "No id here.".into()),
            ]
        );
        let Item::Document(a3) = &items[2] else {
            panic!()
        };
        assert_eq!(
            (a3.id.as_str(), a3.title.as_deref()),
            ("a3", Some("Rates, again"))
        );
        assert!(a3.metadata.is_empty(), "an empty date is no value");
        let Item::Document(last) = &items[3] else {
            panic!()
        };
        assert_eq!(last.id, "x.csv:7");
        assert_eq!(last.date.as_deref(), Some("2024-05-02"));
        assert_eq!(last.format, Format::Csv);
    }

    #[test]
    fn tsv_and_field_options() {
        let tsv = b"url\tbody\theadline\r\nhttps://x.test/1\tThe council met.\tCouncil\r\n";
        let options = IngestOptions::new()
            .text_field("body")
            .id_field("url")
            .title_field("headline");
        let items = rows("x.tsv", tsv, options);
        let [Item::Document(doc)] = &items[..] else {
            panic!("{items:?}")
        };
        assert_eq!(doc.id, "https://x.test/1");
        assert_eq!(doc.title.as_deref(), Some("Council"));
        assert_eq!(doc.text, "The council met.");
        assert_eq!(doc.format, Format::Tsv);
    }

    #[test]
    fn invalid_utf8_is_decoded_as_json_lines_are() {
        let mut csv = b"text\n".to_vec();
        csv.extend_from_slice(b"\"Caf\xc3\xa9 \xc3\xa9t\xc3\xa9 \xff\"\n");
        csv.extend_from_slice(b"Caf\xe9 cr\xe8me\n");
        let items = rows("x.csv", &csv, IngestOptions::new());
        let [Item::Document(lossy), Item::Document(latin)] = &items[..] else {
            panic!("{items:?}")
        };
        assert_eq!(lossy.text, "Café été \u{fffd}");
        assert!(lossy.replaced_invalid);
        assert_eq!(latin.text, "Café crème");
        assert_eq!(latin.encoding, Encoding::Windows1252);
    }

    #[test]
    fn oversized_records_are_dropped_alone() {
        let big = "x".repeat(5000);
        let csv = format!("id,text\n1,small\n2,\"{big}\"\n3,after\n4,\"never closed\n5,lost\n");
        let items = rows(
            "x.csv",
            csv.as_bytes(),
            IngestOptions::new().max_document_bytes(1000),
        );
        assert_eq!(
            summary(&items),
            [
                ("x.csv:2".into(), "small".into()),
                ("x.csv:3".into(), "too_large".into()),
                ("x.csv:4".into(), "after".into()),
                // An unclosed quote runs to the end of the file: one last record.
                ("x.csv:5".into(), "never closed\n5,lost\n".into()),
            ]
        );
    }

    #[test]
    fn an_html_column_is_a_page() {
        let csv = b"id,url,html\np1,https://x.test/p1,\"<html><body><p>The river rose overnight.</p></body></html>\"\n";
        let items = rows("x.csv", csv, IngestOptions::new().html_field("html"));
        let [Item::Document(doc)] = &items[..] else {
            panic!("{items:?}")
        };
        assert_eq!(doc.id, "p1");
        assert!(doc.text.contains("The river rose overnight."));
        let page = doc.page.as_ref().expect("a page");
        assert_eq!(page.url.as_deref(), Some("https://x.test/p1"));
    }

    #[test]
    fn a_header_alone_is_an_empty_input() {
        let items = rows("x.csv", b"id,text\n", IngestOptions::new());
        assert!(
            matches!(&items[..], [Item::Rejected(r)] if r.reason == RejectReason::Empty && r.source == "x.csv")
        );
    }
}
