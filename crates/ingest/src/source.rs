//! One input stream to items: decompression and format detection, then the documents in it.

use std::borrow::Cow;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::Path;
use std::sync::Arc;

use crate::compressed::{is_trailing_data, Decompressed};
use crate::csv::CsvRows;
use crate::decode::{decode_document, decode_wide, sniff_wide, Utf32Reader};
use crate::document::{
    Compression, Document, Encoding, Format, Item, RawItem, RejectReason, Rejected,
};
use crate::header::parse_article;
use crate::json::{item_from_json, next_value, read_capped_line, ArraySplitter, Element, Origin};
use crate::options::IngestOptions;
use crate::page::{looks_like_html, PageItem};
use crate::warc::{is_gzipped_warc, is_warc, Context, WarcRecords, Window};

/// The items of one input, produced lazily.
pub type Items = Box<dyn Iterator<Item = RawItem> + Send>;

/// Bytes looked at to recognize compression, encoding and format.
const PEEK_BYTES: u64 = 8192;

const GZIP_MAGIC: &[u8] = &[0x1F, 0x8B];
const ZSTD_MAGIC: &[u8] = &[0x28, 0xB5, 0x2F, 0xFD];
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
/// The first (and last) four bytes of an Apache Parquet file.
pub const PARQUET_MAGIC: &[u8] = b"PAR1";

/// Opens a file and yields its items; a file that cannot be opened yields one reject.
pub fn open_path(path: &Path, options: &Arc<IngestOptions>) -> Items {
    let name = path.display().to_string();
    if crate::fifo::is_fifo(path) {
        // Read as a stream, like standard input, once its writer is there.
        return match crate::fifo::open_fifo(path, options.stop.as_ref()) {
            Ok(Some(fifo)) => open_reader(name, counted(fifo, options), 1, 0, options),
            Ok(None) => single_reject(name, RejectReason::NoWriter, 0),
            Err(err) => single_reject(name, RejectReason::Io(err.to_string()), 0),
        };
    }
    match std::fs::File::open(path) {
        Ok(mut file) => {
            // Parquet is read from its footer: only here, where the input is a file.
            match crate::parquet::starts_with_magic(&mut file) {
                Ok(true) => return crate::parquet::open(file, name, options),
                Ok(false) => {}
                Err(err) => return single_reject(name, RejectReason::Io(err.to_string()), 0),
            }
            let size = file.metadata().ok().map(|metadata| metadata.len());
            open_sized_reader(name, counted(file, options), 1, 0, options, size)
        }
        Err(err) => single_reject(name, RejectReason::Io(err.to_string()), 0),
    }
}

/// An input's reader, counting its bytes when the caller asked for it.
pub(crate) fn counted(
    file: impl Read + Send + 'static,
    options: &IngestOptions,
) -> Box<dyn Read + Send> {
    match &options.bytes_read {
        Some(counter) => Box::new(crate::counted::Counted::new(file, Arc::clone(counter))),
        None => Box::new(file),
    }
}

/// Yields the items of an open stream named `name` (a path, or `-` for standard input) whose
/// first line or array element is number `first`, and whose first byte is at `first_offset`
/// in its file (for WARC record offsets).
pub fn open_reader(
    name: String,
    reader: Box<dyn Read + Send>,
    first: u64,
    first_offset: u64,
    options: &Arc<IngestOptions>,
) -> Items {
    open_sized_reader(name, reader, first, first_offset, options, None)
}

/// [`open_reader`] for a stream whose size in bytes is known (a file's length): a one-document
/// file is then read into a buffer of its size, allocated once.
fn open_sized_reader(
    name: String,
    reader: Box<dyn Read + Send>,
    first: u64,
    first_offset: u64,
    options: &Arc<IngestOptions>,
    size: Option<u64>,
) -> Items {
    let (head, reader) = match peek(reader) {
        Ok(peeked) => peeked,
        Err(err) => return single_reject(name, RejectReason::Io(err.to_string()), 0),
    };
    // A WARC is recognized before anything else: a `.warc.gz` is read member by member from
    // its compressed bytes, so it must not go through the whole-stream decompression below.
    let warc_context = |compression| Context {
        name: name.clone(),
        compression,
        options: Arc::clone(options),
        skips: options.skips.clone(),
    };
    if head.starts_with(GZIP_MAGIC) && is_gzipped_warc(&head) {
        let window = Window::new(reader, first_offset);
        return Box::new(WarcRecords::gzip(
            warc_context(Some(Compression::Gzip)),
            window,
        ));
    }
    if is_warc(&head) {
        let window = Window::new(reader, first_offset);
        return Box::new(WarcRecords::plain(warc_context(None), window));
    }
    let compression = if head.starts_with(GZIP_MAGIC) {
        Some(Compression::Gzip)
    } else if head.starts_with(ZSTD_MAGIC) {
        Some(Compression::Zstd)
    } else {
        None
    };
    let (head, reader) = match compression {
        Some(compression) => {
            // Damage anywhere, even within the first bytes looked at here, is an error only
            // where it is met: everything decoded before it is kept.
            let decoded =
                Decompressed::new(compression, reader).and_then(|decoder| peek(Box::new(decoder)));
            match decoded {
                Ok(peeked) => peeked,
                Err(err) => {
                    return single_reject(name, RejectReason::CorruptStream(err.to_string()), 0)
                }
            }
        }
        None => (head, reader),
    };
    if head.is_empty() {
        return single_reject(name, RejectReason::Empty, 0);
    }
    if compression == Some(Compression::Zstd) && is_warc(&head) {
        // Offsets are then in the decompressed stream: zstd frames are not records.
        let window = Window::new(reader, first_offset);
        return Box::new(WarcRecords::plain(warc_context(compression), window));
    }
    if head.starts_with(PARQUET_MAGIC) {
        // A Parquet file is read from its footer up (`open_path`), which a stream has not got.
        return single_reject(name, RejectReason::NotSeekable, 0);
    }
    let wide = sniff_wide(&head);
    let format = detect_format(&name, &head, wide);
    let stream = Arc::new(Stream {
        name,
        compression,
        options: Arc::clone(options),
    });
    match format {
        // WARCs were recognized above, before decompression: detect_format never gives one.
        Format::Text | Format::Markdown | Format::Html | Format::Warc => {
            // Compressed, the file's length says nothing of the text's.
            let size = size.filter(|_| stream.compression.is_none());
            stream.one_document(reader, format, size)
        }
        Format::Csv | Format::Tsv => {
            let reader = BufReader::with_capacity(1 << 16, text_stream(reader, &head, wide));
            Box::new(CsvRows::new(
                stream.name.clone(),
                format,
                stream.compression,
                wide,
                Arc::clone(&stream.options),
                reader,
                first,
            ))
        }
        // Parquet files were read by `open_path`, and streams that are one rejected above.
        Format::Parquet => single_reject(stream.name.clone(), RejectReason::NotSeekable, 0),
        Format::JsonLines | Format::JsonArray => {
            let reader = text_stream(reader, &head, wide);
            let reader = BufReader::with_capacity(1 << 16, reader);
            if format == Format::JsonLines {
                Box::new(JsonLines {
                    stream,
                    reader,
                    // `next` counts up before reading.
                    line: first.saturating_sub(1),
                    buf: Vec::new(),
                    wide,
                    done: false,
                })
            } else {
                let splitter = ArraySplitter::new();
                Box::new(JsonArray {
                    stream,
                    reader,
                    splitter,
                    first,
                    index: first.saturating_sub(1),
                    buf: Vec::new(),
                    wide,
                    done: false,
                })
            }
        }
    }
}

/// A text stream as UTF-8: transcoded from UTF-16 or UTF-32 if `wide` says so, else without
/// its UTF-8 byte order mark, which is not part of the first line or element. `head` is the
/// stream's first bytes.
fn text_stream(
    reader: Box<dyn Read + Send>,
    head: &[u8],
    wide: Option<Encoding>,
) -> Box<dyn Read + Send> {
    match wide {
        Some(Encoding::Utf32Le) => Box::new(Utf32Reader::new(reader, false)),
        Some(Encoding::Utf32Be) => Box::new(Utf32Reader::new(reader, true)),
        Some(encoding) => {
            let codec = if encoding == Encoding::Utf16Be {
                encoding_rs::UTF_16BE
            } else {
                encoding_rs::UTF_16LE
            };
            Box::new(
                encoding_rs_io::DecodeReaderBytesBuilder::new()
                    .encoding(Some(codec))
                    .build(reader),
            )
        }
        None => {
            let mut reader = reader;
            if head.starts_with(UTF8_BOM) {
                // Still within the bytes peeked at, so it cannot fail.
                let _ = reader.read_exact(&mut [0; UTF8_BOM.len()]);
            }
            reader
        }
    }
}

fn single_reject(source: String, reason: RejectReason, bytes: u64) -> Items {
    Box::new(std::iter::once(RawItem::from(Item::Rejected(Rejected {
        source,
        reason,
        bytes,
    }))))
}

/// Reads the first bytes and gives back a reader that still starts at the beginning. An error
/// after some bytes were read is kept for the reader to return after them: it fails here only
/// when nothing could be read.
fn peek(mut reader: Box<dyn Read + Send>) -> io::Result<(Vec<u8>, Box<dyn Read + Send>)> {
    let mut head = Vec::with_capacity(PEEK_BYTES as usize);
    let error = reader
        .by_ref()
        .take(PEEK_BYTES)
        .read_to_end(&mut head)
        .err();
    if let Some(err) = error.as_ref().filter(|_| head.is_empty()) {
        return Err(io::Error::new(err.kind(), err.to_string()));
    }
    let replay = Cursor::new(head.clone());
    let reader: Box<dyn Read + Send> = match error {
        // std's Chain passes `read_buf` on to the file or cursor behind it, so the line reader's
        // buffer is not zeroed first (64 KiB per input, a quarter of the time of a small file).
        None => Box::new(replay.chain(reader)),
        Some(error) => Box::new(replay.chain(FailOnce {
            error: Some(error),
            rest: reader,
        })),
    };
    Ok((head, reader))
}

/// The error met while peeking, then the rest of the stream.
struct FailOnce {
    error: Option<io::Error>,
    rest: Box<dyn Read + Send>,
}

impl Read for FailOnce {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.error.take() {
            Some(err) => Err(err),
            None => self.rest.read(buf),
        }
    }
}

/// From the extension (inside any compression extension), else from the first bytes, decoded
/// as `wide` says.
fn detect_format(name: &str, head: &[u8], wide: Option<Encoding>) -> Format {
    let lower = name.to_ascii_lowercase();
    let inner = ["gz", "zst", "zstd", "gzip"]
        .iter()
        .find_map(|ext| lower.strip_suffix(&format!(".{ext}")))
        .unwrap_or(&lower);
    let extension = inner.rsplit_once('.').map(|(_, ext)| ext).unwrap_or("");
    let text = match wide {
        Some(encoding) => Cow::Owned(decode_wide(head, encoding).0),
        None => String::from_utf8_lossy(head),
    };
    // A page is a page whatever its name: nothing else starts with a doctype or `<html>`.
    if looks_like_html(&text) {
        return Format::Html;
    }
    match extension {
        // CSV cannot be told from text by its bytes (any text is a one-column CSV): only by
        // its name.
        "csv" => return Format::Csv,
        "tsv" | "tab" => return Format::Tsv,
        "jsonl" | "ndjson" => return Format::JsonLines,
        "md" | "markdown" => return Format::Markdown,
        "txt" | "text" => return Format::Text,
        _ => {}
    }
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if let Some(after) = trimmed.strip_prefix('[') {
        let after = after.trim_start();
        // A `.json` file that starts with a bracket is an array whatever its first element; a
        // file without that extension must show it is one (a text may start `[Reuters]`).
        if after.starts_with(['{', ']']) || extension == "json" || array_of_objects(after) {
            return Format::JsonArray;
        }
    }
    if trimmed.starts_with('{') {
        // A text article may start with a brace; JSON Lines starts with a whole object.
        let first_line = trimmed.lines().next().unwrap_or("");
        let complete_line = trimmed.len() > first_line.len();
        if !complete_line || serde_json::from_str::<serde_json::Value>(first_line).is_ok() {
            return Format::JsonLines;
        }
    }
    if extension == "json" {
        return Format::JsonLines;
    }
    // A `.html` file that is not JSON (above) is a page, even a fragment without `<html>`.
    if extension == "html" || extension == "htm" {
        return Format::Html;
    }
    Format::Text
}

/// Whether `elements` (what follows the `[` of the first bytes) starts like a JSON array with
/// an object among its first elements: each element parses and is followed by `,` or `]`, up
/// to the end of the array or of the bytes looked at.
#[inline(never)]
fn array_of_objects(elements: &str) -> bool {
    let mut rest = elements;
    let mut objects = false;
    loop {
        match next_value::<serde_json::Value>(rest) {
            Ok((value, after)) => {
                objects |= value.is_object();
                rest = after.trim_start();
            }
            // The first bytes may end inside an element.
            Err(eof) => return eof && objects,
        }
        if let Some(after) = rest.strip_prefix(',') {
            rest = after;
        } else {
            return objects && (rest.is_empty() || rest.starts_with(']'));
        }
    }
}

/// What every document of one stream shares.
#[derive(Debug)]
struct Stream {
    name: String,
    compression: Option<Compression>,
    options: Arc<IngestOptions>,
}

impl Stream {
    fn stream_error(&self, err: &io::Error) -> RejectReason {
        match self.compression {
            Some(_) => RejectReason::CorruptStream(err.to_string()),
            None => RejectReason::Io(err.to_string()),
        }
    }

    /// A whole text or Markdown file is one article.
    fn one_document(
        &self,
        reader: Box<dyn Read + Send>,
        format: Format,
        size: Option<u64>,
    ) -> Items {
        let limit = self.options.max_document_bytes;
        let mut reader = reader;
        // Reading into a buffer that doubles as it fills would, for a document near the limit,
        // touch about twice its size; an allocator that copies on growth makes that worse.
        let capacity = size.map_or(0, |size| size.min(limit as u64));
        let mut bytes = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
        let mut read = reader.by_ref().take(limit as u64).read_to_end(&mut bytes);
        // One byte past the limit tells a document over it. It is read on its own: reading it
        // into `bytes` would grow a buffer of exactly the limit to twice the limit.
        let mut past_limit = Vec::new();
        if read.is_ok() && bytes.len() == limit {
            read = reader.take(1).read_to_end(&mut past_limit);
        }
        let size = (bytes.len() + past_limit.len()) as u64;

        // Data after the last complete compressed member leaves the document whole: it is kept,
        // and the data rejected beside it.
        let mut trailing = None;
        match read {
            Err(err) if is_trailing_data(&err) => trailing = Some(err),
            Err(err) => return single_reject(self.name.clone(), self.stream_error(&err), size),
            Ok(_) => {}
        }
        let document = self.whole_document(bytes, past_limit, format, size);
        let Some(err) = trailing else {
            return document;
        };
        let reject = RawItem::from(Item::Rejected(Rejected {
            source: self.name.clone(),
            reason: self.stream_error(&err),
            bytes: 0,
        }));
        Box::new(document.chain(std::iter::once(reject)))
    }

    /// An HTML file read whole: its page, extracted when the item is parsed.
    fn page(&self, html: Vec<u8>, size: u64) -> Items {
        Box::new(std::iter::once(RawItem::page(PageItem {
            html,
            url: None,
            content_type: None,
            id: file_stem(&self.name),
            source: self.name.clone(),
            format: Format::Html,
            compression: self.compression,
            bytes: size,
            warc: None,
            json: None,
        })))
    }

    /// A text or Markdown document read whole: its item.
    fn whole_document(
        &self,
        bytes: Vec<u8>,
        past_limit: Vec<u8>,
        format: Format,
        size: u64,
    ) -> Items {
        let limit = self.options.max_document_bytes;
        if !past_limit.is_empty() {
            return single_reject(self.name.clone(), RejectReason::TooLarge { limit }, size);
        }
        if format == Format::Html {
            return self.page(bytes, size);
        }
        let decoded = match decode_document(&bytes) {
            Ok(decoded) => decoded,
            Err(reason) => return single_reject(self.name.clone(), reason, size),
        };
        let article = parse_article(&decoded.text, format == Format::Markdown);
        if article.body.trim().is_empty() {
            return single_reject(self.name.clone(), RejectReason::Empty, size);
        }
        let document = Document {
            id: file_stem(&self.name),
            source: self.name.clone(),
            title: article.title,
            subtitle: article.subtitle,
            text: article.body,
            date: article.date,
            metadata: article.metadata,
            format,
            compression: self.compression,
            encoding: decoded.encoding,
            replaced_invalid: decoded.replaced,
            bytes: size,
            page: None,
        };
        Box::new(std::iter::once(RawItem::from(Item::Document(document))))
    }

    fn origin(&self, object: &JsonObject) -> Origin<'_> {
        Origin {
            source: format!("{}:{}", self.name, object.number),
            format: object.format,
            compression: self.compression,
            stream_encoding: object.wide,
            options: &self.options,
            line: object.line,
            column: object.column,
        }
    }
}

/// The bytes of one JSON object (a JSON Lines line or an array element), parsed into its item
/// later, possibly on another thread.
#[derive(Debug)]
pub struct JsonObject {
    pub bytes: Vec<u8>,
    stream: Arc<Stream>,
    number: u64,
    format: Format,
    wide: Option<Encoding>,
    /// Where its first byte is in the (decoded) file: line from 1, bytes before it on the line.
    line: u64,
    column: u64,
}

impl JsonObject {
    pub fn parse(self) -> Item {
        item_from_json(&self.bytes, self.stream.origin(&self))
    }
}

/// The file name without its directory and without format and compression extensions.
fn file_stem(name: &str) -> String {
    let file = Path::new(name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned());
    let mut stem = file.unwrap_or_else(|| name.to_string());
    for ext in [".gz", ".gzip", ".zst", ".zstd"] {
        if let Some(s) = stem.strip_suffix(ext) {
            stem = s.to_string();
        }
    }
    match stem.rsplit_once('.') {
        Some((base, _)) if !base.is_empty() => base.to_string(),
        _ => stem,
    }
}

struct JsonLines {
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

struct JsonArray {
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
    use std::io::Write;

    fn items(name: &str, bytes: Vec<u8>) -> Vec<Item> {
        open_reader(
            name.to_string(),
            Box::new(Cursor::new(bytes)),
            1,
            0,
            &Arc::new(IngestOptions::new()),
        )
        .map(RawItem::parse)
        .collect()
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    fn lines(n: usize) -> String {
        (0..n)
            .map(|i| format!("{{\"id\": \"d{i}\", \"text\": \"Story number {i} is here.\"}}\n"))
            .collect()
    }

    #[test]
    fn compression_is_detected_from_bytes_not_names() {
        let plain = lines(3);
        for (name, bytes) in [
            ("dump.jsonl.gz", gzip(plain.as_bytes())),
            ("dump.bin", gzip(plain.as_bytes())),
            ("dump.data", zstd::encode_all(plain.as_bytes(), 3).unwrap()),
        ] {
            let items = items(name, bytes);
            assert_eq!(items.len(), 3, "{name}");
            let Item::Document(doc) = &items[2] else {
                panic!("{name}: {:?}", items[2])
            };
            assert_eq!(doc.id, "d2");
            assert!(doc.compression.is_some());
        }
    }

    #[test]
    fn truncated_gzip_keeps_what_came_before() {
        let compressed = gzip(lines(2000).as_bytes());
        let cut = items("cut.jsonl.gz", compressed[..compressed.len() / 2].to_vec());
        let documents = cut
            .iter()
            .filter(|i| matches!(i, Item::Document(_)))
            .count();
        assert!(documents > 10 && documents < 2000, "{documents}");
        let Some(Item::Rejected(last)) = cut.last() else {
            panic!()
        };
        assert!(
            matches!(last.reason, RejectReason::CorruptStream(_)),
            "{last:?}"
        );
        let mut corrupted = gzip(lines(50).as_bytes());
        let middle = corrupted.len() / 2;
        corrupted[middle] ^= 0xFF;
        let items = items("bad.jsonl.gz", corrupted);
        assert!(items.iter().any(
            |i| matches!(i, Item::Rejected(r) if matches!(r.reason, RejectReason::CorruptStream(_)))
        ));
    }

    #[test]
    fn formats_are_sniffed_without_extensions() {
        let array = items(
            "dump",
            b"[{\"id\": 1, \"text\": \"one two three\"}, {\"id\": 2, \"text\": \"four\"}]".to_vec(),
        );
        assert_eq!(array.len(), 2);
        assert!(
            matches!(&array[1], Item::Document(d) if d.format == Format::JsonArray && d.id == "2")
        );
        let text = items(
            "story",
            b"{Editor's note} The council met today and voted.\nMore text.".to_vec(),
        );
        assert!(matches!(&text[0], Item::Document(d) if d.format == Format::Text));
        let lines = items("dump.json", lines(2).into_bytes());
        assert_eq!(lines.len(), 2);
    }

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
    fn utf16_json_lines_are_transcoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in lines(2).encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let items = items("wide.jsonl", bytes);
        assert_eq!(items.len(), 2);
        assert!(
            matches!(&items[0], Item::Document(d) if d.encoding == Encoding::Utf16Le && d.text.starts_with("Story"))
        );
    }

    fn ids(items: &[Item]) -> Vec<String> {
        items
            .iter()
            .map(|item| match item {
                Item::Document(doc) => doc.id.clone(),
                Item::Rejected(r) => format!("rejected {}", r.source),
            })
            .collect()
    }

    /// Issue 14, item 5: damage within the first bytes looked at used to lose the whole file.
    #[test]
    fn small_compressed_files_keep_what_precedes_damage() {
        let plain = lines(5);
        let all: Vec<String> = (0..5).map(|i| format!("d{i}")).collect();
        for (name, whole) in [
            ("x.jsonl.gz", gzip(plain.as_bytes())),
            (
                "x.jsonl.zst",
                zstd::encode_all(plain.as_bytes(), 3).unwrap(),
            ),
        ] {
            let mut padded = whole.clone();
            padded.extend_from_slice(&[0; 64]);
            assert_eq!(ids(&items(name, padded)), all, "{name}");
            let mut garbage = whole.clone();
            garbage.extend_from_slice(b"garbage");
            let items = items(name, garbage);
            assert_eq!(ids(&items[..5]), all, "{name}");
            let Item::Rejected(last) = &items[5] else {
                panic!("{items:?}")
            };
            assert_eq!(last.source, format!("{name}:6"));
            assert!(
                last.reason.to_string().contains(&format!(
                    "at compressed byte {} (at decompressed byte {})",
                    whole.len(),
                    plain.len()
                )),
                "{}",
                last.reason
            );
        }
        // Cut inside the compressed data: the lines before the cut, then one reject.
        let whole = gzip(plain.as_bytes());
        let cut = items("x.jsonl.gz", whole[..whole.len() - 10].to_vec());
        assert!(cut.len() >= 4, "{cut:?}");
        let (last, kept) = cut.split_last().unwrap();
        assert!(kept.iter().all(|i| matches!(i, Item::Document(_))));
        assert!(
            matches!(last, Item::Rejected(r) if matches!(r.reason, RejectReason::CorruptStream(_)))
        );
        // A one-document file is whole when only data after its last member is bad: kept.
        let mut story = gzip(b"Title\n\nThe council met today.");
        story.extend_from_slice(b"junk");
        let items = items("story.txt.gz", story);
        assert!(
            matches!(&items[..], [Item::Document(d), Item::Rejected(r)] if d.text.ends_with("The council met today.") && r.source == "story.txt.gz"),
            "{items:?}"
        );
        // Nothing decodes at all: one reject for the file, as before.
        assert!(matches!(
            &self::items("x.gz", vec![0x1F, 0x8B, 0, 0, 0])[..],
            [Item::Rejected(r)] if r.source == "x.gz"
        ));
    }

    /// Item 6.
    #[test]
    fn a_utf8_bom_is_not_part_of_the_first_record() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(lines(2).as_bytes());
        for (name, bytes) in [
            ("x.jsonl", bytes.clone()),
            ("x", bytes.clone()),
            ("x.jsonl.gz", gzip(&bytes)),
        ] {
            assert_eq!(ids(&items(name, bytes)), ["d0", "d1"], "{name}");
        }
        let mut array = b"\xEF\xBB\xBF".to_vec();
        array.extend_from_slice(b"[{\"id\": \"a\", \"text\": \"x\"}]");
        assert_eq!(ids(&items("x.json", array)), ["a"]);
    }

    /// Item 12.
    #[test]
    fn an_array_is_an_array_whatever_its_first_element() {
        let array =
            b"[1, {\"id\": \"a\", \"text\": \"x\"},\n \"s\", {\"id\": \"b\", \"text\": \"y\"}]";
        for name in ["x.json", "x", "x.json.gz"] {
            let bytes = if name.ends_with(".gz") {
                gzip(array)
            } else {
                array.to_vec()
            };
            let items = items(name, bytes);
            assert_eq!(
                ids(&items),
                [
                    format!("rejected {name}:1"),
                    "a".into(),
                    format!("rejected {name}:3"),
                    "b".into()
                ],
                "{name}"
            );
        }
        // Without the extension, a text that starts with a bracket is still a text.
        for text in [
            &b"[Reuters] The council met today."[..],
            b"[1] A note before the story.\n\nThe story.",
            b"[1, 2, 3] are the numbers drawn.",
        ] {
            assert!(
                matches!(&items("story", text.to_vec())[..], [Item::Document(d)] if d.format == Format::Text),
                "{text:?}"
            );
        }
    }

    /// Item 13, and UTF-32.
    #[test]
    fn wide_json_is_read_in_its_byte_order() {
        let array = "[{\"id\": \"a\", \"text\": \"Caf\u{e9}\"}, {\"id\": \"b\", \"text\": \"y\"}]";
        let jsonl = lines(2);
        type Encode = fn(&str) -> Vec<u8>;
        let encodings: [(Encoding, Encode); 3] = [
            (Encoding::Utf16Be, |t| {
                t.encode_utf16().flat_map(u16::to_be_bytes).collect()
            }),
            (Encoding::Utf32Le, |t| {
                t.chars().flat_map(|c| (c as u32).to_le_bytes()).collect()
            }),
            (Encoding::Utf32Be, |t| {
                t.chars().flat_map(|c| (c as u32).to_be_bytes()).collect()
            }),
        ];
        for (encoding, encode) in encodings {
            for bom in ["", "\u{feff}"] {
                for name in ["x.json", "x"] {
                    let items = items(name, encode(&format!("{bom}{array}")));
                    assert_eq!(ids(&items), ["a", "b"], "{encoding} {name} {bom:?}");
                    assert!(
                        matches!(&items[0], Item::Document(d) if d.text == "Caf\u{e9}" && d.encoding == encoding && d.format == Format::JsonArray)
                    );
                }
                for name in ["x.jsonl", "x"] {
                    let items = items(name, encode(&format!("{bom}{jsonl}")));
                    assert_eq!(ids(&items), ["d0", "d1"], "{encoding} {name} {bom:?}");
                    assert!(
                        matches!(&items[1], Item::Document(d) if d.encoding == encoding && d.format == Format::JsonLines)
                    );
                }
            }
        }
    }

    #[test]
    fn one_document_files() {
        let items = items(
            "dir/story.md",
            b"# Floods\n\nRivers rose overnight in the north.".to_vec(),
        );
        let Item::Document(doc) = &items[0] else {
            panic!()
        };
        assert_eq!(
            (doc.id.as_str(), doc.source.as_str()),
            ("story", "dir/story.md")
        );
        assert_eq!(doc.title.as_deref(), Some("Floods"));
        assert_eq!(doc.format, Format::Markdown);
        assert!(
            matches!(&self::items("empty.txt", Vec::new())[0], Item::Rejected(r) if r.reason == RejectReason::Empty)
        );
        assert!(
            matches!(&self::items("blank.txt", b" \n\n ".to_vec())[0], Item::Rejected(r) if r.reason == RejectReason::Empty)
        );
        let big = open_reader(
            "big.txt".to_string(),
            Box::new(Cursor::new(vec![b'a'; 100])),
            1,
            0,
            &Arc::new(IngestOptions::new().max_document_bytes(50)),
        )
        .next()
        .map(RawItem::parse);
        assert!(
            matches!(big, Some(Item::Rejected(r)) if r.reason == RejectReason::TooLarge { limit: 50 })
        );
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

    #[test]
    fn html_files_are_pages_by_name_or_by_content() {
        let page = b"<!-- saved --><!DOCTYPE html><html><body><p>The river rose.</p></body></html>";
        for (name, bytes) in [
            ("pages/abc.html.gz", gzip(page)),
            ("pages/abc.htm", page.to_vec()),
            // Content wins over a wrong extension.
            ("pages/abc.txt", page.to_vec()),
            ("pages/abc", zstd::encode_all(&page[..], 1).unwrap()),
        ] {
            let items = items(name, bytes);
            assert!(
                matches!(&items[..], [Item::Document(d)] if d.id == "abc" && d.format == Format::Html && d.text.contains("The river rose.") && d.source == name),
                "{name}: {items:?}"
            );
        }
        // A `.html` fragment is still a page; a `.html` file of JSON Lines is JSON Lines.
        assert!(matches!(
            &items("frag.html", b"<p>Only a paragraph.</p>".to_vec())[..],
            [Item::Document(d)] if d.format == Format::Html
        ));
        let jsonl = items("dump.html", lines(2).into_bytes());
        assert_eq!(ids(&jsonl), ["d0", "d1"]);
        assert!(matches!(&jsonl[0], Item::Document(d) if d.format == Format::JsonLines));
        // Text that mentions a tag is text.
        assert!(matches!(
            &items("story", b"<b>Bold</b> claims were made today.".to_vec())[..],
            [Item::Document(d)] if d.format == Format::Text
        ));
        // Over the limit, a page is rejected before extraction.
        let big = open_reader(
            "big.html".to_string(),
            Box::new(Cursor::new(page.to_vec())),
            1,
            0,
            &Arc::new(IngestOptions::new().max_document_bytes(20)),
        )
        .map(RawItem::parse)
        .collect::<Vec<_>>();
        assert!(
            matches!(&big[..], [Item::Rejected(r)] if r.reason == RejectReason::TooLarge { limit: 20 })
        );
    }

    #[test]
    fn json_fields_can_hold_html() {
        let line = serde_json::json!({
            "id": "p1",
            "url": "https://example.com/p1",
            "html": "<html><body><p>Caf\u{e9} prices rose.</p></body></html>",
            "title": "Given title",
            "lang": "fr",
        });
        let options = Arc::new(IngestOptions::new().html_field("html"));
        let read = |text: String| -> Vec<Item> {
            open_reader(
                "x.jsonl".into(),
                Box::new(Cursor::new(text.into_bytes())),
                1,
                0,
                &options,
            )
            .map(RawItem::parse)
            .collect()
        };
        let items = read(format!(
            "{line}\n{{\"id\": \"p2\", \"text\": \"no html\"}}\n"
        ));
        let Item::Document(doc) = &items[0] else {
            panic!("{items:?}")
        };
        assert_eq!(doc.id, "p1");
        assert!(doc.text.contains("Caf\u{e9} prices rose."));
        assert_eq!(doc.title.as_deref(), Some("Given title"));
        assert_eq!(doc.metadata.get("lang").map(String::as_str), Some("fr"));
        let page = doc.page.as_ref().unwrap();
        assert_eq!(page.url.as_deref(), Some("https://example.com/p1"));
        assert!(
            matches!(&items[1], Item::Rejected(r) if r.reason == RejectReason::MissingTextField("html".into()))
        );
    }

    #[test]
    fn csv_and_tsv_by_name_also_compressed() {
        let csv = "\u{feff}id,text\n\"a\",\"One,\ntwo.\"\nb,Three.\n";
        let tsv = "id\ttext\na\tOne,\nb\tThree.\n";
        for (name, bytes) in [
            ("x.csv", csv.as_bytes().to_vec()),
            ("x.csv.gz", gzip(csv.as_bytes())),
            ("x.csv.zst", zstd::encode_all(csv.as_bytes(), 1).unwrap()),
            ("x.tsv", tsv.as_bytes().to_vec()),
        ] {
            let items = items(name, bytes);
            assert_eq!(ids(&items), ["a", "b"], "{name}");
            let format = if name.ends_with(".tsv") {
                Format::Tsv
            } else {
                Format::Csv
            };
            assert!(
                matches!(&items[1], Item::Document(d) if d.format == format && d.text == "Three."),
                "{name}: {items:?}"
            );
        }
        // Quoted, the first record spans two lines; the next starts on the third.
        assert!(
            matches!(&items("x.csv", csv.as_bytes().to_vec())[1], Item::Document(d) if d.source == "x.csv:4")
        );
        // Without the name, the same bytes are a text.
        assert!(
            matches!(&items("x", csv.as_bytes().to_vec())[..], [Item::Document(d)] if d.format == Format::Text)
        );
        let mut wide = vec![0xFF, 0xFE];
        wide.extend(
            csv.trim_start_matches('\u{feff}')
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        let items = items("wide.csv", wide);
        assert_eq!(ids(&items), ["a", "b"]);
        assert!(matches!(&items[0], Item::Document(d) if d.encoding == Encoding::Utf16Le));
    }

    #[test]
    fn parquet_streams_are_rejected_not_read_as_text() {
        let parquet = b"PAR1\x15\x04 some pages PAR1".to_vec();
        for (name, bytes) in [("-", parquet.clone()), ("x.parquet.gz", gzip(&parquet))] {
            assert!(
                matches!(&items(name, bytes)[..], [Item::Rejected(r)] if r.reason == RejectReason::NotSeekable && r.source == name),
                "{name}"
            );
        }
    }

    #[test]
    fn file_stems() {
        assert_eq!(file_stem("a/b/000_x.txt"), "000_x");
        assert_eq!(file_stem("dump.jsonl.gz"), "dump");
        assert_eq!(file_stem("README"), "README");
        assert_eq!(file_stem(".hidden"), ".hidden");
    }
}

#[cfg(test)]
mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400), name in "(x|x.txt|x.md|x.jsonl|x.json|x.gz|x.csv|x.tsv)") {
            let options = Arc::new(IngestOptions::new().max_document_bytes(200));
            let items: Vec<Item> = open_reader(name, Box::new(Cursor::new(bytes)), 1, 0, &options).map(RawItem::parse).collect();
            prop_assert!(!items.is_empty());
        }

        #[test]
        fn on_json_lines_with_odd_text(text in "\\PC{0,80}") {
            let line = format!("{}\n{{\"text\": 1}}\n", serde_json::json!({"text": text}));
            let items: Vec<Item> = open_reader("x.jsonl".into(), Box::new(Cursor::new(line.into_bytes())), 1, 0, &Arc::new(IngestOptions::new())).map(RawItem::parse).collect();
            prop_assert_eq!(items.len(), 2);
        }
    }
}
