//! The tree builder: html5gum's tokens to the arena, with the implied end tags, void elements
//! and head/body split of the WHATWG rules that decide where text belongs, bounded by
//! [`MAX_DEPTH`].

use std::convert::Infallible;

use html5gum::emitters::callback::{Callback, CallbackEmitter, CallbackEvent};
use html5gum::{Span, Tokenizer};

use super::attrs::{AttrName, Attrs};
use super::tag::Tag;
use super::{Dom, Node, NodeData, NodeId, MAX_DEPTH};

/// The tree of a page. Never fails: any input gives a tree.
pub fn build(html: &str) -> Dom {
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
}
