//! Files that are one document each: a text or Markdown article or an HTML page, read whole
//! within the document limit.

use std::io::Read;
use std::path::Path;

use crate::compressed::is_trailing_data;
use crate::decode::decode_document;
use crate::document::{Document, Format, Item, RejectReason, Rejected};
use crate::header::parse_article;
use crate::page::PageItem;
use crate::raw::{single_reject, Items, RawItem};
use crate::stream::Stream;

/// A whole text, Markdown or HTML file is one article (an HTML one extracted when parsed).
pub fn one_document(
    stream: &Stream,
    reader: Box<dyn Read + Send>,
    format: Format,
    size: Option<u64>,
) -> Items {
    let limit = stream.options.max_document_bytes;
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
        Err(err) => return single_reject(stream.name.clone(), stream.stream_error(&err), size),
        Ok(_) => {}
    }
    let document = whole_document(stream, bytes, past_limit, format, size);
    let Some(err) = trailing else {
        return document;
    };
    let reject = RawItem::from(Item::Rejected(Rejected {
        source: stream.name.clone(),
        reason: stream.stream_error(&err),
        bytes: 0,
    }));
    Box::new(document.chain(std::iter::once(reject)))
}

/// An HTML file read whole: its page, extracted when the item is parsed.
fn page(stream: &Stream, html: Vec<u8>, size: u64) -> Items {
    Box::new(std::iter::once(RawItem::page(PageItem {
        html,
        url: None,
        content_type: None,
        id: file_stem(&stream.name),
        source: stream.name.clone(),
        format: Format::Html,
        compression: stream.compression,
        bytes: size,
        warc: None,
        json: None,
    })))
}

/// A text or Markdown document read whole: its item.
fn whole_document(
    stream: &Stream,
    bytes: Vec<u8>,
    past_limit: Vec<u8>,
    format: Format,
    size: u64,
) -> Items {
    let limit = stream.options.max_document_bytes;
    if !past_limit.is_empty() {
        return single_reject(stream.name.clone(), RejectReason::TooLarge { limit }, size);
    }
    if format == Format::Html {
        return page(stream, bytes, size);
    }
    let decoded = match decode_document(&bytes) {
        Ok(decoded) => decoded,
        Err(reason) => return single_reject(stream.name.clone(), reason, size),
    };
    let article = parse_article(&decoded.text, format == Format::Markdown);
    if article.body.trim().is_empty() {
        return single_reject(stream.name.clone(), RejectReason::Empty, size);
    }
    let document = Document {
        id: file_stem(&stream.name),
        source: stream.name.clone(),
        title: article.title,
        subtitle: article.subtitle,
        text: article.body,
        date: article.date,
        metadata: article.metadata,
        format,
        compression: stream.compression,
        encoding: decoded.encoding,
        replaced_invalid: decoded.replaced,
        bytes: size,
        page: None,
    };
    Box::new(std::iter::once(RawItem::from(Item::Document(document))))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;

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
    fn file_stems() {
        assert_eq!(file_stem("a/b/000_x.txt"), "000_x");
        assert_eq!(file_stem("dump.jsonl.gz"), "dump");
        assert_eq!(file_stem("README"), "README");
        assert_eq!(file_stem(".hidden"), ".hidden");
    }
}
