//! Bytes to text: BOMs, UTF-16 with or without BOM, UTF-8, and Windows-1252 for the rest.

use std::borrow::Cow;

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

/// UTF-16 from a BOM, or from the NUL-byte pattern of mostly-ASCII UTF-16 text without one.
pub fn sniff_utf16(prefix: &[u8]) -> Option<Encoding> {
    if prefix.starts_with(&[0xFF, 0xFE]) {
        return Some(Encoding::Utf16Le);
    }
    if prefix.starts_with(&[0xFE, 0xFF]) {
        return Some(Encoding::Utf16Be);
    }
    let sample = &prefix[..prefix.len().min(SNIFF_BYTES) & !1];
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
    if let Some(encoding) = sniff_utf16(bytes) {
        let codec = match encoding {
            Encoding::Utf16Be => encoding_rs::UTF_16BE,
            _ => encoding_rs::UTF_16LE,
        };
        let (text, replaced) = codec.decode_with_bom_removal(bytes);
        if looks_binary(text.as_bytes()) {
            return Err(RejectReason::Binary);
        }
        return Ok(Decoded {
            text: text.into_owned(),
            encoding,
            replaced,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if looks_binary(bytes) {
        return Err(RejectReason::Binary);
    }
    let (text, encoding) = decode_line(bytes);
    Ok(Decoded {
        text: text.into_owned(),
        encoding,
        replaced: false,
    })
}

/// UTF-8 if valid, else Windows-1252, which maps every byte to a character (nothing is lost or
/// replaced).
pub fn decode_line(bytes: &[u8]) -> (Cow<'_, str>, Encoding) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), Encoding::Utf8),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text, Encoding::Windows1252)
        }
    }
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
}
