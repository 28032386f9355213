//! Writing systems, from Unicode block ranges: the first step of the cascade.

/// A writing system. Some name one language among those the detector knows (Greek, Hangul,
/// Thai, …); others are shared and need the n-gram model (Latin, Cyrillic, Arabic, Devanagari,
/// Han).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
#[non_exhaustive]
pub enum Script {
    /// Latin letters.
    Latin = 0,
    /// Cyrillic.
    Cyrillic,
    /// Greek.
    Greek,
    /// Armenian.
    Armenian,
    /// Hebrew.
    Hebrew,
    /// Arabic (Arabic, Persian, Urdu).
    Arabic,
    /// Devanagari (Hindi, Marathi, Nepali).
    Devanagari,
    /// Bengali.
    Bengali,
    /// Gurmukhi (Punjabi).
    Gurmukhi,
    /// Gujarati.
    Gujarati,
    /// Oriya.
    Oriya,
    /// Tamil.
    Tamil,
    /// Telugu.
    Telugu,
    /// Kannada.
    Kannada,
    /// Malayalam.
    Malayalam,
    /// Sinhala.
    Sinhala,
    /// Thai.
    Thai,
    /// Myanmar (Burmese).
    Myanmar,
    /// Georgian.
    Georgian,
    /// Hangul (Korean).
    Hangul,
    /// Ethiopic (Amharic).
    Ethiopic,
    /// Khmer.
    Khmer,
    /// Hiragana and Katakana (Japanese).
    Kana,
    /// Han ideographs (Chinese, and Japanese kanji).
    Han,
}

/// How many scripts there are.
pub const SCRIPTS: usize = Script::Han as usize + 1;

/// Every script, in the order of their ids.
pub const ALL: [Script; SCRIPTS] = [
    Script::Latin,
    Script::Cyrillic,
    Script::Greek,
    Script::Armenian,
    Script::Hebrew,
    Script::Arabic,
    Script::Devanagari,
    Script::Bengali,
    Script::Gurmukhi,
    Script::Gujarati,
    Script::Oriya,
    Script::Tamil,
    Script::Telugu,
    Script::Kannada,
    Script::Malayalam,
    Script::Sinhala,
    Script::Thai,
    Script::Myanmar,
    Script::Georgian,
    Script::Hangul,
    Script::Ethiopic,
    Script::Khmer,
    Script::Kana,
    Script::Han,
];

impl Script {
    /// The script of a letter, or `None` for digits, punctuation, symbols and scripts the
    /// detector has no language for.
    pub fn of(c: char) -> Option<Script> {
        let code = u32::from(c);
        if code < 0x80 {
            return c.is_ascii_alphabetic().then_some(Script::Latin);
        }
        let script = match code {
            0x00C0..=0x024F | 0x1E00..=0x1EFF | 0x0250..=0x02AF | 0x2C60..=0x2C7F => Script::Latin,
            0xA720..=0xA7FF | 0xAB30..=0xAB6F | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A => Script::Latin,
            0x0300..=0x036F => return None,
            0x0370..=0x03FF | 0x1F00..=0x1FFF => Script::Greek,
            0x0400..=0x052F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => {
                Script::Cyrillic
            }
            0x0530..=0x058F | 0xFB13..=0xFB17 => Script::Armenian,
            0x0590..=0x05FF | 0xFB1D..=0xFB4F => Script::Hebrew,
            0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF => Script::Arabic,
            0xFE70..=0xFEFF => Script::Arabic,
            0x0900..=0x097F | 0xA8E0..=0xA8FF => Script::Devanagari,
            0x0980..=0x09FF => Script::Bengali,
            0x0A00..=0x0A7F => Script::Gurmukhi,
            0x0A80..=0x0AFF => Script::Gujarati,
            0x0B00..=0x0B7F => Script::Oriya,
            0x0B80..=0x0BFF => Script::Tamil,
            0x0C00..=0x0C7F => Script::Telugu,
            0x0C80..=0x0CFF => Script::Kannada,
            0x0D00..=0x0D7F => Script::Malayalam,
            0x0D80..=0x0DFF => Script::Sinhala,
            0x0E00..=0x0E7F => Script::Thai,
            0x1000..=0x109F => Script::Myanmar,
            0x10A0..=0x10FF | 0x2D00..=0x2D2F | 0x1C90..=0x1CBF => Script::Georgian,
            0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => Script::Hangul,
            0x1200..=0x139F | 0x2D80..=0x2DDF | 0xAB00..=0xAB2F => Script::Ethiopic,
            0x1780..=0x17FF | 0x19E0..=0x19FF => Script::Khmer,
            0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => Script::Kana,
            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F => Script::Han,
            _ => return None,
        };
        // Within the ranges, only letters and the vowel signs that belong to words count:
        // punctuation of a block (Devanagari danda, Arabic comma, Greek question mark) does not.
        (c.is_alphabetic() || is_word_mark(c)).then_some(script)
    }

    /// The script with this id (the order of [`ALL`]).
    pub fn from_id(id: u8) -> Option<Script> {
        ALL.get(usize::from(id)).copied()
    }
}

/// Combining marks that are part of words in Indic and other abugidas (viramas, nuktas and
/// vowel signs that Unicode does not call alphabetic).
pub fn is_word_mark(c: char) -> bool {
    matches!(u32::from(c),
        0x0591..=0x05C7 | 0x064B..=0x065F | 0x0670 | 0x0900..=0x0903 | 0x093A..=0x094F
        | 0x0951..=0x0957 | 0x0962 | 0x0963 | 0x0981..=0x0983 | 0x09BC..=0x09D7 | 0x0A01..=0x0A03
        | 0x0A3C..=0x0A51 | 0x0A70 | 0x0A71 | 0x0A75 | 0x0A81..=0x0A83 | 0x0ABC..=0x0ACD
        | 0x0B01..=0x0B03 | 0x0B3C..=0x0B57 | 0x0B82 | 0x0BBE..=0x0BCD | 0x0BD7
        | 0x0C00..=0x0C04 | 0x0C3C..=0x0C56 | 0x0C81..=0x0C83 | 0x0CBC..=0x0CD6
        | 0x0D00..=0x0D03 | 0x0D3B..=0x0D57 | 0x0D81..=0x0D83 | 0x0DCA..=0x0DDF
        | 0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E | 0x102B..=0x103E | 0x17B4..=0x17D3
        | 0x3099 | 0x309A)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_get_their_script_and_the_rest_none() {
        assert_eq!(Script::of('a'), Some(Script::Latin));
        assert_eq!(Script::of('ñ'), Some(Script::Latin));
        assert_eq!(Script::of('ж'), Some(Script::Cyrillic));
        assert_eq!(Script::of('λ'), Some(Script::Greek));
        assert_eq!(Script::of('ক'), Some(Script::Bengali));
        assert_eq!(Script::of('्'), Some(Script::Devanagari));
        assert_eq!(Script::of('한'), Some(Script::Hangul));
        assert_eq!(Script::of('の'), Some(Script::Kana));
        assert_eq!(Script::of('中'), Some(Script::Han));
        for c in ['1', ' ', '.', '।', '،', '—'] {
            assert_eq!(Script::of(c), None, "{c:?}");
        }
        for (id, script) in ALL.iter().enumerate() {
            assert_eq!(Script::from_id(id as u8), Some(*script));
        }
    }
}
