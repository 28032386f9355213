//! The lingua-rs model crates, one per language, with the ISO 639-3 code whatlang gives it.
//! Only each crate's `models/ngrams.fst` is read: never its `testdata/`.

use include_dir::Dir;

/// (whatlang code, the crate's model directory), in the order of the table's languages.
pub const MODELS: &[(&str, Dir<'static>)] = &[
    (
        "afr",
        lingua_afrikaans_language_model::AFRIKAANS_MODELS_DIRECTORY,
    ),
    ("ara", lingua_arabic_language_model::ARABIC_MODELS_DIRECTORY),
    (
        "aze",
        lingua_azerbaijani_language_model::AZERBAIJANI_MODELS_DIRECTORY,
    ),
    (
        "bel",
        lingua_belarusian_language_model::BELARUSIAN_MODELS_DIRECTORY,
    ),
    (
        "ben",
        lingua_bengali_language_model::BENGALI_MODELS_DIRECTORY,
    ),
    (
        "bul",
        lingua_bulgarian_language_model::BULGARIAN_MODELS_DIRECTORY,
    ),
    (
        "cat",
        lingua_catalan_language_model::CATALAN_MODELS_DIRECTORY,
    ),
    ("ces", lingua_czech_language_model::CZECH_MODELS_DIRECTORY),
    (
        "cmn",
        lingua_chinese_language_model::CHINESE_MODELS_DIRECTORY,
    ),
    ("cym", lingua_welsh_language_model::WELSH_MODELS_DIRECTORY),
    ("dan", lingua_danish_language_model::DANISH_MODELS_DIRECTORY),
    ("deu", lingua_german_language_model::GERMAN_MODELS_DIRECTORY),
    ("ell", lingua_greek_language_model::GREEK_MODELS_DIRECTORY),
    (
        "eng",
        lingua_english_language_model::ENGLISH_MODELS_DIRECTORY,
    ),
    (
        "epo",
        lingua_esperanto_language_model::ESPERANTO_MODELS_DIRECTORY,
    ),
    (
        "est",
        lingua_estonian_language_model::ESTONIAN_MODELS_DIRECTORY,
    ),
    (
        "fin",
        lingua_finnish_language_model::FINNISH_MODELS_DIRECTORY,
    ),
    ("fra", lingua_french_language_model::FRENCH_MODELS_DIRECTORY),
    (
        "guj",
        lingua_gujarati_language_model::GUJARATI_MODELS_DIRECTORY,
    ),
    ("heb", lingua_hebrew_language_model::HEBREW_MODELS_DIRECTORY),
    ("hin", lingua_hindi_language_model::HINDI_MODELS_DIRECTORY),
    (
        "hrv",
        lingua_croatian_language_model::CROATIAN_MODELS_DIRECTORY,
    ),
    (
        "hun",
        lingua_hungarian_language_model::HUNGARIAN_MODELS_DIRECTORY,
    ),
    (
        "hye",
        lingua_armenian_language_model::ARMENIAN_MODELS_DIRECTORY,
    ),
    (
        "ind",
        lingua_indonesian_language_model::INDONESIAN_MODELS_DIRECTORY,
    ),
    (
        "ita",
        lingua_italian_language_model::ITALIAN_MODELS_DIRECTORY,
    ),
    (
        "jpn",
        lingua_japanese_language_model::JAPANESE_MODELS_DIRECTORY,
    ),
    (
        "kat",
        lingua_georgian_language_model::GEORGIAN_MODELS_DIRECTORY,
    ),
    ("kor", lingua_korean_language_model::KOREAN_MODELS_DIRECTORY),
    ("lat", lingua_latin_language_model::LATIN_MODELS_DIRECTORY),
    (
        "lav",
        lingua_latvian_language_model::LATVIAN_MODELS_DIRECTORY,
    ),
    (
        "lit",
        lingua_lithuanian_language_model::LITHUANIAN_MODELS_DIRECTORY,
    ),
    (
        "mar",
        lingua_marathi_language_model::MARATHI_MODELS_DIRECTORY,
    ),
    (
        "mkd",
        lingua_macedonian_language_model::MACEDONIAN_MODELS_DIRECTORY,
    ),
    ("nld", lingua_dutch_language_model::DUTCH_MODELS_DIRECTORY),
    ("nob", lingua_bokmal_language_model::BOKMAL_MODELS_DIRECTORY),
    (
        "pan",
        lingua_punjabi_language_model::PUNJABI_MODELS_DIRECTORY,
    ),
    (
        "pes",
        lingua_persian_language_model::PERSIAN_MODELS_DIRECTORY,
    ),
    ("pol", lingua_polish_language_model::POLISH_MODELS_DIRECTORY),
    (
        "por",
        lingua_portuguese_language_model::PORTUGUESE_MODELS_DIRECTORY,
    ),
    (
        "ron",
        lingua_romanian_language_model::ROMANIAN_MODELS_DIRECTORY,
    ),
    (
        "rus",
        lingua_russian_language_model::RUSSIAN_MODELS_DIRECTORY,
    ),
    ("slk", lingua_slovak_language_model::SLOVAK_MODELS_DIRECTORY),
    (
        "slv",
        lingua_slovene_language_model::SLOVENE_MODELS_DIRECTORY,
    ),
    ("sna", lingua_shona_language_model::SHONA_MODELS_DIRECTORY),
    (
        "spa",
        lingua_spanish_language_model::SPANISH_MODELS_DIRECTORY,
    ),
    (
        "srp",
        lingua_serbian_language_model::SERBIAN_MODELS_DIRECTORY,
    ),
    (
        "swe",
        lingua_swedish_language_model::SWEDISH_MODELS_DIRECTORY,
    ),
    ("tam", lingua_tamil_language_model::TAMIL_MODELS_DIRECTORY),
    ("tel", lingua_telugu_language_model::TELUGU_MODELS_DIRECTORY),
    (
        "tgl",
        lingua_tagalog_language_model::TAGALOG_MODELS_DIRECTORY,
    ),
    ("tha", lingua_thai_language_model::THAI_MODELS_DIRECTORY),
    (
        "tur",
        lingua_turkish_language_model::TURKISH_MODELS_DIRECTORY,
    ),
    (
        "ukr",
        lingua_ukrainian_language_model::UKRAINIAN_MODELS_DIRECTORY,
    ),
    ("urd", lingua_urdu_language_model::URDU_MODELS_DIRECTORY),
    (
        "vie",
        lingua_vietnamese_language_model::VIETNAMESE_MODELS_DIRECTORY,
    ),
    ("zul", lingua_zulu_language_model::ZULU_MODELS_DIRECTORY),
];
