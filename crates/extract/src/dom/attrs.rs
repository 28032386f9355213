//! The attributes the extraction reads, kept per element; all others are dropped while the page
//! is tokenized.

/// The attributes the extraction and the metadata read; the others are dropped while parsing.
#[derive(Clone, Debug, Default)]
pub(crate) struct Attrs {
    pub id: Option<String>,
    pub class: Option<String>,
    pub role: Option<String>,
    pub itemprop: Option<String>,
    pub rel: Option<String>,
    pub href: Option<String>,
    pub name: Option<String>,
    pub property: Option<String>,
    pub content: Option<String>,
    pub http_equiv: Option<String>,
    pub kind: Option<String>,
    pub lang: Option<String>,
    pub datetime: Option<String>,
    pub pubdate: bool,
    /// `span`, `b`, `strong`, `i` or `em` (all [`Tag::Other`] to the builder): the inline
    /// wrappers a page's shown date sits in.
    pub phrasing: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttrName {
    Id,
    Class,
    Role,
    Itemprop,
    Rel,
    Href,
    Name,
    Property,
    Content,
    HttpEquiv,
    Type,
    Lang,
    Datetime,
    Pubdate,
}

impl AttrName {
    pub fn from_name(name: &[u8]) -> Option<AttrName> {
        Some(match name {
            b"id" => AttrName::Id,
            b"class" => AttrName::Class,
            b"role" => AttrName::Role,
            b"itemprop" => AttrName::Itemprop,
            b"rel" => AttrName::Rel,
            b"href" => AttrName::Href,
            b"name" => AttrName::Name,
            b"property" => AttrName::Property,
            b"content" => AttrName::Content,
            b"http-equiv" => AttrName::HttpEquiv,
            b"type" => AttrName::Type,
            b"lang" => AttrName::Lang,
            b"datetime" => AttrName::Datetime,
            b"pubdate" => AttrName::Pubdate,
            _ => return None,
        })
    }
}
