//! WARC files (WARC/1.0 and 1.1), read one record at a time with bounded memory.
//!
//! A `.warc.gz` is read one gzip member at a time, straight from the compressed bytes, so that
//! each record's offset in the file is known and damage stays local: a member that is cut
//! short or corrupted loses its own record, and reading goes on at the next gzip member whose
//! content starts with a WARC header (found by scanning for the gzip magic bytes, going back to
//! just past the damaged member's start, within [`window::WINDOW`]). A plain (or zstd) WARC is read
//! record after record; after a record that is not well formed, reading goes on at the next
//! line that starts with `WARC/1.`, and so it does inside a gzip member that holds several
//! records (a WARC gzipped as one stream).
//!
//! Records that hold pages (`response` with HTTP status 200, `resource`, `conversion`, of an
//! HTML type) become page items; records that hold none are counted in [`RecordSkips`] by
//! kind; records that should hold a page but cannot give it are rejects. A block is held only
//! when it is within the document size limit: a larger one is read past, not kept.
//!
//! The crates.io `warc` crate was not used: it decompresses a `.warc.gz` as one stream
//! (through libflate's multi-member decoder), so it knows neither member offsets nor how to go
//! on after a damaged member, and an error ends its iteration.

use std::io::{self, BufRead, Read};
use std::sync::Arc;

use flate2::bufread::GzDecoder;

use crate::document::{Compression, Format, Item, RejectReason, Rejected};
use crate::options::IngestOptions;
use crate::page::{record_id, PageItem, WarcFields};
use crate::raw::RawItem;
use crate::skips::RecordSkips;

#[cfg(test)]
mod fixtures;
mod record;
mod window;

use record::{read_record, Record, RecordError};
pub use window::Window;

/// Magic bytes and compression method (deflate) of a gzip member.
const GZIP_MEMBER: &[u8] = &[0x1F, 0x8B, 0x08];
/// How a WARC record starts, after a line end.
const RECORD_START: &[u8] = b"\nWARC/1.";

/// What every record of one WARC file shares.
pub struct Context {
    pub name: String,
    /// The compression of the file (each member is decoded on its own).
    pub compression: Option<Compression>,
    pub options: Arc<IngestOptions>,
    pub skips: RecordSkips,
}

/// The records of one WARC file, as items.
pub struct WarcRecords {
    context: Context,
    state: State,
}

/// The decompressed content of one gzip member, itself a window: after a record that is not
/// well formed, the next record of the same member (a WARC gzipped as one stream has them all
/// in one) is found by going back and scanning, as in a plain WARC.
type MemberReader = Window<GzDecoder<Window>>;

enum State {
    /// Where a gzip member should start.
    Between(Window),
    /// At a record boundary inside a gzip member that starts at `start`; `index` records of
    /// it were read.
    Member {
        reader: Box<MemberReader>,
        start: u64,
        index: u64,
    },
    /// Where a record should start in an uncompressed stream.
    Plain(Window),
    Done,
}

impl WarcRecords {
    /// Reads a `.warc.gz` one gzip member at a time from its compressed bytes.
    pub fn gzip(context: Context, window: Window) -> WarcRecords {
        WarcRecords {
            context,
            state: State::Between(window),
        }
    }

    /// Reads a WARC that is not gzip compressed (or that was decompressed as one stream).
    pub fn plain(context: Context, window: Window) -> WarcRecords {
        WarcRecords {
            context,
            state: State::Plain(window),
        }
    }

    fn source(&self, offset: u64) -> String {
        format!("{}@{offset}", self.context.name)
    }

    fn reject(&self, source: String, reason: RejectReason, bytes: u64) -> Option<RawItem> {
        Some(RawItem::from(Item::Rejected(Rejected {
            source,
            reason,
            bytes,
        })))
    }

    /// The item of a record read whole, or `None` for a skipped one (then counted).
    fn item(&self, record: Record, source: String) -> Option<RawItem> {
        match record {
            Record::Skip(kind) => {
                self.context.skips.add(kind);
                None
            }
            Record::Reject(reason, bytes) => self.reject(source, reason, bytes),
            Record::Page(page) => {
                let id = page
                    .record_id
                    .as_deref()
                    .map(record_id)
                    .filter(|id| !id.is_empty())
                    .unwrap_or_else(|| source.clone());
                Some(RawItem::page(PageItem {
                    html: page.html,
                    url: page.url,
                    content_type: page.content_type,
                    id,
                    source,
                    format: Format::Warc,
                    compression: self.context.compression,
                    bytes: page.bytes,
                    warc: Some(WarcFields {
                        record_id: page.record_id,
                        date: page.date,
                    }),
                    json: None,
                }))
            }
        }
    }

    fn between(&self, mut window: Window) -> (State, Option<RawItem>) {
        let at = window.offset();
        let head = match window.fill_to(GZIP_MEMBER.len()) {
            Ok(head) => head,
            Err(err) => {
                let reason = RejectReason::Io(err.to_string());
                return (State::Done, self.reject(self.source(at), reason, 0));
            }
        };
        if head.is_empty() {
            return (State::Done, None);
        }
        // Zero bytes after the last member are padding (`gzip -t` accepts them).
        let zeros = head.iter().take_while(|&&b| b == 0).count();
        if zeros > 0 {
            window.consume(zeros);
            return (State::Between(window), None);
        }
        let why = if head.starts_with(GZIP_MEMBER) {
            match open_member(window) {
                Ok(reader) => {
                    let state = State::Member {
                        reader: Box::new(reader),
                        start: at,
                        index: 0,
                    };
                    return (state, None);
                }
                Err((back, why)) => {
                    window = back;
                    window.seek_to(at + 1);
                    format!("the gzip member at byte {at} {why}")
                }
            }
        } else {
            format!("the data at byte {at} is not a gzip member")
        };
        let (state, next) = resync_member(window);
        let skipped = next - at;
        let reason = RejectReason::CorruptStream(format!(
            "{why}: {skipped} bytes skipped, to {}",
            match state {
                State::Done => "the end of the file".to_string(),
                _ => format!("the next WARC record at byte {next}"),
            }
        ));
        (state, self.reject(self.source(at), reason, skipped))
    }

    fn in_member(
        &self,
        mut reader: Box<MemberReader>,
        start: u64,
        index: u64,
    ) -> (State, Option<RawItem>) {
        let source = match index {
            0 => self.source(start),
            // Records after the first of a member (a WARC gzipped as one stream) share its
            // offset.
            n => format!("{}#{n}", self.source(start)),
        };
        let damaged = |reader: Box<MemberReader>, err: &dyn std::fmt::Display| {
            let mut window = reader.into_inner().into_inner();
            window.seek_to(start + 1);
            let (state, _) = resync_member(window);
            let reason = RejectReason::CorruptStream(format!(
                "the gzip member at byte {start} is cut short or damaged ({err}); its record \
                 is lost"
            ));
            (state, self.reject(source.clone(), reason, 0))
        };
        match reader.fill_buf() {
            Ok([]) => return (State::Between(reader.into_inner().into_inner()), None),
            // Line ends after a record beyond the two the standard asks for are tolerated.
            Ok(rest) if index > 0 && matches!(rest.first(), Some(b'\r' | b'\n')) => {
                let blank = rest
                    .iter()
                    .take_while(|&&b| b == b'\r' || b == b'\n')
                    .count();
                reader.consume(blank);
                let state = State::Member {
                    reader,
                    start,
                    index,
                };
                return (state, None);
            }
            Ok(rest) if index > 0 && !rest.starts_with(b"WARC/") => {
                // After the last record of the member (its trailer read), bytes that are no
                // record: lost, and said, up to the end of the member.
                return match io::copy(&mut reader, &mut io::sink()) {
                    Ok(skipped) => {
                        let reason = RejectReason::CorruptStream(format!(
                            "{skipped} bytes that are not a WARC record after record {index} \
                             of the gzip member at byte {start}"
                        ));
                        let window = reader.into_inner().into_inner();
                        (State::Between(window), self.reject(source, reason, skipped))
                    }
                    Err(err) => damaged(reader, &err),
                };
            }
            Ok(_) => {}
            Err(err) => return damaged(reader, &err),
        }
        let record_at = reader.offset();
        match read_record(&mut *reader, &self.context.options) {
            Ok(record) => {
                // The member's checksum is checked at its end: a record is handed out only
                // once the member is known to be whole (or to go on with another record).
                if let Err(err) = reader.fill_buf() {
                    return damaged(reader, &err);
                }
                let item = self.item(record, source);
                let state = State::Member {
                    reader,
                    start,
                    index: index + 1,
                };
                (state, item)
            }
            Err(RecordError::Stream(err)) => damaged(reader, &err),
            Err(RecordError::CutShort(what)) => {
                // The member ended cleanly inside the record: its Content-Length is wrong.
                let reason = RejectReason::BadRecord(format!("{what}, where its gzip member ends"));
                self.after_bad_record(reader, start, index, record_at, source, reason)
            }
            Err(RecordError::Malformed(what)) => {
                let reason = RejectReason::BadRecord(what);
                self.after_bad_record(reader, start, index, record_at, source, reason)
            }
        }
    }

    /// After a record of a member that is not well formed: its reject, and the member's next
    /// record, found by scanning from just past the bad one's start (its length cannot be
    /// trusted), or the next member.
    fn after_bad_record(
        &self,
        mut reader: Box<MemberReader>,
        start: u64,
        index: u64,
        record_at: u64,
        source: String,
        reason: RejectReason,
    ) -> (State, Option<RawItem>) {
        let reject = self.reject(source, reason, 0);
        reader.seek_to(record_at + 1);
        match reader.scan_for(RECORD_START, 1) {
            Ok(true) => {
                let state = State::Member {
                    reader,
                    start,
                    index: index + 1,
                };
                (state, reject)
            }
            Ok(false) => (State::Between(reader.into_inner().into_inner()), reject),
            Err(_) => {
                // The member is damaged further on too: go on at the next one.
                let mut window = reader.into_inner().into_inner();
                window.seek_to(start + 1);
                (resync_member(window).0, reject)
            }
        }
    }

    fn in_plain(&self, mut window: Window) -> (State, Option<RawItem>) {
        let at = window.offset();
        let head = match window.fill_to(RECORD_START.len()) {
            Ok(head) => head,
            Err(err) => {
                let reason = self.stream_error(&err);
                return (State::Done, self.reject(self.source(at), reason, 0));
            }
        };
        if head.is_empty() {
            return (State::Done, None);
        }
        // Line ends between records beyond the two the standard asks for are tolerated.
        let blank = head
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        if blank > 0 {
            window.consume(blank);
            return (State::Plain(window), None);
        }
        if !head.starts_with(&RECORD_START[1..]) {
            let found = window.scan_for(RECORD_START, 1).unwrap_or(false);
            let next = window.offset();
            let reason = RejectReason::CorruptStream(format!(
                "the data at byte {at} is not a WARC record: {} bytes skipped, to {}",
                next - at,
                if found {
                    format!("the next record at byte {next}")
                } else {
                    "the end of the file".to_string()
                }
            ));
            let state = if found {
                State::Plain(window)
            } else {
                State::Done
            };
            return (state, self.reject(self.source(at), reason, next - at));
        }
        let source = self.source(at);
        let reason = match read_record(&mut window, &self.context.options) {
            Ok(record) => return (State::Plain(window), self.item(record, source)),
            Err(RecordError::Stream(err)) => {
                return (State::Done, self.reject(source, self.stream_error(&err), 0))
            }
            Err(RecordError::CutShort(what)) => {
                RejectReason::TruncatedRecord(format!("{what}, where the file ends"))
            }
            Err(RecordError::Malformed(what)) => RejectReason::BadRecord(what),
        };
        // The record's length cannot be trusted: the next record may start inside what was
        // read as its block.
        window.seek_to(at + 1);
        let state = match window.scan_for(RECORD_START, 1) {
            Ok(true) => State::Plain(window),
            _ => State::Done,
        };
        (state, self.reject(source, reason, 0))
    }

    fn stream_error(&self, err: &io::Error) -> RejectReason {
        match self.context.compression {
            Some(_) => RejectReason::CorruptStream(err.to_string()),
            None => RejectReason::Io(err.to_string()),
        }
    }
}

impl Iterator for WarcRecords {
    type Item = RawItem;

    fn next(&mut self) -> Option<RawItem> {
        loop {
            let (state, item) = match std::mem::replace(&mut self.state, State::Done) {
                State::Done => return None,
                State::Between(window) => self.between(window),
                State::Member {
                    reader,
                    start,
                    index,
                } => self.in_member(reader, start, index),
                State::Plain(window) => self.in_plain(window),
            };
            self.state = state;
            if item.is_some() {
                return item;
            }
        }
    }
}

/// A decoder for the gzip member at the window's position, if its content starts like a WARC
/// record; else the window back, and why not.
fn open_member(window: Window) -> Result<MemberReader, (Window, String)> {
    let mut reader = Window::new(GzDecoder::new(window), 0);
    let why = match reader.fill_to(RECORD_START.len()) {
        Ok(content) if content.starts_with(b"WARC/") => return Ok(reader),
        Ok([]) => "holds nothing".to_string(),
        Ok(_) => "does not hold a WARC record".to_string(),
        Err(err) => format!("is damaged ({err})"),
    };
    Err((reader.into_inner().into_inner(), why))
}

/// The next gzip member from the window's position on that holds a WARC record, and where it
/// starts (the end of the file when there is none).
fn resync_member(mut window: Window) -> (State, u64) {
    loop {
        match window.scan_for(GZIP_MEMBER, 0) {
            Ok(true) => {}
            _ => {
                let end = window.offset();
                return (State::Done, end);
            }
        }
        let candidate = window.offset();
        match open_member(window) {
            Ok(reader) => {
                let state = State::Member {
                    reader: Box::new(reader),
                    start: candidate,
                    index: 0,
                };
                return (state, candidate);
            }
            Err((back, _)) => {
                window = back;
                window.seek_to(candidate + 1);
            }
        }
    }
}

/// Whether the first bytes of a stream (decompressed) are a WARC record.
pub fn is_warc(head: &[u8]) -> bool {
    head.starts_with(b"WARC/1.0") || head.starts_with(b"WARC/1.1")
}

/// Whether the first bytes of a gzip stream decode to a WARC record.
pub fn is_gzipped_warc(head: &[u8]) -> bool {
    let mut decoder = flate2::read::GzDecoder::new(head);
    let mut start = [0u8; 8];
    let mut got = 0;
    while got < start.len() {
        match decoder.read(&mut start[got..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    is_warc(&start[..got])
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;

    #[test]
    fn damage_loses_only_the_record_it_is_in() {
        let good = |id: &str| html_response(id, "Quiet");
        // A Content-Length longer than the record, then one shorter.
        let mut long = good("long");
        let mut short = good("short");
        for (record, delta) in [(&mut long, 40i64), (&mut short, -40)] {
            let text = String::from_utf8_lossy(record).into_owned();
            let at = text.find("Content-Length: ").unwrap() + 16;
            let end = at + text[at..].find('\r').unwrap();
            let length: i64 = text[at..end].parse().unwrap();
            let fixed = format!("{}{}{}", &text[..at], length + delta, &text[end..]);
            *record = fixed.into_bytes();
        }
        let truncated = record(
            "response",
            "cut",
            "WARC-Truncated: length\r\n",
            &http("200 OK", "Content-Type: text/html\r\n", &page("Half")),
        );
        let short_head = record(
            "response",
            "head",
            "",
            b"HTTP/1.1 200 OK\r\nContent-Type: te",
        );
        let records = [
            good("a"),
            long,
            good("b"),
            short,
            good("c"),
            truncated,
            short_head,
            good("d"),
        ];
        let (file, offsets) = members(&records);
        let (items, skips) = read("x.warc.gz", file.clone());
        let at = |i: usize| format!("x.warc.gz@{}", offsets[i]);
        assert_eq!(
            summary(&items),
            [
                "a".to_string(),
                format!("bad_record@{}", at(1)),
                "b".into(),
                format!("bad_record@{}", at(3)),
                "c".into(),
                format!("truncated_record@{}", at(5)),
                format!("bad_record@{}", at(6)),
                "d".into(),
            ]
        );
        assert_eq!(skips.total(), 0);
        let Item::Rejected(long) = &items[1] else {
            panic!()
        };
        assert!(
            long.reason
                .to_string()
                .contains("where its gzip member ends"),
            "{}",
            long.reason
        );

        // The same records uncompressed: the lying lengths are found, and reading goes on at
        // the next record.
        let (items, _) = read("x.warc", records.concat());
        let kinds: Vec<String> = summary(&items)
            .into_iter()
            .map(|s| s.split('@').next().unwrap().to_string())
            .collect();
        assert_eq!(
            kinds,
            [
                "a",
                "bad_record",
                "b",
                "bad_record",
                "c",
                "truncated_record",
                "bad_record",
                "d"
            ]
        );

        // And gzipped as one stream: the next record of the member is found after each bad one.
        let (items, _) = read("x.warc.gz", gzip(&records.concat()));
        assert_eq!(
            summary(&items),
            [
                "a".to_string(),
                "bad_record@x.warc.gz@0#1".into(),
                "b".into(),
                "bad_record@x.warc.gz@0#3".into(),
                "c".into(),
                "truncated_record@x.warc.gz@0#5".into(),
                "bad_record@x.warc.gz@0#6".into(),
                "d".into(),
            ]
        );

        // A member cut short, and garbage between members.
        let mut cut = Vec::new();
        cut.extend_from_slice(&file[..offsets[1] as usize]);
        let member = gzip(&records[2]);
        cut.extend_from_slice(&member[..member.len() / 2]);
        let resumed = cut.len();
        cut.extend_from_slice(&gzip(&records[4]));
        cut.extend_from_slice(b"garbage between members \x1f\x8b\x08 and a false start");
        cut.extend_from_slice(&gzip(&records[7]));
        cut.extend_from_slice(&[0; 100]);
        let (items, _) = read("x.warc.gz", cut);
        let summary = summary(&items);
        assert_eq!(summary.len(), 5, "{summary:?}");
        assert_eq!(summary[0], "a");
        assert_eq!(
            summary[1],
            format!("corrupt_stream@x.warc.gz@{}", offsets[1])
        );
        assert_eq!(summary[2], "c");
        assert!(summary[3].starts_with("corrupt_stream@"), "{summary:?}");
        assert_eq!(summary[4], "d");
        let Item::Document(c) = &items[2] else {
            panic!()
        };
        assert_eq!(c.source, format!("x.warc.gz@{resumed}"));
    }

    #[test]
    fn offsets_count_from_where_the_stream_starts_in_its_file() {
        let (file, offsets) = members(&[html_response("a", "One"), html_response("b", "Two")]);
        let tail = file[offsets[1] as usize..].to_vec();
        let (items, _) = read_with("x.warc.gz", tail, IngestOptions::new(), offsets[1]);
        assert_eq!(
            document(&items[0]).source,
            format!("x.warc.gz@{}", offsets[1])
        );
    }
}

#[cfg(test)]
mod never_panics {
    use super::*;
    use crate::source::open_reader;
    use proptest::prelude::*;
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    proptest! {
        #[test]
        fn on_records_of_any_bytes(rest in proptest::collection::vec(any::<u8>(), 0..600), cut in 0usize..700, gzipped: bool) {
            let mut bytes = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 40\r\n\r\nHTTP/1.1 200 OK\r\n".to_vec();
            bytes.extend_from_slice(&rest);
            let mut bytes = if gzipped {
                let mut members = gzip(&bytes);
                members.extend_from_slice(&gzip(&rest));
                members
            } else {
                bytes
            };
            bytes.truncate(cut.max(12));
            let options = Arc::new(IngestOptions::new().max_document_bytes(200));
            let _: Vec<Item> = open_reader("x.warc".into(), Box::new(io::Cursor::new(bytes)), 1, 0, &options).map(RawItem::parse).collect();
        }
    }
}
