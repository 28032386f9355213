//! A row of named cells (a CSV or TSV record, a Parquet row) to its item: each cell read as a
//! JSON value is in `json.rs`, and the document made by the mapping both share (`mapping.rs`),
//! so that the same data in any of these formats gives the same documents.

use std::collections::BTreeMap;

use crate::document::Rejected;
use crate::document::{Compression, Encoding, Format, Item, RejectReason};
use crate::mapping::{is_mapped_field, text_field, Mapped, RecordFields, RecordOrigin};
use crate::options::IngestOptions;
use crate::raw::RawItem;

/// One value of a row.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// A string: the only kind of value a text, title or HTML column may hold.
    Text(String),
    /// A number as written (or as serde_json writes a float): usable as an id, like a JSON
    /// number.
    Number(String),
    /// Any other scalar (a boolean, a date, a timestamp), as text: metadata only.
    Scalar(String),
    /// No value: a Parquet null, an empty CSV cell outside the text column. Left out of
    /// metadata, as a JSON null is.
    Null,
    /// A list, map, struct or binary value: not a scalar, so left out of metadata as a JSON
    /// array or object is.
    Nested,
}

/// Where a row came from and what every row of its stream shares.
pub struct RowOrigin<'a> {
    /// `path:LINE` for CSV (the line the record starts on), `path:ROW` for Parquet.
    pub source: String,
    pub format: Format,
    pub compression: Option<Compression>,
    pub encoding: Encoding,
    pub replaced_invalid: bool,
    pub options: &'a IngestOptions,
    /// Size of the row as read.
    pub bytes: u64,
}

/// The row's document, or why it has none. A page (`--html-field`) is left unextracted, for
/// the caller's workers to parse.
pub fn item_from_row(mut row: BTreeMap<String, Cell>, origin: RowOrigin<'_>) -> RawItem {
    let reject = |reason| {
        RawItem::from(Item::Rejected(Rejected {
            source: origin.source.clone(),
            reason,
            bytes: origin.bytes,
        }))
    };
    let options = origin.options;
    let id = match row.get(&options.id_field) {
        Some(Cell::Text(id) | Cell::Number(id)) if !id.is_empty() => id.clone(),
        _ => origin.source.clone(),
    };
    let title = match row.get(&options.title_field) {
        Some(Cell::Text(title)) if !title.trim().is_empty() => Some(title.trim().to_string()),
        _ => None,
    };
    let text_field = text_field(options);
    let url = match row.get("url") {
        Some(Cell::Text(url)) if options.html_field.is_some() && !url.is_empty() => {
            Some(url.clone())
        }
        _ => None,
    };
    let body = match row.remove(text_field) {
        // A row whose text column holds nothing is a JSON line without the field.
        None | Some(Cell::Null) => {
            return reject(RejectReason::MissingTextField(text_field.clone()))
        }
        Some(Cell::Text(body)) if body.trim().is_empty() => return reject(RejectReason::Empty),
        Some(Cell::Text(body)) => body,
        Some(_) => return reject(RejectReason::TextNotString(text_field.clone())),
    };
    if body.len() > options.max_document_bytes {
        return reject(RejectReason::TooLarge {
            limit: options.max_document_bytes,
        });
    }
    let mut metadata = BTreeMap::new();
    for (key, cell) in row {
        if is_mapped_field(&key, options) {
            continue;
        }
        match cell {
            Cell::Text(value) | Cell::Number(value) | Cell::Scalar(value) => {
                metadata.insert(key, value);
            }
            Cell::Null | Cell::Nested => {}
        }
    }
    let fields = RecordFields {
        id,
        title,
        url,
        body,
        metadata,
    };
    let record = RecordOrigin {
        source: origin.source,
        format: origin.format,
        compression: origin.compression,
        encoding: origin.encoding,
        replaced_invalid: origin.replaced_invalid,
        bytes: origin.bytes,
    };
    match fields.into_mapped(record, options) {
        Mapped::Document(doc) => RawItem::from(Item::Document(doc)),
        Mapped::Page(page) => RawItem::page(page),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(cells: &[(&str, Cell)], options: &IngestOptions) -> Item {
        let row = cells
            .iter()
            .map(|(name, cell)| (name.to_string(), cell.clone()))
            .collect();
        item_from_row(
            row,
            RowOrigin {
                source: "t.csv:3".into(),
                format: Format::Csv,
                compression: None,
                encoding: Encoding::Utf8,
                replaced_invalid: false,
                options,
                bytes: 10,
            },
        )
        .parse()
    }

    fn text(value: &str) -> Cell {
        Cell::Text(value.to_string())
    }

    #[test]
    fn fields_map_as_json_fields_do() {
        let options = IngestOptions::new();
        let doc = item(
            &[
                ("id", Cell::Number("7".into())),
                ("title", text("  Rates rise ")),
                ("text", text("The bank raised rates.")),
                ("date", text("2024-05-01")),
                ("score", Cell::Number("1.5".into())),
                ("flag", Cell::Scalar("true".into())),
                ("gone", Cell::Null),
                ("tags", Cell::Nested),
            ],
            &options,
        );
        let Item::Document(doc) = doc else {
            panic!("{doc:?}")
        };
        assert_eq!(doc.id, "7");
        assert_eq!(doc.title.as_deref(), Some("Rates rise"));
        assert_eq!(doc.date.as_deref(), Some("2024-05-01"));
        let keys: Vec<&str> = doc.metadata.keys().map(String::as_str).collect();
        assert_eq!(keys, ["date", "flag", "score"]);
        assert_eq!(doc.metadata["score"], "1.5");
    }

    #[test]
    fn rows_without_usable_text_are_rejected_alone() {
        let options = IngestOptions::new().max_document_bytes(8);
        let reason = |cells: &[(&str, Cell)]| match item(cells, &options) {
            Item::Rejected(r) => {
                assert_eq!(r.source, "t.csv:3");
                r.reason
            }
            Item::Document(doc) => panic!("{doc:?}"),
        };
        let missing = RejectReason::MissingTextField("text".into());
        assert_eq!(reason(&[("body", text("x"))]), missing);
        assert_eq!(reason(&[("text", Cell::Null)]), missing);
        assert_eq!(reason(&[("text", text("  "))]), RejectReason::Empty);
        assert_eq!(
            reason(&[("text", Cell::Number("3".into()))]),
            RejectReason::TextNotString("text".into())
        );
        assert_eq!(
            reason(&[("text", text("nine byte"))]),
            RejectReason::TooLarge { limit: 8 }
        );
        // Without an id, the id is the source, as for a JSON line.
        let Item::Document(doc) = item(&[("text", text("eight by"))], &options) else {
            panic!()
        };
        assert_eq!(doc.id, "t.csv:3");
    }
}
