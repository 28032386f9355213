//! Author names out of the strings pages give them in: JSON-LD and `<meta>` values (`Jane
//! Doe`, `Jane Doe, John Roe`) and byline texts (`By Jane Doe and John Roe | Updated March
//! 3, 2024`, `Jane Doe, Reuters`).

use super::dates::month_number;
use super::text::{fold, key};

/// Words that name a role or a desk, not a person: a part made only of them is dropped.
const ROLE_WORDS: &[&str] = &[
    "staff",
    "writer",
    "writers",
    "editor",
    "editors",
    "editorial",
    "reporter",
    "reporters",
    "correspondent",
    "contributor",
    "contributors",
    "contributing",
    "columnist",
    "senior",
    "chief",
    "associate",
    "assistant",
    "managing",
    "deputy",
    "executive",
    "political",
    "news",
    "team",
    "desk",
    "author",
    "authors",
    "guest",
    "freelance",
    "special",
    "the",
    "of",
    "and",
    "for",
    "photographer",
    "photos",
    "photo",
    "video",
    "producer",
    "anchor",
    "host",
    "analyst",
    "intern",
    "journalist",
    "admin",
    "administrator",
    "unknown",
    "anonymous",
    "null",
    "none",
];

/// Lead-ins that a byline puts before the names.
const LEAD_INS: &[&str] = &[
    "written by",
    "posted by",
    "published by",
    "reported by",
    "words by",
    "story by",
    "text by",
    "article by",
    "authored by",
    "by:",
    "by",
    "authors:",
    "author:",
    "written by:",
];

/// Where a byline stops naming people: what follows is a date, a role or the rest of the
/// page. Matched case-sensitively, since `Updated` glued to a name (`ZamanUpdated on`) is
/// how a byline's parts run together once the markup is gone.
const BYLINE_STOPS: &[&str] = &[
    "Updated",
    "Published",
    "Posted",
    "Last updated",
    "Last Updated",
    "Reviewed by",
    "Medically reviewed",
    "Fact checked",
    "Edited by",
    "Photographs by",
    "Photos by",
    " on ",
    " | ",
    " • ",
    " · ",
    " — ",
    " – ",
    " - ",
    " says",
    "\u{2022}",
    "\u{00B7}",
    "|",
    " in ",
    " at ",
    " for ",
];

/// Name particles written in lower case inside a name (`Ludwig van Beethoven`).
const PARTICLES: &[&str] = &[
    "de", "van", "von", "der", "den", "da", "di", "du", "la", "le", "del", "bin", "al", "el",
    "dos", "das", "ter", "zu", "y",
];

/// The longest name taken, in words: longer parts are sentences or titles.
const MAX_NAME_WORDS: usize = 5;

fn strip_lead_in(s: &str) -> &str {
    let mut s = s.trim_start_matches(|c: char| !c.is_alphanumeric());
    loop {
        let lower = s.to_lowercase();
        let Some(lead) = LEAD_INS.iter().find(|lead| {
            lower.starts_with(*lead)
                && lower[lead.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric() || lead.ends_with(':'))
        }) else {
            return s;
        };
        s = s[lead.len()..].trim_start_matches(|c: char| !c.is_alphanumeric());
    }
}

fn looks_like_handle_or_address(part: &str) -> bool {
    part.contains('@')
        || part.contains("://")
        || part.starts_with("www.")
        || part.contains(".com")
        || part.contains('/')
}

/// True for `MD`, `PhD`, `RN`, `M.S.`: a credential after a name, not a name.
fn is_credential(part: &str) -> bool {
    let letters: String = part.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.chars().filter(|c| c.is_uppercase()).count();
    !letters.is_empty()
        && letters.chars().count() <= 4
        && !part.contains(' ')
        && upper * 2 >= letters.chars().count()
        && upper >= 1
        && letters.chars().count() >= 2
        && (upper == letters.chars().count() || matches!(letters.as_str(), "PhD" | "MSc" | "BSc"))
}

/// Splits a string that names authors into the names, dropping lead-ins, roles, dates,
/// addresses and credentials. `strict` is for byline texts taken from the page body, where
/// a name must look like one (capitalized words), since the element may hold other text.
pub(crate) fn split_names(raw: &str, strict: bool) -> Vec<String> {
    let text = fold(raw);
    // A profile link in place of a name (`article:author` often holds one).
    if looks_like_handle_or_address(&text) && !text.contains(' ') {
        return Vec::new();
    }
    let text = strip_lead_in(&text);
    let mut parts: Vec<String> = Vec::new();
    let mut rest = text.to_string();
    for sep in [
        " and ", " And ", " AND ", " with ", " & ", ";", ",", "|", "/", "&", " und ", " et ", " y ",
    ] {
        rest = rest.replace(sep, "\u{1F}");
    }
    for part in rest.split('\u{1F}') {
        let part = strip_lead_in(part.trim());
        let part = part
            .trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '\'')
            .trim_end_matches('.')
            .trim();
        if part.is_empty()
            || looks_like_handle_or_address(part)
            || part.chars().any(|c| c.is_ascii_digit())
            || is_credential(part)
        {
            continue;
        }
        let words: Vec<&str> = part.split_whitespace().collect();
        if words.len() > MAX_NAME_WORDS {
            continue;
        }
        if words
            .iter()
            .all(|w| ROLE_WORDS.contains(&w.to_lowercase().trim_matches('.')))
        {
            continue;
        }
        if strict && !looks_like_name(&words) {
            continue;
        }
        parts.push(part.to_string());
    }
    // `Jane Doe, Reuters`: a one-word part beside full names is an agency or a place.
    if parts.len() > 1 && parts.iter().any(|p| p.contains(' ')) {
        parts.retain(|p| p.contains(' '));
    }
    dedup(parts)
}

fn looks_like_name(words: &[&str]) -> bool {
    if words.is_empty() || words.len() > 4 {
        return false;
    }
    words.iter().all(|w| {
        let first = w.chars().next();
        first.is_some_and(char::is_uppercase)
            || PARTICLES.contains(&w.to_lowercase().as_str())
            || first.is_some_and(|c| !c.is_alphabetic() && !c.is_ascii_digit() && w.len() > 1)
    }) && words.iter().any(|w| w.chars().any(char::is_alphabetic))
}

/// Cuts a byline text where it stops naming people (a date, `Updated`, a separator).
fn cut_byline(text: &str) -> &str {
    let mut end = text.len();
    for stop in BYLINE_STOPS {
        if let Some(i) = text.find(stop) {
            if i > 0 {
                end = end.min(i);
            }
        }
    }
    if let Some(i) = text.find(|c: char| c.is_ascii_digit()) {
        end = end.min(i);
    }
    let mut cut = text[..end].trim_end();
    // `Jane Doe June 2, 2025`: the month belongs to the date that was cut off.
    if let Some((head, last)) = cut.rsplit_once(' ') {
        if month_number(last.trim_end_matches(['.', ','])).is_some() {
            cut = head;
        }
    }
    cut
}

/// The names in a byline text from the page body, or none when it does not read as a
/// byline.
pub(crate) fn from_byline(text: &str) -> Vec<String> {
    let text = fold(text);
    let lead_stripped = strip_lead_in(&text);
    let had_lead_in = lead_stripped.len() < text.len();
    let cut = cut_byline(lead_stripped);
    let names = split_names(cut, true);
    // A lone word is a name only where the byline says `By`: otherwise it is as likely a
    // label (`Author`, `Member`) or a site's name.
    if names.len() == 1 && !names[0].contains(' ') && !had_lead_in {
        return Vec::new();
    }
    names
}

/// Drops repeated names (compared case- and quote-insensitively), keeping the first.
pub(crate) fn dedup(names: Vec<String>) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for name in names {
        let k = key(&name);
        if !seen.contains(&k) {
            seen.push(k);
            out.push(name);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lists_of_names() {
        assert_eq!(split_names("Jane Doe", false), ["Jane Doe"]);
        assert_eq!(
            split_names("By Jane Doe and John Roe", false),
            ["Jane Doe", "John Roe"]
        );
        assert_eq!(
            split_names("Jane Doe, John Roe & Ann Lee", false),
            ["Jane Doe", "John Roe", "Ann Lee"]
        );
        assert_eq!(split_names("gabo", false), ["gabo"]);
    }

    #[test]
    fn drops_roles_agencies_credentials_and_addresses() {
        assert_eq!(split_names("Jane Doe, Reuters", false), ["Jane Doe"]);
        assert_eq!(
            split_names("Jane Doe, Senior Staff Writer", false),
            ["Jane Doe"]
        );
        assert_eq!(split_names("Jane Doe, MD, PhD", false), ["Jane Doe"]);
        assert!(split_names("https://www.facebook.com/jane", false).is_empty());
        assert!(split_names("@janedoe", false).is_empty());
        assert!(split_names("jane@example.com", false).is_empty());
        assert!(split_names("Staff", false).is_empty());
        assert_eq!(split_names("Example Staff", false), ["Example Staff"]);
    }

    #[test]
    fn each_name_once() {
        assert_eq!(
            split_names("Jane Doe, jane doe, John Roe", false),
            ["Jane Doe", "John Roe"]
        );
    }

    #[test]
    fn bylines_are_cut_at_dates_and_labels() {
        assert_eq!(
            from_byline("By Jane DoeUpdated on June 18, 2025 at 12:35 PM"),
            ["Jane Doe"]
        );
        assert_eq!(
            from_byline("By Jane Doe | Published March 3, 2024"),
            ["Jane Doe"]
        );
        assert_eq!(from_byline("Jane Doe June 2, 2025 Blog"), ["Jane Doe"]);
        assert_eq!(
            from_byline("Written by Jane Doe and John Roe"),
            ["Jane Doe", "John Roe"]
        );
        assert_eq!(from_byline("By Gabo"), ["Gabo"]);
    }

    #[test]
    fn body_text_is_not_a_byline() {
        assert!(from_byline("Author").is_empty());
        assert!(from_byline("about the author and what she writes about every week").is_empty());
        assert!(from_byline("How we reviewed this article:").is_empty());
    }
}
