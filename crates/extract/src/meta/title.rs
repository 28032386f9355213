//! The headline, chosen among the page's title sources by agreement, without the site
//! name that `<title>` and `og:title` often add (`Headline | Site`, `Site - Headline`).
//!
//! In order:
//! 1. A heading (main content first, `h1` before `h2`, never one that is the site's name)
//!    that is the whole or the start of a metadata title (`<title>`, `og:title`,
//!    `twitter:title`, JSON-LD `headline`): sites write the headline into an `h1` and
//!    again into the titles, and add their name only to the latter.
//! 2. When the page has no main `h1`: the longest piece two metadata titles share.
//! 3. A heading that is a later piece of a title (`Site | Headline`).
//! 4. The main `h1`, else the JSON-LD headline, `og:title` or `twitter:title`, else
//!    `<title>`.
//!
//! The site name is then stripped from either end; in steps 2 and 4, whatever still
//! follows a separator (a section, a tagline) goes too.

use super::text::{fold, key};
use super::Heading;

/// What separates a headline from a site name or section in `<title>`-like strings.
const SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", " · ", " :: ", " » ", " « ", " // ", " / ", " ~ ", " • ", ": ",
    " |", "| ",
];

/// Words a site adds to its name in titles (`Arch Linux Forums` of `archlinux.org`).
const SITE_KIND_WORDS: &[&str] = &[
    "forum",
    "forums",
    "blog",
    "news",
    "magazine",
    "online",
    "community",
    "docs",
    "documentation",
    "wiki",
    "help",
    "support",
    "store",
    "shop",
    "official",
];

/// The longest heading taken as a headline, in characters: longer ones are paragraphs
/// set in heading tags.
const MAX_HEADING_CHARS: usize = 300;

/// The sources of a title, as the page gives them.
#[derive(Debug, Default)]
pub(crate) struct TitleSources<'a> {
    pub title_tag: Option<&'a str>,
    pub og: Option<&'a str>,
    pub twitter: Option<&'a str>,
    pub json_ld: Option<&'a str>,
    pub headings: &'a [Heading],
    /// Names of the site (`og:site_name`, JSON-LD publisher, `application-name`), and the
    /// host name's main label.
    pub site_names: Vec<String>,
}

/// The string and every piece of it on either side of a separator.
fn pieces(s: &str) -> Vec<String> {
    let mut out = vec![s.trim().to_string()];
    for sep in SEPARATORS {
        let mut from = 0;
        while let Some(i) = s[from..].find(sep) {
            let at = from + i;
            let (left, right) = (s[..at].trim(), s[at + sep.len()..].trim());
            for p in [left, right] {
                if !p.is_empty() && !out.iter().any(|o| o == p) {
                    out.push(p.to_string());
                }
            }
            from = at + sep.len();
        }
    }
    out
}

/// Letters and digits only, lower-cased: `The Guardian`, `theguardian.com` and
/// `THEGUARDIAN` compare equal on it.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_site_name(piece: &str, site_names: &[String]) -> bool {
    let p = squash(piece);
    if p.is_empty() {
        return false;
    }
    // `thedaily.example` names the site `thedaily`.
    let label = piece
        .contains('.')
        .then(|| piece.split('.').next().map(squash))
        .flatten();
    site_names.iter().any(|name| {
        let n = squash(name);
        !n.is_empty()
            && (p == n
                || label.as_deref() == Some(n.as_str())
                || (n.len() >= 4
                    && p.strip_prefix(n.as_str())
                        .is_some_and(|rest| rest.len() <= 4 || SITE_KIND_WORDS.contains(&rest))))
    })
}

/// Drops a leading or trailing site name (`Headline | Site`, `Site: Headline`).
fn strip_site(s: &str, site_names: &[String]) -> String {
    let mut s = s.trim().to_string();
    // A title can carry the site and a section (`Headline - Section | Site`): two rounds.
    for _ in 0..2 {
        let mut changed = false;
        for sep in SEPARATORS {
            if let Some(i) = s.rfind(sep) {
                let (left, right) = (s[..i].trim(), s[i + sep.len()..].trim());
                if !left.is_empty() && is_site_name(right, site_names) {
                    s = left.to_string();
                    changed = true;
                    break;
                }
            }
            if let Some(i) = s.find(sep) {
                let (left, right) = (s[..i].trim(), s[i + sep.len()..].trim());
                if !right.is_empty() && is_site_name(left, site_names) {
                    s = right.to_string();
                    changed = true;
                    break;
                }
            }
        }
        if !changed {
            break;
        }
    }
    s
}

/// A heading's text without the marks headings carry for their permalinks.
fn clean_heading(text: &str) -> String {
    clean(text.trim_end_matches(['¶', '#', '\u{1F517}']))
}

/// Whitespace folded, and the invisible characters that break words for layout (soft
/// hyphens, zero-width spaces) dropped.
fn clean(text: &str) -> String {
    let visible: String = text
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '\u{AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}'
            )
        })
        .collect();
    fold(&visible)
}

/// How a heading's text is found in a metadata title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Match {
    /// The whole title, or its start (`Headline | Site`).
    Lead,
    /// Only a later part (`Site | Section`): more often a site or section name than the
    /// headline.
    Tail,
}

/// The keys of a title's parts: the whole, the parts before a separator (its leads) and
/// the parts after one (its tails).
struct TitleKeys {
    whole: String,
    leads: Vec<String>,
    tails: Vec<String>,
}

impl TitleKeys {
    fn of(title: &str) -> Self {
        let mut keys = TitleKeys {
            whole: key(title),
            leads: Vec::new(),
            tails: Vec::new(),
        };
        for sep in SEPARATORS {
            let mut from = 0;
            while let Some(i) = title[from..].find(sep) {
                let at = from + i;
                keys.leads.push(key(&title[..at]));
                keys.tails.push(key(&title[at + sep.len()..]));
                from = at + sep.len();
            }
        }
        keys
    }
}

/// Whether the key is the whole of one of the titles, its start (before a separator, or
/// a run of whole words: `What is X?` in `What Is X? Our Guide`), or only a later part.
fn find_in(k: &str, titles: &[TitleKeys]) -> Option<Match> {
    let lead = titles.iter().any(|t| {
        t.whole == k
            || t.leads.iter().any(|l| l == k)
            || (t.whole.starts_with(k)
                && k.split(' ').count() >= MIN_PREFIX_WORDS
                && t.whole[k.len()..].starts_with(' '))
    });
    if lead {
        return Some(Match::Lead);
    }
    titles
        .iter()
        .any(|t| t.tails.iter().any(|l| l == k))
        .then_some(Match::Tail)
}

/// A heading found at the start of a title without a separator after it must have this
/// many words, so that a one-word heading (`News`) is not taken for a headline.
const MIN_PREFIX_WORDS: usize = 2;

/// Chooses the headline.
pub(crate) fn choose(src: &TitleSources<'_>) -> Option<String> {
    let metas: Vec<String> = [src.json_ld, src.og, src.twitter, src.title_tag]
        .into_iter()
        .flatten()
        .map(clean)
        .filter(|s| !s.is_empty())
        .collect();
    let title_keys: Vec<TitleKeys> = metas.iter().map(|m| TitleKeys::of(m)).collect();
    let meta_keys: Vec<Vec<String>> = metas
        .iter()
        .map(|m| pieces(m).iter().map(|p| key(p)).collect())
        .collect();

    // Headings in the main content first, `h1` before `h2`; a heading that is the site's
    // name (a logo in an `h1`) is never the headline.
    let mut headings: Vec<(String, &Heading)> = src
        .headings
        .iter()
        .filter(|h| h.text.chars().count() <= MAX_HEADING_CHARS)
        .map(|h| (clean_heading(&h.text), h))
        .filter(|(t, _)| !key(t).is_empty() && !is_site_name(t, &src.site_names))
        .collect();
    headings.sort_by_key(|(_, h)| (!h.in_main, h.level));
    let matched: Vec<(Match, &String)> = headings
        .iter()
        .filter_map(|(t, _)| find_in(&key(t), &title_keys).map(|m| (m, t)))
        .collect();
    if let Some((_, t)) = matched.iter().find(|(m, _)| *m == Match::Lead) {
        return Some(strip_site(t, &src.site_names));
    }

    // Two metadata sources that share a piece: the longest shared piece.
    let mut best: Option<String> = None;
    for (i, m) in metas.iter().enumerate() {
        for p in pieces(m) {
            let k = key(&p);
            if k.is_empty() || is_site_name(&p, &src.site_names) {
                continue;
            }
            let shared = meta_keys
                .iter()
                .enumerate()
                .any(|(j, keys)| j != i && keys.contains(&k));
            if shared && best.as_ref().is_none_or(|b| p.len() > b.len()) {
                best = Some(p);
            }
        }
    }
    // A main `h1` that no title repeats is still a better headline than what the titles
    // share, which is often the site's tagline or a search-engine title (measured on the
    // dev set: 0.735 -> 0.741 title exact on the 4/5 split).
    let has_main_h1 = headings.iter().any(|(_, h)| h.level == 1 && h.in_main);
    if let Some(b) = best.filter(|_| !has_main_h1) {
        return Some(first_of_chain(&strip_site(&b, &src.site_names)));
    }
    if let Some((_, t)) = matched.first() {
        return Some(strip_site(t, &src.site_names));
    }

    let main_h1 = headings
        .iter()
        .find(|(_, h)| h.level == 1 && h.in_main)
        .map(|(t, _)| t.clone());
    let meta_title = [src.json_ld, src.og, src.twitter]
        .into_iter()
        .flatten()
        .map(clean)
        .find(|t| !t.is_empty());
    main_h1
        .or(meta_title)
        .or_else(|| src.title_tag.map(clean).filter(|t| !t.is_empty()))
        .map(|t| first_of_chain(&strip_site(&t, &src.site_names)))
}

/// Separators that chain a page's name to its sections and site (`Topic - Board -
/// Forum`); `:` is left out, since headlines use it for a subtitle.
const CHAIN_SEPARATORS: &[&str] = &[" | ", " - ", " – ", " — ", " / ", " · ", " » "];

/// The first part of a title that chains parts (`Topic - Board`, `Product | Tagline`):
/// once the site name is gone, what follows a separator is a section or a tagline more
/// often than the rest of a headline.
fn first_of_chain(title: &str) -> String {
    for sep in CHAIN_SEPARATORS {
        if let Some((first, _)) = title.split_once(sep) {
            if !first.trim().is_empty() {
                return first.trim().to_string();
            }
        }
    }
    title.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h1(text: &str) -> Heading {
        Heading {
            level: 1,
            text: text.to_string(),
            in_main: true,
        }
    }

    #[test]
    fn a_heading_repeated_in_the_title_tag_wins() {
        let headings = [h1("Site"), h1("Rain falls on the plain")];
        let got = choose(&TitleSources {
            title_tag: Some("Rain falls on the plain | The Daily"),
            headings: &headings,
            ..TitleSources::default()
        });
        assert_eq!(got.as_deref(), Some("Rain falls on the plain"));
    }

    #[test]
    fn agreement_ignores_quote_style_and_permalink_marks() {
        let headings = [h1("It\u{2019}s raining¶")];
        let got = choose(&TitleSources {
            og: Some("It's raining"),
            headings: &headings,
            ..TitleSources::default()
        });
        assert_eq!(got.as_deref(), Some("It\u{2019}s raining"));
    }

    #[test]
    fn site_prefix_and_suffix_are_stripped() {
        let names = vec!["The Daily".to_string()];
        let got = choose(&TitleSources {
            title_tag: Some("The Daily - Rain falls"),
            site_names: names.clone(),
            ..TitleSources::default()
        });
        assert_eq!(got.as_deref(), Some("Rain falls"));
        let got = choose(&TitleSources {
            title_tag: Some("Rain falls - Weather | thedaily.example"),
            site_names: vec!["thedaily".to_string()],
            ..TitleSources::default()
        });
        assert_eq!(got.as_deref(), Some("Rain falls"), "the section goes too");
        let headings = [h1("Rain falls - live")];
        let got = choose(&TitleSources {
            title_tag: Some("Rain falls - live | The Daily"),
            headings: &headings,
            site_names: names,
            ..TitleSources::default()
        });
        assert_eq!(
            got.as_deref(),
            Some("Rain falls - live"),
            "a repeated heading is kept whole"
        );
    }

    #[test]
    fn a_logo_heading_is_not_the_headline() {
        let headings = [h1("The Daily"), h1("Rain falls")];
        let got = choose(&TitleSources {
            title_tag: Some("Rain falls | The Daily"),
            headings: &headings,
            site_names: vec!["The Daily".to_string()],
            ..TitleSources::default()
        });
        assert_eq!(got.as_deref(), Some("Rain falls"));
    }

    #[test]
    fn a_heading_at_the_start_of_a_title_matches_on_whole_words() {
        let headings = [h1("What is rain?")];
        let got = choose(&TitleSources {
            og: Some("What Is Rain? Our Complete Guide"),
            headings: &headings,
            ..TitleSources::default()
        });
        assert_eq!(got.as_deref(), Some("What is rain?"));
    }

    #[test]
    fn titles_that_agree_win_when_the_page_has_no_main_h1() {
        let side = [Heading {
            level: 2,
            text: "Weather".to_string(),
            in_main: false,
        }];
        let sources = TitleSources {
            og: Some("Rain falls"),
            title_tag: Some("Rain falls | Daily"),
            headings: &side,
            ..TitleSources::default()
        };
        assert_eq!(choose(&sources).as_deref(), Some("Rain falls"));
        let main = [h1("Rain falls on the plain today")];
        let sources = TitleSources {
            headings: &main,
            ..sources
        };
        assert_eq!(
            choose(&sources).as_deref(),
            Some("Rain falls on the plain today")
        );
    }

    #[test]
    fn without_agreement_main_h1_then_og_title_then_title_tag() {
        let headings = [h1("Weather today")];
        let with_h1 = TitleSources {
            og: Some("Rain falls"),
            title_tag: Some("Something else"),
            headings: &headings,
            ..TitleSources::default()
        };
        assert_eq!(choose(&with_h1).as_deref(), Some("Weather today"));
        let no_h1 = TitleSources {
            og: Some("Rain falls"),
            title_tag: Some("Something else"),
            ..TitleSources::default()
        };
        assert_eq!(choose(&no_h1).as_deref(), Some("Rain falls"));
        let only_tag = TitleSources {
            title_tag: Some("Something else | Section"),
            ..TitleSources::default()
        };
        assert_eq!(choose(&only_tag).as_deref(), Some("Something else"));
        assert_eq!(choose(&TitleSources::default()), None);
    }

    #[test]
    fn soft_hyphens_are_dropped() {
        let headings = [h1("Repair Assis\u{AD}tance")];
        let got = choose(&TitleSources {
            headings: &headings,
            ..TitleSources::default()
        });
        assert_eq!(got.as_deref(), Some("Repair Assistance"));
    }
}
