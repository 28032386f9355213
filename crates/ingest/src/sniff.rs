//! What an input is, from its name and first bytes: the magic numbers of compressions and
//! containers, and the format of a text stream.

use std::borrow::Cow;

use crate::decode::decode_wide;
use crate::document::{Encoding, Format};
use crate::json::next_value;
use crate::page::looks_like_html;

/// gzip's magic number (RFC 1952).
pub const GZIP_MAGIC: &[u8] = &[0x1F, 0x8B];
/// A Zstandard frame's magic number.
pub const ZSTD_MAGIC: &[u8] = &[0x28, 0xB5, 0x2F, 0xFD];
/// The UTF-8 byte order mark.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
/// The first (and last) four bytes of an Apache Parquet file.
pub const PARQUET_MAGIC: &[u8] = b"PAR1";

/// From the extension (inside any compression extension), else from the first bytes, decoded
/// as `wide` says.
pub fn detect_format(name: &str, head: &[u8], wide: Option<Encoding>) -> Format {
    let lower = name.to_ascii_lowercase();
    let inner = ["gz", "zst", "zstd", "gzip"]
        .iter()
        .find_map(|ext| lower.strip_suffix(&format!(".{ext}")))
        .unwrap_or(&lower);
    let extension = inner.rsplit_once('.').map(|(_, ext)| ext).unwrap_or("");
    let text = match wide {
        Some(encoding) => Cow::Owned(decode_wide(head, encoding).0),
        None => String::from_utf8_lossy(head),
    };
    // A page is a page whatever its name: nothing else starts with a doctype or `<html>`.
    if looks_like_html(&text) {
        return Format::Html;
    }
    match extension {
        // CSV cannot be told from text by its bytes (any text is a one-column CSV): only by
        // its name.
        "csv" => return Format::Csv,
        "tsv" | "tab" => return Format::Tsv,
        "jsonl" | "ndjson" => return Format::JsonLines,
        "md" | "markdown" => return Format::Markdown,
        "txt" | "text" => return Format::Text,
        _ => {}
    }
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if let Some(after) = trimmed.strip_prefix('[') {
        let after = after.trim_start();
        // A `.json` file that starts with a bracket is an array whatever its first element; a
        // file without that extension must show it is one (a text may start `[Reuters]`).
        if after.starts_with(['{', ']']) || extension == "json" || array_of_objects(after) {
            return Format::JsonArray;
        }
    }
    if trimmed.starts_with('{') {
        // A text article may start with a brace; JSON Lines starts with a whole object.
        let first_line = trimmed.lines().next().unwrap_or("");
        let complete_line = trimmed.len() > first_line.len();
        if !complete_line || serde_json::from_str::<serde_json::Value>(first_line).is_ok() {
            return Format::JsonLines;
        }
    }
    if extension == "json" {
        return Format::JsonLines;
    }
    // A `.html` file that is not JSON (above) is a page, even a fragment without `<html>`.
    if extension == "html" || extension == "htm" {
        return Format::Html;
    }
    Format::Text
}

/// Whether `elements` (what follows the `[` of the first bytes) starts like a JSON array with
/// an object among its first elements: each element parses and is followed by `,` or `]`, up
/// to the end of the array or of the bytes looked at.
#[inline(never)]
fn array_of_objects(elements: &str) -> bool {
    let mut rest = elements;
    let mut objects = false;
    loop {
        match next_value::<serde_json::Value>(rest) {
            Ok((value, after)) => {
                objects |= value.is_object();
                rest = after.trim_start();
            }
            // The first bytes may end inside an element.
            Err(eof) => return eof && objects,
        }
        if let Some(after) = rest.strip_prefix(',') {
            rest = after;
        } else {
            return objects && (rest.is_empty() || rest.starts_with(']'));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;

    #[test]
    fn formats_are_sniffed_without_extensions() {
        let array = items(
            "dump",
            b"[{\"id\": 1, \"text\": \"one two three\"}, {\"id\": 2, \"text\": \"four\"}]".to_vec(),
        );
        assert_eq!(array.len(), 2);
        assert!(
            matches!(&array[1], Item::Document(d) if d.format == Format::JsonArray && d.id == "2")
        );
        let text = items(
            "story",
            b"{Editor's note} The council met today and voted.\nMore text.".to_vec(),
        );
        assert!(matches!(&text[0], Item::Document(d) if d.format == Format::Text));
        let lines = items("dump.json", lines(2).into_bytes());
        assert_eq!(lines.len(), 2);
    }

    /// Item 12.
    #[test]
    fn an_array_is_an_array_whatever_its_first_element() {
        let array =
            b"[1, {\"id\": \"a\", \"text\": \"x\"},\n \"s\", {\"id\": \"b\", \"text\": \"y\"}]";
        for name in ["x.json", "x", "x.json.gz"] {
            let bytes = if name.ends_with(".gz") {
                gzip(array)
            } else {
                array.to_vec()
            };
            let items = items(name, bytes);
            assert_eq!(
                ids(&items),
                [
                    format!("rejected {name}:1"),
                    "a".into(),
                    format!("rejected {name}:3"),
                    "b".into()
                ],
                "{name}"
            );
        }
        // Without the extension, a text that starts with a bracket is still a text.
        for text in [
            &b"[Reuters] The council met today."[..],
            b"[1] A note before the story.\n\nThe story.",
            b"[1, 2, 3] are the numbers drawn.",
        ] {
            assert!(
                matches!(&items("story", text.to_vec())[..], [Item::Document(d)] if d.format == Format::Text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn html_files_are_pages_by_name_or_by_content() {
        let page = b"<!-- saved --><!DOCTYPE html><html><body><p>The river rose.</p></body></html>";
        for (name, bytes) in [
            ("pages/abc.html.gz", gzip(page)),
            ("pages/abc.htm", page.to_vec()),
            // Content wins over a wrong extension.
            ("pages/abc.txt", page.to_vec()),
            ("pages/abc", zstd::encode_all(&page[..], 1).unwrap()),
        ] {
            let items = items(name, bytes);
            assert!(
                matches!(&items[..], [Item::Document(d)] if d.id == "abc" && d.format == Format::Html && d.text.contains("The river rose.") && d.source == name),
                "{name}: {items:?}"
            );
        }
        // A `.html` fragment is still a page; a `.html` file of JSON Lines is JSON Lines.
        assert!(matches!(
            &items("frag.html", b"<p>Only a paragraph.</p>".to_vec())[..],
            [Item::Document(d)] if d.format == Format::Html
        ));
        let jsonl = items("dump.html", lines(2).into_bytes());
        assert_eq!(ids(&jsonl), ["d0", "d1"]);
        assert!(matches!(&jsonl[0], Item::Document(d) if d.format == Format::JsonLines));
        // Text that mentions a tag is text.
        assert!(matches!(
            &items("story", b"<b>Bold</b> claims were made today.".to_vec())[..],
            [Item::Document(d)] if d.format == Format::Text
        ));
        // Over the limit, a page is rejected before extraction.
        let big = open_reader(
            "big.html".to_string(),
            Box::new(Cursor::new(page.to_vec())),
            1,
            0,
            &Arc::new(IngestOptions::new().max_document_bytes(20)),
        )
        .map(RawItem::parse)
        .collect::<Vec<_>>();
        assert!(
            matches!(&big[..], [Item::Rejected(r)] if r.reason == RejectReason::TooLarge { limit: 20 })
        );
    }

    #[test]
    fn csv_and_tsv_by_name_also_compressed() {
        let csv = "\u{feff}id,text\n\"a\",\"One,\ntwo.\"\nb,Three.\n";
        let tsv = "id\ttext\na\tOne,\nb\tThree.\n";
        for (name, bytes) in [
            ("x.csv", csv.as_bytes().to_vec()),
            ("x.csv.gz", gzip(csv.as_bytes())),
            ("x.csv.zst", zstd::encode_all(csv.as_bytes(), 1).unwrap()),
            ("x.tsv", tsv.as_bytes().to_vec()),
        ] {
            let items = items(name, bytes);
            assert_eq!(ids(&items), ["a", "b"], "{name}");
            let format = if name.ends_with(".tsv") {
                Format::Tsv
            } else {
                Format::Csv
            };
            assert!(
                matches!(&items[1], Item::Document(d) if d.format == format && d.text == "Three."),
                "{name}: {items:?}"
            );
        }
        // Quoted, the first record spans two lines; the next starts on the third.
        assert!(
            matches!(&items("x.csv", csv.as_bytes().to_vec())[1], Item::Document(d) if d.source == "x.csv:4")
        );
        // Without the name, the same bytes are a text.
        assert!(
            matches!(&items("x", csv.as_bytes().to_vec())[..], [Item::Document(d)] if d.format == Format::Text)
        );
        let mut wide = vec![0xFF, 0xFE];
        wide.extend(
            csv.trim_start_matches('\u{feff}')
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        let items = items("wide.csv", wide);
        assert_eq!(ids(&items), ["a", "b"]);
        assert!(matches!(&items[0], Item::Document(d) if d.encoding == Encoding::Utf16Le));
    }
}
