//! Inputs and summaries shared by the unit tests of the stream readers.

use std::io::Write;

// What the tests of every stream reader name, so that each can `use crate::test_support::*`.
pub use std::io::Cursor;
pub use std::sync::Arc;

pub use crate::document::{Format, Item, RejectReason};
pub use crate::options::IngestOptions;
pub use crate::raw::RawItem;
pub use crate::source::open_reader;

/// The items of `bytes` read as the stream `name`, with the default options.
pub fn items(name: &str, bytes: Vec<u8>) -> Vec<Item> {
    open_reader(
        name.to_string(),
        Box::new(Cursor::new(bytes)),
        1,
        0,
        &Arc::new(IngestOptions::new()),
    )
    .map(RawItem::parse)
    .collect()
}

/// `bytes` as one gzip member.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// `n` JSON Lines records with the ids `d0`, `d1`...
pub fn lines(n: usize) -> String {
    (0..n)
        .map(|i| format!("{{\"id\": \"d{i}\", \"text\": \"Story number {i} is here.\"}}\n"))
        .collect()
}

/// Each item's id, or `rejected SOURCE`.
pub fn ids(items: &[Item]) -> Vec<String> {
    items
        .iter()
        .map(|item| match item {
            Item::Document(doc) => doc.id.clone(),
            Item::Rejected(r) => format!("rejected {}", r.source),
        })
        .collect()
}
