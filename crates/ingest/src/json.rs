//! JSON objects to documents: the field mapping, numbers too large for a float, and parse
//! errors placed in the file.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::decode::decode_line;
use crate::document::{Compression, Encoding, Format, Item, RejectReason, Rejected};
use crate::mapping::{is_mapped_field, text_field, Mapped, RecordFields, RecordOrigin};
use crate::options::IngestOptions;
use crate::stream::Stream;

/// Where an object came from, for its id, source and reject lines.
pub struct Origin<'a> {
    pub source: String,
    pub format: Format,
    pub compression: Option<Compression>,
    /// Set when the whole stream was transcoded (UTF-16, UTF-32); else decided per object.
    pub stream_encoding: Option<Encoding>,
    pub options: &'a IngestOptions,
    /// Where the object's first byte is in its file: the line (from 1), and the bytes before it
    /// on that line. Parse errors name the position in the file, not in the object.
    pub line: u64,
    pub column: u64,
}

/// Parses one JSON object's bytes into a document, or says why not.
pub fn item_from_json(bytes: &[u8], origin: Origin<'_>) -> Item {
    let size = bytes.len() as u64;
    let reject = |reason| {
        Item::Rejected(Rejected {
            source: origin.source.clone(),
            reason,
            bytes: size,
        })
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return reject(RejectReason::Empty);
    }
    let (text, encoding, replaced) = decode_line(bytes);
    let mut big_numbers = BTreeMap::new();
    let mut object: Map<String, Value> = match serde_json::from_str(&text) {
        Ok(Value::Object(object)) => object,
        Ok(_) => return reject(RejectReason::NotJson("expected an object".to_string())),
        Err(err) => match out_of_range_numbers(&text, &err) {
            Some((object, big)) => {
                big_numbers = big;
                object
            }
            None => return reject(RejectReason::NotJson(located(&err, &origin))),
        },
    };
    let options = origin.options;
    let id = match object.get(&options.id_field) {
        Some(Value::String(id)) if !id.is_empty() => id.clone(),
        Some(Value::Number(id)) => id.to_string(),
        _ => match big_numbers.get(&options.id_field) {
            Some(number) => number.clone(),
            None => origin.source.clone(),
        },
    };
    let title = match object.get(&options.title_field) {
        Some(Value::String(title)) if !title.trim().is_empty() => Some(title.trim().to_string()),
        _ => None,
    };
    // The text is moved out of the parsed object, not copied: it is most of the bytes of every
    // line. The id and title were read first, in case they share its field name.
    let text_field = text_field(options);
    let url = match object.get("url") {
        Some(Value::String(url)) if options.html_field.is_some() && !url.is_empty() => {
            Some(url.clone())
        }
        _ => None,
    };
    let body = match object.remove(text_field) {
        None => return reject(RejectReason::MissingTextField(text_field.clone())),
        Some(Value::String(body)) if body.trim().is_empty() => return reject(RejectReason::Empty),
        Some(Value::String(body)) => body,
        Some(_) => return reject(RejectReason::TextNotString(text_field.clone())),
    };
    let mut metadata = BTreeMap::new();
    for (key, value) in object {
        if is_mapped_field(&key, options) {
            continue;
        }
        let value = match value {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Null => match big_numbers.remove(&key) {
                Some(number) => number,
                None => continue,
            },
            _ => continue,
        };
        metadata.insert(key, value);
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
        encoding: origin.stream_encoding.unwrap_or(encoding),
        replaced_invalid: origin.stream_encoding.is_none() && replaced,
        bytes: size,
    };
    match fields.into_mapped(record, options) {
        Mapped::Document(doc) => Item::Document(doc),
        // The object is parsed on a worker already: its page is extracted there too.
        Mapped::Page(page) => page.parse(),
    }
}

/// An object's fields, and the numbers among them too large for a float, as written.
type Fields = (Map<String, Value>, BTreeMap<String, String>);

/// A number too large for a float (`1e400`) fails serde_json's parse of the whole object;
/// then, and only then, the object is read again field by field ([`fields_one_by_one`]).
/// Out of line and cold: the parse of ordinary lines compiles as it did without it.
#[cold]
#[inline(never)]
fn out_of_range_numbers(text: &str, err: &serde_json::Error) -> Option<Fields> {
    if !err.to_string().starts_with("number out of range") {
        return None;
    }
    fields_one_by_one(text)
}

/// The top level of an object walked one token at a time, each key and value parsed by
/// serde_json on its own. A value that fails to parse is measured instead (serde's
/// `IgnoredAny` skips numbers without converting them): a number is kept as written in the
/// second map, with a null in its place in the first; any other such value (an array or object
/// holding one, which metadata leaves out anyway) becomes null. `None` if the text is not one
/// object after all.
fn fields_one_by_one(text: &str) -> Option<Fields> {
    let (mut object, mut big_numbers) = (Map::new(), BTreeMap::new());
    let mut rest = text.trim_start().strip_prefix('{')?.trim_start();
    if let Some(after) = rest.strip_prefix('}') {
        return after.trim().is_empty().then_some((object, big_numbers));
    }
    loop {
        let (key, after) = next_value::<String>(rest).ok()?;
        let value_text = after.trim_start().strip_prefix(':')?.trim_start();
        let (value, after) = match next_value::<Value>(value_text) {
            Ok(parsed) => parsed,
            Err(_) => {
                let (_, after) = next_value::<serde::de::IgnoredAny>(value_text).ok()?;
                let raw = value_text[..value_text.len() - after.len()].trim_end();
                if raw.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
                    big_numbers.insert(key.clone(), raw.to_string());
                }
                (Value::Null, after)
            }
        };
        object.insert(key, value);
        let after = after.trim_start();
        if let Some(after) = after.strip_prefix(',') {
            rest = after.trim_start();
            continue;
        }
        let after = after.strip_prefix('}')?;
        return after.trim().is_empty().then_some((object, big_numbers));
    }
}

/// The JSON value at the start of `text`, and the text after it; else whether the text ended
/// inside the value.
///
/// Read through serde_json's `io::Read` front end, not `from_str`: sharing the hot path's
/// instantiation of the parser made the compiler inline less of it, for 2% more instructions
/// per JSON line in the ingest bench (measured with cachegrind).
pub fn next_value<T: serde::de::DeserializeOwned>(text: &str) -> Result<(T, &str), bool> {
    let mut values = serde_json::Deserializer::from_reader(text.as_bytes()).into_iter::<T>();
    match values.next() {
        Some(Ok(value)) => Ok((value, &text[values.byte_offset()..])),
        Some(Err(err)) => Err(err.is_eof()),
        None => Err(true),
    }
}

/// A parse error with its position in the file: serde_json counts lines and columns from the
/// start of the object's own bytes, which for a JSON Lines record is always line 1.
#[cold]
#[inline(never)]
fn located(err: &serde_json::Error, origin: &Origin<'_>) -> String {
    let message = err.to_string();
    if err.line() == 0 {
        return message;
    }
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    let what = message.strip_suffix(&suffix).unwrap_or(&message);
    let line = origin.line + err.line() as u64 - 1;
    let column = err.column() as u64 + if err.line() == 1 { origin.column } else { 0 };
    format!("{what} at line {line} column {column}")
}

/// The bytes of one JSON object (a JSON Lines line or an array element), parsed into its item
/// later, possibly on another thread.
#[derive(Debug)]
pub struct JsonObject {
    pub bytes: Vec<u8>,
    pub stream: Arc<Stream>,
    /// The line (JSON Lines) or element (JSON array) number, for the source.
    pub number: u64,
    pub format: Format,
    /// Set when the whole stream was transcoded (UTF-16, UTF-32).
    pub wide: Option<Encoding>,
    /// Where its first byte is in the (decoded) file: line from 1, bytes before it on the line.
    pub line: u64,
    pub column: u64,
}

impl JsonObject {
    pub fn parse(self) -> Item {
        item_from_json(&self.bytes, self.origin())
    }

    fn origin(&self) -> Origin<'_> {
        Origin {
            source: format!("{}:{}", self.stream.name, self.number),
            format: self.format,
            compression: self.stream.compression,
            stream_encoding: self.wide,
            options: &self.stream.options,
            line: self.line,
            column: self.column,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{open_reader, Cursor, RawItem};

    fn origin(options: &IngestOptions) -> Origin<'_> {
        Origin {
            source: "x.jsonl:1".to_string(),
            format: Format::JsonLines,
            compression: None,
            stream_encoding: None,
            options,
            line: 1,
            column: 0,
        }
    }

    #[test]
    fn fields_map_and_extra_fields_become_metadata() {
        let options = IngestOptions::new().text_field("body").id_field("url");
        let line = br#"{"url": "https://a.test/1", "body": "Hello there.", "title": " T ", "date": "2024-01-02", "n": 3, "tags": ["x"]}"#;
        let Item::Document(doc) = item_from_json(line, origin(&options)) else {
            panic!()
        };
        assert_eq!(doc.id, "https://a.test/1");
        assert_eq!(doc.text, "Hello there.");
        assert_eq!(doc.title.as_deref(), Some("T"));
        assert_eq!(doc.date.as_deref(), Some("2024-01-02"));
        assert_eq!(doc.metadata["n"], "3");
        assert!(!doc.metadata.contains_key("tags"));
    }

    #[test]
    fn rejects_say_why() {
        let options = IngestOptions::new();
        let reason = |line: &[u8]| match item_from_json(line, origin(&options)) {
            Item::Rejected(r) => r.reason,
            Item::Document(d) => panic!("accepted {d:?}"),
        };
        assert!(matches!(reason(b"{not json"), RejectReason::NotJson(_)));
        assert!(matches!(reason(b"[1, 2]"), RejectReason::NotJson(_)));
        assert_eq!(
            reason(b"{\"body\": \"x\"}"),
            RejectReason::MissingTextField("text".into())
        );
        assert_eq!(
            reason(b"{\"text\": 42}"),
            RejectReason::TextNotString("text".into())
        );
        assert_eq!(reason(b"{\"text\": \"  \"}"), RejectReason::Empty);
        assert_eq!(reason(b"   "), RejectReason::Empty);
    }

    #[test]
    fn numeric_ids_and_missing_ids() {
        let options = IngestOptions::new();
        let Item::Document(doc) =
            item_from_json(b"{\"id\": 17, \"text\": \"a b c\"}", origin(&options))
        else {
            panic!()
        };
        assert_eq!(doc.id, "17");
        let Item::Document(doc) = item_from_json(b"{\"text\": \"a b c\"}", origin(&options)) else {
            panic!()
        };
        assert_eq!(doc.id, "x.jsonl:1");
    }

    #[test]
    fn parse_errors_name_the_line_and_column_in_the_file() {
        let options = IngestOptions::new();
        let reason = |bytes: &[u8], line: u64, column: u64| {
            let origin = Origin {
                line,
                column,
                ..origin(&options)
            };
            match item_from_json(bytes, origin) {
                Item::Rejected(r) => r.reason.to_string(),
                Item::Document(d) => panic!("accepted {d:?}"),
            }
        };
        // A JSON Lines record on line 57.
        assert!(reason(b"{\"text\": }", 57, 0).ends_with("expected value at line 57 column 10"));
        // An array element that starts 4 bytes into line 9 and fails on its own second line.
        let element = b"{\"a\": 1,\n  \"text\": x}";
        assert!(reason(element, 9, 4).ends_with("at line 10 column 11"));
        assert!(reason(b"{\"text\" 1}", 9, 4).ends_with("at line 9 column 13"));
    }

    #[test]
    fn a_number_beyond_a_float_keeps_the_document_as_written() {
        let options = IngestOptions::new();
        let line = br#"{"id": 1e999, "text": "Words.", "score": -1.5E+400, "n": 2, "deep": [1e400], "title": 9e999}"#;
        let Item::Document(doc) = item_from_json(line, origin(&options)) else {
            panic!()
        };
        assert_eq!(doc.id, "1e999");
        assert_eq!(doc.text, "Words.");
        assert_eq!(doc.title, None);
        let metadata: Vec<(&str, &str)> = doc
            .metadata
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(metadata, [("n", "2"), ("score", "-1.5E+400")]);
        // Keys with escapes, a repeated key (the last wins, as in serde_json's own parse), an
        // object holding one, whitespace everywhere.
        let line = b" { \"t\\u0065xt\" : \"Words.\" , \"x\" : 1 , \"x\" : 2e500 ,\n \"o\": {\"y\": 1e400} } ";
        let Item::Document(doc) = item_from_json(line, origin(&options)) else {
            panic!()
        };
        assert_eq!(doc.text, "Words.");
        assert_eq!(doc.metadata.get("x").map(String::as_str), Some("2e500"));
        assert_eq!(doc.metadata.len(), 1);
        // The text itself cannot be one; and JSON that is broken elsewhere is still rejected.
        for line in [&br#"{"text": 1e400}"#[..], br#"{"text": "a", "x": 1e400"#] {
            assert!(matches!(
                item_from_json(line, origin(&options)),
                Item::Rejected(Rejected {
                    reason: RejectReason::NotJson(_) | RejectReason::TextNotString(_),
                    ..
                })
            ));
        }
    }

    #[test]
    fn invalid_bytes_in_a_mostly_utf8_line_are_replaced_and_said() {
        let options = IngestOptions::new();
        let line = b"{\"text\": \"Caf\xc3\xa9 \xff \xe2\x80\x94 done\"}";
        let Item::Document(doc) = item_from_json(line, origin(&options)) else {
            panic!()
        };
        assert_eq!(doc.text, "Caf\u{e9} \u{FFFD} \u{2014} done");
        assert_eq!(doc.encoding, Encoding::Utf8);
        assert!(doc.replaced_invalid);
    }

    #[test]
    fn json_fields_can_hold_html() {
        let line = serde_json::json!({
            "id": "p1",
            "url": "https://example.com/p1",
            "html": "<html><body><p>Caf\u{e9} prices rose.</p></body></html>",
            "title": "Given title",
            "lang": "fr",
        });
        let options = Arc::new(IngestOptions::new().html_field("html"));
        let read = |text: String| -> Vec<Item> {
            open_reader(
                "x.jsonl".into(),
                Box::new(Cursor::new(text.into_bytes())),
                1,
                0,
                &options,
            )
            .map(RawItem::parse)
            .collect()
        };
        let items = read(format!(
            "{line}\n{{\"id\": \"p2\", \"text\": \"no html\"}}\n"
        ));
        let Item::Document(doc) = &items[0] else {
            panic!("{items:?}")
        };
        assert_eq!(doc.id, "p1");
        assert!(doc.text.contains("Caf\u{e9} prices rose."));
        assert_eq!(doc.title.as_deref(), Some("Given title"));
        assert_eq!(doc.metadata.get("lang").map(String::as_str), Some("fr"));
        let page = doc.page.as_ref().unwrap();
        assert_eq!(page.url.as_deref(), Some("https://example.com/p1"));
        assert!(
            matches!(&items[1], Item::Rejected(r) if r.reason == RejectReason::MissingTextField("html".into()))
        );
    }
}
