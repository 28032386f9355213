//! An arena tree of the page, built from html5gum's tokens.
//!
//! The tree builder is a small subset of the WHATWG tree construction rules: the implied end
//! tags that decide where text belongs (`p`, `li`, `dd`/`dt`, table cells and rows, headings,
//! `option`, nested `a`), void elements, and the head/body split. It does no foster parenting
//! and no adoption agency: misnested formatting tags only move text between inline parents,
//! which the extraction does not care about.
//!
//! Every operation is bounded by [`MAX_DEPTH`]: elements opened deeper than that are kept as
//! childless markers and their content goes to the deepest open element, so the stack scans
//! the implied end tags need stay short on any input and 100k-deep nesting is linear.
//! Nodes are stored in document (preorder) order, so a node's descendants are the nodes that
//! follow it up to [`Dom::subtree_end`], and walks over the tree are loops, never recursion.

use std::convert::Infallible;

use html5gum::emitters::callback::{Callback, CallbackEmitter, CallbackEvent};
use html5gum::{Span, Tokenizer};

/// Elements opened deeper than this are not pushed on the stack of open elements. Real pages
/// nest a few dozen levels, rarely above 200.
const MAX_DEPTH: usize = 512;

/// The index of a node in [`Dom::nodes`].
pub(crate) type NodeId = usize;

/// The tags the builder and the extraction tell apart; every other tag is [`Tag::Other`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tag {
    A,
    Address,
    Article,
    Aside,
    Blockquote,
    Body,
    Br,
    Button,
    Caption,
    Center,
    Dd,
    Details,
    Dialog,
    Dir,
    Div,
    Dl,
    Dt,
    Fieldset,
    Figcaption,
    Figure,
    Footer,
    Form,
    H1,
    H2,
    H3,
    H4,
    H5,
    H6,
    Head,
    Header,
    Hgroup,
    Hr,
    Html,
    Iframe,
    Li,
    Link,
    Main,
    Math,
    Menu,
    Meta,
    Nav,
    Noscript,
    Ol,
    Optgroup,
    Option,
    P,
    Pre,
    Script,
    Section,
    Select,
    Style,
    Summary,
    Svg,
    Table,
    Tbody,
    Td,
    Template,
    Textarea,
    Tfoot,
    Th,
    Thead,
    Time,
    Title,
    Tr,
    Ul,
    /// A void element the extraction does not look at (`img`, `input`, `wbr`...).
    OtherVoid,
    Other,
}

impl Tag {
    /// 1 to 6 for `h1`-`h6`.
    pub fn heading_level(self) -> Option<u8> {
        match self {
            Tag::H1 => Some(1),
            Tag::H2 => Some(2),
            Tag::H3 => Some(3),
            Tag::H4 => Some(4),
            Tag::H5 => Some(5),
            Tag::H6 => Some(6),
            _ => None,
        }
    }

    fn from_name(name: &[u8]) -> Tag {
        match name {
            b"a" => Tag::A,
            b"address" => Tag::Address,
            b"article" => Tag::Article,
            b"aside" => Tag::Aside,
            b"blockquote" => Tag::Blockquote,
            b"body" => Tag::Body,
            b"br" => Tag::Br,
            b"button" => Tag::Button,
            b"caption" => Tag::Caption,
            b"center" => Tag::Center,
            b"dd" => Tag::Dd,
            b"details" => Tag::Details,
            b"dialog" => Tag::Dialog,
            b"dir" => Tag::Dir,
            b"div" => Tag::Div,
            b"dl" => Tag::Dl,
            b"dt" => Tag::Dt,
            b"fieldset" => Tag::Fieldset,
            b"figcaption" => Tag::Figcaption,
            b"figure" => Tag::Figure,
            b"footer" => Tag::Footer,
            b"form" => Tag::Form,
            b"h1" => Tag::H1,
            b"h2" => Tag::H2,
            b"h3" => Tag::H3,
            b"h4" => Tag::H4,
            b"h5" => Tag::H5,
            b"h6" => Tag::H6,
            b"head" => Tag::Head,
            b"header" => Tag::Header,
            b"hgroup" => Tag::Hgroup,
            b"hr" => Tag::Hr,
            b"html" => Tag::Html,
            b"iframe" => Tag::Iframe,
            b"li" => Tag::Li,
            b"link" => Tag::Link,
            b"main" => Tag::Main,
            b"math" => Tag::Math,
            b"menu" => Tag::Menu,
            b"meta" => Tag::Meta,
            b"nav" => Tag::Nav,
            b"noscript" => Tag::Noscript,
            b"ol" => Tag::Ol,
            b"optgroup" => Tag::Optgroup,
            b"option" => Tag::Option,
            b"p" => Tag::P,
            b"pre" | b"listing" | b"xmp" => Tag::Pre,
            b"script" => Tag::Script,
            b"section" => Tag::Section,
            b"select" => Tag::Select,
            b"style" => Tag::Style,
            b"summary" => Tag::Summary,
            b"svg" => Tag::Svg,
            b"table" => Tag::Table,
            b"tbody" => Tag::Tbody,
            b"td" => Tag::Td,
            b"template" => Tag::Template,
            b"textarea" => Tag::Textarea,
            b"tfoot" => Tag::Tfoot,
            b"th" => Tag::Th,
            b"thead" => Tag::Thead,
            b"time" => Tag::Time,
            b"title" => Tag::Title,
            b"tr" => Tag::Tr,
            b"ul" => Tag::Ul,
            b"area" | b"base" | b"basefont" | b"bgsound" | b"col" | b"embed" | b"frame"
            | b"img" | b"input" | b"keygen" | b"param" | b"source" | b"track" | b"wbr" => {
                Tag::OtherVoid
            }
            _ => Tag::Other,
        }
    }

    fn is_void(self) -> bool {
        matches!(
            self,
            Tag::Br | Tag::Hr | Tag::Link | Tag::Meta | Tag::OtherVoid
        )
    }

    /// Start tags that close an open `p` (WHATWG: "close a p element" in "in body").
    fn closes_p(self) -> bool {
        matches!(
            self,
            Tag::Address
                | Tag::Article
                | Tag::Aside
                | Tag::Blockquote
                | Tag::Center
                | Tag::Details
                | Tag::Dialog
                | Tag::Dir
                | Tag::Div
                | Tag::Dl
                | Tag::Fieldset
                | Tag::Figcaption
                | Tag::Figure
                | Tag::Footer
                | Tag::Form
                | Tag::H1
                | Tag::H2
                | Tag::H3
                | Tag::H4
                | Tag::H5
                | Tag::H6
                | Tag::Header
                | Tag::Hgroup
                | Tag::Hr
                | Tag::Main
                | Tag::Menu
                | Tag::Nav
                | Tag::Ol
                | Tag::P
                | Tag::Pre
                | Tag::Section
                | Tag::Summary
                | Tag::Table
                | Tag::Ul
                | Tag::Li
                | Tag::Dd
                | Tag::Dt
        )
    }

    /// Elements an implied or stray end tag never closes across: table parts and the
    /// scoping elements of the WHATWG "has an element in scope" test.
    fn is_scope_boundary(self) -> bool {
        matches!(
            self,
            Tag::Html
                | Tag::Table
                | Tag::Td
                | Tag::Th
                | Tag::Caption
                | Tag::Template
                | Tag::Button
                | Tag::Svg
                | Tag::Math
        )
    }

    /// Elements that stop the search for an `li` (or `dd`/`dt`) to close: the "special"
    /// category, less `address`, `div` and `p`.
    fn stops_list_item_search(self) -> bool {
        !matches!(
            self,
            Tag::Address | Tag::Div | Tag::P | Tag::Other | Tag::A | Tag::Time | Tag::Li
        ) && !matches!(self, Tag::Dd | Tag::Dt)
    }

    fn is_table_section(self) -> bool {
        matches!(self, Tag::Tbody | Tag::Thead | Tag::Tfoot)
    }

    /// Content that may sit in `head`; any other start tag there ends the head.
    fn belongs_in_head(self) -> bool {
        matches!(
            self,
            Tag::Title
                | Tag::Meta
                | Tag::Link
                | Tag::Script
                | Tag::Style
                | Tag::Noscript
                | Tag::Template
                | Tag::OtherVoid
        )
    }
}

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
enum AttrName {
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
    fn from_name(name: &[u8]) -> Option<AttrName> {
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

/// What a node is.
#[derive(Clone, Debug)]
pub(crate) enum NodeData {
    Document,
    Element {
        tag: Tag,
        attrs: Box<Attrs>,
    },
    /// A text node: a range of [`Dom::text`], character references already decoded.
    Text {
        start: usize,
        end: usize,
    },
}

/// One node of the tree.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub parent: NodeId,
    pub data: NodeData,
}

/// The parsed page.
#[derive(Debug)]
pub(crate) struct Dom {
    /// In document order; node 0 is the document.
    pub nodes: Vec<Node>,
    /// The text of all text nodes, one after the other.
    pub text: String,
    /// For each node, the index of its last descendant (itself when it has none).
    subtree_end: Vec<NodeId>,
}

impl Dom {
    /// Parses a page. Never fails: any input gives a tree.
    pub fn parse(html: &str) -> Dom {
        let mut builder = Builder::new();
        {
            let mut emitter = CallbackEmitter::new(Sink(&mut builder));
            emitter.naively_switch_states(true);
            for token in Tokenizer::new_with_emitter(html, emitter) {
                // The callback yields nothing and a `&str` reader cannot fail.
                let _ = token;
            }
        }
        builder.finish()
    }

    pub fn tag(&self, id: NodeId) -> Option<Tag> {
        match &self.nodes[id].data {
            NodeData::Element { tag, .. } => Some(*tag),
            _ => None,
        }
    }

    pub fn attrs(&self, id: NodeId) -> Option<&Attrs> {
        match &self.nodes[id].data {
            NodeData::Element { attrs, .. } => Some(attrs),
            _ => None,
        }
    }

    /// The last node of `id`'s subtree.
    pub fn subtree_end(&self, id: NodeId) -> NodeId {
        self.subtree_end[id]
    }

    /// Whether `node` lies inside the subtree of `ancestor` (or is it).
    pub fn contains(&self, ancestor: NodeId, node: NodeId) -> bool {
        ancestor <= node && node <= self.subtree_end[ancestor]
    }

    /// The text of a subtree, whitespace folded.
    pub fn text_of(&self, id: NodeId) -> String {
        let mut out = String::new();
        for node in &self.nodes[id..=self.subtree_end[id]] {
            if let NodeData::Text { start, end } = node.data {
                push_folded(&mut out, &self.text[start..end]);
            }
        }
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        out
    }
}

/// Appends `text` to `out` with runs of whitespace folded to one space and no space at the
/// start of `out`.
pub(crate) fn push_folded(out: &mut String, text: &str) {
    for (i, word) in text.split(char::is_whitespace).enumerate() {
        if word.is_empty() {
            if i == 0 && !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            continue;
        }
        if i > 0 && !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        out.push_str(word);
    }
    if text.ends_with(char::is_whitespace) && !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
}

struct Sink<'b>(&'b mut Builder);

impl Callback<Infallible, ()> for Sink<'_> {
    fn handle_event(&mut self, event: CallbackEvent<'_>, _span: Span<()>) -> Option<Infallible> {
        let b = &mut *self.0;
        match event {
            CallbackEvent::OpenStartTag { name } => {
                b.pending_name.clear();
                b.pending_name.extend_from_slice(name);
                b.pending_attrs = Attrs::default();
                b.pending_attr = None;
            }
            CallbackEvent::AttributeName { name } => {
                b.pending_attr = AttrName::from_name(name);
                if b.pending_attr == Some(AttrName::Pubdate) {
                    b.pending_attrs.pubdate = true;
                }
            }
            CallbackEvent::AttributeValue { value } => {
                if let Some(attr) = b.pending_attr {
                    b.set_attr(attr, value);
                }
            }
            CallbackEvent::CloseStartTag { self_closing } => b.start_tag(self_closing),
            CallbackEvent::EndTag { name } => b.end_tag(name),
            CallbackEvent::String { value } => b.text(value),
            CallbackEvent::Comment { .. }
            | CallbackEvent::Doctype { .. }
            | CallbackEvent::Error(_) => {}
        }
        None
    }
}

struct Builder {
    nodes: Vec<Node>,
    text: String,
    /// The stack of open elements; the document is always at the bottom.
    open: Vec<NodeId>,
    /// The names of open [`Tag::Other`] elements, parallel to `open` (empty for known tags).
    open_names: Vec<Vec<u8>>,
    /// How many elements of each kind are open, so an end tag for none is dropped at once.
    open_counts: [u32; TAG_SLOTS],
    foreign_depth: usize,
    seen_html: bool,
    seen_head: bool,
    seen_body: bool,
    /// Inside the markup of a `noscript` being parsed in place.
    in_noscript: bool,
    pending_name: Vec<u8>,
    pending_attrs: Attrs,
    pending_attr: Option<AttrName>,
}

const TAG_SLOTS: usize = Tag::Other as usize + 1;

fn slot(tag: Tag) -> usize {
    // Headings share one slot: any heading end tag closes any open heading.
    if tag.heading_level().is_some() {
        Tag::H1 as usize
    } else {
        tag as usize
    }
}

impl Builder {
    fn new() -> Builder {
        Builder {
            nodes: vec![Node {
                parent: 0,
                data: NodeData::Document,
            }],
            text: String::new(),
            open: vec![0],
            open_names: vec![Vec::new()],
            open_counts: [0; TAG_SLOTS],
            foreign_depth: 0,
            seen_html: false,
            seen_head: false,
            seen_body: false,
            in_noscript: false,
            pending_name: Vec::new(),
            pending_attrs: Attrs::default(),
            pending_attr: None,
        }
    }

    fn set_attr(&mut self, attr: AttrName, value: &[u8]) {
        let value = String::from_utf8_lossy(value);
        let a = &mut self.pending_attrs;
        let field = match attr {
            AttrName::Id => &mut a.id,
            AttrName::Class => &mut a.class,
            AttrName::Role => &mut a.role,
            AttrName::Itemprop => &mut a.itemprop,
            AttrName::Rel => &mut a.rel,
            AttrName::Href => &mut a.href,
            AttrName::Name => &mut a.name,
            AttrName::Property => &mut a.property,
            AttrName::Content => &mut a.content,
            AttrName::HttpEquiv => &mut a.http_equiv,
            AttrName::Type => &mut a.kind,
            AttrName::Lang => &mut a.lang,
            AttrName::Datetime => &mut a.datetime,
            AttrName::Pubdate => return,
        };
        // The value arrives in one piece per attribute; a duplicate attribute is ignored, as
        // the WHATWG tokenizer does.
        if field.is_none() {
            *field = Some(value.into_owned());
        }
    }

    fn current(&self) -> NodeId {
        self.open.last().copied().unwrap_or(0)
    }

    fn current_tag(&self) -> Option<Tag> {
        match &self.nodes[self.current()].data {
            NodeData::Element { tag, .. } => Some(*tag),
            _ => None,
        }
    }

    fn tag_at(&self, depth: usize) -> Option<Tag> {
        match &self.nodes[self.open[depth]].data {
            NodeData::Element { tag, .. } => Some(*tag),
            _ => None,
        }
    }

    fn pop(&mut self) {
        if self.open.len() <= 1 {
            return;
        }
        if let Some(tag) = self.current_tag() {
            let s = slot(tag);
            self.open_counts[s] = self.open_counts[s].saturating_sub(1);
            if matches!(tag, Tag::Svg | Tag::Math) {
                self.foreign_depth = self.foreign_depth.saturating_sub(1);
            }
        }
        self.open.pop();
        self.open_names.pop();
    }

    /// Pops up to and including the element at `depth` of the stack.
    fn pop_to(&mut self, depth: usize) {
        while self.open.len() > depth.max(1) {
            self.pop();
        }
    }

    /// The depth of the nearest open element matching `wanted`, searching down from the top
    /// and giving up at an element matching `stop`.
    fn find_open(&self, wanted: impl Fn(Tag) -> bool, stop: impl Fn(Tag) -> bool) -> Option<usize> {
        for depth in (1..self.open.len()).rev() {
            let tag = self.tag_at(depth)?;
            if wanted(tag) {
                return Some(depth);
            }
            if stop(tag) {
                return None;
            }
        }
        None
    }

    fn close_p(&mut self) {
        if self.open_counts[slot(Tag::P)] == 0 {
            return;
        }
        if let Some(depth) = self.find_open(|t| t == Tag::P, Tag::is_scope_boundary) {
            self.pop_to(depth);
        }
    }

    fn add_node(&mut self, data: NodeData) -> NodeId {
        let id = self.nodes.len();
        self.nodes.push(Node {
            parent: self.current(),
            data,
        });
        id
    }

    fn start_tag(&mut self, self_closing: bool) {
        let tag = Tag::from_name(&self.pending_name);
        let mut attrs = std::mem::take(&mut self.pending_attrs);
        attrs.phrasing = tag == Tag::Other
            && matches!(
                self.pending_name.as_slice(),
                b"span" | b"b" | b"strong" | b"i" | b"em"
            );
        match tag {
            Tag::Html => {
                if !self.seen_html {
                    self.seen_html = true;
                    let id = self.add_node(NodeData::Element {
                        tag,
                        attrs: Box::new(attrs),
                    });
                    self.push(id, tag);
                }
                return;
            }
            Tag::Head => {
                if self.seen_head || self.seen_body {
                    return;
                }
                self.seen_head = true;
            }
            Tag::Body => {
                if self.seen_body {
                    return;
                }
                self.seen_body = true;
                self.close_head();
            }
            _ => {}
        }
        if !tag.belongs_in_head() && tag != Tag::Head && tag != Tag::Body {
            self.close_head();
        }
        if self.foreign_depth == 0 {
            self.imply_end_tags(tag);
        }
        let id = self.add_node(NodeData::Element {
            tag,
            attrs: Box::new(attrs),
        });
        // `/>` means nothing on HTML elements but closes SVG and MathML ones, `<svg/>` too.
        let childless = tag.is_void()
            || (self_closing && (self.foreign_depth > 0 || matches!(tag, Tag::Svg | Tag::Math)));
        if !childless && self.open.len() < MAX_DEPTH {
            self.push(id, tag);
        }
    }

    fn push(&mut self, id: NodeId, tag: Tag) {
        self.open.push(id);
        self.open_names.push(if tag == Tag::Other {
            self.pending_name.clone()
        } else {
            Vec::new()
        });
        let s = slot(tag);
        self.open_counts[s] = self.open_counts[s].saturating_add(1);
        if matches!(tag, Tag::Svg | Tag::Math) {
            self.foreign_depth += 1;
        }
    }

    fn close_head(&mut self) {
        if self.open_counts[slot(Tag::Head)] > 0 {
            if let Some(depth) = self.find_open(|t| t == Tag::Head, |_| false) {
                self.pop_to(depth);
            }
        }
    }

    fn imply_end_tags(&mut self, tag: Tag) {
        if tag.closes_p() {
            self.close_p();
        }
        match tag {
            Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6 => {
                if matches!(
                    self.current_tag(),
                    Some(Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6)
                ) {
                    self.pop();
                }
            }
            Tag::Li => self.close_list_item(|t| t == Tag::Li),
            Tag::Dd | Tag::Dt => self.close_list_item(|t| matches!(t, Tag::Dd | Tag::Dt)),
            Tag::Option if self.current_tag() == Some(Tag::Option) => self.pop(),
            Tag::Optgroup => {
                if self.current_tag() == Some(Tag::Option) {
                    self.pop();
                }
                if self.current_tag() == Some(Tag::Optgroup) {
                    self.pop();
                }
            }
            Tag::A if self.open_counts[slot(Tag::A)] > 0 => {
                if let Some(depth) = self.find_open(|t| t == Tag::A, Tag::is_scope_boundary) {
                    self.pop_to(depth);
                }
            }
            Tag::Td | Tag::Th => {
                if let Some(depth) = self.find_open(
                    |t| matches!(t, Tag::Td | Tag::Th),
                    |t| matches!(t, Tag::Tr | Tag::Table),
                ) {
                    self.pop_to(depth);
                }
            }
            Tag::Tr => {
                if let Some(depth) = self.find_open(
                    |t| t == Tag::Tr,
                    |t| t == Tag::Table || t.is_table_section(),
                ) {
                    self.pop_to(depth);
                }
            }
            Tag::Tbody | Tag::Thead | Tag::Tfoot => {
                if let Some(depth) = self.find_open(|t| t.is_table_section(), |t| t == Tag::Table) {
                    self.pop_to(depth);
                }
            }
            _ => {}
        }
    }

    fn close_list_item(&mut self, is_item: impl Fn(Tag) -> bool) {
        if let Some(depth) = self.find_open(is_item, Tag::stops_list_item_search) {
            self.pop_to(depth);
        }
    }

    fn end_tag(&mut self, name: &[u8]) {
        let tag = Tag::from_name(name);
        match tag {
            Tag::Html | Tag::Body => return,
            // `</br>` is a line break, as in browsers.
            Tag::Br => {
                self.add_node(NodeData::Element {
                    tag,
                    attrs: Box::default(),
                });
                return;
            }
            _ => {}
        }
        if self.open_counts[slot(tag)] == 0 {
            return;
        }
        let depth = match tag {
            Tag::Other => {
                let mut found = None;
                for depth in (1..self.open.len()).rev() {
                    if self.open_names[depth] == name {
                        found = Some(depth);
                        break;
                    }
                    if self.tag_at(depth).is_some_and(Tag::is_scope_boundary) {
                        break;
                    }
                }
                found
            }
            Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6 => self.find_open(
                |t| matches!(t, Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6),
                Tag::is_scope_boundary,
            ),
            Tag::Table => self.find_open(|t| t == Tag::Table, |_| false),
            Tag::Td | Tag::Th | Tag::Tr | Tag::Caption => {
                self.find_open(|t| t == tag, |t| t == Tag::Table)
            }
            t if t.is_table_section() => self.find_open(|t| t == tag, |t| t == Tag::Table),
            Tag::Li => self.find_open(
                |t| t == Tag::Li,
                |t| t.is_scope_boundary() || matches!(t, Tag::Ul | Tag::Ol),
            ),
            Tag::Svg | Tag::Math => self.find_open(|t| t == tag, |_| false),
            _ => self.find_open(|t| t == tag, Tag::is_scope_boundary),
        };
        if let Some(depth) = depth {
            self.pop_to(depth);
        }
    }

    fn text(&mut self, value: &[u8]) {
        let value = String::from_utf8_lossy(value);
        // The tokenizer reads `noscript` as raw text, as a browser with scripts on would; a
        // page read without scripts (a crawler's view, as in many forum engines) has its
        // content there, so it is parsed as markup in place. One level only: a `noscript`
        // inside it stays text, so the depth of this is fixed.
        if self.current_tag() == Some(Tag::Noscript) && !self.in_noscript && value.contains('<') {
            self.in_noscript = true;
            let mut emitter = CallbackEmitter::new(Sink(self));
            emitter.naively_switch_states(true);
            for token in Tokenizer::new_with_emitter(value.as_ref(), emitter) {
                let _ = token;
            }
            self.in_noscript = false;
            return;
        }
        let current = self.current();
        // Text continues the last text node when nothing came between them.
        if let Some(last) = self.nodes.last_mut() {
            if last.parent == current {
                if let NodeData::Text { end, .. } = &mut last.data {
                    if *end == self.text.len() {
                        self.text.push_str(&value);
                        *end = self.text.len();
                        return;
                    }
                }
            }
        }
        let start = self.text.len();
        self.text.push_str(&value);
        let end = self.text.len();
        self.add_node(NodeData::Text { start, end });
    }

    fn finish(self) -> Dom {
        let mut subtree_end: Vec<NodeId> = (0..self.nodes.len()).collect();
        // Children follow their parent, so one backward pass carries each end up a level.
        for id in (1..self.nodes.len()).rev() {
            let parent = self.nodes[id].parent;
            if subtree_end[id] > subtree_end[parent] {
                subtree_end[parent] = subtree_end[id];
            }
        }
        Dom {
            nodes: self.nodes,
            text: self.text,
            subtree_end,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parents(dom: &Dom, needle: &str) -> Vec<Option<Tag>> {
        let mut out = Vec::new();
        for (id, node) in dom.nodes.iter().enumerate() {
            if let NodeData::Text { start, end } = node.data {
                if &dom.text[start..end] == needle {
                    let mut at = id;
                    while at != 0 {
                        at = dom.nodes[at].parent;
                        out.push(dom.tag(at));
                    }
                }
            }
        }
        out
    }

    #[test]
    fn implied_end_tags_close_paragraphs_and_items() {
        let dom = Dom::parse("<body><p>one<p>two<ul><li>a<li>b</ul><div>c</div>");
        assert_eq!(
            parents(&dom, "two"),
            vec![Some(Tag::P), Some(Tag::Body), None]
        );
        assert_eq!(
            parents(&dom, "b"),
            vec![Some(Tag::Li), Some(Tag::Ul), Some(Tag::Body), None]
        );
        assert_eq!(
            parents(&dom, "c"),
            vec![Some(Tag::Div), Some(Tag::Body), None]
        );
    }

    #[test]
    fn table_cells_close_each_other() {
        let dom = Dom::parse("<table><tr><td>x<td>y<tr><td>z</table>after");
        assert_eq!(
            parents(&dom, "y"),
            vec![Some(Tag::Td), Some(Tag::Tr), Some(Tag::Table), None]
        );
        assert_eq!(parents(&dom, "after"), vec![None]);
    }

    #[test]
    fn stray_end_tags_do_not_close_across_table_cells() {
        let dom = Dom::parse("<div><table><tr><td><span>x</span></div>y</td></tr></table></div>");
        assert_eq!(
            parents(&dom, "y"),
            vec![
                Some(Tag::Td),
                Some(Tag::Tr),
                Some(Tag::Table),
                Some(Tag::Div),
                None
            ]
        );
    }

    #[test]
    fn scripts_are_raw_text_and_entities_decoded() {
        let dom = Dom::parse("<p>a &amp; b</p><script>if (a<b) { x = '</p>'; }</script>");
        assert!(dom.text.contains("a & b"));
        assert!(dom.text.contains("if (a<b)"));
    }

    #[test]
    fn self_closing_svg_does_not_swallow_the_page() {
        let dom = Dom::parse("<button><svg viewBox='0 0 1 1'/></button><p>after</p>");
        assert_eq!(parents(&dom, "after"), vec![Some(Tag::P), None]);
        let dom = Dom::parse("<svg><path d='M0'/><g><rect/></g></svg><p>next</p>");
        assert_eq!(parents(&dom, "next"), vec![Some(Tag::P), None]);
    }

    #[test]
    fn custom_elements_close_by_name() {
        let dom = Dom::parse("<my-card><p>x</p></my-card><p>y</p>");
        assert_eq!(parents(&dom, "y"), vec![Some(Tag::P), None]);
    }

    #[test]
    fn deep_nesting_is_bounded_and_linear() {
        for open in ["<div>", "<ul><li>", "<table><tr><td>", "<b>", "<x-y>"] {
            let html = open.repeat(100_000) + "deep text";
            let dom = Dom::parse(&html);
            assert!(dom.text.contains("deep text"));
            let mut depth = 0;
            let mut at = dom.nodes.len() - 1;
            while at != 0 {
                at = dom.nodes[at].parent;
                depth += 1;
            }
            assert!(depth <= MAX_DEPTH + 1, "{open}: depth {depth}");
        }
    }

    #[test]
    fn subtree_ends_cover_descendants() {
        let dom = Dom::parse("<div id=a><p>x</p><p>y</p></div><p>z</p>");
        let div = dom
            .nodes
            .iter()
            .position(|n| matches!(&n.data, NodeData::Element { tag: Tag::Div, .. }))
            .unwrap_or(0);
        assert_eq!(dom.text_of(div), "xy");
    }
}
