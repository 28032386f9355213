//! What the index keeps of each document it files, in columns rather than one allocation per
//! document: the compact signatures side by side in one byte array, the exact keys and the
//! union-find parents in arrays, and the rest (counts, number sketch, id) in one byte arena.

use crate::compact::CompactValue;
use crate::fingerprint::NUMBER_SKETCH;

/// A record's shingle count is 2 bytes, or this and 4 more for counts from it up.
const LONG_SHINGLES: u16 = u16::MAX;
/// Set in a record's sketch length byte when the distinct count follows (4 bytes); when it is
/// clear, the count is the sketch length (a text with at most `NUMBER_SKETCH` distinct figures
/// keeps them all).
const DISTINCT_FOLLOWS: u8 = 0x80;

/// The documents filed in an index, numbered from 0 in input order.
#[derive(Debug, Default)]
pub(crate) struct Documents {
    signature_len: usize,
    signatures: Vec<CompactValue>,
    /// The high 64 bits of each exact key (see [`Documents::same_text`]).
    exact: Vec<u64>,
    /// Union-find parent of each document; a root is its cluster's earliest member.
    parents: Vec<u32>,
    records: Vec<u8>,
    /// Where each record ends in `records`, the low 32 bits: 4 bytes a document instead of 8.
    ends: Vec<u32>,
    /// The documents whose record ends past the next multiple of 2^32 bytes of `records`
    /// (ends only grow, so the high bits of an end are the number of these at or before it).
    wraps: Vec<u32>,
}

/// A document's counts, number sketch and id, read from its record.
pub(crate) struct Record<'a> {
    pub(crate) shingles: u32,
    pub(crate) distinct_numbers: u32,
    numbers: &'a [u8],
    id: &'a [u8],
}

impl Record<'_> {
    /// The number sketch, into a buffer on the caller's stack.
    pub(crate) fn numbers<'b>(&self, buffer: &'b mut [u32; NUMBER_SKETCH]) -> &'b [u32] {
        let mut len = 0;
        for (slot, bytes) in buffer.iter_mut().zip(self.numbers.chunks_exact(4)) {
            *slot = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
            len += 1;
        }
        &buffer[..len]
    }

    pub(crate) fn id(&self) -> String {
        // Ids were stored from `&str`, so this never replaces anything.
        String::from_utf8_lossy(self.id).into_owned()
    }
}

/// What [`Documents::push`] files.
pub(crate) struct NewDocument<'a> {
    pub(crate) id: &'a str,
    pub(crate) exact: u128,
    pub(crate) signature: &'a [CompactValue],
    pub(crate) shingles: u32,
    pub(crate) numbers: &'a [u32],
    pub(crate) distinct_numbers: u32,
    pub(crate) parent: u32,
}

impl Documents {
    pub(crate) fn new(signature_len: usize) -> Documents {
        Documents {
            signature_len,
            ..Documents::default()
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.parents.len()
    }

    pub(crate) fn push(&mut self, document: NewDocument<'_>) {
        // Signatures are all `signature_len` long (the fingerprinter's config); a shorter one
        // (a fingerprint made with another config) is padded so that the columns stay aligned.
        let start = self.signatures.len();
        self.signatures.extend(
            document
                .signature
                .iter()
                .copied()
                .chain(std::iter::repeat(CompactValue::MAX))
                .take(self.signature_len),
        );
        debug_assert_eq!(self.signatures.len() - start, self.signature_len);
        self.exact.push(exact_high(document.exact));
        self.parents.push(document.parent);
        let numbers = &document.numbers[..document.numbers.len().min(NUMBER_SKETCH)];
        match u16::try_from(document.shingles) {
            Ok(short) if short < LONG_SHINGLES => {
                self.records.extend_from_slice(&short.to_le_bytes())
            }
            _ => {
                self.records.extend_from_slice(&LONG_SHINGLES.to_le_bytes());
                self.records
                    .extend_from_slice(&document.shingles.to_le_bytes());
            }
        }
        // At most `NUMBER_SKETCH` (16), below the flag.
        let sketch = numbers.len() as u8;
        if document.distinct_numbers == u32::from(sketch) {
            self.records.push(sketch);
        } else {
            self.records.push(sketch | DISTINCT_FOLLOWS);
            self.records
                .extend_from_slice(&document.distinct_numbers.to_le_bytes());
        }
        for number in numbers {
            self.records.extend_from_slice(&number.to_le_bytes());
        }
        self.records.extend_from_slice(document.id.as_bytes());
        let end = self.records.len() as u64;
        if end >> 32 > self.wraps.len() as u64 {
            self.wraps.push(self.ends.len() as u32);
        }
        self.ends.push(end as u32);
    }

    fn end(&self, document: usize) -> usize {
        let high = self
            .wraps
            .partition_point(|&wrap| wrap as usize <= document);
        ((high as u64) << 32 | u64::from(self.ends[document])) as usize
    }

    pub(crate) fn record(&self, document: u32) -> Record<'_> {
        let document = document as usize;
        let start = match document {
            0 => 0,
            _ => self.end(document - 1),
        };
        let record = &self.records[start..self.end(document)];
        let word = |at: usize| {
            u32::from_le_bytes([record[at], record[at + 1], record[at + 2], record[at + 3]])
        };
        let mut at = 2;
        let shingles = match u16::from_le_bytes([record[0], record[1]]) {
            LONG_SHINGLES => {
                at += 4;
                word(2)
            }
            short => u32::from(short),
        };
        let head = record[at];
        at += 1;
        let sketch = head & !DISTINCT_FOLLOWS;
        let distinct_numbers = if head & DISTINCT_FOLLOWS == 0 {
            u32::from(sketch)
        } else {
            at += 4;
            word(at - 4)
        };
        let numbers_end = at + usize::from(sketch) * 4;
        Record {
            shingles,
            distinct_numbers,
            numbers: &record[at..numbers_end],
            id: &record[numbers_end..],
        }
    }

    pub(crate) fn signature(&self, document: u32) -> &[CompactValue] {
        let start = document as usize * self.signature_len;
        &self.signatures[start..start + self.signature_len]
    }

    /// The hash a document's exact key is filed under: its high 64 bits.
    pub(crate) fn exact_hash(&self, document: u32) -> u64 {
        self.exact[document as usize]
    }

    /// Whether a filed document has the canonical text whose exact key is `exact` and whose
    /// compact signature is `signature`. Only 64 bits of the key are kept (8 bytes a document
    /// instead of 16), and a text with the same canonical text also has the same signature: a
    /// different text passes only if it shares those 64 bits by chance (2^-64 a pair) and its
    /// 120 signature values too.
    pub(crate) fn same_text(&self, document: u32, exact: u128, signature: &[CompactValue]) -> bool {
        self.exact[document as usize] == exact_high(exact)
            && self
                .signature(document)
                .iter()
                .eq(signature.iter().take(self.signature_len))
    }

    pub(crate) fn parent(&self, document: u32) -> u32 {
        self.parents[document as usize]
    }

    pub(crate) fn set_parent(&mut self, document: u32, parent: u32) {
        self.parents[document as usize] = parent;
    }

    /// Heap bytes of the columns (their allocations, used or not).
    pub(crate) fn bytes(&self) -> usize {
        self.signatures.capacity() * std::mem::size_of::<CompactValue>()
            + self.exact.capacity() * 8
            + (self.parents.capacity() + self.ends.capacity() + self.wraps.capacity()) * 4
            + self.records.capacity()
    }
}

/// The part of an exact key the index keeps.
pub(crate) fn exact_high(exact: u128) -> u64 {
    (exact >> 64) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_back_as_filed() {
        let mut documents = Documents::new(4);
        let counts = [(5, 0), (70_000, 3), (7, 102)];
        for (i, id) in ["a", "", "\u{e9}t\u{e9}-7"].iter().enumerate() {
            let numbers: Vec<u32> = (0..i as u32 * 10).collect();
            let (shingles, distinct_numbers) = counts[i];
            documents.push(NewDocument {
                id,
                exact: (i as u128) << 64,
                signature: &[i as u8; 3],
                shingles,
                numbers: &numbers,
                distinct_numbers,
                parent: 0,
            });
        }
        let record = documents.record(2);
        assert_eq!(record.id(), "\u{e9}t\u{e9}-7");
        assert_eq!((record.shingles, record.distinct_numbers), (7, 102));
        let record = documents.record(1);
        assert_eq!((record.shingles, record.distinct_numbers), (70_000, 3));
        assert_eq!(record.numbers(&mut [0; NUMBER_SKETCH]).len(), 10);
        let mut buffer = [0; NUMBER_SKETCH];
        assert_eq!(
            documents.record(2).numbers(&mut buffer),
            (0..16).collect::<Vec<_>>()
        );
        assert_eq!(documents.record(1).id(), "");
        assert_eq!(documents.record(0).numbers(&mut buffer), [] as [u32; 0]);
        assert_eq!(documents.signature(2), [2, 2, 2, CompactValue::MAX]);
        assert_eq!(documents.exact_hash(1), 1);
        assert!(documents.same_text(1, 1 << 64, &[1, 1, 1, CompactValue::MAX]));
        assert!(!documents.same_text(1, 1 << 64, &[1, 1, 1, 0]));
        assert!(!documents.same_text(1, 2 << 64, &[1, 1, 1, CompactValue::MAX]));
    }

    #[test]
    fn ends_past_four_gibibytes_keep_their_high_bits() {
        let mut documents = Documents::new(0);
        documents.ends = vec![10, u32::MAX, 5, 20];
        // The record of document 2 ends at 2^32 + 5.
        documents.wraps = vec![2];
        assert_eq!(documents.end(1), u32::MAX as usize);
        assert_eq!(documents.end(2), (1usize << 32) + 5);
        assert_eq!(documents.end(3), (1usize << 32) + 20);
    }
}
