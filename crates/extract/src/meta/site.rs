//! The site's name, the canonical URL and the declared language.

use url::Url;

use super::text::fold;

/// The first `<meta>` content under one of the keys, in the order of the keys.
pub(crate) fn meta<'a>(metas: &'a [(String, String)], keys: &[&str]) -> Option<&'a str> {
    keys.iter().find_map(|k| {
        metas
            .iter()
            .find(|(name, content)| name == k && !content.trim().is_empty())
            .map(|(_, content)| content.trim())
    })
}

/// `<link rel=canonical>`, else `og:url`, made absolute against the page URL (or, when the
/// page URL is unknown, against `og:url`).
pub(crate) fn canonical_url(
    links: &[(String, String)],
    metas: &[(String, String)],
    page_url: Option<&str>,
) -> Option<String> {
    let og = meta(metas, &["og:url"]);
    let base = page_url
        .and_then(|u| Url::parse(u.trim()).ok())
        .or_else(|| og.and_then(|u| Url::parse(u).ok()));
    let absolute = |href: &str| -> Option<String> {
        let href = href.trim();
        if href.is_empty() {
            return None;
        }
        let url = match &base {
            Some(b) => b.join(href).ok()?,
            None => Url::parse(href).ok()?,
        };
        matches!(url.scheme(), "http" | "https").then(|| url.to_string())
    };
    links
        .iter()
        .filter(|(rel, _)| rel.split_ascii_whitespace().any(|r| r == "canonical"))
        .find_map(|(_, href)| absolute(href))
        .or_else(|| og.and_then(absolute))
}

/// The host of a URL, without a leading `www.`.
pub(crate) fn host(url: &str) -> Option<String> {
    let url = Url::parse(url.trim()).ok()?;
    let host = url.host_str()?;
    Some(host.strip_prefix("www.").unwrap_or(host).to_string())
}

/// The label of a host that names the site: `theguardian` of `www.theguardian.com`, `bbc`
/// of `bbc.co.uk`.
pub(crate) fn host_label(host: &str) -> Option<&str> {
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    match labels.as_slice() {
        [] => None,
        [one] => Some(one),
        [.., name, second, tld]
            if tld.len() == 2
                && matches!(*second, "co" | "com" | "org" | "net" | "ac" | "gov" | "edu") =>
        {
            Some(name)
        }
        [.., name, _tld] => Some(name),
    }
}

/// The declared language: `<html lang>`, else `content-language`, else `og:locale`.
pub(crate) fn language(html_lang: Option<&str>, metas: &[(String, String)]) -> Option<String> {
    html_lang
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .or_else(|| meta(metas, &["content-language", "language", "og:locale"]))
        .map(fold)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn canonical_is_made_absolute() {
        let links = pairs(&[("stylesheet", "/a.css"), ("canonical", "/news/a")]);
        assert_eq!(
            canonical_url(&links, &[], Some("https://x.test/news/a?utm=1")).as_deref(),
            Some("https://x.test/news/a")
        );
        let metas = pairs(&[("og:url", "https://y.test/b")]);
        assert_eq!(
            canonical_url(&[], &metas, None).as_deref(),
            Some("https://y.test/b")
        );
        assert_eq!(
            canonical_url(&links, &metas, None).as_deref(),
            Some("https://y.test/news/a"),
            "without a page URL, og:url is the base"
        );
        assert_eq!(canonical_url(&links, &[], None), None);
    }

    #[test]
    fn host_and_label() {
        assert_eq!(
            host("https://www.theguardian.com/x").as_deref(),
            Some("theguardian.com")
        );
        assert_eq!(host_label("theguardian.com"), Some("theguardian"));
        assert_eq!(host_label("news.bbc.co.uk"), Some("bbc"));
        assert_eq!(host("not a url"), None);
    }

    #[test]
    fn language_sources_in_order() {
        let metas = pairs(&[("og:locale", "en_GB"), ("content-language", "en-US")]);
        assert_eq!(language(Some(" de "), &metas).as_deref(), Some("de"));
        assert_eq!(language(Some(""), &metas).as_deref(), Some("en-US"));
        assert_eq!(
            language(None, &pairs(&[("og:locale", "en_GB")])).as_deref(),
            Some("en_GB")
        );
    }
}
