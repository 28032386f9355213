use chrono::NaiveDate;

/// Where a publication date came from. New sources (a URL, a sitemap) will come, so the enum
/// is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PublishedSource {
    /// The document's metadata (a header line, front matter, or a JSON date field).
    Metadata,
    /// A dateline at the start of the text.
    Dateline,
    /// The date the user gave for documents without one.
    Option,
    /// The HTML page the document was extracted from (its JSON-LD, meta tags, `<time>`
    /// elements or URL).
    Html,
}

impl PublishedSource {
    /// `metadata`, `dateline`, `option` or `html`.
    pub fn as_str(self) -> &'static str {
        match self {
            PublishedSource::Metadata => "metadata",
            PublishedSource::Dateline => "dateline",
            PublishedSource::Option => "option",
            PublishedSource::Html => "html",
        }
    }
}

/// An article's publication date and its source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Published {
    /// The date.
    pub date: NaiveDate,
    /// Where it came from.
    pub source: PublishedSource,
}

/// Parses a date as metadata writes it: ISO 8601 (`2024-03-18`, `2024-03-18T09:30:00Z`),
/// Reuters' `26-FEB-1987 15:14:36.41`, `March 18, 2024`, `18 March 2024`, `Mar 18 2024`,
/// RFC 2822 (`Mon, 18 Mar 2024 09:30:00 +0000`), `2024/03/18`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if let Some(prefix) = text.get(..10) {
        for format in ["%Y-%m-%d", "%Y/%m/%d"] {
            if let Ok(date) = NaiveDate::parse_from_str(prefix, format) {
                return Some(date);
            }
        }
    }
    if let Ok(datetime) = chrono::DateTime::parse_from_rfc2822(text) {
        return Some(datetime.date_naive());
    }
    let first = text.split_whitespace().next().unwrap_or("");
    if let Ok(date) = NaiveDate::parse_from_str(first, "%d-%b-%Y") {
        return Some(date);
    }
    let cleaned: String = text.replace([',', '.'], " ");
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    for window in words.windows(3) {
        let joined = window.join(" ");
        for format in ["%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y"] {
            if let Ok(date) = NaiveDate::parse_from_str(&joined, format) {
                return Some(date);
            }
        }
    }
    None
}

/// The publication date of an article: its metadata date if that parses, else a dateline
/// with a full date at the start of the text ("WASHINGTON, March 5, 2024 (Reuters) -"), else
/// `fallback` (the user's `--reference-date`). A dateline without a year gives no date.
pub fn publication_date(
    metadata_date: Option<&str>,
    text: &str,
    fallback: Option<NaiveDate>,
) -> Option<Published> {
    if let Some(date) = metadata_date.and_then(parse_date) {
        return Some(Published {
            date,
            source: PublishedSource::Metadata,
        });
    }
    if let Some(date) = dateline_date(text) {
        return Some(Published {
            date,
            source: PublishedSource::Dateline,
        });
    }
    fallback.map(|date| Published {
        date,
        source: PublishedSource::Option,
    })
}

/// A full date in the dateline: the first line's text up to its first dash or closing
/// parenthesis, within the first 120 bytes.
fn dateline_date(text: &str) -> Option<NaiveDate> {
    let mut end = text.len().min(120);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    let head = head.split('\n').next().unwrap_or(head);
    let cut = head.find([' ', '\u{2014}', '\u{2013}']).map_or(0, |_| {
        head.find(" - ")
            .or_else(|| head.find(" \u{2014} "))
            .or_else(|| head.find(" -- "))
            .unwrap_or(0)
    });
    if cut == 0 {
        return None;
    }
    let dateline = &head[..cut];
    crate::extractor::extract(dateline, None)
        .into_iter()
        .find_map(|timex| NaiveDate::parse_from_str(&timex.value, "%Y-%m-%d").ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn metadata_formats() {
        assert_eq!(parse_date("2024-03-18"), Some(ymd(2024, 3, 18)));
        assert_eq!(parse_date("2026-02-26T14:05:00Z"), Some(ymd(2026, 2, 26)));
        assert_eq!(
            parse_date("26-FEB-1987 15:14:36.41"),
            Some(ymd(1987, 2, 26))
        );
        assert_eq!(parse_date("March 18, 2024"), Some(ymd(2024, 3, 18)));
        assert_eq!(parse_date("18 March 2024"), Some(ymd(2024, 3, 18)));
        assert_eq!(
            parse_date("Mon, 18 Mar 2024 09:30:00 +0000"),
            Some(ymd(2024, 3, 18))
        );
        assert_eq!(parse_date("soon"), None);
    }

    #[test]
    fn sources_in_order() {
        let fallback = Some(ymd(2020, 1, 1));
        let p = publication_date(Some("2024-03-18"), "text", fallback).unwrap();
        assert_eq!(
            (p.date, p.source),
            (ymd(2024, 3, 18), PublishedSource::Metadata)
        );
        let p = publication_date(
            None,
            "WASHINGTON, March 5, 2024 (Reuters) - The Senate voted.",
            fallback,
        )
        .unwrap();
        assert_eq!(
            (p.date, p.source),
            (ymd(2024, 3, 5), PublishedSource::Dateline)
        );
        let p = publication_date(
            None,
            "BUENOS AIRES, Feb 26 - Grain shipments rose.",
            fallback,
        )
        .unwrap();
        assert_eq!(p.source, PublishedSource::Option);
        assert_eq!(publication_date(None, "No date here at all.", None), None);
    }
}
