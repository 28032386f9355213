//! Bytes to text: BOMs, UTF-16 and UTF-32 with or without BOM, UTF-8 (with U+FFFD for a few
//! bad bytes), and Windows-1252 for the rest.

use std::borrow::Cow;
use std::io::{self, Read};

use crate::document::{Encoding, RejectReason};

/// How many leading bytes decide whether a stream is UTF-16 without a BOM, or binary.
const SNIFF_BYTES: usize = 8192;

/// Text with more control characters than this share of its bytes is not text.
const MAX_CONTROL_SHARE: f64 = 0.10;

/// Decoded text and how it was decoded.
pub struct Decoded {
    pub text: String,
    pub encoding: Encoding,
    pub replaced: bool,
}

/// UTF-16 or UTF-32 from a BOM, or from the NUL-byte pattern of mostly-ASCII text without one
/// (which side of each unit the zeros are on tells big-endian from little-endian).
pub fn sniff_wide(prefix: &[u8]) -> Option<Encoding> {
    // `FF FE 00 00` is also a UTF-16 BOM and a NUL; as everywhere else, UTF-32 wins.
    if prefix.starts_with(&[0xFF, 0xFE, 0, 0]) {
        return Some(Encoding::Utf32Le);
    }
    if prefix.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Some(Encoding::Utf32Be);
    }
    if prefix.starts_with(&[0xFF, 0xFE]) {
        return Some(Encoding::Utf16Le);
    }
    if prefix.starts_with(&[0xFE, 0xFF]) {
        return Some(Encoding::Utf16Be);
    }
    let sample = &prefix[..prefix.len().min(SNIFF_BYTES)];
    sniff_utf32(sample).or_else(|| sniff_utf16(sample))
}

/// UTF-32 without a BOM: every unit a Unicode scalar value, few of them control characters,
/// the high half of (nearly) every unit zero and its low byte rarely, as for text that is mostly
/// below U+10000.
fn sniff_utf32(sample: &[u8]) -> Option<Encoding> {
    let sample = &sample[..sample.len() & !3];
    if sample.len() < 8 {
        return None;
    }
    let units = sample.len() / 4;
    let zeros = |at: usize| {
        sample
            .iter()
            .skip(at)
            .step_by(4)
            .filter(|&&b| b == 0)
            .count()
    };
    let mostly = |zeros: usize| zeros * 10 >= units * 9;
    let rarely = |zeros: usize| zeros * 10 <= units;
    let text_like = |unit: fn([u8; 4]) -> u32| {
        let mut controls = 0;
        for c in sample.chunks_exact(4) {
            match char::from_u32(unit([c[0], c[1], c[2], c[3]])) {
                None => return false,
                Some(c) if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0C') => {
                    controls += 1
                }
                Some(_) => {}
            }
        }
        controls as f64 <= units as f64 * MAX_CONTROL_SHARE
    };
    // The test that fails at once on other text (no zero high byte) first.
    let all_zero = |at: usize| sample.iter().skip(at).step_by(4).all(|&b| b == 0);
    if all_zero(3) && mostly(zeros(2)) && rarely(zeros(0)) && text_like(u32::from_le_bytes) {
        Some(Encoding::Utf32Le)
    } else if all_zero(0) && mostly(zeros(1)) && rarely(zeros(3)) && text_like(u32::from_be_bytes) {
        Some(Encoding::Utf32Be)
    } else {
        None
    }
}

/// UTF-16 without a BOM, from the zeros of ASCII characters.
fn sniff_utf16(sample: &[u8]) -> Option<Encoding> {
    let sample = &sample[..sample.len() & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even_zeros = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_zeros = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    // ASCII letters in UTF-16 put a zero in every other byte; binary data rarely does so
    // consistently on one side only.
    let mostly = |zeros: usize| zeros * 10 >= pairs * 7;
    let hardly = |zeros: usize| zeros * 20 <= pairs;
    if mostly(odd_zeros) && hardly(even_zeros) {
        Some(Encoding::Utf16Le)
    } else if mostly(even_zeros) && hardly(odd_zeros) {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// The text of wide-encoded bytes (as [`sniff_wide`] found them), a leading BOM removed, and
/// whether anything had to be replaced. A unit cut off at the end is replaced.
pub fn decode_wide(bytes: &[u8], encoding: Encoding) -> (String, bool) {
    match encoding {
        Encoding::Utf32Le | Encoding::Utf32Be => {
            let big_endian = encoding == Encoding::Utf32Be;
            let mut text = String::with_capacity(bytes.len() / 4);
            let replaced = push_utf32(&mut text, bytes, big_endian, true);
            let cut = !bytes.len().is_multiple_of(4);
            if cut {
                text.push(char::REPLACEMENT_CHARACTER);
            }
            (text, replaced || cut)
        }
        _ => {
            let codec = match encoding {
                Encoding::Utf16Be => encoding_rs::UTF_16BE,
                _ => encoding_rs::UTF_16LE,
            };
            let (text, replaced) = codec.decode_without_bom_handling(bytes);
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            (text.to_string(), replaced)
        }
    }
}

/// Appends the whole UTF-32 units of `bytes` to `text` (a BOM first in the stream skipped when
/// `at_start`); says whether a unit was not a Unicode scalar value and was replaced.
pub fn push_utf32(text: &mut String, bytes: &[u8], big_endian: bool, at_start: bool) -> bool {
    let mut replaced = false;
    for (i, unit) in bytes.chunks_exact(4).enumerate() {
        let unit = [unit[0], unit[1], unit[2], unit[3]];
        let value = if big_endian {
            u32::from_be_bytes(unit)
        } else {
            u32::from_le_bytes(unit)
        };
        if at_start && i == 0 && value == 0xFEFF {
            continue;
        }
        match char::from_u32(value) {
            Some(c) => text.push(c),
            None => {
                replaced = true;
                text.push(char::REPLACEMENT_CHARACTER);
            }
        }
    }
    replaced
}

/// A UTF-32 stream read as UTF-8 (encoding_rs has no UTF-32), a leading BOM skipped. A unit
/// that is not a character, or cut off at the end, becomes U+FFFD.
pub struct Utf32Reader {
    inner: Box<dyn Read + Send>,
    big_endian: bool,
    /// Raw bytes read, of which only whole units are decoded.
    raw: Vec<u8>,
    /// Decoded text not handed out yet, from `out_at` on.
    out: String,
    out_at: usize,
    at_start: bool,
    done: bool,
}

impl Utf32Reader {
    pub fn new(inner: Box<dyn Read + Send>, big_endian: bool) -> Self {
        Utf32Reader {
            inner,
            big_endian,
            raw: Vec::new(),
            out: String::new(),
            out_at: 0,
            at_start: true,
            done: false,
        }
    }
}

impl Read for Utf32Reader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_at == self.out.len() && !self.done {
            self.out.clear();
            self.out_at = 0;
            let kept = self.raw.len();
            self.raw.resize(kept + (1 << 15), 0);
            let n = match self.inner.read(&mut self.raw[kept..]) {
                Ok(n) => n,
                Err(err) => {
                    self.raw.truncate(kept);
                    return Err(err);
                }
            };
            self.raw.truncate(kept + n);
            let whole = self.raw.len() & !3;
            push_utf32(
                &mut self.out,
                &self.raw[..whole],
                self.big_endian,
                self.at_start,
            );
            if whole > 0 {
                self.at_start = false;
            }
            self.raw.drain(..whole);
            if n == 0 {
                self.done = true;
                if !self.raw.is_empty() {
                    self.out.push(char::REPLACEMENT_CHARACTER);
                }
            }
        }
        let rest = &self.out.as_bytes()[self.out_at..];
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.out_at += n;
        Ok(n)
    }
}

/// True for bytes that are not text: any NUL, or too many other control bytes.
pub fn looks_binary(bytes: &[u8]) -> bool {
    if memchr::memchr(0, bytes).is_some() {
        return true;
    }
    let sample = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let controls = sample
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)) || b == 0x7F)
        .count();
    controls as f64 > sample.len() as f64 * MAX_CONTROL_SHARE
}

/// Decodes a whole one-document file.
pub fn decode_document(bytes: &[u8]) -> Result<Decoded, RejectReason> {
    if let Some(encoding) = sniff_wide(bytes) {
        let (text, replaced) = decode_wide(bytes, encoding);
        if looks_binary(text.as_bytes()) {
            return Err(RejectReason::Binary);
        }
        return Ok(Decoded {
            text,
            encoding,
            replaced,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if looks_binary(bytes) {
        return Err(RejectReason::Binary);
    }
    let (text, encoding, replaced) = decode_line(bytes);
    Ok(Decoded {
        text: text.into_owned(),
        encoding,
        replaced,
    })
}

/// UTF-8 if valid. Bytes that are not valid UTF-8 are UTF-8 with a few bad bytes when most of
/// their non-ASCII sequences are valid UTF-8: the bad ones become U+FFFD (and the third value
/// says so). Else they are Windows-1252, which maps every byte to a character (nothing is lost
/// or replaced): text in that encoding has hardly any valid UTF-8 sequence, since an accented
/// letter followed by an ASCII one never is.
pub fn decode_line(bytes: &[u8]) -> (Cow<'_, str>, Encoding, bool) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), Encoding::Utf8, false),
        Err(_) if mostly_utf8(bytes) => (String::from_utf8_lossy(bytes), Encoding::Utf8, true),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text, Encoding::Windows1252, false)
        }
    }
}

/// More valid non-ASCII UTF-8 characters than invalid sequences.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    valid > invalid
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str, bom: bool) -> Vec<u8> {
        let mut bytes = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        for unit in text.encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        bytes
    }

    #[test]
    fn utf16_with_and_without_bom() {
        for bom in [true, false] {
            let decoded = decode_document(&utf16le("Caf\u{e9} opens today.", bom)).unwrap();
            assert_eq!(decoded.text, "Caf\u{e9} opens today.");
            assert_eq!(decoded.encoding, Encoding::Utf16Le);
            assert!(!decoded.replaced);
        }
        let mut be = vec![0xFE, 0xFF];
        for unit in "Hello".encode_utf16() {
            be.extend_from_slice(&unit.to_be_bytes());
        }
        assert_eq!(decode_document(&be).unwrap().encoding, Encoding::Utf16Be);
    }

    #[test]
    fn unpaired_surrogate_is_reported_as_replaced() {
        let mut bytes = utf16le("ab", true);
        bytes.extend_from_slice(&0xD800u16.to_le_bytes());
        bytes.extend_from_slice(&utf16le("cd", false));
        let decoded = decode_document(&bytes).unwrap();
        assert!(decoded.replaced);
        assert!(decoded.text.contains('\u{FFFD}'));
    }

    #[test]
    fn invalid_utf8_is_windows_1252() {
        let decoded = decode_document(b"caf\xe9 \x93quoted\x94").unwrap();
        assert_eq!(decoded.encoding, Encoding::Windows1252);
        assert_eq!(decoded.text, "caf\u{e9} \u{201c}quoted\u{201d}");
        assert!(!decoded.replaced);
    }

    #[test]
    fn bom_is_stripped_and_binary_rejected() {
        let decoded = decode_document(b"\xEF\xBB\xBFhello").unwrap();
        assert_eq!(decoded.text, "hello");
        assert_eq!(decoded.encoding, Encoding::Utf8);
        assert_eq!(
            decode_document(b"\x7fELF\x02\x01\x01\0\0\0").err(),
            Some(RejectReason::Binary)
        );
        assert_eq!(
            decode_document(&[1, 2, 3, 4, 5, 6, 7, 8, b'a']).err(),
            Some(RejectReason::Binary)
        );
    }

    #[test]
    fn a_few_bad_bytes_in_utf8_are_replaced_not_mojibake() {
        let mut bytes = "Caf\u{e9} \u{2014} \u{201c}news\u{201d}"
            .as_bytes()
            .to_vec();
        bytes.insert(5, 0xFF);
        let decoded = decode_document(&bytes).unwrap();
        assert_eq!(decoded.encoding, Encoding::Utf8);
        assert!(decoded.replaced);
        assert_eq!(
            decoded.text,
            "Caf\u{e9}\u{FFFD} \u{2014} \u{201c}news\u{201d}"
        );
        // As many bad sequences as good characters: more like Windows-1252 with one accident.
        let (text, encoding, replaced) = decode_line(b"caf\xe9 \xe2\x80\x94");
        assert_eq!((encoding, replaced), (Encoding::Windows1252, false));
        assert_eq!(text, "caf\u{e9} \u{e2}\u{20ac}\u{201d}");
    }

    fn utf16be(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_be_bytes).collect()
    }

    fn utf32(text: &str, big_endian: bool) -> Vec<u8> {
        text.chars()
            .flat_map(|c| {
                if big_endian {
                    (c as u32).to_be_bytes()
                } else {
                    (c as u32).to_le_bytes()
                }
            })
            .collect()
    }

    #[test]
    fn byte_order_is_told_by_bom_or_by_the_zeros_of_ascii() {
        let json = "[{\"text\": \"Caf\u{e9}\"}]";
        assert_eq!(sniff_wide(&utf16be(json)), Some(Encoding::Utf16Be));
        assert_eq!(sniff_wide(&utf16le(json, false)), Some(Encoding::Utf16Le));
        let mut bom = vec![0xFE, 0xFF];
        bom.extend_from_slice(&utf16be(json));
        assert_eq!(sniff_wide(&bom), Some(Encoding::Utf16Be));
        assert_eq!(
            decode_wide(&bom, Encoding::Utf16Be),
            (json.to_string(), false)
        );
        for big_endian in [false, true] {
            let expected = if big_endian {
                Encoding::Utf32Be
            } else {
                Encoding::Utf32Le
            };
            assert_eq!(sniff_wide(&utf32(json, big_endian)), Some(expected));
            let with_bom = utf32(&format!("\u{feff}{json}"), big_endian);
            assert_eq!(sniff_wide(&with_bom), Some(expected));
            assert_eq!(decode_wide(&with_bom, expected), (json.to_string(), false));
        }
        assert_eq!(sniff_wide(b"plain ASCII text"), None);
        assert_eq!(sniff_wide(&[0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3]), None);
    }

    #[test]
    fn utf32_documents_are_decoded_and_bad_units_replaced() {
        let text = "Caf\u{e9} \u{1F600} news.";
        for big_endian in [false, true] {
            let decoded = decode_document(&utf32(text, big_endian)).unwrap();
            assert_eq!(decoded.text, text);
            assert!(!decoded.replaced);
        }
        let mut bytes = utf32(text, false);
        bytes.extend_from_slice(&0xD800u32.to_le_bytes());
        bytes.extend_from_slice(&[b'x', 0]);
        let (decoded, replaced) = decode_wide(&bytes, Encoding::Utf32Le);
        assert_eq!(decoded, format!("{text}\u{FFFD}\u{FFFD}"));
        assert!(replaced);
    }

    #[test]
    fn utf32_streams_are_read_as_utf8_in_any_chunks() {
        let text = "\u{feff}{\"text\": \"Caf\u{e9} \u{1F600}\"}\n".repeat(3000);
        for big_endian in [false, true] {
            // A reader that gives its bytes five at a time, splitting units.
            struct Dribble(std::io::Cursor<Vec<u8>>);
            impl Read for Dribble {
                fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                    let n = buf.len().min(5);
                    self.0.read(&mut buf[..n])
                }
            }
            let bytes = utf32(&text, big_endian);
            let mut reader =
                Utf32Reader::new(Box::new(Dribble(std::io::Cursor::new(bytes))), big_endian);
            let mut out = String::new();
            reader.read_to_string(&mut out).unwrap();
            // Only the first BOM is a BOM; the others are characters of the text.
            assert_eq!(out, &text[3..]);
        }
    }
}
