//! Decoding a page's bytes to text: which charset, and the text in it.
//!
//! The order follows the WHATWG HTML encoding sniffing algorithm: a byte order mark, then
//! the HTTP `Content-Type` charset, then a `<meta charset>` or `<meta http-equiv=
//! "Content-Type">` found by the prescan of the first 1024 bytes, then a detector
//! (chardetng). One step is added: a declaration (HTTP or meta) of a legacy charset is
//! checked against the bytes, since pages that say `iso-8859-1` while holding valid
//! non-ASCII UTF-8 are common (templates copied between sites), and the UTF-8 reading of
//! such bytes is right with near certainty: text in a legacy single-byte charset is
//! valid UTF-8 only when it is pure ASCII or by rare accident. A UTF-8 declaration over
//! bytes that are mostly not UTF-8 goes to the detector for the same reason.
//!
//! ```
//! use docpipe_extract::charset::decode;
//!
//! let page = "<meta charset=iso-8859-1><p>caf\u{e9}</p>".as_bytes();
//! let decoded = decode(page, None);
//! assert_eq!(decoded.charset, "UTF-8", "valid non-ASCII UTF-8 beats the declaration");
//! assert!(decoded.text.contains("café"));
//!
//! let latin1 = b"<meta charset=iso-8859-1><p>caf\xe9</p>";
//! let decoded = decode(latin1, None);
//! assert_eq!(decoded.charset, "windows-1252");
//! assert!(decoded.text.contains("café"));
//! ```

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252, X_USER_DEFINED};
use std::borrow::Cow;

/// How many bytes the `<meta>` prescan reads (WHATWG: 1024).
const PRESCAN_BYTES: usize = 1024;

/// Text decoded from a page's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    /// The text; borrowed from the bytes when they were valid UTF-8 (or ASCII in an
    /// ASCII-compatible charset).
    pub text: Cow<'a, str>,
    /// The WHATWG name of the charset used, as encoding_rs spells it (`UTF-8`,
    /// `windows-1252`, `Shift_JIS`...).
    pub charset: &'static str,
    /// True when bytes invalid in that charset were replaced by U+FFFD.
    pub replaced_invalid: bool,
}

/// Decodes a page: BOM, then the HTTP content type's charset, then the `<meta>` prescan,
/// each declaration checked against the bytes, then a detector.
pub fn decode<'a>(bytes: &'a [u8], content_type: Option<&str>) -> Decoded<'a> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let rest = bytes.get(bom_len..).unwrap_or_default();
        return decode_with(encoding, rest);
    }
    let declared = content_type
        .and_then(charset_param)
        .and_then(|label| Encoding::for_label(label.as_bytes()))
        .or_else(|| prescan(bytes.get(..PRESCAN_BYTES).unwrap_or(bytes)));
    let encoding = match declared {
        Some(encoding) if encoding == encoding_rs::REPLACEMENT => detect(bytes),
        Some(encoding) => checked(encoding, bytes),
        // Undeclared valid UTF-8 is UTF-8 (ASCII included): no detector needed.
        None if std::str::from_utf8(bytes).is_ok() => UTF_8,
        None => detect(bytes),
    };
    decode_with(encoding, bytes)
}

fn decode_with<'a>(encoding: &'static Encoding, bytes: &'a [u8]) -> Decoded<'a> {
    let (text, replaced_invalid) = encoding.decode_without_bom_handling(bytes);
    Decoded {
        text,
        charset: encoding.name(),
        replaced_invalid,
    }
}

/// The declared charset, unless the bytes contradict it.
fn checked(declared: &'static Encoding, bytes: &[u8]) -> &'static Encoding {
    let utf8 = Utf8Census::of(bytes);
    if declared == UTF_8 {
        return if utf8.mostly_invalid() {
            detect(bytes)
        } else {
            UTF_8
        };
    }
    if utf8.invalid == 0 && utf8.non_ascii > 0 {
        return UTF_8;
    }
    // UTF-16 text of Latin script is full of NUL bytes; bytes without any are not UTF-16.
    if (declared == UTF_16LE || declared == UTF_16BE) && !bytes.contains(&0) {
        return UTF_8;
    }
    declared
}

/// What a UTF-8 reading of the bytes finds.
struct Utf8Census {
    /// Non-ASCII characters that decode.
    non_ascii: usize,
    /// Invalid sequences.
    invalid: usize,
}

impl Utf8Census {
    fn of(bytes: &[u8]) -> Self {
        let mut census = Utf8Census {
            non_ascii: 0,
            invalid: 0,
        };
        for chunk in bytes.utf8_chunks() {
            census.non_ascii += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
            if !chunk.invalid().is_empty() {
                census.invalid += 1;
            }
        }
        census
    }

    /// More invalid sequences than valid non-ASCII characters: not UTF-8 with a few bad
    /// bytes, but another charset.
    fn mostly_invalid(&self) -> bool {
        self.invalid > self.non_ascii
    }
}

fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    detector.guess(None, true)
}

/// The `charset` parameter of a `Content-Type` value (`text/html; charset="utf-8"`).
fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']).trim())
            .filter(|v| !v.is_empty())
    })
}

/// The charset in a `content` attribute (`text/html; charset=utf-8`), by the WHATWG
/// "extracting a character encoding from a meta element" rules.
fn charset_in_content(content: &[u8]) -> Option<&'static Encoding> {
    let lower = content.to_ascii_lowercase();
    let mut from = 0;
    loop {
        let at = from + find(&lower[from..], b"charset")?;
        let mut i = at + b"charset".len();
        while lower.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        if lower.get(i) != Some(&b'=') {
            from = at + 1;
            continue;
        }
        i += 1;
        while lower.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let rest = content.get(i..)?;
        let value = match rest.first()? {
            q @ (b'"' | b'\'') => {
                let end = rest[1..].iter().position(|b| b == q)?;
                &rest[1..1 + end]
            }
            _ => {
                let end = rest
                    .iter()
                    .position(|b| b.is_ascii_whitespace() || *b == b';')
                    .unwrap_or(rest.len());
                &rest[..end]
            }
        };
        return Encoding::for_label(value);
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The WHATWG prescan: looks for `<meta charset>` or `<meta http-equiv=content-type
/// content=...>` in the bytes, skipping comments and the attributes of other tags.
fn prescan(bytes: &[u8]) -> Option<&'static Encoding> {
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        if rest.starts_with(b"<!--") {
            i += 4 + find(&rest[4..], b"-->").map_or(rest.len(), |e| e + 3);
            continue;
        }
        if rest.len() > 5
            && rest[..5].eq_ignore_ascii_case(b"<meta")
            && matches!(rest[5], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/')
        {
            let mut pos = i + 5;
            let mut http_equiv_content_type = false;
            let mut charset: Option<&'static Encoding> = None;
            let mut from_content: Option<&'static Encoding> = None;
            let mut seen: Vec<Vec<u8>> = Vec::new();
            while let Some((name, value, next)) = attribute(bytes, pos) {
                pos = next;
                if seen.contains(&name) {
                    continue;
                }
                match name.as_slice() {
                    b"http-equiv" => {
                        http_equiv_content_type = value.eq_ignore_ascii_case(b"content-type")
                    }
                    b"content" if from_content.is_none() => {
                        from_content = charset_in_content(&value)
                    }
                    b"charset" => charset = Encoding::for_label(&value),
                    _ => {}
                }
                seen.push(name);
            }
            let found = charset.or(if http_equiv_content_type {
                from_content
            } else {
                None
            });
            if let Some(encoding) = found {
                // A meta tag cannot truthfully declare UTF-16: the tag itself was read
                // as ASCII bytes.
                return Some(if encoding == UTF_16LE || encoding == UTF_16BE {
                    UTF_8
                } else if encoding == X_USER_DEFINED {
                    WINDOWS_1252
                } else {
                    encoding
                });
            }
            i = pos.max(i + 1);
            continue;
        }
        if rest.len() > 1 && rest[0] == b'<' && (rest[1].is_ascii_alphabetic() || rest[1] == b'/') {
            let start = if rest[1] == b'/' { i + 2 } else { i + 1 };
            let mut pos = start;
            while bytes
                .get(pos)
                .is_some_and(|b| !b.is_ascii_whitespace() && *b != b'>')
            {
                pos += 1;
            }
            while let Some((_, _, next)) = attribute(bytes, pos) {
                pos = next;
            }
            i = pos.max(i + 1);
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"</") || rest.starts_with(b"<?") {
            i += find(rest, b">").map_or(rest.len(), |e| e + 1);
            continue;
        }
        i += 1;
    }
    None
}

/// The WHATWG "get an attribute" step: the next attribute's lower-cased name and value,
/// and where to go on; `None` at the end of the tag or of the bytes.
fn attribute(bytes: &[u8], mut i: usize) -> Option<(Vec<u8>, Vec<u8>, usize)> {
    while bytes
        .get(i)
        .is_some_and(|b| b.is_ascii_whitespace() || *b == b'/')
    {
        i += 1;
    }
    if *bytes.get(i)? == b'>' {
        return None;
    }
    let mut name = Vec::new();
    loop {
        let b = *bytes.get(i)?;
        match b {
            b'=' if !name.is_empty() => break,
            b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' => {
                while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
                    i += 1;
                }
                if bytes.get(i) != Some(&b'=') {
                    return Some((name, Vec::new(), i));
                }
                break;
            }
            b'/' | b'>' => return Some((name, Vec::new(), i)),
            _ => name.push(b.to_ascii_lowercase()),
        }
        i += 1;
    }
    // At '='.
    i += 1;
    while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    let mut value = Vec::new();
    match *bytes.get(i)? {
        q @ (b'"' | b'\'') => {
            i += 1;
            loop {
                let b = *bytes.get(i)?;
                i += 1;
                if b == q {
                    return Some((name, value, i));
                }
                value.push(b.to_ascii_lowercase());
            }
        }
        b'>' => Some((name, value, i)),
        _ => {
            while let Some(&b) = bytes.get(i) {
                if b.is_ascii_whitespace() || b == b'>' {
                    break;
                }
                value.push(b.to_ascii_lowercase());
                i += 1;
            }
            Some((name, value, i))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_utf8_is_borrowed() {
        let bytes = "<p>naïve</p>".as_bytes();
        let d = decode(bytes, None);
        assert!(matches!(d.text, Cow::Borrowed(_)));
        assert_eq!(d.charset, "UTF-8");
        assert!(!d.replaced_invalid);
    }

    #[test]
    fn a_bom_wins_over_every_declaration() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("<meta charset=windows-1252>é".as_bytes());
        let d = decode(&bytes, Some("text/html; charset=iso-8859-2"));
        assert_eq!(d.charset, "UTF-8");
        assert_eq!(d.text, "<meta charset=windows-1252>é");
        let utf16: Vec<u8> = [0xFF, 0xFE, b'h', 0, b'i', 0].to_vec();
        let d = decode(&utf16, None);
        assert_eq!((d.charset, d.text.as_ref()), ("UTF-16LE", "hi"));
    }

    #[test]
    fn the_http_charset_comes_before_the_meta_tag() {
        let bytes = b"<meta charset=windows-1252><p>\xe9\xe8</p>";
        let d = decode(bytes, Some("text/html; charset=\"ISO-8859-2\""));
        assert_eq!(d.charset, "ISO-8859-2");
        assert_eq!(decode(bytes, Some("text/html")).charset, "windows-1252");
    }

    #[test]
    fn meta_prescan_reads_both_forms() {
        let a = b"<!doctype html><html><head><meta charset='Shift_JIS'>";
        assert_eq!(prescan(a), Some(encoding_rs::SHIFT_JIS));
        let b = b"<head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\">";
        assert_eq!(prescan(b), Some(encoding_rs::KOI8_R));
        let reversed = b"<meta content='text/html;charset=gbk' http-equiv='content-type'>";
        assert_eq!(prescan(reversed), Some(encoding_rs::GBK));
    }

    #[test]
    fn prescan_ignores_what_is_not_a_declaration() {
        assert_eq!(prescan(b"<!-- <meta charset=gbk> --><p>hi"), None);
        assert_eq!(prescan(b"<meta content='text/html; charset=gbk'>"), None);
        assert_eq!(prescan(b"<div title='<meta charset=gbk>'>"), None);
        assert_eq!(prescan(b"<metadata charset=gbk>"), None);
        assert_eq!(prescan(b"<meta charset=utf-16>"), Some(UTF_8));
        assert_eq!(prescan(b"<meta charset=no-such-thing>"), None);
    }

    #[test]
    fn prescan_reads_only_the_first_1024_bytes() {
        let mut bytes = vec![b' '; PRESCAN_BYTES];
        bytes.extend_from_slice(b"<meta charset=gbk>\xc4\xe3");
        assert_ne!(decode(&bytes, None).charset, "GBK");
    }

    #[test]
    fn a_legacy_declaration_over_utf8_bytes_is_overruled() {
        let bytes = "<meta charset=iso-8859-1><p>Zürich</p>".as_bytes();
        let d = decode(bytes, None);
        assert_eq!(d.charset, "UTF-8");
        assert!(matches!(d.text, Cow::Borrowed(_)));
        let d = decode(bytes, Some("text/html; charset=windows-1252"));
        assert_eq!(d.charset, "UTF-8");
    }

    #[test]
    fn a_legacy_declaration_over_ascii_stands() {
        let d = decode(b"<meta charset=windows-1252><p>plain</p>", None);
        assert_eq!(d.charset, "windows-1252");
        assert!(matches!(d.text, Cow::Borrowed(_)));
    }

    #[test]
    fn a_utf8_declaration_over_legacy_bytes_goes_to_the_detector() {
        let bytes = b"<meta charset=utf-8><p>Caf\xe9 cr\xe8me br\xfbl\xe9e, \xe0 la fran\xe7aise, tr\xe8s \xe9l\xe9gant</p>";
        let d = decode(bytes, None);
        assert_eq!(d.charset, "windows-1252");
        assert!(d.text.contains("Café crème brûlée"));
        assert!(!d.replaced_invalid);
    }

    #[test]
    fn a_utf8_page_with_one_bad_byte_stays_utf8() {
        let mut bytes = "<meta charset=utf-8><p>Zürich, Genève, Neuchâtel</p>"
            .as_bytes()
            .to_vec();
        bytes.push(0xFF);
        let d = decode(&bytes, None);
        assert_eq!(d.charset, "UTF-8");
        assert!(d.replaced_invalid);
    }

    #[test]
    fn undeclared_bytes_are_detected() {
        let d = decode(
            b"<p>\xcf\xf0\xe8\xe2\xe5\xf2, \xec\xe8\xf0! \xca\xe0\xea \xe4\xe5\xeb\xe0?</p>",
            None,
        );
        assert_eq!(d.charset, "windows-1251");
        assert!(d.text.contains("Привет, мир!"));
        assert_eq!(decode(b"<p>plain</p>", None).charset, "UTF-8");
    }

    #[test]
    fn content_type_parameters() {
        assert_eq!(charset_param("text/html; charset=UTF-8"), Some("UTF-8"));
        assert_eq!(
            charset_param("text/html;Charset='latin1' ; x=y"),
            Some("latin1")
        );
        assert_eq!(charset_param("text/html"), None);
        assert_eq!(charset_param("text/html; charset="), None);
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_decode(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..2048)) {
            let d = decode(&bytes, Some("text/html; charset=iso-8859-1"));
            proptest::prop_assert!(!d.charset.is_empty());
            let d = decode(&bytes, None);
            if let Ok(s) = std::str::from_utf8(&bytes) {
                if !bytes.starts_with(&[0xEF, 0xBB, 0xBF]) && Encoding::for_bom(&bytes).is_none() {
                    proptest::prop_assert_eq!(d.text.as_ref(), s);
                }
            }
        }

        #[test]
        fn prescan_survives_any_markup(text in "(<[!/?a-z]{0,6}|[ =\"'>a-z-]|charset|meta|content){0,80}") {
            let _ = prescan(text.as_bytes());
        }
    }
}
