//! WARC records, HTTP responses and pages as writers make them, and the items a WARC gives,
//! for the tests of the WARC reader.

use std::io::{self, Write};
use std::sync::Arc;

pub use crate::document::{Compression, Document, Format, Item};
pub use crate::options::IngestOptions;
pub use crate::raw::RawItem;
pub use crate::skips::RecordSkips;
use crate::source::open_reader;

/// A record as a WARC writer makes it.
pub fn record(warc_type: &str, id: &str, extra: &str, block: &[u8]) -> Vec<u8> {
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

pub fn http(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n{headers}\r\n").into_bytes();
    out.extend_from_slice(body);
    out
}

pub fn page(words: &str) -> Vec<u8> {
    format!(
        "<!DOCTYPE html><html><head><title>{words}</title></head><body><p>{words} \
             happened today in the town.</p></body></html>"
    )
    .into_bytes()
}

pub fn response(id: &str, url: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    record(
        "response",
        id,
        &format!("WARC-Target-URI: {url}\r\nContent-Type: application/http; msgtype=response\r\n"),
        &http("200 OK", headers, body),
    )
}

pub fn html_response(id: &str, words: &str) -> Vec<u8> {
    response(
        id,
        &format!("https://example.com/{id}"),
        "Content-Type: text/html; charset=utf-8\r\n",
        &page(words),
    )
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// A `.warc.gz` of one member per record, and each member's offset.
pub fn members(records: &[Vec<u8>]) -> (Vec<u8>, Vec<u64>) {
    let mut file = Vec::new();
    let mut offsets = Vec::new();
    for record in records {
        offsets.push(file.len() as u64);
        file.extend_from_slice(&gzip(record));
    }
    (file, offsets)
}

pub fn read_with(
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

pub fn read(name: &str, bytes: Vec<u8>) -> (Vec<Item>, RecordSkips) {
    read_with(name, bytes, IngestOptions::new(), 0)
}

/// `id` for documents, `kind@source` for rejects.
pub fn summary(items: &[Item]) -> Vec<String> {
    items
        .iter()
        .map(|item| match item {
            Item::Document(doc) => doc.id.clone(),
            Item::Rejected(r) => format!("{}@{}", r.reason.kind(), r.source),
        })
        .collect()
}

pub fn document(item: &Item) -> &Document {
    match item {
        Item::Document(doc) => doc,
        Item::Rejected(r) => panic!("{r:?}"),
    }
}

pub fn every_kind() -> Vec<Vec<u8>> {
    vec![
        record(
            "warcinfo",
            "w",
            "Content-Type: application/warc-fields\r\n",
            b"software: test\r\n",
        ),
        record(
            "request",
            "q",
            "WARC-Target-URI: https://example.com/a\r\n",
            b"GET /a HTTP/1.1\r\n\r\n",
        ),
        html_response("a", "Floods"),
        response(
            "png",
            "https://example.com/p.png",
            "Content-Type: image/png\r\n",
            b"\x89PNG\r\n\x1a\n\0\0",
        ),
        record(
            "response",
            "moved",
            "",
            &http(
                "301 Moved Permanently",
                "Location: /b\r\nContent-Type: text/html\r\n",
                b"<html>moved</html>",
            ),
        ),
        record("metadata", "m", "", b"fetchTimeMs: 12\r\n"),
        record(
            "revisit",
            "r",
            "WARC-Profile: http://netpreserve.org/warc/1.1/revisit/identical-payload-digest\r\n",
            b"",
        ),
        record(
            "resource",
            "b",
            "WARC-Target-URI: file:///b.html\r\nContent-Type: text/html\r\n",
            &page("Storms"),
        ),
        record("conversion", "c", "", &page("Heat")),
        record(
            "resource",
            "txt",
            "Content-Type: text/plain\r\n",
            b"plain text",
        ),
        record("continuation", "k", "", b"more"),
        record("newtype", "n", "", b""),
    ]
}
