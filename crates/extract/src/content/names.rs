//! What an element's `class`, `id`, `role` and `itemprop` say it is: boilerplate (menus, share
//! bars, cookie banners, comments, related links, bylines...) or content.

use crate::dom::{Dom, NodeId};

/// Words in a `class` or `id` that name boilerplate. Matched against whole words of the
/// name split at spaces, `-` and `_`, so `header` is not `head` and `shadow` is not `ad`.
const BOILERPLATE_WORDS: &[&str] = &[
    "ad",
    "ads",
    "adsense",
    "advert",
    "advertisement",
    "advertising",
    "author",
    "banner",
    "breadcrumb",
    "breadcrumbs",
    "byline",
    "comment",
    "comments",
    "consent",
    "cookie",
    "cookies",
    "cta",
    "disqus",
    "footer",
    "gdpr",
    "masthead",
    "menu",
    "modal",
    "nav",
    "navbar",
    "navigation",
    "newsletter",
    "outbrain",
    "pager",
    "pagination",
    "popular",
    "popup",
    "promo",
    "recommended",
    "related",
    "share",
    "sharing",
    "shoutbox",
    "sidebar",
    "signup",
    "skip",
    "skyscraper",
    "social",
    "sponsor",
    "sponsored",
    "subscribe",
    "subscription",
    "taboola",
    "tags",
    "toolbar",
    "trending",
];

/// Words that name the main content.
const CONTENT_WORDS: &[&str] = &[
    "article",
    "articlebody",
    "body",
    "content",
    "entry",
    "main",
    "post",
    "prose",
    "story",
    "text",
];

/// ARIA roles of boilerplate.
const BOILERPLATE_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "menu",
    "menubar",
    "dialog",
    "alertdialog",
    "search",
];

fn name_words(value: &str) -> impl Iterator<Item = String> + '_ {
    value
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
}

/// The hint of a boilerplate role.
const ROLE_HINT: i32 = -1000;

/// Negative for a boilerplate name (`-1 - i` for word `i` of [`BOILERPLATE_WORDS`], or
/// [`ROLE_HINT`]), +1 for a content name, 0 otherwise.
pub fn name_hint(dom: &Dom, id: NodeId) -> i32 {
    let Some(attrs) = dom.attrs(id) else {
        return 0;
    };
    if let Some(role) = &attrs.role {
        if BOILERPLATE_ROLES.contains(&role.trim().to_ascii_lowercase().as_str()) {
            return ROLE_HINT;
        }
    }
    let mut hint = 0;
    for value in [&attrs.class, &attrs.id].into_iter().flatten() {
        let mut negated = false;
        for word in name_words(value) {
            // "not-footer", "no-sidebar": the name says what the element is not.
            let after_not = std::mem::replace(&mut negated, word == "not" || word == "no");
            if after_not {
                continue;
            }
            if let Some(i) = BOILERPLATE_WORDS.iter().position(|w| *w == word) {
                return -1 - i as i32;
            }
            if CONTENT_WORDS.contains(&word.as_str()) {
                hint = 1;
            }
        }
    }
    if attrs
        .itemprop
        .as_deref()
        .is_some_and(|p| p.eq_ignore_ascii_case("articleBody"))
    {
        hint = 1;
    }
    hint
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hint of the only element of `<div ATTRS>`.
    fn hint(attrs: &str) -> i32 {
        let dom = Dom::parse(&format!("<div {attrs}>text</div>"));
        let div = (0..dom.nodes.len())
            .find(|&id| {
                dom.attrs(id).is_some_and(|a| {
                    a.class.is_some() || a.id.is_some() || a.role.is_some() || a.itemprop.is_some()
                })
            })
            .expect("the div is in the tree");
        name_hint(&dom, div)
    }

    fn word(w: &str) -> i32 {
        let i = BOILERPLATE_WORDS
            .iter()
            .position(|b| *b == w)
            .expect("a boilerplate word");
        -1 - i as i32
    }

    #[test]
    fn names_are_matched_by_whole_words() {
        assert_eq!(hint("class=\"share-bar\""), word("share"));
        assert_eq!(hint("id=\"main_menu\""), word("menu"));
        // `header` is not `head`, `shadow` is not `ad`, `download` not `ad` either.
        assert_eq!(hint("class=\"header shadow download\""), 0);
        assert_eq!(hint("class=\"ARTICLE-body\""), 1);
        assert_eq!(hint("itemprop=\"articleBody\""), 1);
    }

    #[test]
    fn negated_names_and_roles() {
        assert_eq!(hint("class=\"site-content not-footer no-sidebar\""), 1);
        assert_eq!(hint("role=\" Navigation \""), ROLE_HINT);
        // A boilerplate word wins over a content word in the same name.
        assert_eq!(hint("class=\"article comments\""), word("comments"));
    }
}
