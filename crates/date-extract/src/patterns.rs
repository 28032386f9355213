//! The expressions the tagger looks for: a table of regular expressions, each with the
//! resolver (in `resolve/`) that types and values its matches. Overlaps are resolved
//! afterwards: the longest match wins.

use std::sync::LazyLock;

use regex::Regex;

use crate::anchors::{Anchors, ReachIndex, Reaches, REACH_AFTER, REACH_BEFORE};

use crate::resolve::{absolute, clock, duration, holiday, month, quarter, relative, Resolver};

const MONTH: &str = r"(?:jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?|july?|aug(?:ust|\.)?|sep(?:t(?:ember|\.)?|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?)";
const DAY: &str = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?";
const YEAR: &str = r"(?:1[6-9][0-9]{2}|20[0-9]{2})";
const WEEKDAY: &str = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)";
const NUMBER: &str = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|hundred|a few|(?:a\s+)?couple\s+of|several|[0-9]+(?:\.[0-9]+)?)";
const UNIT: &str = r"(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centur(?:y|ies)|quarters?|weekends?|nights?)";

/// A clock time as news writes it: `10 p.m.`, `10:30 a.m.`, `noon`, `midnight`.
const CLOCK: &str =
    r"(?:(?:[01]?[0-9])(?::[0-5][0-9])?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|noon|midnight)";
/// Time zones written after a clock time in US and UK news.
const ZONE: &str = r"(?:gmt|utc|est|edt|cst|cdt|mst|mdt|pst|pdt|bst|cet)";

/// How the matches of a pattern are valued.
#[derive(Clone, Copy)]
pub enum Valuation {
    /// By a resolver, from the match and its context.
    Resolver(Resolver),
    /// `that year`, `the following month`, `later that day`: a unit next to the date the text
    /// last mentioned, valued after all matches are chosen (`anaphora.rs`).
    Anaphor,
}

/// One expression and how its matches are valued.
pub struct Pattern {
    pub regex: Regex,
    pub valuation: Valuation,
    /// How far before and after an anchor its matches can reach, as an index into
    /// [`Patterns::reaches`].
    pub reach: ReachIndex,
}

/// Bytes before and after an anchor that a pattern's windows take in: the longest text its
/// regular expression can match on either side of the anchor, with room to spare (the
/// defaults suit the patterns with long optional prefixes; dates and years reach less, and
/// their windows are many).
pub type Reach = (usize, usize);

/// The patterns and the anchors that say where each can match.
pub struct Patterns {
    pub list: Vec<Pattern>,
    pub anchors: Anchors,
    /// The distinct reaches of the patterns.
    pub reaches: Reaches,
}

/// The patterns, compiled once per process and shared by every extractor and by
/// `publication_date`: compiling them costs more than tagging a long article.
pub static PATTERNS: LazyLock<Patterns> = LazyLock::new(compiled);

/// Compiles the patterns and their anchors.
fn compiled() -> Patterns {
    let compiled: Vec<(Regex, Valuation, &str, Reach)> = sources()
        .into_iter()
        .filter_map(|(source, valuation, anchors, reach)| {
            // The expressions are fixed; a bad one is a bug caught by the tests, so it is left
            // out rather than panicking in a library. ASCII word boundaries keep the regex
            // engine on its lazy DFA; Unicode ones force the much slower PikeVM.
            let source = source.replace(r"\b", r"(?-u:\b)");
            Regex::new(&format!("(?i){source}"))
                .ok()
                .map(|regex| (regex, valuation, anchors, reach))
        })
        .collect();
    let anchors = Anchors::new(compiled.iter().map(|(_, _, words, _)| *words));
    let (reaches, indices) = Reaches::new(compiled.iter().map(|(_, _, _, reach)| *reach));
    let list = compiled
        .into_iter()
        .zip(indices)
        .map(|((regex, valuation, _, _), reach)| Pattern {
            regex,
            valuation,
            reach,
        })
        .collect();
    Patterns {
        list,
        anchors,
        reaches,
    }
}

/// Each pattern with its anchors: the words (matched as the start of a word, ASCII
/// case-insensitive) one of which every match of the pattern contains, `@month`, `@weekday`
/// and `@unit` for those lists, `#4` for a run of four digits that can be a year, `#2/` for a
/// run of one or two digits followed by a slash, and `#2t` for one followed by a colon or by
/// a letter that can start `a.m.`, `p.m.`, `o'clock` or `in the morning`. Anchors are single
/// words: one with a space ("at present") could be found inside another word ("that
/// present...") and hide an anchor after it ("presently"). The tagger runs a pattern only on windows around its anchors
/// (see `anchors.rs`); a test checks that this finds what a scan of the whole text finds.
fn sources() -> Vec<(String, Valuation, &'static str, Reach)> {
    let modifiers =
        r"(?:(?:early|late|mid|the end of|the beginning of|the start of|the middle of)[\s-]+)?";
    // TimeBank keeps bounding modifiers ("nearly", "more than", "at least") inside a duration's
    // extent but leaves "about", "within", "over" and "just" outside.
    let approx = r"(?:(?:another|the|nearly|almost|more\s+than|less\s+than|no\s+more\s+than|at\s+least|up\s+to)\s+)?";
    let span = r"(?:(?:past|last|next|first|previous|coming|final|following|latest)\s+)?";
    let table: Vec<(String, Valuation, &str, Reach)> = vec![
        (format!(r"\b{CLOCK}(?:\s+{ZONE})?,?\s+(?:{WEEKDAY}|today|yesterday|tomorrow|{MONTH}\s+{DAY})\b"), Valuation::Resolver(clock::time_on_day), "#2t noon midnight", (8, 48)),
        // A weekday before a date belongs to it ("Monday, Oct. 26").
        (format!(r"\b(?:{WEEKDAY},?\s+)?{modifiers}{MONTH}\s+{DAY},?\s+{YEAR}\b"), Valuation::Resolver(month::full_date), "@month", (40, 32)),
        (format!(r"\b{DAY}\s+(?:of\s+)?{MONTH},?\s+{YEAR}\b"), Valuation::Resolver(month::full_date), "@month", (24, 32)),
        (format!(r"\b(?:{WEEKDAY},?\s+|last\s+)?{modifiers}{MONTH}\s+{DAY}\b"), Valuation::Resolver(month::month_day), "@month", (40, 32)),
        (format!(r"\b{DAY}\s+(?:of\s+)?{MONTH}\b"), Valuation::Resolver(month::month_day), "@month", (24, 32)),
        (format!(r"\b{modifiers}{MONTH},?\s+(?:of\s+)?{YEAR}\b"), Valuation::Resolver(month::month_year), "@month", (40, 32)),
        (format!(r"\b(?:(?:last|next|this|early|late|mid|the end of|the beginning of|the start of|the middle of)[\s-]+)?{MONTH}(?:\s+(?:last|this|next)\s+year)?\b"), Valuation::Resolver(month::month), "@month", (40, 32)),
        (format!(r"\b{YEAR}-[01][0-9]-[0-3][0-9]\b"), Valuation::Resolver(absolute::iso_date), "#4", (8, 16)),
        (r"\b[0-3]?[0-9]/[0-3]?[0-9]/(?:[0-9]{4}|[0-9]{2})\b".to_string(), Valuation::Resolver(absolute::numeric_date), "#2/", (8, 16)),
        (format!(r"\b(?:(?:fiscal|calendar)\s+(?:year\s+)?|the\s+year\s+|(?:early|late|mid)[\s-]+|(?:pre|post)-|the\s+(?:end|beginning|start|middle|first\s+half|second\s+half|last\s+half)\s+of\s+)?{YEAR}\b"), Valuation::Resolver(absolute::year), "#4", (32, 8)),
        (format!(r"\bthe\s+{YEAR}\s+period\b"), Valuation::Resolver(absolute::year), "#4", (8, 16)),
        // "by end-1986": the hyphenated modifier of business news, one extent with its year.
        (format!(r"\b(?:end|start)-{YEAR}\b"), Valuation::Resolver(absolute::year), "#4", (16, 8)),
        // Spelled decades need the article: "in their sixties" is an age.
        (r"\b(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?:1[6-9][0-9]0|20[0-9]0)'?s\b|\bthe\s+(?:(?:early|late|mid)[\s-]+)?(?:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b".to_string(), Valuation::Resolver(absolute::decade), "#4 twenties thirties forties fifties sixties seventies eighties nineties", (24, 16)),
        (r"\b(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?:1[0-9]th|2[01](?:st|th)|[2-9]th|1st|2nd|3rd|nineteenth|twentieth|twenty-first)\s+century\b".to_string(), Valuation::Resolver(absolute::century), "century", (REACH_BEFORE, REACH_AFTER)),
        (format!(r"\b(?:(?:the\s+)?year\s+two\s+thousand|(?:{MONTH}\s+)?nineteen[\s-]+(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))?)\b"), Valuation::Resolver(absolute::spelled_year), "thousand nineteen", (REACH_BEFORE, REACH_AFTER)),
        (format!(r"\b(?:(?:last|this|next|early|late|this\s+past|the)\s+)?(?:spring|summer|fall|autumn|winter)(?:\s+(?:of\s+)?{YEAR})?\b"), Valuation::Resolver(absolute::season), "spring summer fall autumn winter", (REACH_BEFORE, REACH_AFTER)),
        (format!(r"\b(?:the\s+)?(?:(?:{YEAR}|this\s+year's|last\s+year's|next\s+year's|year-ago|year-earlier)\s+)?(?:fiscal[\s-]+)?(?:(?:first|second|third|fourth|1st|2nd|3rd|4th)(?:\s+|\s+fiscal\s+)quarter|q[1-4])(?:\s+(?:of\s+)?(?:fiscal\s+)?{YEAR})?\b"), Valuation::Resolver(quarter::quarter), "quarter q1 q2 q3 q4", (REACH_BEFORE, REACH_AFTER)),
        // The hyphenated adjective ("third-quarter profit") is annotated without its article.
        (r"\b(?:first|second|third|fourth)-quarter\b".to_string(), Valuation::Resolver(quarter::quarter), "quarter", (REACH_BEFORE, REACH_AFTER)),
        // As an adjective ("the year-ago results") year-ago is annotated without the article.
        (r"\bthe\s+(?:quarter|period)\s+a\s+year\s+(?:ago|earlier)\b|\blast\s+year's\s+(?:quarter|period)\b|\bthe\s+(?:same|comparable|corresponding)\s+(?:quarter|period)\s+(?:of\s+)?last\s+year\b|\b(?:the\s+(?:latest|current|previous|past|recent|same|year-earlier|year-ago|first|last)?\s*|last\s+|this\s+|next\s+)quarter\b|\bthe\s+latest\s+period\b|\b(?:the\s+)?(?:comparable\s+|corresponding\s+)?year-(?:earlier|ago)\s+(?:period|quarter)\b|\b(?:comparable\s+|corresponding\s+)?year-(?:earlier|ago)\b".to_string(), Valuation::Resolver(quarter::relative_quarter), "quarter period year-", (REACH_BEFORE, REACH_AFTER)),
        (r"\b(?:(?:late|early|later|earlier)\s+)?(?:today|yesterday|tomorrow|tonight|last\s+night|(?:this|yesterday|tomorrow)\s+(?:morning|afternoon|evening))\b|\b(?:(?:early|late|mid)[\s-]+)?(?:morning|afternoon|evening)\s+(?:yesterday|today|tomorrow)\b".to_string(), Valuation::Resolver(relative::day_word), "today yesterday tomorrow tonight night morning afternoon evening", (REACH_BEFORE, REACH_AFTER)),
        (format!(r"\b(?:(?:last|next|this|early|late|(?:this\s+)?coming)\s+)?{WEEKDAY}(?:\s+(?:morning|afternoon|evening|night))?\b"), Valuation::Resolver(relative::weekday), "@weekday", (REACH_BEFORE, REACH_AFTER)),
        (format!(r"\b(?:sometime\s+|the\s+(?:end|beginning|start|middle)\s+of\s+)?(?:last|next|this|the\s+current|the\s+previous)\s+(?:week|month|year|weekend)\b|\bthe\s+week(?:end)?(?:\s+of\s+{MONTH}\s+{DAY})?\b"), Valuation::Resolver(relative::relative_unit), "week month year", (REACH_BEFORE, REACH_AFTER)),
        // "ago", "earlier", "later" anchor on the article's date; "before"/"after" anchor on an
        // event ("two years after the war") and are left to the duration rule.
        (format!(r"\b(?:(?:nearly|almost|about|more\s+than|less\s+than)\s+)?{NUMBER}\s+(?:full\s+)?{UNIT}\s+(?:or\s+so\s+)?(?:ago|earlier|later|from\s+now|hence)\b"), Valuation::Resolver(relative::offset), "ago earlier later hence now", (REACH_BEFORE, REACH_AFTER)),
        (r"\b(?:early|late|earlier|later)\s+(?:this|next|last)\s+(?:week|month|year)\b".to_string(), Valuation::Resolver(relative::part_of_unit), "early earlier late", (REACH_BEFORE, REACH_AFTER)),
        // A hyphenated duration ("the 14-day strike") is annotated without its article.
        (format!(r"\b{approx}{span}{NUMBER}\s+(?:and\s+a\s+half\s+|1/2\s+|more\s+|additional\s+|trading\s+|business\s+|working\s+)?{UNIT}(?:\s+and\s+a\s+half)?(?:-long|\s+or\s+so)?\b|\b{span}{NUMBER}-(?:and-a-half-)?{UNIT}(?:-long)?\b|\b(?:day|week|month|year)-long\b"), Valuation::Resolver(duration::duration), "@unit", (REACH_BEFORE, REACH_AFTER)),
        (r"\bthe\s+(?:past|last|next|coming)\s+(?:year|month|week|decade|century)(?:\s+or\s+so)?\b".to_string(), Valuation::Resolver(duration::duration), "year month week decade centur", (REACH_BEFORE, REACH_AFTER)),
        (r"\b(?:recent\s+|past\s+|many\s+|several\s+|(?:the\s+)?coming\s+|the\s+(?:past|last|next)\s+few\s+)?(?:years|months|weeks|days|hours|quarters|decades|centuries)(?:\s+or\s+(?:years|months|weeks|days|hours|decades))?\b|\bthe\s+(?:days|weeks|months|years)\s+ahead\b|\bthe\s+years\b|\ba\s+while\b".to_string(), Valuation::Resolver(duration::vague_duration), "@unit while", (REACH_BEFORE, REACH_AFTER)),
        // "right now" is annotated as "now".
        (r"\b(?:now|currently|nowadays|these days|at present|presently|recently|the past|the future|the near future|the (?:near|short) term)\b".to_string(), Valuation::Resolver(relative::reference), "now currently nowadays days present recently past future term", (REACH_BEFORE, REACH_AFTER)),
        (r"\b(?:[01]?[0-9])(?::[0-5][0-9])?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|\b(?:1[0-2]|[1-9])(?::[0-5][0-9])?\s+(?:o'clock\s+)?in\s+the\s+(?:morning|afternoon|evening)\b|\b(?:[01]?[0-9]|2[0-3]):[0-5][0-9]\s*(?:gmt|utc|est|edt|cst|cdt|pst|pdt|bst|cet|local time)\b|\b(?:noon|midnight|midday)\b".to_string(), Valuation::Resolver(clock::time), "#2t noon midnight midday", (REACH_BEFORE, REACH_AFTER)),
        (format!(r"\b(?:every|each)\s+(?:day|week|month|year|morning|evening|night|weekend|quarter|{WEEKDAY}|{MONTH})\b|\b(?:daily|weekly|monthly|annually|yearly|nightly|hourly)\b"), Valuation::Resolver(duration::set), "every each daily annually weekly monthly yearly nightly hourly", (REACH_BEFORE, REACH_AFTER)),
        (r"\b(?:(?:earlier|later)\s+in\s+|the\s+(?:end|beginning|start|middle|rest)\s+of\s+)?the\s+(?:full\s+|current\s+|fiscal\s+|current\s+fiscal\s+)?year\b|\byear(?:-|\s+|'s\s+)end\b".to_string(), Valuation::Resolver(relative::anaphoric_year), "year", (REACH_BEFORE, REACH_AFTER)),
        (r"\bthe\s+same\s+(?:day|month|year)\b|\b(?:(?:later|earlier)\s+)?that\s+(?:year|quarter|month)\b|\b(?:later|earlier)\s+that\s+day\b|\bthe\s+following\s+(?:year|month|day|morning)\b|\bthe\s+next\s+(?:morning|day)\b".to_string(), Valuation::Anaphor, "year quarter month day morning", (REACH_BEFORE, REACH_AFTER)),
        // Holidays the calendar computes (Easter) or that news names more than their date.
        (r"\b(?:(?:last|next|this)\s+)?(?:easter(?:\s+sunday|\s+monday)?|good\s+friday|halloween|valentine(?:'|\u{2019})?s\s+day|labou?r\s+day|memorial\s+day)\b".to_string(), Valuation::Resolver(holiday::holiday), "easter good halloween valentine labor labour memorial", (REACH_BEFORE, REACH_AFTER)),
        (r"\b(?:christmas(?:\s+day|\s+eve)?|new\s+year's(?:\s+day|\s+eve)?|thanksgiving(?:\s+day)?|independence\s+day)\b".to_string(), Valuation::Resolver(absolute::holiday), "christmas year's thanksgiving independence", (REACH_BEFORE, REACH_AFTER)),
    ];
    table
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_pattern_compiles() {
        for (index, (source, _, _, _)) in super::sources().into_iter().enumerate() {
            if let Err(err) = regex::Regex::new(&source) {
                panic!("pattern {index}: {err}");
            }
        }
        assert_eq!(super::PATTERNS.list.len(), super::sources().len());
    }
}
