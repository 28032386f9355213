//! Fuzz target for the WARC reader of `docpipe-ingest`.
//!
//! The input bytes are read four ways: as they are (a plain WARC if they start like one); behind
//! a valid WARC response header and HTTP head, so that mutations reach the HTTP and body
//! decoding; split at every `0xFF` byte into pieces that are each gzipped on their own and
//! joined behind a first member holding a whole `warcinfo` record, as the members of a
//! `.warc.gz` (the last piece left raw, as garbage after the members); and that joined file cut
//! at a point the first byte chooses.
//!
//! Besides "no panic": every item has a source in the file (`x.warc@OFFSET` with the offset
//! inside the bytes read), every document has text and an id, and memory is bounded by the
//! limit (a document is never larger than it).
#![no_main]

use std::io::Write;

use docpipe_ingest::{Ingest, IngestOptions, Item};

/// Small, so that the fuzzer reaches the too-large paths.
const MAX_DOCUMENT_BYTES: usize = 4096;

const FIRST_RECORD: &[u8] =
    b"WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 4\r\n\r\ninfo\r\n\r\n";

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).expect("writing to a Vec");
    encoder.finish().expect("writing to a Vec")
}

fn check(name: &str, bytes: Vec<u8>) {
    let len = bytes.len() as u64;
    let options = IngestOptions::new().max_document_bytes(MAX_DOCUMENT_BYTES);
    let ingest = Ingest::from_reader(name, Box::new(std::io::Cursor::new(bytes)), options);
    let skips = ingest.record_skips();
    let mut items = 0u64;
    for item in ingest {
        items += 1;
        let source = match &item {
            Item::Document(doc) => {
                assert!(!doc.text.trim().is_empty(), "a document with no text");
                assert!(!doc.id.is_empty(), "a document with no id");
                assert!(doc.bytes <= len + MAX_DOCUMENT_BYTES as u64);
                &doc.source
            }
            Item::Rejected(rejected) => &rejected.source,
        };
        let offset = source
            .strip_prefix(name)
            .and_then(|rest| rest.strip_prefix('@'))
            .map(|rest| rest.split('#').next().unwrap_or(rest));
        if let Some(offset) = offset {
            let offset: u64 = offset.parse().expect("a numeric offset");
            assert!(offset <= len, "offset {offset} past the end ({len})");
        } else {
            assert!(source.starts_with(name), "a source not in the file: {source}");
        }
    }
    // Each record is counted once: not more skips and items than records could fit.
    assert!(skips.total() + items <= len + 1);
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    check("x.warc", data.to_vec());
    let mut record = format!(
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:f>\r\n\
         WARC-Target-URI: https://example.com/\r\nContent-Length: {}\r\n\r\n\
         HTTP/1.1 200 OK\r\n",
        data.len() + 17
    )
    .into_bytes();
    record.extend_from_slice(data);
    check("x.warc", record);
    let mut pieces = data.split(|&b| b == 0xFF).collect::<Vec<_>>();
    let garbage = pieces.pop().unwrap_or_default();
    // A first member that is a whole record, so that the file is recognized as a WARC.
    let mut members = gzip(FIRST_RECORD);
    members.extend(pieces.iter().flat_map(|piece| gzip(piece)));
    members.extend_from_slice(garbage);
    let cut = members.len() * usize::from(data.first().copied().unwrap_or(255)) / 255;
    check("x.warc", members.clone());
    members.truncate(cut);
    check("x.warc", members);
});
