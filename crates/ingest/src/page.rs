//! HTML pages to documents. The reader only finds a page's bytes; the extractor runs when the
//! item is parsed, on whichever thread parses it.

use std::collections::BTreeMap;

use docpipe_extract::{extract, ExtractError, Page};

use crate::document::Rejected;
use crate::document::{Compression, Document, Encoding, Format, Item, PageInfo, RejectReason};

/// One HTML page found by the reader, not extracted yet.
#[derive(Debug)]
pub struct PageItem {
    pub html: Vec<u8>,
    /// The transport URL (`WARC-Target-URI`, a JSON `url` field).
    pub url: Option<String>,
    /// The HTTP or WARC `Content-Type`, whose charset is a hint to the extractor.
    pub content_type: Option<String>,
    pub id: String,
    pub source: String,
    pub format: Format,
    pub compression: Option<Compression>,
    pub bytes: u64,
    pub warc: Option<WarcFields>,
    /// Set for a page inside a JSON object: what the object itself says.
    pub json: Option<JsonFields>,
}

/// What a WARC record's header says of its page.
#[derive(Debug)]
pub struct WarcFields {
    pub record_id: Option<String>,
    pub date: Option<String>,
}

/// The fields of a JSON object holding a page, which come before what the page says.
#[derive(Debug)]
pub struct JsonFields {
    pub title: Option<String>,
    pub date: Option<String>,
    pub metadata: BTreeMap<String, String>,
    /// The encoding the JSON line was decoded from, and whether that replaced bytes.
    pub encoding: Encoding,
    pub replaced_invalid: bool,
}

impl PageItem {
    /// Extracts the page into its document, or says why it holds none.
    pub fn parse(self) -> Item {
        let page = Page {
            html: &self.html,
            url: self.url.as_deref(),
            content_type: self.content_type.as_deref(),
        };
        let article = match extract(&page) {
            Ok(article) => article,
            Err(err) => {
                let reason = match err {
                    ExtractError::NotText => RejectReason::Binary,
                    ExtractError::NoContent => RejectReason::NoMainText,
                    // A reason added to the extractor later is still a page without text.
                    _ => RejectReason::NoMainText,
                };
                return Item::Rejected(Rejected {
                    source: self.source,
                    reason,
                    bytes: self.bytes,
                });
            }
        };
        let text = article.text();
        let meta = article.meta;
        let (page_date, page_date_source) = match meta.published {
            Some(published) => (Some(published.date), Some(published.source)),
            None => (None, None),
        };
        let (title, date, date_source, metadata, encoding, replaced_invalid) = match self.json {
            Some(json) => {
                let from_page = json.date.is_none();
                (
                    json.title.or(meta.title),
                    json.date.or(page_date),
                    page_date_source.filter(|_| from_page),
                    json.metadata,
                    json.encoding,
                    json.replaced_invalid || article.replaced_invalid,
                )
            }
            None => (
                meta.title,
                page_date,
                page_date_source,
                BTreeMap::new(),
                Encoding::from_name(article.charset),
                article.replaced_invalid,
            ),
        };
        let (warc_record_id, warc_date) = match self.warc {
            Some(warc) => (warc.record_id, warc.date),
            None => (None, None),
        };
        let info = PageInfo {
            url: self.url.or_else(|| meta.canonical_url.clone()),
            authors: meta.authors,
            site: meta.site,
            canonical_url: meta.canonical_url,
            language: meta.language,
            date_source,
            warc_record_id,
            warc_date,
        };
        Item::Document(Document {
            id: self.id,
            source: self.source,
            title,
            subtitle: None,
            text,
            date,
            metadata,
            format: self.format,
            compression: self.compression,
            encoding,
            replaced_invalid,
            bytes: self.bytes,
            page: Some(Box::new(info)),
        })
    }
}

/// Bytes at the start of a file looked at to tell HTML.
const SNIFF_BYTES: usize = 4096;

/// Whether text starts like an HTML document: after a byte order mark, white space, comments
/// and an XML declaration, a doctype or one of the tags only a whole page starts with.
pub fn looks_like_html(head: &str) -> bool {
    let mut end = SNIFF_BYTES.min(head.len());
    while !head.is_char_boundary(end) {
        end -= 1;
    }
    let mut rest = &head[..end];
    rest = rest.trim_start_matches('\u{feff}');
    loop {
        rest = rest.trim_start();
        if let Some(comment) = rest.strip_prefix("<!--") {
            match comment.find("-->") {
                Some(end) => rest = &comment[end + 3..],
                None => return false,
            }
        } else if rest.starts_with("<?xml") {
            match rest.find("?>") {
                Some(end) => rest = &rest[end + 2..],
                None => return false,
            }
        } else {
            break;
        }
    }
    let lower: String = rest
        .chars()
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    if lower.starts_with("<!doctype html") {
        return true;
    }
    ["<html", "<head", "<body", "<meta", "<title"]
        .iter()
        .any(|tag| {
            lower.strip_prefix(tag).is_some_and(|after| {
                after.is_empty()
                    || after.starts_with(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            })
        })
}

/// The id of a WARC record from its `WARC-Record-ID`: `<urn:uuid:X>` gives `X`, another URI
/// in angle brackets the URI.
pub fn record_id(header: &str) -> String {
    let inner = header.trim();
    let inner = inner
        .strip_prefix('<')
        .and_then(|s| s.strip_suffix('>'))
        .unwrap_or(inner);
    inner.strip_prefix("urn:uuid:").unwrap_or(inner).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_told_by_its_start() {
        for html in [
            "<!DOCTYPE html><html><body>x",
            "\u{feff}  <!doctype HTML>",
            "<!-- saved from url --> \n<html lang=en>",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE html PUBLIC>",
            "<HTML>",
            "<head><title>x</title>",
            "<meta charset=utf-8>",
        ] {
            assert!(looks_like_html(html), "{html:?}");
        }
        for text in [
            "The council met <b>today</b>.",
            "<htmlish> is not a tag",
            "{\"html\": \"<html>\"}",
            "<!-- a comment that never ends",
            "",
            "# Title\n\n<html> in Markdown",
        ] {
            assert!(!looks_like_html(text), "{text:?}");
        }
    }

    #[test]
    fn record_ids() {
        assert_eq!(
            record_id("<urn:uuid:288718c3-e19b-58aa-83e2-848d105defa8>"),
            "288718c3-e19b-58aa-83e2-848d105defa8"
        );
        assert_eq!(record_id("<urn:x:1>"), "urn:x:1");
        assert_eq!(record_id("plain"), "plain");
    }

    fn page(html: &str, json: Option<JsonFields>) -> PageItem {
        PageItem {
            html: html.as_bytes().to_vec(),
            url: Some("https://example.com/a".into()),
            content_type: Some("text/html".into()),
            id: "a".into(),
            source: "x.warc@0".into(),
            format: Format::Warc,
            compression: None,
            bytes: html.len() as u64,
            warc: Some(WarcFields {
                record_id: Some("<urn:uuid:a>".into()),
                date: Some("2026-01-01T00:00:00Z".into()),
            }),
            json,
        }
    }

    #[test]
    fn pages_become_documents_or_rejects() {
        let item = page(
            "<html><body><p>The council met today.</p></body></html>",
            None,
        );
        let Item::Document(doc) = item.parse() else {
            panic!()
        };
        assert!(doc.text.contains("The council met today."));
        let info = doc.page.unwrap();
        assert_eq!(info.url.as_deref(), Some("https://example.com/a"));
        assert_eq!(info.warc_record_id.as_deref(), Some("<urn:uuid:a>"));
        assert_eq!(doc.encoding, Encoding::Utf8);
        assert!(matches!(
            page("", None).parse(),
            Item::Rejected(r) if r.reason == RejectReason::NoMainText
        ));
        assert!(matches!(
            page("<html>\0\0\0</html>", None).parse(),
            Item::Rejected(r) if r.reason == RejectReason::Binary
        ));
        let json = JsonFields {
            title: Some("From JSON".into()),
            date: Some("2024-01-02".into()),
            metadata: BTreeMap::new(),
            encoding: Encoding::Utf8,
            replaced_invalid: false,
        };
        let Item::Document(doc) = page("<p>Text here.</p>", Some(json)).parse() else {
            panic!()
        };
        assert_eq!(doc.title.as_deref(), Some("From JSON"));
        assert_eq!(doc.date.as_deref(), Some("2024-01-02"));
        assert_eq!(doc.page.unwrap().date_source, None);
    }
}
