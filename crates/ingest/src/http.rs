//! The HTTP response inside a WARC `response` record: its head (status, content type, codings)
//! and its body, with `Transfer-Encoding: chunked` and `Content-Encoding` undone, never past a
//! size limit.

use std::io::{self, Read};

use crate::document::RejectReason;
use crate::skips::SkipKind;

/// Most header lines an HTTP head may have; real responses have 10 to 40.
const MAX_HEADERS: usize = 256;

/// The head of an HTTP response that holds a page.
#[derive(Debug, PartialEq, Eq)]
pub struct Head {
    /// Bytes of the head, its blank line included: the body starts there.
    pub len: usize,
    pub content_type: Option<String>,
    pub chunked: bool,
    /// The content codings in the order they were applied (`gzip`, `br`...), `identity` left
    /// out.
    pub codings: Vec<String>,
}

/// What the head of a response says to do with it.
#[derive(Debug, PartialEq, Eq)]
pub enum Parsed {
    Page(Head),
    Skip(SkipKind),
    /// The bytes end inside the head.
    Partial,
}

/// Parses the HTTP head at the start of `block`.
pub fn parse_head(block: &[u8]) -> Result<Parsed, RejectReason> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut response = httparse::Response::new(&mut headers);
    let len = match response.parse(block) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(Parsed::Partial),
        Err(err) => {
            return Err(RejectReason::BadRecord(format!(
                "the HTTP response head does not parse: {err}"
            )))
        }
    };
    if response.code != Some(200) {
        return Ok(Parsed::Skip(SkipKind::HttpStatus));
    }
    let mut head = Head {
        len,
        content_type: None,
        chunked: false,
        codings: Vec::new(),
    };
    for header in response.headers.iter() {
        let value = String::from_utf8_lossy(header.value);
        let value = value.trim();
        if header.name.eq_ignore_ascii_case("content-type") {
            head.content_type = Some(value.to_string());
        } else if header.name.eq_ignore_ascii_case("transfer-encoding") {
            // Only `chunked` frames the body; other transfer codings are not used in practice.
            head.chunked |= value
                .split(',')
                .any(|coding| coding.trim().eq_ignore_ascii_case("chunked"));
        } else if header.name.eq_ignore_ascii_case("content-encoding") {
            head.codings.extend(
                value
                    .split(',')
                    .map(|coding| coding.trim().to_ascii_lowercase())
                    .filter(|coding| !coding.is_empty() && coding != "identity"),
            );
        }
    }
    if head
        .content_type
        .as_deref()
        .is_some_and(|content_type| !is_html_type(content_type))
    {
        return Ok(Parsed::Skip(SkipKind::NotHtml));
    }
    Ok(Parsed::Page(head))
}

/// Whether a `Content-Type` names HTML: `text/html` or `application/xhtml+xml`, whatever
/// its parameters.
pub fn is_html_type(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    essence.eq_ignore_ascii_case("text/html")
        || essence.eq_ignore_ascii_case("application/xhtml+xml")
}

/// The body of a response as the page: de-chunked and decoded, at most `limit` bytes.
pub fn decode_body(head: &Head, body: &[u8], limit: usize) -> Result<Vec<u8>, RejectReason> {
    let mut bytes = if head.chunked {
        dechunk(body, limit)?
    } else {
        body.to_vec()
    };
    // Codings are listed in the order they were applied, so they are undone from the last.
    for coding in head.codings.iter().rev() {
        bytes = decode_coding(coding, &bytes, limit)?;
    }
    Ok(bytes)
}

/// The payload of a chunked body (RFC 9112 section 7.1); trailer fields are dropped.
fn dechunk(mut body: &[u8], limit: usize) -> Result<Vec<u8>, RejectReason> {
    let bad = |what: &str| RejectReason::BadHttpBody(format!("chunked body: {what}"));
    let mut out = Vec::with_capacity(body.len().min(limit));
    loop {
        let (start, size) = match httparse::parse_chunk_size(body) {
            Ok(httparse::Status::Complete(found)) => found,
            Ok(httparse::Status::Partial) => return Err(bad("cut short in a chunk size")),
            Err(_) => return Err(bad("a chunk size that is not hexadecimal")),
        };
        if size == 0 {
            return Ok(out);
        }
        let rest = &body[start..];
        let size = usize::try_from(size).unwrap_or(usize::MAX);
        if out.len().saturating_add(size) > limit {
            return Err(RejectReason::TooLarge { limit });
        }
        let Some(chunk) = rest.get(..size) else {
            return Err(bad("cut short inside a chunk"));
        };
        out.extend_from_slice(chunk);
        body = match rest[size..].strip_prefix(b"\r\n") {
            Some(after) => after,
            None => return Err(bad("a chunk not followed by CRLF")),
        };
    }
}

/// One content coding undone, reading at most `limit` bytes of output.
fn decode_coding(coding: &str, bytes: &[u8], limit: usize) -> Result<Vec<u8>, RejectReason> {
    let reader: Box<dyn Read + '_> = match coding {
        "gzip" | "x-gzip" => Box::new(flate2::read::MultiGzDecoder::new(bytes)),
        // RFC 9110 says zlib, but many servers send raw deflate: the zlib header tells them
        // apart (CMF 0x?8 with a checksum that divides by 31).
        "deflate" if is_zlib_header(bytes) => Box::new(flate2::read::ZlibDecoder::new(bytes)),
        "deflate" => Box::new(flate2::read::DeflateDecoder::new(bytes)),
        "br" => Box::new(brotli_decompressor::Decompressor::new(bytes, 4096)),
        other => {
            return Err(RejectReason::BadHttpBody(format!(
                "unsupported Content-Encoding {other:?}"
            )))
        }
    };
    read_capped(reader, limit).map_err(|err| match err {
        Capped::TooLarge => RejectReason::TooLarge { limit },
        Capped::Io(err) => RejectReason::BadHttpBody(format!("{coding} body: {err}")),
    })
}

fn is_zlib_header(bytes: &[u8]) -> bool {
    match bytes {
        [cmf, flg, ..] => cmf & 0x0F == 8 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0,
        _ => false,
    }
}

enum Capped {
    TooLarge,
    Io(io::Error),
}

/// Everything `reader` gives, unless that is more than `limit` bytes: a decompression bomb is
/// stopped one byte past the limit.
fn read_capped(reader: impl Read, limit: usize) -> Result<Vec<u8>, Capped> {
    let mut out = Vec::new();
    reader
        .take(limit as u64 + 1)
        .read_to_end(&mut out)
        .map_err(Capped::Io)?;
    if out.len() > limit {
        return Err(Capped::TooLarge);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn head(block: &[u8]) -> Head {
        match parse_head(block) {
            Ok(Parsed::Page(head)) => head,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn heads_say_what_to_do() {
        let block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\
                      Content-Encoding: gzip, br\r\nTransfer-Encoding: chunked\r\n\r\nbody";
        let parsed = head(block);
        assert_eq!(parsed.len, block.len() - 4);
        assert_eq!(
            parsed.content_type.as_deref(),
            Some("text/html; charset=utf-8")
        );
        assert!(parsed.chunked);
        assert_eq!(parsed.codings, ["gzip", "br"]);
        assert_eq!(
            parse_head(b"HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n"),
            Ok(Parsed::Skip(SkipKind::HttpStatus))
        );
        assert_eq!(
            parse_head(b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG"),
            Ok(Parsed::Skip(SkipKind::NotHtml))
        );
        assert!(
            head(b"HTTP/1.0 200 OK\r\nContent-Type: APPLICATION/XHTML+XML\r\n\r\n")
                .content_type
                .is_some()
        );
        assert_eq!(head(b"HTTP/1.1 200 OK\r\n\r\n").content_type, None);
        assert_eq!(
            parse_head(b"HTTP/1.1 200 OK\r\nContent-Ty"),
            Ok(Parsed::Partial)
        );
        assert!(matches!(
            parse_head(b"HTTP/1.1 2x0 OK\r\n\r\n"),
            Err(RejectReason::BadRecord(_))
        ));
    }

    fn page_head(chunked: bool, codings: &[&str]) -> Head {
        Head {
            len: 0,
            content_type: None,
            chunked,
            codings: codings.iter().map(|c| c.to_string()).collect(),
        }
    }

    const PAGE: &[u8] = b"<html><body><p>The council met today.</p></body></html>";

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    fn chunked(bytes: &[u8], size: usize) -> Vec<u8> {
        let mut out = Vec::new();
        for chunk in bytes.chunks(size) {
            out.extend_from_slice(format!("{:x};ext=1\r\n", chunk.len()).as_bytes());
            out.extend_from_slice(chunk);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"0\r\nExpires: never\r\n\r\n");
        out
    }

    #[test]
    fn chunked_bodies_are_joined() {
        let body = chunked(PAGE, 7);
        assert_eq!(
            decode_body(&page_head(true, &[]), &body, 1000).unwrap(),
            PAGE
        );
        assert_eq!(
            decode_body(&page_head(true, &[]), &body, 10),
            Err(RejectReason::TooLarge { limit: 10 })
        );
        for bad in [
            &body[..body.len() / 2],
            b"zz\r\nab\r\n0\r\n\r\n",
            b"2\r\nabc0\r\n\r\n",
        ] {
            assert!(
                matches!(
                    decode_body(&page_head(true, &[]), bad, 1000),
                    Err(RejectReason::BadHttpBody(_))
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn content_codings_are_undone() {
        let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        zlib.write_all(PAGE).unwrap();
        let zlib = zlib.finish().unwrap();
        let mut raw = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        raw.write_all(PAGE).unwrap();
        let raw = raw.finish().unwrap();
        let mut brotli = Vec::new();
        brotli::BrotliCompress(&mut &PAGE[..], &mut brotli, &Default::default()).unwrap();
        for (coding, body) in [
            ("gzip", gzip(PAGE)),
            ("x-gzip", gzip(PAGE)),
            ("deflate", zlib),
            ("deflate", raw),
            ("br", brotli),
        ] {
            assert_eq!(
                decode_body(&page_head(false, &[coding]), &body, 1000).as_deref(),
                Ok(PAGE),
                "{coding}"
            );
        }
        // Applied in turn: gzip, then chunked framing.
        let body = chunked(&gzip(PAGE), 5);
        assert_eq!(
            decode_body(&page_head(true, &["gzip"]), &body, 1000).unwrap(),
            PAGE
        );
        let twice = gzip(&gzip(PAGE));
        assert_eq!(
            decode_body(&page_head(false, &["gzip", "gzip"]), &twice, 1000).unwrap(),
            PAGE
        );
        // A bomb stops at the limit; damage and unknown codings are said.
        let bomb = gzip(&vec![b'a'; 1 << 20]);
        assert_eq!(
            decode_body(&page_head(false, &["gzip"]), &bomb, 1000),
            Err(RejectReason::TooLarge { limit: 1000 })
        );
        let mut cut = gzip(PAGE);
        cut.truncate(cut.len() - 12);
        assert!(matches!(
            decode_body(&page_head(false, &["gzip"]), &cut, 1000),
            Err(RejectReason::BadHttpBody(_))
        ));
        assert!(matches!(
            decode_body(&page_head(false, &["compress"]), PAGE, 1000),
            Err(RejectReason::BadHttpBody(m)) if m.contains("compress")
        ));
        assert!(matches!(
            decode_body(&page_head(false, &["br"]), b"\xff\xff\xff\xff", 1000),
            Err(RejectReason::BadHttpBody(_))
        ));
    }
}
