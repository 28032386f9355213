//! The headline, chosen among the page's title sources by agreement, without the site
//! name that `<title>` and `og:title` often add (`Headline | Site`, `Site - Headline`).
//!
//! A heading that another source repeats is the headline: sites write the headline into
//! an `h1` and again into `<title>` / `og:title` / JSON-LD, and add their name only to the
//! latter. When no heading is repeated, two metadata sources that agree win; then the
//! JSON-LD headline, `og:title`, the main `h1` and the `<title>` follow, in that order.

use super::text::{fold, key};
use super::Heading;

/// What separates a headline from a site name or section in `<title>`-like strings.
const SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", " · ", " :: ", " » ", " « ", " // ", " ~ ", " • ", ": ", " |", "| ",
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
                || (n.len() >= 4 && p.starts_with(&n) && p.len() <= n.len() + 4)
                || (p.len() >= 4 && n.starts_with(&p)))
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
    fold(text.trim_end_matches(['¶', '#', '\u{1F517}']))
}

/// Chooses the headline.
pub(crate) fn choose(src: &TitleSources<'_>) -> Option<String> {
    let metas: Vec<&str> = [src.json_ld, src.og, src.twitter, src.title_tag]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let meta_keys: Vec<Vec<String>> = metas
        .iter()
        .map(|m| pieces(m).iter().map(|p| key(p)).collect())
        .collect();

    // Headings in the main content first, `h1` before `h2`.
    let mut headings: Vec<&Heading> = src
        .headings
        .iter()
        .filter(|h| h.text.chars().count() <= MAX_HEADING_CHARS)
        .collect();
    headings.sort_by_key(|h| (!h.in_main, h.level));
    for h in &headings {
        let text = clean_heading(&h.text);
        let k = key(&text);
        if k.is_empty() {
            continue;
        }
        if meta_keys.iter().any(|keys| keys.contains(&k)) {
            return Some(strip_site(&text, &src.site_names));
        }
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
    if let Some(b) = best {
        return Some(strip_site(&b, &src.site_names));
    }

    let main_h1 = headings
        .iter()
        .find(|h| h.level == 1 && h.in_main)
        .map(|h| clean_heading(&h.text))
        .filter(|t| !key(t).is_empty());
    [src.json_ld, src.og, src.twitter]
        .into_iter()
        .flatten()
        .map(fold)
        .find(|t| !t.is_empty())
        .or(main_h1)
        .or_else(|| src.title_tag.map(fold).filter(|t| !t.is_empty()))
        .map(|t| strip_site(&t, &src.site_names))
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
        assert_eq!(got.as_deref(), Some("Rain falls - Weather"));
    }

    #[test]
    fn metadata_sources_that_agree_beat_a_lone_heading() {
        let headings = [h1("Weather")];
        let got = choose(&TitleSources {
            og: Some("Rain falls"),
            title_tag: Some("Rain falls | Daily"),
            headings: &headings,
            ..TitleSources::default()
        });
        assert_eq!(got.as_deref(), Some("Rain falls"));
    }

    #[test]
    fn without_agreement_og_title_then_heading_then_title_tag() {
        let headings = [h1("Weather today")];
        let only_og = TitleSources {
            og: Some("Rain falls"),
            title_tag: Some("Something else"),
            headings: &headings,
            ..TitleSources::default()
        };
        assert_eq!(choose(&only_og).as_deref(), Some("Rain falls"));
        let no_og = TitleSources {
            title_tag: Some("Something else"),
            headings: &headings,
            ..TitleSources::default()
        };
        assert_eq!(choose(&no_og).as_deref(), Some("Weather today"));
        assert_eq!(choose(&TitleSources::default()), None);
    }
}
