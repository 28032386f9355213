//! The expressions the tagger looks for: a table of regular expressions, each with the
//! resolver (in `resolve/`) that types and values its matches. Overlaps are resolved
//! afterwards: the longest match wins.

use regex::Regex;

use crate::resolve::{absolute, clock, duration, month, quarter, relative, Resolver};

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
}

/// The patterns, and a set of all of them that tells in one pass which can match a text at
/// all: most sentences of an article have no temporal expression, and most patterns match
/// nowhere in a given article.
pub struct Patterns {
    pub list: Vec<Pattern>,
    pub set: Option<regex::RegexSet>,
}

/// Compiles [`patterns`] and their set.
pub fn compiled() -> Patterns {
    let list = patterns();
    let set = regex::RegexSet::new(list.iter().map(|p| p.regex.as_str())).ok();
    Patterns { list, set }
}

/// Builds the pattern list. Every expression is case-insensitive; month names that are also
/// common words (`may`, `march`) are checked for capitals where they are matched.
pub fn patterns() -> Vec<Pattern> {
    sources()
        .into_iter()
        .filter_map(|(source, valuation)| {
            // The expressions are fixed; a bad one is a bug caught by the tests, so it is left
            // out rather than panicking in a library. ASCII word boundaries keep the regex
            // engine on its lazy DFA; Unicode ones force the much slower PikeVM.
            let source = source.replace(r"\b", r"(?-u:\b)");
            Regex::new(&format!("(?i){source}"))
                .ok()
                .map(|regex| Pattern { regex, valuation })
        })
        .collect()
}

fn sources() -> Vec<(String, Valuation)> {
    let modifiers =
        r"(?:(?:early|late|mid|the end of|the beginning of|the start of|the middle of)[\s-]+)?";
    // TimeBank keeps bounding modifiers ("nearly", "more than", "at least") inside a duration's
    // extent but leaves "about", "within", "over" and "just" outside.
    let approx = r"(?:(?:another|the|nearly|almost|more\s+than|less\s+than|no\s+more\s+than|at\s+least|up\s+to)\s+)?";
    let span = r"(?:(?:past|last|next|first|previous|coming|final|following|latest)\s+)?";
    let table: Vec<(String, Valuation)> = vec![
        (format!(r"\b{CLOCK}(?:\s+{ZONE})?,?\s+(?:{WEEKDAY}|today|yesterday|tomorrow|{MONTH}\s+{DAY})\b"), Valuation::Resolver(clock::time_on_day)),
        // A weekday before a date belongs to it ("Monday, Oct. 26").
        (format!(r"\b(?:{WEEKDAY},?\s+)?{modifiers}{MONTH}\s+{DAY},?\s+{YEAR}\b"), Valuation::Resolver(month::full_date)),
        (format!(r"\b{DAY}\s+(?:of\s+)?{MONTH},?\s+{YEAR}\b"), Valuation::Resolver(month::full_date)),
        (format!(r"\b(?:{WEEKDAY},?\s+|last\s+)?{modifiers}{MONTH}\s+{DAY}\b"), Valuation::Resolver(month::month_day)),
        (format!(r"\b{DAY}\s+(?:of\s+)?{MONTH}\b"), Valuation::Resolver(month::month_day)),
        (format!(r"\b{modifiers}{MONTH},?\s+(?:of\s+)?{YEAR}\b"), Valuation::Resolver(month::month_year)),
        (format!(r"\b(?:(?:last|next|this|early|late|mid|the end of|the beginning of|the start of|the middle of)[\s-]+)?{MONTH}(?:\s+(?:last|this|next)\s+year)?\b"), Valuation::Resolver(month::month)),
        (format!(r"\b{YEAR}-[01][0-9]-[0-3][0-9]\b"), Valuation::Resolver(absolute::iso_date)),
        (r"\b[0-3]?[0-9]/[0-3]?[0-9]/(?:[0-9]{4}|[0-9]{2})\b".to_string(), Valuation::Resolver(absolute::numeric_date)),
        (format!(r"\b(?:(?:fiscal|calendar)\s+(?:year\s+)?|the\s+year\s+|(?:early|late|mid)[\s-]+|(?:pre|post)-|the\s+(?:end|beginning|start|middle|first\s+half|second\s+half|last\s+half)\s+of\s+)?{YEAR}\b"), Valuation::Resolver(absolute::year)),
        (format!(r"\bthe\s+{YEAR}\s+period\b"), Valuation::Resolver(absolute::year)),
        // Spelled decades need the article: "in their sixties" is an age.
        (r"\b(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?:1[6-9][0-9]0|20[0-9]0)'?s\b|\bthe\s+(?:(?:early|late|mid)[\s-]+)?(?:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b".to_string(), Valuation::Resolver(absolute::decade)),
        (r"\b(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?:1[0-9]th|2[01](?:st|th)|[2-9]th|1st|2nd|3rd|nineteenth|twentieth|twenty-first)\s+century\b".to_string(), Valuation::Resolver(absolute::century)),
        (format!(r"\b(?:(?:the\s+)?year\s+two\s+thousand|(?:{MONTH}\s+)?nineteen[\s-]+(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))?)\b"), Valuation::Resolver(absolute::spelled_year)),
        (format!(r"\b(?:(?:last|this|next|early|late|this\s+past|the)\s+)?(?:spring|summer|fall|autumn|winter)(?:\s+(?:of\s+)?{YEAR})?\b"), Valuation::Resolver(absolute::season)),
        (format!(r"\b(?:the\s+)?(?:(?:{YEAR}|this\s+year's|last\s+year's|next\s+year's|year-ago|year-earlier)\s+)?(?:fiscal[\s-]+)?(?:(?:first|second|third|fourth|1st|2nd|3rd|4th)(?:\s+|\s+fiscal\s+)quarter|q[1-4])(?:\s+(?:of\s+)?(?:fiscal\s+)?{YEAR})?\b"), Valuation::Resolver(quarter::quarter)),
        // The hyphenated adjective ("third-quarter profit") is annotated without its article.
        (r"\b(?:first|second|third|fourth)-quarter\b".to_string(), Valuation::Resolver(quarter::quarter)),
        // As an adjective ("the year-ago results") year-ago is annotated without the article.
        (r"\bthe\s+(?:quarter|period)\s+a\s+year\s+(?:ago|earlier)\b|\blast\s+year's\s+(?:quarter|period)\b|\bthe\s+(?:same|comparable|corresponding)\s+(?:quarter|period)\s+(?:of\s+)?last\s+year\b|\b(?:the\s+(?:latest|current|previous|past|recent|same|year-earlier|year-ago|first|last)?\s*|last\s+|this\s+|next\s+)quarter\b|\bthe\s+latest\s+period\b|\b(?:the\s+)?(?:comparable\s+|corresponding\s+)?year-(?:earlier|ago)\s+(?:period|quarter)\b|\b(?:comparable\s+|corresponding\s+)?year-(?:earlier|ago)\b".to_string(), Valuation::Resolver(quarter::relative_quarter)),
        (r"\b(?:(?:late|early|later|earlier)\s+)?(?:today|yesterday|tomorrow|tonight|last\s+night|(?:this|yesterday|tomorrow)\s+(?:morning|afternoon|evening))\b|\b(?:(?:early|late|mid)[\s-]+)?(?:morning|afternoon|evening)\s+(?:yesterday|today|tomorrow)\b".to_string(), Valuation::Resolver(relative::day_word)),
        (format!(r"\b(?:(?:last|next|this|early|late|(?:this\s+)?coming)\s+)?{WEEKDAY}(?:\s+(?:morning|afternoon|evening|night))?\b"), Valuation::Resolver(relative::weekday)),
        (format!(r"\b(?:sometime\s+|the\s+(?:end|beginning|start|middle)\s+of\s+)?(?:last|next|this|the\s+current|the\s+previous)\s+(?:week|month|year|weekend)\b|\bthe\s+week(?:end)?(?:\s+of\s+{MONTH}\s+{DAY})?\b"), Valuation::Resolver(relative::relative_unit)),
        // "ago", "earlier", "later" anchor on the article's date; "before"/"after" anchor on an
        // event ("two years after the war") and are left to the duration rule.
        (format!(r"\b(?:(?:nearly|almost|about|more\s+than|less\s+than)\s+)?{NUMBER}\s+(?:full\s+)?{UNIT}\s+(?:or\s+so\s+)?(?:ago|earlier|later|from\s+now|hence)\b"), Valuation::Resolver(relative::offset)),
        (r"\b(?:early|late|earlier|later)\s+(?:this|next|last)\s+(?:week|month|year)\b".to_string(), Valuation::Resolver(relative::part_of_unit)),
        // A hyphenated duration ("the 14-day strike") is annotated without its article.
        (format!(r"\b{approx}{span}{NUMBER}\s+(?:and\s+a\s+half\s+|1/2\s+|more\s+|additional\s+|trading\s+|business\s+|working\s+)?{UNIT}(?:\s+and\s+a\s+half)?(?:-long|\s+or\s+so)?\b|\b{span}{NUMBER}-(?:and-a-half-)?{UNIT}(?:-long)?\b|\b(?:day|week|month|year)-long\b"), Valuation::Resolver(duration::duration)),
        (r"\bthe\s+(?:past|last|next|coming)\s+(?:year|month|week|decade|century)(?:\s+or\s+so)?\b".to_string(), Valuation::Resolver(duration::duration)),
        (r"\b(?:recent\s+|past\s+|many\s+|several\s+|(?:the\s+)?coming\s+|the\s+(?:past|last|next)\s+few\s+)?(?:years|months|weeks|days|hours|quarters|decades|centuries)(?:\s+or\s+(?:years|months|weeks|days|hours|decades))?\b|\bthe\s+(?:days|weeks|months|years)\s+ahead\b|\bthe\s+years\b|\ba\s+while\b".to_string(), Valuation::Resolver(duration::vague_duration)),
        // "right now" is annotated as "now".
        (r"\b(?:now|currently|nowadays|these days|at present|presently|recently|the past|the future|the near future|the (?:near|short) term)\b".to_string(), Valuation::Resolver(relative::reference)),
        (r"\b(?:[01]?[0-9])(?::[0-5][0-9])?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|\b(?:1[0-2]|[1-9])(?::[0-5][0-9])?\s+(?:o'clock\s+)?in\s+the\s+(?:morning|afternoon|evening)\b|\b(?:[01]?[0-9]|2[0-3]):[0-5][0-9]\s*(?:gmt|utc|est|edt|cst|cdt|pst|pdt|bst|cet|local time)\b|\b(?:noon|midnight|midday)\b".to_string(), Valuation::Resolver(clock::time)),
        (format!(r"\b(?:every|each)\s+(?:day|week|month|year|morning|evening|night|weekend|quarter|{WEEKDAY}|{MONTH})\b|\b(?:daily|weekly|monthly|annually|yearly|nightly|hourly)\b"), Valuation::Resolver(duration::set)),
        (r"\b(?:(?:earlier|later)\s+in\s+|the\s+(?:end|beginning|start|middle|rest)\s+of\s+)?the\s+(?:full\s+|current\s+|fiscal\s+|current\s+fiscal\s+)?year\b|\byear(?:-|\s+|'s\s+)end\b".to_string(), Valuation::Resolver(relative::anaphoric_year)),
        (r"\b(?:(?:later|earlier)\s+)?that\s+(?:year|quarter|month)\b|\b(?:later|earlier)\s+that\s+day\b|\bthe\s+following\s+(?:year|month|day|morning)\b|\bthe\s+next\s+morning\b".to_string(), Valuation::Anaphor),
        (r"\b(?:christmas(?:\s+day|\s+eve)?|new\s+year's(?:\s+day|\s+eve)?|thanksgiving(?:\s+day)?|independence\s+day)\b".to_string(), Valuation::Resolver(absolute::holiday)),
    ];
    table
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_pattern_compiles() {
        for (index, (source, _)) in super::sources().into_iter().enumerate() {
            if let Err(err) = regex::Regex::new(&source) {
                panic!("pattern {index}: {err}");
            }
        }
        assert_eq!(super::patterns().len(), super::sources().len());
    }
}
