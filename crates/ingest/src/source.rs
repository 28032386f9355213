//! One input stream to items: decompression and format detection, then the documents in it.

use std::io::{self, BufReader, Cursor, Read};
use std::path::Path;
use std::sync::Arc;

use crate::compressed::Decompressed;
use crate::csv::CsvRows;
use crate::decode::{sniff_wide, Utf32Reader};
use crate::document::{Compression, Encoding, Format, RejectReason};
use crate::json_stream::{JsonArray, JsonLines};
use crate::options::IngestOptions;
use crate::raw::{single_reject, Items};
use crate::sniff::{detect_format, GZIP_MAGIC, PARQUET_MAGIC, UTF8_BOM, ZSTD_MAGIC};
use crate::stream::Stream;
use crate::warc::{is_gzipped_warc, is_warc, Context, WarcRecords, Window};
use crate::whole::one_document;

/// Bytes looked at to recognize compression, encoding and format.
const PEEK_BYTES: u64 = 8192;

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
            one_document(&stream, reader, format, size)
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
                Box::new(JsonLines::new(stream, reader, first, wide))
            } else {
                Box::new(JsonArray::new(stream, reader, first, wide))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;

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
    fn parquet_streams_are_rejected_not_read_as_text() {
        let parquet = b"PAR1\x15\x04 some pages PAR1".to_vec();
        for (name, bytes) in [("-", parquet.clone()), ("x.parquet.gz", gzip(&parquet))] {
            assert!(
                matches!(&items(name, bytes)[..], [Item::Rejected(r)] if r.reason == RejectReason::NotSeekable && r.source == name),
                "{name}"
            );
        }
    }
}

#[cfg(test)]
mod never_panics {
    use super::*;
    use crate::test_support::{Item, RawItem};
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
