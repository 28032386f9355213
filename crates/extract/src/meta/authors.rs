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

/// Last words of a job title written after a name (`Jane Doe, Senior Health Editor`).
const TITLE_ROLE_WORDS: &[&str] = &[
    "editor",
    "writer",
    "reporter",
    "correspondent",
    "director",
    "manager",
    "columnist",
    "contributor",
    "producer",
    "strategist",
    "specialist",
    "consultant",
    "officer",
    "founder",
    "ceo",
    "lead",
    "head",
    "analyst",
    "expert",
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
    "author",
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
    " » ",
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

fn is_role_word(word: &str) -> bool {
    let w = word.to_lowercase();
    let w = w.trim_matches('.');
    ROLE_WORDS.contains(&w) || TITLE_ROLE_WORDS.contains(&w)
}

fn is_weekday(word: &str) -> bool {
    const DAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let w = word.trim_end_matches(['.', ',']).to_lowercase();
    w.len() >= 3
        && DAYS
            .iter()
            .any(|d| *d == w || (w.len() <= 4 && d.starts_with(&w)))
}

/// True for `MD`, `PhD`, `RN`, `M.S.`: a credential after a name, not a name.
fn is_credential(part: &str) -> bool {
    let letters: String = part.chars().filter(|c| c.is_alphabetic()).collect();
    if matches!(
        letters.as_str(),
        "II" | "III" | "IV" | "JR" | "SR" | "Jr" | "Sr"
    ) {
        return false;
    }
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
        // Digits end a handle (`jdoe42`), never a name: a part with digits elsewhere is a
        // date or a count.
        let handle = !part.contains(' ')
            && part
                .trim_end_matches(|c: char| c.is_ascii_digit())
                .chars()
                .all(char::is_alphabetic);
        if part.is_empty()
            || looks_like_handle_or_address(part)
            || (part.chars().any(|c| c.is_ascii_digit()) && !handle)
            || is_credential(part)
        {
            continue;
        }
        let mut words: Vec<&str> = part.split_whitespace().collect();
        // `Cara Doe RN`, `Linda Roe Contributing Writer`: a credential or a job title
        // run on after the name, with no comma.
        while words.len() > 2 && is_credential(words[words.len() - 1]) {
            words.pop();
        }
        let role_run = words.iter().rev().take_while(|w| is_role_word(w)).count();
        // Only in bylines: in a meta value, `Example Editorial Team` is the name given.
        if strict && role_run >= 2 && words.len() - role_run >= 2 {
            words.truncate(words.len() - role_run);
        }
        if words.len() > MAX_NAME_WORDS
            || (words.len() == 1 && (month_number(words[0]).is_some() || is_weekday(words[0])))
        {
            continue;
        }
        let part = words.join(" ");
        let part = part.as_str();
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
    // `Jane Doe, Reuters`: a one-word part beside full names is an agency or a place;
    // `Jane Doe, Print Managing Editor`: a part that ends in a role is her title.
    if parts.len() > 1 && parts.iter().any(|p| p.contains(' ')) {
        parts.retain(|p| p.contains(' '));
    }
    if parts.len() > 1 {
        let ends_in_role = |p: &String| {
            let mut words = p.split(' ');
            let first = words.next().unwrap_or("");
            let last = words.next_back().unwrap_or(first);
            TITLE_ROLE_WORDS.contains(&last.to_lowercase().as_str())
                || (p.contains(' ') && TITLE_ROLE_WORDS.contains(&first.to_lowercase().as_str()))
        };
        if parts.iter().any(|p| !ends_in_role(p)) {
            parts.retain(|p| !ends_in_role(p));
        }
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
    // A number starts the date or the post count; digits inside a word are part of a
    // handle (`jdoe42`).
    let starts_number = text.char_indices().find(|&(i, c)| {
        c.is_ascii_digit()
            && text[..i]
                .chars()
                .last()
                .is_none_or(|p| !p.is_alphanumeric())
    });
    if let Some((i, _)) = starts_number {
        end = end.min(i);
    }
    let mut cut = text[..end].trim_end();
    // `Jane Doe June 2, 2025`: the month belongs to the date that was cut off; so does
    // `Mar` in `By ClayMar 14, 2024`, where the markup between name and date is gone.
    let last = cut.rsplit(' ').next().unwrap_or(cut);
    if month_number(last.trim_end_matches(['.', ','])).is_some() {
        cut = cut[..cut.len() - last.len()].trim_end();
    } else if end < text.len() {
        for len in [3, 4, 5, 6, 7, 8, 9] {
            let Some(split) = cut.len().checked_sub(len) else {
                break;
            };
            let (Some(head), Some(tail)) = (cut.get(..split), cut.get(split..)) else {
                continue;
            };
            let glued = head.chars().last().is_some_and(char::is_lowercase)
                && tail.chars().next().is_some_and(char::is_uppercase);
            if glued && month_number(tail).is_some() {
                cut = head;
                break;
            }
        }
    }
    cut
}

/// Letters on either side of a case change inside a word for the word to be read as two
/// words run together (`EdinResearch`), while `McDonald` or `MacKenzie` stay whole.
const MIN_GLUED_LETTERS: usize = 4;

/// Cuts a byline where a name runs into the next word with no space, which is how
/// separate elements read once the markup is gone (`Jane DoeMarketing Director`).
fn unglue(text: &str) -> &str {
    let mut run = 0;
    let mut prev_lower = false;
    for (i, c) in text.char_indices() {
        if c.is_uppercase() && prev_lower && run >= MIN_GLUED_LETTERS {
            let rest: String = text[i..]
                .chars()
                .take_while(|c| c.is_alphabetic())
                .collect();
            if rest.chars().count() >= MIN_GLUED_LETTERS && text[..i].contains(' ') {
                return &text[..i];
            }
        }
        if c.is_alphabetic() {
            run += 1;
        } else {
            run = 0;
        }
        prev_lower = c.is_lowercase();
    }
    text
}

/// The names in a byline text from the page body, or none when it does not read as a
/// byline.
#[cfg(test)]
fn from_byline(text: &str) -> Vec<String> {
    let (names, lone) = read_byline(text);
    if lone {
        return Vec::new();
    }
    names
}

/// The names of a byline, and whether they are one word with no `By` before it.
fn read_byline(text: &str) -> (Vec<String>, bool) {
    let text = fold(text);
    let first_word = text.split(' ').next().unwrap_or("").to_lowercase();
    if NOT_AUTHOR_BY.contains(&first_word.as_str()) && text.to_lowercase().contains(" by") {
        // `Reviewed by`, `Photos by`: someone other than the author.
        return (Vec::new(), false);
    }
    let mut lead_stripped = strip_lead_in(&text);
    if lead_stripped.len() == text.len() {
        // `Updated Jan 8, 2026 Written by Jane Doe`, `This post was written by Jane Doe`.
        if let Some(after) = after_inner_by(&text) {
            lead_stripped = after;
        }
    }
    let had_lead_in = lead_stripped.len() < text.len();
    let cut = unglue(cut_byline(lead_stripped));
    let mut names = split_names(cut, true);
    // A handle in lower case (`jdoe`) fails the capitalized-name test; as one word it
    // can still count as a lone name.
    if names.is_empty() && !cut.trim().contains(' ') {
        names = split_names(cut, false);
    }
    let lone = names.len() == 1 && !names[0].contains(' ') && !had_lead_in;
    (names, lone)
}

/// Words before `by` that credit someone other than the author.
const NOT_AUTHOR_BY: &[&str] = &[
    "reviewed",
    "edited",
    "checked",
    "photographed",
    "photos",
    "photo",
    "illustrated",
    "illustration",
    "produced",
    "sponsored",
    "powered",
    "designed",
    "hosted",
    "presented",
    "translated",
];

/// Words before an inner `by` that credit the author (`This post was written by`); any
/// other `by` inside a text (`hosted by`, `reviewed by`) credits someone else.
const AUTHOR_BY: &[&str] = &[
    "written",
    "posted",
    "published",
    "authored",
    "reported",
    "story",
    "words",
    "article",
    "post",
    "text",
];

/// What follows the first ` by ` inside a text, where the word before it credits the
/// author.
fn after_inner_by(text: &str) -> Option<&str> {
    let lower = text.to_lowercase();
    if lower.len() != text.len() {
        return None;
    }
    let at = lower.find(" by ")?;
    let before = lower[..at].rsplit(' ').next().unwrap_or("");
    AUTHOR_BY
        .contains(&before.trim_matches(|c: char| !c.is_alphabetic()))
        .then(|| text.get(at + 4..))
        .flatten()
}

/// The names of the first byline that reads as one. A lone word (a forum handle) counts
/// only when several bylines of the page give it, since one alone is as likely a label
/// (`Member`) or the site's name.
pub(crate) fn from_bylines(texts: &[String]) -> Vec<String> {
    let read: Vec<(Vec<String>, bool)> = texts.iter().map(|t| read_byline(t)).collect();
    for (names, lone) in &read {
        if names.is_empty() {
            continue;
        }
        if !lone {
            return names.clone();
        }
        let k = key(&names[0]);
        let seen = read
            .iter()
            .filter(|(other, _)| other.len() == 1 && key(&other[0]) == k)
            .count();
        if seen >= MIN_LONE_REPEATS {
            return names.clone();
        }
    }
    Vec::new()
}

/// How many bylines must give a lone word for it to be taken as a name.
const MIN_LONE_REPEATS: usize = 2;

/// True for a login rather than a name: one lower-case token with `.`, `_` or digits
/// (`jane.doe`, `jdoe_42`).
pub(crate) fn is_login(name: &str) -> bool {
    !name.contains(' ')
        && !name.chars().any(char::is_uppercase)
        && name
            .chars()
            .any(|c| c == '.' || c == '_' || c.is_ascii_digit())
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
        assert_eq!(
            split_names("Jane Doe, Print Managing Editor", false),
            ["Jane Doe"]
        );
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
        assert_eq!(from_byline("By ClayMar 14, 202434 min read"), ["Clay"]);
        assert_eq!(from_byline("Jane SmithMarketing Director"), ["Jane Smith"]);
        assert_eq!(from_byline("By Kate MacKenzie"), ["Kate MacKenzie"]);
        assert_eq!(
            from_byline("Updated January 8, 2026 Written by Jane Doe Senior Writer"),
            ["Jane Doe"]
        );
        assert_eq!(
            from_byline("This post was written by Jane Doe, Head of Marketing"),
            ["Jane Doe"]
        );
        assert!(from_byline("Reviewed by Jane Doe, Trial Attorney").is_empty());
        assert_eq!(from_byline("Article by: Cara Doe RN, BSN"), ["Cara Doe"]);
        assert_eq!(
            from_byline("by Linda Roe Contributing Writer"),
            ["Linda Roe"]
        );
        assert_eq!(from_byline("By John Smith III"), ["John Smith III"]);
        assert_eq!(from_byline("Author Jane Doe"), ["Jane Doe"]);
        assert_eq!(
            from_byline("by Jane Doe » Tue Aug 27, 2019 1:47 am"),
            ["Jane Doe"]
        );
    }

    #[test]
    fn a_handle_counts_when_bylines_repeat_it() {
        let texts = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            from_bylines(&texts(&["Member", "jdoe 1,234 posts", "jdoe", "Ann Lee"])),
            ["jdoe"]
        );
        assert_eq!(from_bylines(&texts(&["Member", "Ann Lee"])), ["Ann Lee"]);
        assert_eq!(
            from_bylines(&texts(&["Jdoe42 12 posts", "Jdoe42"])),
            ["Jdoe42"]
        );
        assert!(from_bylines(&texts(&["Share", "Print"])).is_empty());
        assert!(from_bylines(&texts(&[
            "Wed Dec 27, 2023 10:00 am",
            "Wed Dec 27, 2023 11:04 am"
        ]))
        .is_empty());
    }

    #[test]
    fn body_text_is_not_a_byline() {
        assert!(from_byline("Author").is_empty());
        assert!(from_byline("about the author and what she writes about every week").is_empty());
        assert!(from_byline("How we reviewed this article:").is_empty());
    }
}
