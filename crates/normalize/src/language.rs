//! Language identification with `docpipe-langid` (a script cascade and a naive-Bayes model over
//! character n-grams), on the words of a text rather than its numbers.

/// How many bytes of words the detector reads by default. Measured on the langid dev set and
/// on full news articles (see the crate README): accuracy stops improving well before this,
/// and the detector most often stops earlier still, once one language leads clearly.
pub const DEFAULT_SAMPLE_BYTES: usize = 512;

/// Below this share of letters among non-space characters a text is a table or a list of
/// figures, and its language is not guessed.
const MIN_LETTER_SHARE: f64 = 0.5;

/// With no word at all (only figures and symbols) no language is guessed.
const MIN_WORDS: usize = 1;

/// Below this many alphabetic words a guess is never called reliable.
const MIN_RELIABLE_WORDS: usize = 5;

/// From this confidence on a guess is reliable (with enough words): chosen from accuracy by
/// confidence bucket on the langid dev split (crates/langid/README.md).
const RELIABLE_CONFIDENCE: f64 = 0.9;

/// The language of a text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Language {
    /// ISO 639-3 code as whatlang spells it (`eng`, `deu`, `cmn`), or `None` when the text
    /// has too few words, or too few letters, to tell.
    pub code: Option<&'static str>,
    /// The detector's confidence in `[0, 1]` (see `docpipe_langid::Detection`).
    pub confidence: f64,
    /// Whether the guess can be trusted: the confidence is high, the text is mostly letters,
    /// and it has enough words. Short texts, tables of numbers and mixed texts are not
    /// reliable.
    pub reliable: bool,
}

/// Detects the language of a text from a sample of its words.
#[derive(Clone, Debug)]
pub struct LanguageDetector {
    sample_bytes: usize,
    /// The model is compiled in and checked by docpipe-langid's tests; were it ever unreadable,
    /// every text would get no guess rather than the run stopping.
    detector: Result<docpipe_langid::Detector, docpipe_langid::TableError>,
}

impl Default for LanguageDetector {
    fn default() -> Self {
        LanguageDetector {
            sample_bytes: DEFAULT_SAMPLE_BYTES,
            detector: docpipe_langid::Detector::new(),
        }
    }
}

impl LanguageDetector {
    /// Reads up to [`DEFAULT_SAMPLE_BYTES`] of words.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads up to `bytes` of words (0 = the whole text).
    pub fn sample_bytes(mut self, bytes: usize) -> Self {
        self.sample_bytes = bytes;
        self
    }

    /// The language of `text`.
    pub fn detect(&self, text: &str) -> Language {
        let budget = if self.sample_bytes == 0 {
            text.len()
        } else {
            self.sample_bytes
        };
        let mut end = budget.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        // Extend to the end of a word, so that the sample never ends in half a word.
        end = text[end..]
            .find(char::is_whitespace)
            .map_or(text.len(), |space| end + space);
        let sample = &text[..end];
        let (mut words, mut letters, mut visible) = (0usize, 0usize, 0usize);
        for token in sample.split_whitespace() {
            // Most tokens are ASCII: their letters and characters are counted by byte.
            let (token_letters, token_chars) = if token.is_ascii() {
                let bytes = token.as_bytes();
                (
                    bytes.iter().filter(|b| b.is_ascii_alphabetic()).count(),
                    bytes.len(),
                )
            } else {
                token.chars().fold((0, 0), |(letters, chars), c| {
                    (letters + usize::from(c.is_alphabetic()), chars + 1)
                })
            };
            letters += token_letters;
            visible += token_chars;
            words += usize::from(token_letters * 2 > token_chars);
        }
        let unknown = Language {
            code: None,
            confidence: 0.0,
            reliable: false,
        };
        if words < MIN_WORDS || is_table(sample) {
            return unknown;
        }
        let Ok(detector) = &self.detector else {
            return unknown;
        };
        let found = detector.detect(sample);
        let Some(code) = found.code else {
            return unknown;
        };
        // Tables and lists of figures: a detector would name some language from a few letters.
        if (letters as f64) < visible as f64 * MIN_LETTER_SHARE {
            return Language {
                code: None,
                confidence: found.confidence,
                reliable: false,
            };
        }
        Language {
            code: Some(code),
            confidence: found.confidence,
            reliable: found.confidence >= RELIABLE_CONFIDENCE && words >= MIN_RELIABLE_WORDS,
        }
    }
}

/// Lines of figures with a few abbreviations ("Shr 45 cts vs 58 cts", "Net 1.2 mln vs 1.5
/// mln"): a detector reads their letters as some language with full confidence.
fn is_table(text: &str) -> bool {
    // One pass and no allocation: this runs on every document.
    let (mut lines, mut short, mut figures) = (0usize, 0usize, 0usize);
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        lines += 1;
        short += usize::from(line.len() <= TABLE_LINE_BYTES);
        figures += usize::from(line.bytes().any(|b| b.is_ascii_digit()));
    }
    lines >= 2 && short * 3 >= lines * 2 && figures * 2 >= lines
}

/// A table row is short: prose lines, even wrapped ones, are longer.
const TABLE_LINE_BYTES: usize = 48;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_tables_and_scraps() {
        let detector = LanguageDetector::new();
        let english =
            detector.detect("The council met on Tuesday to discuss the budget for next year.");
        assert_eq!(english.code, Some("eng"));
        assert!(english.reliable);
        let german = detector.detect(
            "Der Bundestag hat am Dienstag über den Haushalt für das nächste Jahr beraten.",
        );
        assert_eq!(german.code, Some("deu"));
        let table = detector.detect("Shr one dlr vs 73 cts\nNet 12.6 mln vs 15.8 mln\nRevs 337.3 mln vs 315.2 mln\nNine mths\nShr 3.07 dlrs vs 3.08 dlrs");
        assert!(!table.reliable);
        assert_eq!(table.code, None);
        // A scrap gets a guess, marked unreliable; figures alone get no guess.
        assert!(!detector.detect("OK 12").reliable);
        assert_eq!(detector.detect("12 345 6.7").code, None);
    }
}
