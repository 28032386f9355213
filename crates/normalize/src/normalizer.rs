use std::borrow::Cow;
use std::str::Chars;

use unicode_normalization::{is_nfc_quick, is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Which Unicode normal form the text is brought to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NormalForm {
    /// Canonical composition: keeps the text's characters, only unifies how they are encoded.
    #[default]
    Nfc,
    /// Compatibility composition: also folds ligatures, full-width forms, superscripts.
    Nfkc,
}

/// Cleans text so that later stages see one spelling of it: a Unicode normal form, `\n` line
/// ends, no control or zero-width characters, single spaces, at most one blank line in a row,
/// no blank lines at either end. Normalizing twice gives the same text as normalizing once.
#[derive(Clone, Debug, Default)]
pub struct Normalizer {
    form: NormalForm,
}

impl Normalizer {
    /// NFC normalization.
    pub fn new() -> Self {
        Normalizer::default()
    }

    /// Chooses the normal form.
    pub fn form(mut self, form: NormalForm) -> Self {
        self.form = form;
        self
    }

    /// Returns the normalized text.
    pub fn normalize(&self, text: &str) -> String {
        let mut cleaned = clean(&self.compose(text));
        // Removing a character can bring a combining mark next to a new base; composing again
        // until nothing changes is what makes the result idempotent.
        loop {
            let composed = match self.compose(&cleaned) {
                // Already composed (nearly always): nothing changed, no copy to compare.
                Cow::Borrowed(_) => return cleaned,
                Cow::Owned(composed) => composed,
            };
            if composed == cleaned {
                return composed;
            }
            cleaned = clean(&composed);
        }
    }

    /// The text in the chosen normal form, borrowed when it already is in it.
    fn compose<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let normalized = match self.form {
            NormalForm::Nfc => quick_check_passes(text, nfc_stable, |run| is_nfc_quick(run)),
            NormalForm::Nfkc => quick_check_passes(text, |_| false, |run| is_nfkc_quick(run)),
        };
        match self.form {
            _ if normalized => Cow::Borrowed(text),
            NormalForm::Nfc => Cow::Owned(text.nfc().collect()),
            NormalForm::Nfkc => Cow::Owned(text.nfkc().collect()),
        }
    }
}

/// Whether the Unicode quick check says `text` is already normalized, looking only at its runs
/// of non-ASCII characters. ASCII characters are always allowed and reset the combining-class
/// order the check tracks, so each run can be checked on its own, and the ASCII between runs,
/// most of a news text, is skipped without being decoded.
///
/// Runs made only of `stable` characters (for NFC: the Latin-1 letters, curly quotes and
/// dashes news text is full of) pass without the table lookups of the quick check.
fn quick_check_passes(
    text: &str,
    stable: fn(char) -> bool,
    check: impl Fn(Chars<'_>) -> IsNormalized,
) -> bool {
    if text.is_ascii() {
        return true;
    }
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(offset) = first_non_ascii(&bytes[at..]) {
        let start = at + offset;
        // Bytes of multi-byte UTF-8 sequences are all non-ASCII, so the run ends on a character
        // boundary.
        let end = bytes[start..]
            .iter()
            .position(u8::is_ascii)
            .map_or(bytes.len(), |n| start + n);
        let run = &text[start..end];
        if !run.chars().all(stable) && check(run.chars()) != IsNormalized::Yes {
            return false;
        }
        at = end;
    }
    true
}

/// Where the first non-ASCII byte is, testing eight bytes at a time: the ASCII between the
/// non-ASCII characters is most of a news text.
fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    let chunks = bytes.chunks_exact(8);
    let skipped = chunks.take_while(|chunk| chunk.is_ascii()).count() * 8;
    bytes[skipped..]
        .iter()
        .position(|b| !b.is_ascii())
        .map(|n| skipped + n)
}

/// Whether `c` is in NFC whatever surrounds it: no decomposition (NFC quick check yes) and
/// combining class 0, so it neither moves nor composes with a neighbour. Only ranges checked
/// character by character in the tests: Latin-1 (U+00A0 to U+00FF) and the dashes, quotes,
/// bullets and ellipsis of U+2010 to U+2027.
fn nfc_stable(c: char) -> bool {
    matches!(c, '\u{A0}'..='\u{FF}' | '\u{2010}'..='\u{2027}')
}

/// What a character becomes in cleaned text.
enum Class {
    Keep,
    Space,
    Newline,
    Drop,
}

fn classify(c: char) -> Class {
    match c {
        '\n' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => Class::Newline,
        ' '
        | '\t'
        | '\u{A0}'
        | '\u{1680}'
        | '\u{2000}'..='\u{200A}'
        | '\u{202F}'
        | '\u{205F}'
        | '\u{3000}' => Class::Space,
        // Zero-width and invisible format characters: soft hyphen, ZWSP/ZWNJ/ZWJ, direction
        // marks and embeddings, word joiner and invisible operators, BOM.
        '\u{AD}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206F}'
        | '\u{FEFF}' => Class::Drop,
        c if c.is_control() => Class::Drop,
        _ => Class::Keep,
    }
}

/// One pass: line ends unified, invisible characters dropped, spaces collapsed, lines
/// right-trimmed, runs of blank lines cut to one, blank lines at the ends removed.
fn clean(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut pending = Pending::default();
    let mut i = 0;
    while i < bytes.len() {
        // Printable ASCII with single spaces, nearly all of a news text, is kept as it is:
        // whole runs of it are copied at once instead of being classified a character at a time.
        if is_printable_ascii(bytes[i]) {
            let start = i;
            i += 1;
            loop {
                if let Some(chunk) = bytes
                    .get(i..i + 8)
                    .and_then(|c| <[u8; 8]>::try_from(c).ok())
                {
                    if is_plain_chunk(u64::from_le_bytes(chunk)) {
                        i += 8;
                        continue;
                    }
                }
                match bytes.get(i) {
                    Some(&b) if is_printable_ascii(b) => i += 1,
                    // One space between two kept characters stays as it is.
                    Some(b' ') if bytes.get(i + 1).is_some_and(|&b| is_printable_ascii(b)) => {
                        i += 2
                    }
                    _ => break,
                }
            }
            pending.flush(&mut out);
            out.push_str(&text[start..i]);
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        i += c.len_utf8();
        let class = if c == '\r' {
            if bytes.get(i) == Some(&b'\n') {
                i += 1;
            }
            Class::Newline
        } else {
            classify(c)
        };
        match class {
            Class::Drop => {}
            Class::Space => pending.space = true,
            Class::Newline => {
                pending.space = false;
                pending.newlines += 1;
            }
            Class::Keep => {
                pending.flush(&mut out);
                out.push(c);
            }
        }
    }
    out
}

fn is_printable_ascii(byte: u8) -> bool {
    (0x21..0x7F).contains(&byte)
}

/// Each byte of a `u64` once.
const EACH_BYTE: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Whether eight bytes (little-endian in `chunk`), coming after a kept printable character,
/// are kept exactly as they are: printable ASCII and single spaces, each space followed by a
/// printable character within the eight. Tested with bit arithmetic on all eight at once, so
/// plain text is copied eight bytes per step.
fn is_plain_chunk(chunk: u64) -> bool {
    // Any byte below 0x20 (a control character) or at or above 0x7F (DEL, non-ASCII).
    let below_space = chunk.wrapping_sub(EACH_BYTE * 0x20) & !chunk & HIGH_BITS;
    let above_tilde = (chunk.wrapping_add(EACH_BYTE) | chunk) & HIGH_BITS;
    if below_space | above_tilde != 0 {
        return false;
    }
    // The high bit of every byte that is a space (exact, no borrow between bytes).
    let xored = chunk ^ (EACH_BYTE * u64::from(b' '));
    let low_bits = !HIGH_BITS;
    let spaces = !(((xored & low_bits) + low_bits) | xored) & HIGH_BITS;
    let double_space = spaces & (spaces << 8) != 0;
    let ends_with_space = spaces >> 56 != 0;
    !double_space && !ends_with_space
}

/// Spaces and line breaks seen since the last kept character: they are written only once a
/// character follows, which is what trims lines and the text's ends.
#[derive(Default)]
struct Pending {
    newlines: usize,
    space: bool,
}

impl Pending {
    /// Writes what a kept character that follows needs before it.
    fn flush(&mut self, out: &mut String) {
        if self.newlines > 0 {
            if !out.is_empty() {
                out.push_str(if self.newlines > 1 { "\n\n" } else { "\n" });
            }
            self.newlines = 0;
        } else if self.space && !out.is_empty() {
            out.push(' ');
        }
        self.space = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn nfc_stable_characters_pass_the_quick_check_and_never_combine() {
        for c in ('\u{80}'..='\u{2FF}').chain('\u{2000}'..='\u{206F}') {
            if nfc_stable(c) {
                assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
                let class = unicode_normalization::char::canonical_combining_class(c);
                assert_eq!(class, 0, "{c:?}");
            }
        }
        // A stable character before a combining mark is left to the full check.
        let text = "caf\u{e9}\u{301} \u{201c}x\u{201d}";
        assert_eq!(
            Normalizer::new().normalize(text),
            text.nfc().collect::<String>()
        );
    }

    #[test]
    fn cleans_what_later_stages_should_not_see() {
        let n = Normalizer::new();
        assert_eq!(
            n.normalize("\n\n  a\u{200b}b\r\nc  \t d \n\n\n\n e\u{a0}f  \n\n"),
            "ab\nc d\n\ne f"
        );
        assert_eq!(n.normalize("cafe\u{301}"), "caf\u{e9}");
        assert_eq!(n.normalize("x\u{7}y\u{2028}z"), "xy\nz");
        assert_eq!(
            Normalizer::new()
                .form(NormalForm::Nfkc)
                .normalize("\u{fb01}ne \u{ff21}"),
            "fine A"
        );
        assert_eq!(n.normalize("\u{fb01}ne"), "\u{fb01}ne");
    }

    #[test]
    fn removal_that_exposes_a_combining_mark_still_composes() {
        let n = Normalizer::new();
        let once = n.normalize("e\u{200b}\u{301}");
        assert_eq!(once, "\u{e9}");
    }

    /// The character-at-a-time cleaner the fast paths of [`clean`] must agree with.
    fn clean_reference(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut pending_newlines = 0usize;
        let mut pending_space = false;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            let class = if c == '\r' {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                Class::Newline
            } else {
                classify(c)
            };
            match class {
                Class::Drop => {}
                Class::Space => pending_space = true,
                Class::Newline => {
                    pending_space = false;
                    pending_newlines += 1;
                }
                Class::Keep => {
                    if pending_newlines > 0 {
                        if !out.is_empty() {
                            out.push_str(if pending_newlines > 1 { "\n\n" } else { "\n" });
                        }
                        pending_newlines = 0;
                    } else if pending_space && !out.is_empty() {
                        out.push(' ');
                    }
                    pending_space = false;
                    out.push(c);
                }
            }
        }
        out
    }

    #[test]
    fn plain_chunks() {
        let chunk = |bytes: &[u8; 8]| is_plain_chunk(u64::from_le_bytes(*bytes));
        assert!(chunk(b"abc def."));
        assert!(chunk(b" a b c d"));
        assert!(!chunk(b"abc  def"));
        assert!(!chunk(b"abcdefg "));
        assert!(!chunk(b"abc\tdefg"[..8].try_into().unwrap()));
        assert!(!chunk(b"abc\x7fdefg"[..8].try_into().unwrap()));
        assert!(!chunk(&[b'a', 0xC3, 0xA9, b'b', b'c', b'd', b'e', b'f']));
        assert!(!chunk(b"abc\ndefg"[..8].try_into().unwrap()));
    }

    proptest! {
        #[test]
        fn fast_paths_agree_with_the_reference(text in "([a-z .,\"]{0,12}|[ \t\r\n\u{0}\u{7f}\u{a0}\u{ad}\u{200b}\u{2028}]|\\PC){0,40}") {
            prop_assert_eq!(clean(&text), clean_reference(&text));
        }

        #[test]
        fn idempotent(text in "(\\PC|[\\r\\n\\t \u{200b}\u{301}\u{a0}\u{7}]){0,80}") {
            for form in [NormalForm::Nfc, NormalForm::Nfkc] {
                let n = Normalizer::new().form(form);
                let once = n.normalize(&text);
                prop_assert_eq!(n.normalize(&once), once.clone());
            }
        }

        #[test]
        fn no_controls_and_tidy_lines(text in "\\PC{0,40}([\\r\\n\\t\u{0}-\u{1f} ]\\PC{0,20}){0,6}") {
            let out = Normalizer::new().normalize(&text);
            prop_assert!(out.chars().all(|c| c == '\n' || !c.is_control()));
            prop_assert!(!out.contains("\n\n\n") && !out.contains("  ") && !out.contains(" \n"));
            prop_assert!(!out.starts_with('\n') && !out.ends_with('\n'));
            prop_assert!(!out.starts_with(' ') && !out.ends_with(' '));
            prop_assert!(unicode_normalization::is_nfc(&out));
        }
    }
}
