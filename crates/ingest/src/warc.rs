//! WARC files (WARC/1.0 and 1.1), read one record at a time with bounded memory.
//!
//! A `.warc.gz` is read one gzip member at a time, straight from the compressed bytes, so that
//! each record's offset in the file is known and damage stays local: a member that is cut
//! short or corrupted loses its own record, and reading goes on at the next gzip member whose
//! content starts with a WARC header (found by scanning for the gzip magic bytes, going back to
//! just past the damaged member's start, within [`WINDOW`]). A plain (or zstd) WARC is read
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
use crate::http::{decode_body, is_html_type, parse_head, Parsed};
use crate::options::IngestOptions;
use crate::page::{looks_like_html, record_id, PageItem, WarcFields};
use crate::raw::RawItem;
use crate::skips::{RecordSkips, SkipKind};

/// Bytes kept behind the read position, so that a scan after a damaged gzip member can start
/// again just past its start. Damage is met a few kilobytes after it happens in practice (the
/// decoder fails on the next member's header or on bytes that are no valid deflate); a member
/// of a page is 20-100 KB compressed.
const WINDOW: usize = 1 << 20;
/// Bytes read from the file at a time.
const CHUNK: usize = 1 << 16;
/// Longest WARC header read: real ones are under 2 KB.
const MAX_WARC_HEADER: u64 = 64 * 1024;
/// Longest HTTP response head read: real ones are under 16 KB.
const MAX_HTTP_HEAD: u64 = 64 * 1024;
/// Magic bytes and compression method (deflate) of a gzip member.
const GZIP_MEMBER: &[u8] = &[0x1F, 0x8B, 0x08];
/// How a WARC record starts, after a line end.
const RECORD_START: &[u8] = b"\nWARC/1.";

/// A stream's bytes with at least the last [`WINDOW`] bytes before the read position kept, so
/// that a reader can go back to an offset it passed.
pub struct Window<R = Box<dyn Read + Send>> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
    /// Offset of `buf[0]` in the stream.
    base: u64,
    /// The stream ended, or failed (then it reads as ended).
    eof: bool,
}

impl<R: Read> Window<R> {
    /// `base` is the offset of the stream's first byte (for standard input that starts further
    /// into a file).
    pub fn new(inner: R, base: u64) -> Window<R> {
        Window {
            inner,
            buf: Vec::new(),
            pos: 0,
            base,
            eof: false,
        }
    }

    fn into_inner(self) -> R {
        self.inner
    }

    /// Offset of the next byte.
    pub fn offset(&self) -> u64 {
        self.base + self.pos as u64
    }

    /// Goes back (or forward, within what was read) to `offset`, or as near to it as the
    /// bytes kept allow.
    fn seek_to(&mut self, offset: u64) {
        let at = offset.saturating_sub(self.base).min(self.buf.len() as u64);
        // `at` is within `buf`, so it fits.
        self.pos = usize::try_from(at).unwrap_or(self.buf.len());
    }

    fn refill(&mut self) -> io::Result<()> {
        // Dropping only once twice the window is held moves each byte at most once.
        if self.pos > 2 * WINDOW {
            let drop = self.pos - WINDOW;
            self.buf.drain(..drop);
            self.pos -= drop;
            self.base += drop as u64;
        }
        let len = self.buf.len();
        // A window over a small gzip member (a page is a few KB) starts with small reads: the
        // room read into is zeroed first, and zeroing 64 KiB a member took 40% of the time to
        // read a .warc.gz of news pages (ingest bench warc.gz/sample/read: 44.6 ms, now 26.0).
        let chunk = len.clamp(4096, CHUNK);
        self.buf.resize(len + chunk, 0);
        loop {
            match self.inner.read(&mut self.buf[len..]) {
                Ok(n) => {
                    self.buf.truncate(len + n);
                    self.eof = n == 0;
                    return Ok(());
                }
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => {
                    self.buf.truncate(len);
                    self.eof = true;
                    return Err(err);
                }
            }
        }
    }

    /// The bytes after the read position, at least `n` of them unless the stream ends first.
    fn fill_to(&mut self, n: usize) -> io::Result<&[u8]> {
        while self.buf.len() - self.pos < n && !self.eof {
            self.refill()?;
        }
        Ok(&self.buf[self.pos..])
    }

    /// Moves to the next occurrence of `pattern`, then `skip` bytes into it; false (at the end)
    /// when there is none.
    fn scan_for(&mut self, pattern: &[u8], skip: usize) -> io::Result<bool> {
        loop {
            let available = self.fill_to(pattern.len())?;
            if available.len() < pattern.len() {
                let all = available.len();
                self.consume(all);
                return Ok(false);
            }
            if let Some(at) = memchr::memmem::find(available, pattern) {
                self.consume(at + skip);
                return Ok(true);
            }
            // The last bytes may be the start of a match that the next read completes.
            let passed = available.len() + 1 - pattern.len();
            self.consume(passed);
        }
    }
}

impl<R: Read> Read for Window<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Window<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos == self.buf.len() && !self.eof {
            self.refill()?;
        }
        Ok(&self.buf[self.pos..])
    }

    fn consume(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.buf.len());
    }
}

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

/// A page found in a record.
struct FoundPage {
    html: Vec<u8>,
    url: Option<String>,
    content_type: Option<String>,
    record_id: Option<String>,
    date: Option<String>,
    bytes: u64,
}

/// A record read whole, its framing sound.
enum Record {
    Page(Box<FoundPage>),
    /// A record that should hold a page and cannot give it: why, and its block's size.
    Reject(RejectReason, u64),
    Skip(SkipKind),
}

/// A record whose framing fails: what follows it is not known to be where it should be.
#[derive(Debug)]
enum RecordError {
    /// Reading or decompressing failed.
    Stream(io::Error),
    /// The stream ended inside the record (what was being read is said).
    CutShort(String),
    /// The record is not well formed.
    Malformed(String),
}

/// What a record's WARC header says.
#[derive(Debug, Default)]
struct Header {
    warc_type: String,
    record_id: Option<String>,
    date: Option<String>,
    target_uri: Option<String>,
    content_type: Option<String>,
    content_length: u64,
    truncated: Option<String>,
}

fn read_header(input: &mut dyn BufRead) -> Result<Header, RecordError> {
    let mut budget = MAX_WARC_HEADER;
    let mut line = Vec::new();
    let mut next_line = |line: &mut Vec<u8>| -> Result<(), RecordError> {
        line.clear();
        let read = input
            .take(budget)
            .read_until(b'\n', line)
            .map_err(RecordError::Stream)?;
        budget -= read as u64;
        if line.ends_with(b"\n") {
            Ok(())
        } else if budget == 0 {
            Err(RecordError::Malformed(format!(
                "a WARC header longer than {MAX_WARC_HEADER} bytes"
            )))
        } else {
            Err(RecordError::CutShort("the WARC header is cut short".into()))
        }
    };
    next_line(&mut line)?;
    let version = String::from_utf8_lossy(&line);
    let version = version.trim();
    if version != "WARC/1.0" && version != "WARC/1.1" {
        let shown: String = version.chars().take(20).collect();
        return Err(RecordError::Malformed(format!(
            "a record that is not WARC/1.0 or WARC/1.1 (it starts {shown:?})"
        )));
    }
    let mut header = Header::default();
    let mut length = None;
    let mut last: Option<&'static str> = None;
    loop {
        next_line(&mut line)?;
        let text = String::from_utf8_lossy(&line);
        if text.trim().is_empty() {
            break;
        }
        if text.starts_with([' ', '\t']) {
            // A continuation line (WARC 1.1 section 4 allows them, as HTTP once did).
            if let Some(field) = last {
                append(&mut header, field, text.trim());
            }
            continue;
        }
        let Some((name, value)) = text.split_once(':') else {
            return Err(RecordError::Malformed(format!(
                "a WARC header line without a colon: {:?}",
                text.trim().chars().take(40).collect::<String>()
            )));
        };
        let value = value.trim().to_string();
        let name = name.trim();
        last = None;
        let field = |known: &'static str| name.eq_ignore_ascii_case(known).then_some(known);
        if let Some(known) = field("WARC-Type")
            .or_else(|| field("WARC-Record-ID"))
            .or_else(|| field("WARC-Date"))
            .or_else(|| field("WARC-Target-URI"))
            .or_else(|| field("Content-Type"))
            .or_else(|| field("WARC-Truncated"))
        {
            last = Some(known);
            set(&mut header, known, value);
        } else if name.eq_ignore_ascii_case("Content-Length") {
            match value.parse::<u64>() {
                Ok(n) => length = Some(n),
                Err(_) => {
                    return Err(RecordError::Malformed(format!(
                        "a Content-Length that is not a number: {value:?}"
                    )))
                }
            }
        }
    }
    header.content_length = length
        .ok_or_else(|| RecordError::Malformed("a WARC header without Content-Length".into()))?;
    Ok(header)
}

fn set(header: &mut Header, field: &'static str, value: String) {
    match field {
        "WARC-Type" => header.warc_type = value.to_ascii_lowercase(),
        "WARC-Record-ID" => header.record_id = Some(value),
        "WARC-Date" => header.date = Some(value),
        // WARC/1.0's examples put the URI in angle brackets, and some writers followed them.
        "WARC-Target-URI" => {
            let uri = value.strip_prefix('<').and_then(|v| v.strip_suffix('>'));
            header.target_uri = Some(uri.map_or(value.clone(), str::to_string));
        }
        "Content-Type" => header.content_type = Some(value),
        _ => header.truncated = Some(value),
    }
}

fn append(header: &mut Header, field: &'static str, more: &str) {
    let current = match field {
        "WARC-Type" => Some(&mut header.warc_type),
        "WARC-Record-ID" => header.record_id.as_mut(),
        "WARC-Date" => header.date.as_mut(),
        "WARC-Target-URI" => header.target_uri.as_mut(),
        "Content-Type" => header.content_type.as_mut(),
        _ => header.truncated.as_mut(),
    };
    if let Some(value) = current {
        value.push(' ');
        value.push_str(more);
    }
}

/// Reads `n` bytes past.
fn discard(input: &mut dyn BufRead, n: u64) -> Result<(), RecordError> {
    let passed = io::copy(&mut input.take(n), &mut io::sink()).map_err(RecordError::Stream)?;
    if passed < n {
        return Err(RecordError::CutShort(format!(
            "the record's block of {n} bytes (its Content-Length) ends after {passed}"
        )));
    }
    Ok(())
}

/// Reads `n` more bytes onto `block`, whose whole length is `total`.
fn read_onto(
    input: &mut dyn BufRead,
    block: &mut Vec<u8>,
    n: u64,
    total: u64,
) -> Result<(), RecordError> {
    let before = block.len() as u64;
    let read = input
        .take(n)
        .read_to_end(block)
        .map_err(RecordError::Stream)? as u64;
    if read < n {
        return Err(RecordError::CutShort(format!(
            "the record's block of {total} bytes (its Content-Length) ends after {}",
            before + read
        )));
    }
    Ok(())
}

/// The `CRLF CRLF` that ends a record. At the end of the stream, none or part of it is
/// tolerated; anything else means the Content-Length was wrong.
fn read_record_end(input: &mut dyn BufRead, length: u64) -> Result<(), RecordError> {
    let mut end = Vec::with_capacity(4);
    input
        .take(4)
        .read_to_end(&mut end)
        .map_err(RecordError::Stream)?;
    if end == b"\r\n\r\n" || (end.len() < 4 && b"\r\n\r\n".starts_with(&end)) {
        return Ok(());
    }
    Err(RecordError::Malformed(format!(
        "its Content-Length of {length} bytes does not end where the record does ({:?} follows \
         instead of a blank line)",
        String::from_utf8_lossy(&end)
    )))
}

/// Whether a document without a declared type is HTML, from its first bytes.
fn sniffed_html(bytes: &[u8]) -> bool {
    looks_like_html(&String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]))
}

/// Reads one record, its block and the blank line after it.
fn read_record(input: &mut dyn BufRead, options: &IngestOptions) -> Result<Record, RecordError> {
    let header = read_header(input)?;
    let length = header.content_length;
    let limit = options.max_document_bytes;
    let skip = match header.warc_type.as_str() {
        "response" | "resource" | "conversion" => None,
        "warcinfo" => Some(SkipKind::Warcinfo),
        "request" => Some(SkipKind::Request),
        "metadata" => Some(SkipKind::Metadata),
        "revisit" => Some(SkipKind::Revisit),
        "continuation" => Some(SkipKind::Continuation),
        _ => Some(SkipKind::UnknownType),
    };
    // Each outcome below reads the block (or past it) and the record's end first: a record
    // whose framing fails is an error whatever its content.
    let finish =
        |input: &mut dyn BufRead, record: Record| read_record_end(input, length).map(|()| record);
    if let Some(kind) = skip {
        discard(input, length)?;
        return finish(input, Record::Skip(kind));
    }
    if let Some(why) = &header.truncated {
        discard(input, length)?;
        let reason =
            RejectReason::TruncatedRecord(format!("the crawler marked it WARC-Truncated: {why}"));
        return finish(input, Record::Reject(reason, length));
    }
    let limit_u64 = limit as u64;
    let (html, content_type) = if header.warc_type == "response" {
        let mut block = Vec::new();
        let head_bytes = length.min(MAX_HTTP_HEAD);
        read_onto(input, &mut block, head_bytes, length)?;
        let head = match parse_head(&block) {
            Ok(Parsed::Page(head)) => head,
            Ok(Parsed::Skip(kind)) => {
                discard(input, length - head_bytes)?;
                return finish(input, Record::Skip(kind));
            }
            Ok(Parsed::Partial) => {
                discard(input, length - head_bytes)?;
                let what = if head_bytes == length {
                    format!("the HTTP head runs past the record's Content-Length of {length} bytes")
                } else {
                    format!("an HTTP head longer than {MAX_HTTP_HEAD} bytes")
                };
                return finish(input, Record::Reject(RejectReason::BadRecord(what), length));
            }
            Err(reason) => {
                discard(input, length - head_bytes)?;
                return finish(input, Record::Reject(reason, length));
            }
        };
        let body_length = length - head.len as u64;
        if body_length > limit_u64 {
            discard(input, length - head_bytes)?;
            let reason = RejectReason::TooLarge { limit };
            return finish(input, Record::Reject(reason, length));
        }
        let rest = length - head_bytes;
        block.reserve_exact(usize::try_from(rest).unwrap_or(0));
        read_onto(input, &mut block, rest, length)?;
        read_record_end(input, length)?;
        match decode_body(&head, &block[head.len..], limit) {
            Ok(body) => (body, head.content_type),
            Err(reason) => return Ok(Record::Reject(reason, length)),
        }
    } else {
        if header
            .content_type
            .as_deref()
            .is_some_and(|content_type| !is_html_type(content_type))
        {
            discard(input, length)?;
            return finish(input, Record::Skip(SkipKind::NotHtml));
        }
        if length > limit_u64 {
            discard(input, length)?;
            return finish(
                input,
                Record::Reject(RejectReason::TooLarge { limit }, length),
            );
        }
        let mut block = Vec::with_capacity(usize::try_from(length).unwrap_or(0));
        read_onto(input, &mut block, length, length)?;
        read_record_end(input, length)?;
        (block, header.content_type)
    };
    if content_type.is_none() && !sniffed_html(&html) {
        return Ok(Record::Skip(SkipKind::NotHtml));
    }
    Ok(Record::Page(Box::new(FoundPage {
        html,
        url: header.target_uri,
        content_type,
        record_id: header.record_id,
        date: header.date,
        bytes: length,
    })))
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
    use super::*;
    use crate::document::Document;
    use crate::source::open_reader;
    use std::io::Write;

    /// A record as a WARC writer makes it.
    fn record(warc_type: &str, id: &str, extra: &str, block: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.1\r\nWARC-Type: {warc_type}\r\nWARC-Record-ID: <urn:uuid:{id}>\r\n\
             WARC-Date: 2026-01-01T00:00:00Z\r\n{extra}Content-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        out.extend_from_slice(block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    fn http(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {status}\r\n{headers}\r\n").into_bytes();
        out.extend_from_slice(body);
        out
    }

    fn page(words: &str) -> Vec<u8> {
        format!(
            "<!DOCTYPE html><html><head><title>{words}</title></head><body><p>{words} \
                 happened today in the town.</p></body></html>"
        )
        .into_bytes()
    }

    fn response(id: &str, url: &str, headers: &str, body: &[u8]) -> Vec<u8> {
        record(
            "response",
            id,
            &format!(
                "WARC-Target-URI: {url}\r\nContent-Type: application/http; msgtype=response\r\n"
            ),
            &http("200 OK", headers, body),
        )
    }

    fn html_response(id: &str, words: &str) -> Vec<u8> {
        response(
            id,
            &format!("https://example.com/{id}"),
            "Content-Type: text/html; charset=utf-8\r\n",
            &page(words),
        )
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    /// A `.warc.gz` of one member per record, and each member's offset.
    fn members(records: &[Vec<u8>]) -> (Vec<u8>, Vec<u64>) {
        let mut file = Vec::new();
        let mut offsets = Vec::new();
        for record in records {
            offsets.push(file.len() as u64);
            file.extend_from_slice(&gzip(record));
        }
        (file, offsets)
    }

    fn read_with(
        name: &str,
        bytes: Vec<u8>,
        options: IngestOptions,
        offset: u64,
    ) -> (Vec<Item>, RecordSkips) {
        let options = Arc::new(options);
        let items = open_reader(
            name.into(),
            Box::new(io::Cursor::new(bytes)),
            1,
            offset,
            &options,
        )
        .map(RawItem::parse)
        .collect();
        (items, options.skips.clone())
    }

    fn read(name: &str, bytes: Vec<u8>) -> (Vec<Item>, RecordSkips) {
        read_with(name, bytes, IngestOptions::new(), 0)
    }

    /// `id` for documents, `kind@source` for rejects.
    fn summary(items: &[Item]) -> Vec<String> {
        items
            .iter()
            .map(|item| match item {
                Item::Document(doc) => doc.id.clone(),
                Item::Rejected(r) => format!("{}@{}", r.reason.kind(), r.source),
            })
            .collect()
    }

    fn document(item: &Item) -> &Document {
        match item {
            Item::Document(doc) => doc,
            Item::Rejected(r) => panic!("{r:?}"),
        }
    }

    fn every_kind() -> Vec<Vec<u8>> {
        vec![
            record("warcinfo", "w", "Content-Type: application/warc-fields\r\n", b"software: test\r\n"),
            record("request", "q", "WARC-Target-URI: https://example.com/a\r\n", b"GET /a HTTP/1.1\r\n\r\n"),
            html_response("a", "Floods"),
            response("png", "https://example.com/p.png", "Content-Type: image/png\r\n", b"\x89PNG\r\n\x1a\n\0\0"),
            record("response", "moved", "", &http("301 Moved Permanently", "Location: /b\r\nContent-Type: text/html\r\n", b"<html>moved</html>")),
            record("metadata", "m", "", b"fetchTimeMs: 12\r\n"),
            record("revisit", "r", "WARC-Profile: http://netpreserve.org/warc/1.1/revisit/identical-payload-digest\r\n", b""),
            record("resource", "b", "WARC-Target-URI: file:///b.html\r\nContent-Type: text/html\r\n", &page("Storms")),
            record("conversion", "c", "", &page("Heat")),
            record("resource", "txt", "Content-Type: text/plain\r\n", b"plain text"),
            record("continuation", "k", "", b"more"),
            record("newtype", "n", "", b""),
        ]
    }

    #[test]
    fn records_become_pages_or_counted_skips() {
        let records = every_kind();
        let (file, offsets) = members(&records);
        let (items, skips) = read("crawl.warc.gz", file);
        assert_eq!(summary(&items), ["a", "b", "c"]);
        let a = document(&items[0]);
        assert_eq!(a.source, format!("crawl.warc.gz@{}", offsets[2]));
        assert_eq!(a.format, Format::Warc);
        assert_eq!(a.compression, Some(Compression::Gzip));
        assert!(a.text.contains("Floods happened today"), "{}", a.text);
        let info = a.page.as_ref().unwrap();
        assert_eq!(info.url.as_deref(), Some("https://example.com/a"));
        assert_eq!(info.warc_record_id.as_deref(), Some("<urn:uuid:a>"));
        assert_eq!(info.warc_date.as_deref(), Some("2026-01-01T00:00:00Z"));
        assert_eq!(
            document(&items[1]).source,
            format!("crawl.warc.gz@{}", offsets[7])
        );
        let counts: Vec<(&str, u64)> = skips.counts().into_iter().collect();
        assert_eq!(
            counts,
            [
                ("continuation", 1),
                ("http_status", 1),
                ("metadata", 1),
                ("not_html", 2),
                ("request", 1),
                ("revisit", 1),
                ("unknown_type", 1),
                ("warcinfo", 1),
            ]
        );
        assert_eq!(skips.total() + items.len() as u64, records.len() as u64);

        // The same records uncompressed, and as one gzip stream: the same pages.
        let plain: Vec<u8> = records.concat();
        let (items, skips) = read("crawl.warc", plain.clone());
        assert_eq!(summary(&items), ["a", "b", "c"]);
        let start: usize = records[..2].iter().map(Vec::len).sum();
        assert_eq!(document(&items[0]).source, format!("crawl.warc@{start}"));
        assert_eq!(skips.total(), 9);
        let (items, _) = read("crawl.warc.gz", gzip(&plain));
        assert_eq!(summary(&items), ["a", "b", "c"]);
        assert_eq!(document(&items[1]).source, "crawl.warc.gz@0#7");
        // Extra line ends after a record in its member are no damage.
        let padded: Vec<Vec<u8>> = records
            .iter()
            .map(|record| [record.as_slice(), b"\r\n\r\n"].concat())
            .collect();
        let (items, skips) = read("crawl.warc.gz", members(&padded).0);
        assert_eq!(summary(&items), ["a", "b", "c"]);
        assert_eq!(skips.total(), 9);
        // Sniffed, whatever the name; zstd too.
        let (items, _) = read("dump", zstd::encode_all(&plain[..], 1).unwrap());
        assert_eq!(summary(&items), ["a", "b", "c"]);
    }

    #[test]
    fn http_bodies_are_decoded() {
        let body = page("Chunks");
        let mut chunked = Vec::new();
        let gz = gzip(&body);
        for chunk in gz.chunks(100) {
            chunked.extend_from_slice(format!("{:X}\r\n", chunk.len()).as_bytes());
            chunked.extend_from_slice(chunk);
            chunked.extend_from_slice(b"\r\n");
        }
        chunked.extend_from_slice(b"0\r\n\r\n");
        let mut brotli = Vec::new();
        brotli::BrotliCompress(&mut &body[..], &mut brotli, &Default::default()).unwrap();
        let records = [
            response(
                "chunked",
                "https://example.com/c",
                "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n",
                &chunked,
            ),
            response("br", "https://example.com/b", "Content-Type: text/html\r\nContent-Encoding: br\r\n", &brotli),
            // No type: sniffed from the body.
            response("untyped", "https://example.com/u", "", &body),
            response("untyped-png", "https://example.com/p", "", b"\x89PNG\r\n\x1a\n"),
            response("bad-gzip", "https://example.com/g", "Content-Type: text/html\r\nContent-Encoding: gzip\r\n", b"not gzip at all"),
        ];
        let (file, offsets) = members(&records);
        let (items, skips) = read("x.warc.gz", file);
        assert_eq!(
            summary(&items),
            [
                "chunked".to_string(),
                "br".to_string(),
                "untyped".to_string(),
                format!("bad_http_body@x.warc.gz@{}", offsets[4])
            ]
        );
        for item in &items[..3] {
            assert!(document(item).text.contains("Chunks happened"));
        }
        assert_eq!(skips.counts().get("not_html"), Some(&1));
    }

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
    fn large_records_are_rejected_without_being_held() {
        let big = html_response("big", &"word ".repeat(2000));
        let records = [
            html_response("a", "Small"),
            big,
            html_response("b", "Small"),
        ];
        let (file, offsets) = members(&records);
        let options = IngestOptions::new().max_document_bytes(1000);
        let (items, _) = read_with("x.warc.gz", file, options, 0);
        assert_eq!(
            summary(&items),
            [
                "a".to_string(),
                format!("too_large@x.warc.gz@{}", offsets[1]),
                "b".into()
            ]
        );
        // A gzip bomb in the HTTP body is stopped at the limit.
        let bomb = response(
            "bomb",
            "https://example.com/z",
            "Content-Type: text/html\r\nContent-Encoding: gzip\r\n",
            &gzip(&vec![b' '; 1 << 20]),
        );
        let (items, _) = read_with(
            "x.warc",
            bomb,
            IngestOptions::new().max_document_bytes(5000),
            0,
        );
        assert_eq!(summary(&items), ["too_large@x.warc@0"]);
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

    #[test]
    fn scanning_finds_patterns_across_reads() {
        // One byte per read: every match straddles reads.
        struct Slow(io::Cursor<Vec<u8>>);
        impl Read for Slow {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = buf.len().min(1);
                self.0.read(&mut buf[..n])
            }
        }
        let mut bytes = vec![b'x'; 3 * WINDOW];
        bytes.extend_from_slice(b"\nWARC/1.1\r\n");
        let mut window = Window::new(Box::new(Slow(io::Cursor::new(bytes))), 10);
        assert!(window.scan_for(RECORD_START, 1).unwrap());
        assert_eq!(window.offset(), 10 + 3 * WINDOW as u64 + 1);
        assert!(window.fill_to(8).unwrap().starts_with(b"WARC/1.1"));
        // Going back is possible within the window, and no further.
        window.seek_to(10);
        assert!(window.offset() > 10 + WINDOW as u64);
        assert!(!window.scan_for(b"absent", 0).unwrap());
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
