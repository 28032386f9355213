//! Made-up WARC records for the end-to-end tests.

use std::io::Write;

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// A WARC record with the given type, id, extra header lines and block.
pub fn record(warc_type: &str, id: &str, extra: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {warc_type}\r\nWARC-Record-ID: <urn:uuid:{id}>\r\n\
         WARC-Date: 2026-01-01T00:00:00Z\r\n{extra}Content-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

pub fn response(id: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut http = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    http.extend_from_slice(body);
    record(
        "response",
        id,
        &format!(
            "WARC-Target-URI: https://news.example.com/{id}\r\nContent-Type: application/http; \
             msgtype=response\r\n"
        ),
        &http,
    )
}
