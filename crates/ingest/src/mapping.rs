//! The field mapping every record format shares: a JSON object and a CSV or Parquet row each
//! read their id, title, text, URL and other fields (by the names [`IngestOptions`] gives), and
//! this module makes the document, or the page to extract, out of them. One mapping, so that the
//! same data in any of these formats gives the same documents.

use std::collections::BTreeMap;

use crate::document::{Compression, Document, Encoding, Format};
use crate::options::IngestOptions;
use crate::page::{JsonFields, PageItem};

/// The fields of one record, read by its format's own rules.
pub struct RecordFields {
    /// The id field, else the record's source.
    pub id: String,
    /// The title field, trimmed, if it held any text.
    pub title: Option<String>,
    /// The `url` field, read only when the text field holds a page.
    pub url: Option<String>,
    /// The text field ([`text_field`]): the article's text, or its page.
    pub body: String,
    /// Every other scalar field, as text.
    pub metadata: BTreeMap<String, String>,
}

/// Where a record came from and what its bytes were.
pub struct RecordOrigin {
    pub source: String,
    pub format: Format,
    pub compression: Option<Compression>,
    pub encoding: Encoding,
    pub replaced_invalid: bool,
    /// Size of the record as read.
    pub bytes: u64,
}

/// A record's document, or the page its text field holds (`--html-field`), not extracted yet.
pub enum Mapped {
    Document(Document),
    Page(PageItem),
}

/// The field the text is read from: the HTML field when records hold pages.
pub fn text_field(options: &IngestOptions) -> &String {
    options.html_field.as_ref().unwrap_or(&options.text_field)
}

/// Whether a field is read for itself (id, title), so not part of the metadata.
pub fn is_mapped_field(name: &str, options: &IngestOptions) -> bool {
    name == options.id_field || name == options.title_field
}

impl RecordFields {
    /// The document these fields make; its date is the date field of the metadata.
    pub fn into_mapped(self, origin: RecordOrigin, options: &IngestOptions) -> Mapped {
        let date = self.metadata.get(&options.date_field).cloned();
        if options.html_field.is_some() {
            // Already decoded text: the extractor gets it as UTF-8, and says so.
            return Mapped::Page(PageItem {
                html: self.body.into_bytes(),
                url: self.url,
                content_type: Some("text/html; charset=utf-8".to_string()),
                id: self.id,
                source: origin.source,
                format: origin.format,
                compression: origin.compression,
                bytes: origin.bytes,
                warc: None,
                json: Some(JsonFields {
                    title: self.title,
                    date,
                    metadata: self.metadata,
                    encoding: origin.encoding,
                    replaced_invalid: origin.replaced_invalid,
                }),
            });
        }
        Mapped::Document(Document {
            id: self.id,
            source: origin.source,
            title: self.title,
            subtitle: None,
            text: self.body,
            date,
            metadata: self.metadata,
            format: origin.format,
            compression: origin.compression,
            encoding: origin.encoding,
            replaced_invalid: origin.replaced_invalid,
            bytes: origin.bytes,
            page: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> RecordFields {
        RecordFields {
            id: "7".into(),
            title: Some("Rates rise".into()),
            url: Some("https://a.test/7".into()),
            body: "<p>The bank raised rates.</p>".into(),
            metadata: BTreeMap::from([("published".into(), "2024-05-01".into())]),
        }
    }

    fn origin() -> RecordOrigin {
        RecordOrigin {
            source: "t.csv:3".into(),
            format: Format::Csv,
            compression: None,
            encoding: Encoding::Utf16Le,
            replaced_invalid: true,
            bytes: 40,
        }
    }

    #[test]
    fn text_fields_make_documents_dated_by_the_date_field() {
        let options = IngestOptions::new()
            .date_field("published")
            .title_field("headline");
        assert_eq!(text_field(&options), "text");
        assert!(is_mapped_field("headline", &options) && is_mapped_field("id", &options));
        assert!(!is_mapped_field("published", &options));
        let Mapped::Document(doc) = fields().into_mapped(origin(), &options) else {
            panic!("a page without --html-field")
        };
        assert_eq!(doc.date.as_deref(), Some("2024-05-01"));
        assert_eq!(
            (doc.source.as_str(), doc.bytes, doc.encoding),
            ("t.csv:3", 40, Encoding::Utf16Le)
        );
        assert!(doc.replaced_invalid && doc.page.is_none());
    }

    #[test]
    fn html_fields_make_pages_that_keep_the_record_fields() {
        let options = IngestOptions::new().html_field("html");
        assert_eq!(text_field(&options), "html");
        let Mapped::Page(page) = fields().into_mapped(origin(), &options) else {
            panic!("a document with --html-field")
        };
        assert_eq!(page.url.as_deref(), Some("https://a.test/7"));
        assert_eq!(page.html, b"<p>The bank raised rates.</p>");
        let json = page.json.expect("the record's own fields");
        assert_eq!(json.title.as_deref(), Some("Rates rise"));
        assert_eq!(json.date, None, "the default date field is `date`");
        assert_eq!(json.encoding, Encoding::Utf16Le);
    }
}
