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

mod attrs;
mod builder;
mod tag;

pub(crate) use attrs::Attrs;
pub(crate) use tag::Tag;

/// Elements opened deeper than this are not pushed on the stack of open elements. Real pages
/// nest a few dozen levels, rarely above 200.
const MAX_DEPTH: usize = 512;

/// The index of a node in [`Dom::nodes`].
pub(crate) type NodeId = usize;

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
        builder::build(html)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_are_raw_text_and_entities_decoded() {
        let dom = Dom::parse("<p>a &amp; b</p><script>if (a<b) { x = '</p>'; }</script>");
        assert!(dom.text.contains("a & b"));
        assert!(dom.text.contains("if (a<b)"));
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
