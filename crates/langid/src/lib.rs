//! Language identification for news text, in one pass over a short sample.
//!
//! A cascade: a text's letters are first counted by script. A script that only one known
//! language writes (Greek, Hangul, Thai, Georgian, Armenian, Hebrew, Gujarati, Kana, …)
//! decides by itself. Scripts several languages share (Latin, Cyrillic, Arabic, Devanagari,
//! Han) go to a naive-Bayes model over character 1- to 5-grams: each n-gram of the text costs
//! one hash look-up, which returns a packed row of scores for only the languages that have it,
//! and the best candidate of the script wins. Scoring stops at the end of a word once one
//! language leads clearly, so long texts cost little more than a sentence.
//! Six languages lingua has no model for (Yiddish, Nepali, Javanese, Turkmen, Uzbek, Akan) get
//! a second decision when the answer is one of their relatives or the text has their letters:
//! those letters alone, or whatlang's trigram profiles between the relative and the new
//! language.
//! Each thread remembers what the words it scored last added (a word's n-grams depend on the
//! word alone), so the common words of news cost one look-up each.
//!
//! The model's scores are computed once, offline, from the n-gram frequencies of the
//! per-language models of lingua-rs (Apache-2.0), and compiled into a table of about 4 MB
//! that is part of the crate (`data/ngrams.bin`, rebuilt bit for bit by `generate/`; see the
//! README and NOTICE), with a 400 kB first tier of its most frequent n-grams (`data/hot.bin`)
//! that decides most long texts alone and stays in cache. Nothing is downloaded or read at run time. Language codes are ISO
//! 639-3 as whatlang spells them (`eng`, `cmn`, `pes`, `nob`, `srp`).
//!
//! # Example
//!
//! ```
//! use docpipe_langid::Detector;
//!
//! let detector = Detector::new()?;
//! let found = detector.detect("Der Bundestag hat am Dienstag über den Haushalt beraten.");
//! assert_eq!(found.code, Some("deu"));
//! assert!(found.confidence > 0.9);
//! assert_eq!(detector.detect("Καλημέρα σας").code, Some("ell"));
//! assert_eq!(detector.detect("12 345").code, None);
//! assert_eq!(detector.detect("Ɛnnɛ yɛrekɔ dwam hɔ akɔtɔ nneɛma").code, Some("aka"));
//! # Ok::<(), docpipe_langid::TableError>(())
//! ```
//!
//! [`Detector`] does the work; [`Detection`] is what it returns; [`script::Script`] is the
//! first step of the cascade. [`hash`] and [`table`] are public for the table generator.
#![deny(missing_docs)]

// The README's example is compiled and run as a doctest, so it cannot drift from the code.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

mod detect;
mod error;
pub mod hash;
mod relatives;
pub mod script;
pub mod table;
mod words;

pub use detect::{Detection, Detector};
pub use error::TableError;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_table_parses_and_covers_whatlangs_scripts() {
        let detector = Detector::new().expect("shipped table");
        let languages = detector.languages();
        assert_eq!(languages.len(), 70, "{languages:?}");
        for code in [
            "eng", "cmn", "jpn", "kor", "pes", "nob", "srp", "amh", "khm", "yid", "nep", "jav",
            "tuk", "uzb", "aka",
        ] {
            assert!(languages.contains(&code), "{code}");
        }
    }

    #[test]
    fn scripts_decide_alone_where_one_language_writes_them() {
        let detector = Detector::new().expect("shipped table");
        for (text, code) in [
            ("Καλημέρα, πώς είστε;", "ell"),
            ("안녕하세요 반갑습니다", "kor"),
            ("สวัสดีครับ ยินดีที่ได้รู้จัก", "tha"),
            ("გამარჯობა", "kat"),
            ("Բարև ձեզ", "hye"),
            ("שלום עולם", "heb"),
            ("નમસ્તે", "guj"),
            ("ಕನ್ನಡ ಭಾಷೆ", "kan"),
            ("東京は日本の首都です", "jpn"),
        ] {
            let found = detector.detect(text);
            assert_eq!(found.code, Some(code), "{text}");
            assert!(found.confidence > 0.5, "{text}: {found:?}");
        }
    }

    #[test]
    fn shared_scripts_go_to_the_model() {
        let detector = Detector::new().expect("shipped table");
        for (text, code) in [
            ("The council met on Tuesday to discuss the budget.", "eng"),
            ("El gobierno anunció nuevas medidas económicas.", "spa"),
            ("O governo anunciou novas medidas econômicas.", "por"),
            ("Правительство объявило о новых мерах.", "rus"),
            ("Уряд оголосив про нові заходи.", "ukr"),
            ("دولت اقدامات جدیدی را اعلام کرد", "pes"),
            ("सरकार ने नए उपायों की घोषणा की", "hin"),
            ("政府宣布了新的经济措施", "cmn"),
        ] {
            assert_eq!(detector.detect(text).code, Some(code), "{text}");
        }
    }

    #[test]
    fn no_letters_no_guess_and_bad_input_is_harmless() {
        let detector = Detector::new().expect("shipped table");
        for text in ["", "   ", "12 345 6.7", "!!! ???", "\u{0}\u{1}\u{fffd}"] {
            assert_eq!(detector.detect(text).code, None, "{text:?}");
        }
        // Odd code points, combining marks alone and very long words never panic.
        let odd = "\u{301}\u{301}a\u{10ffff}ǅ İstanbul ß".repeat(50) + &"x".repeat(10_000);
        assert!(detector.detect(&odd).code.is_some());
    }

    #[test]
    fn a_clear_lead_means_high_confidence_and_a_toss_up_low() {
        let detector = Detector::new().expect("shipped table");
        let long = detector.detect(
            "Die Regierung hat am Mittwoch neue Maßnahmen gegen die steigenden Preise \
             beschlossen, die vor allem Familien mit kleinen Einkommen entlasten sollen.",
        );
        assert_eq!(long.code, Some("deu"));
        assert!(long.confidence > 0.99, "{long:?}");
        let short = detector.detect("hotel");
        assert!(short.confidence < long.confidence, "{short:?}");
    }

    #[test]
    fn corrupt_tables_are_errors_not_panics() {
        use table::Table;
        assert_eq!(Table::parse(b"").unwrap_err(), TableError::Truncated);
        assert_eq!(
            Table::parse(b"NOTATABLE___").unwrap_err(),
            TableError::Magic
        );
        let mut bytes = b"DPLANGID".to_vec();
        bytes.extend_from_slice(&7u32.to_le_bytes());
        let leaked: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        assert_eq!(Table::parse(leaked).unwrap_err(), TableError::Version(7));
    }
}
