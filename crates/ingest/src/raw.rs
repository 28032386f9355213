//! An item as the reader found it, before any parsing: what [`crate::Ingest::next_raw`] hands
//! out so that parsing JSON and extracting pages can run on the caller's worker threads.

use crate::document::{Item, RejectReason, Rejected};
use crate::json::JsonObject;
use crate::page::PageItem;

/// The items of one input, produced lazily.
pub type Items = Box<dyn Iterator<Item = RawItem> + Send>;

/// An input that is one reject: a file that cannot be opened, an empty stream, a document
/// over the limit.
pub fn single_reject(source: String, reason: RejectReason, bytes: u64) -> Items {
    Box::new(std::iter::once(RawItem::from(Item::Rejected(Rejected {
        source,
        reason,
        bytes,
    }))))
}

/// An item as the reader found it: a document or reject already made, or the bytes of one JSON
/// object or HTML page not parsed yet. [`Ingest::next_raw`](crate::Ingest::next_raw) hands these out so
/// that the parsing, most of the cost of reading JSON Lines and all of extracting HTML pages,
/// can run on other threads than the one that reads and decompresses the stream; [`RawItem::parse`] gives the same item the
/// [`Ingest`](crate::Ingest) iterator would have.
#[derive(Debug)]
pub struct RawItem(Raw);

#[derive(Debug)]
enum Raw {
    Ready(Item),
    Json(JsonObject),
    Page(Box<PageItem>),
}

impl RawItem {
    pub(crate) fn json(object: JsonObject) -> RawItem {
        RawItem(Raw::Json(object))
    }

    pub(crate) fn page(page: PageItem) -> RawItem {
        RawItem(Raw::Page(Box::new(page)))
    }

    /// Size in bytes of the raw input: the item's [`Document::bytes`](crate::Document::bytes) or
    /// [`Rejected::bytes`](crate::Rejected::bytes).
    pub fn bytes(&self) -> u64 {
        match &self.0 {
            Raw::Ready(Item::Document(doc)) => doc.bytes,
            Raw::Ready(Item::Rejected(rejected)) => rejected.bytes,
            Raw::Json(object) => object.bytes.len() as u64,
            Raw::Page(page) => page.bytes,
        }
    }

    /// The item, parsing its JSON or extracting its HTML page if that was left to now.
    pub fn parse(self) -> Item {
        match self.0 {
            Raw::Ready(item) => item,
            Raw::Json(object) => object.parse(),
            Raw::Page(page) => page.parse(),
        }
    }

    /// The item if it needs no parsing (or was made from one with `From<Item>`).
    pub fn parsed(&self) -> Option<&Item> {
        match &self.0 {
            Raw::Ready(item) => Some(item),
            Raw::Json(_) | Raw::Page(_) => None,
        }
    }
}

impl From<Item> for RawItem {
    fn from(item: Item) -> RawItem {
        RawItem(Raw::Ready(item))
    }
}
