//! One WARC record: its header, its HTTP response head and body, and whether it holds a page,
//! read within bounds so that a damaged or oversized record costs only itself.

use std::io::{self, BufRead, Read};

use crate::document::RejectReason;
use crate::http::{decode_body, is_html_type, parse_head, Parsed};
use crate::options::IngestOptions;
use crate::page::looks_like_html;
use crate::skips::SkipKind;

/// Longest WARC header read: real ones are under 2 KB.
const MAX_WARC_HEADER: u64 = 64 * 1024;
/// Longest HTTP response head read: real ones are under 16 KB.
const MAX_HTTP_HEAD: u64 = 64 * 1024;

/// A page found in a record.
pub struct FoundPage {
    pub html: Vec<u8>,
    pub url: Option<String>,
    pub content_type: Option<String>,
    pub record_id: Option<String>,
    pub date: Option<String>,
    pub bytes: u64,
}

/// A record read whole, its framing sound.
pub enum Record {
    Page(Box<FoundPage>),
    /// A record that should hold a page and cannot give it: why, and its block's size.
    Reject(RejectReason, u64),
    Skip(SkipKind),
}

/// A record whose framing fails: what follows it is not known to be where it should be.
#[derive(Debug)]
pub enum RecordError {
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
pub fn read_record(
    input: &mut dyn BufRead,
    options: &IngestOptions,
) -> Result<Record, RecordError> {
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

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;

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
}
