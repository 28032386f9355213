//! The compiled model: an open-addressing hash table from n-gram to a packed row of
//! `(language, score)` pairs, read once from the bytes the generator wrote.
//!
//! Layout (little-endian), written by `generate/` and checked here:
//!
//! | bytes | what |
//! | --- | --- |
//! | 8 | magic `DPLANGID` |
//! | 4 | format version |
//! | 1 | number of languages L |
//! | L × 4 | ISO 639-3 code (3 bytes) and script id (1 byte) of each language |
//! | 4 | bucket bits B |
//! | 4 | length of the bucket area in bytes |
//! | (2^B + 1) × 4 | where each bucket starts in the bucket area (the last one is its length) |
//! | … | the buckets |
//!
//! A bucket is: its number of n-grams k (1 byte); k headers of a 16-bit fingerprint and a row
//! length (3 bytes each); then the rows one after the other, each entry a language index and a
//! score (1 byte each). An n-gram's bucket is the top B bits of its hash and its fingerprint
//! the low 16. A bucket holds about eight n-grams in about 60 bytes, so a look-up reads the
//! bucket index and then one or two cache lines; the table costs about 4 bytes per n-gram
//! besides its rows.

use crate::error::TableError;
use crate::hash::{bucket, fingerprint};
use crate::script::Script;

/// The first bytes of a table.
pub const MAGIC: &[u8; 8] = b"DPLANGID";
/// The layout version this code reads.
pub const VERSION: u32 = 1;
/// The longest n-gram the model holds.
pub const MAX_ORDER: usize = 5;
/// At most this many languages fit a row entry's byte and the detector's score array.
pub const MAX_LANGUAGES: usize = 64;

/// A language of the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ModelLanguage {
    /// ISO 639-3 code as whatlang spells it.
    pub code: &'static str,
    /// Its writing system.
    pub script: Script,
}

/// The parsed table.
#[derive(Debug)]
pub struct Table {
    pub(crate) languages: Vec<ModelLanguage>,
    bucket_bits: u32,
    bucket_starts: Vec<u32>,
    buckets: &'static [u8],
    ngrams: usize,
}

/// Reads little-endian values off the front of a byte slice.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], TableError> {
        let end = self.at.checked_add(n).ok_or(TableError::Truncated)?;
        let slice = self.bytes.get(self.at..end).ok_or(TableError::Truncated)?;
        self.at = end;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], TableError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn u32(&mut self) -> Result<u32, TableError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn u32s(&mut self, n: usize) -> Result<Vec<u32>, TableError> {
        Ok(self
            .take(n.checked_mul(4).ok_or(TableError::Truncated)?)?
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect())
    }
}

impl Table {
    /// Parses a table. `bytes` is `'static` because language codes point into it.
    pub fn parse(bytes: &'static [u8]) -> Result<Table, TableError> {
        let mut reader = Reader { bytes, at: 0 };
        if reader.take(MAGIC.len())? != MAGIC {
            return Err(TableError::Magic);
        }
        let version = reader.u32()?;
        if version != VERSION {
            return Err(TableError::Version(version));
        }
        let count = usize::from(reader.array::<1>()?[0]);
        if count == 0 || count > MAX_LANGUAGES {
            return Err(TableError::Languages(count));
        }
        let mut languages = Vec::with_capacity(count);
        for _ in 0..count {
            let record = reader.take(4)?;
            let code = std::str::from_utf8(&record[..3]).map_err(|_| TableError::Code)?;
            let script = Script::from_id(record[3]).ok_or(TableError::Script(record[3]))?;
            languages.push(ModelLanguage { code, script });
        }
        let bucket_bits = reader.u32()?;
        if !(1..=28).contains(&bucket_bits) {
            return Err(TableError::BucketBits(bucket_bits));
        }
        let area = reader.u32()? as usize;
        let bucket_starts = reader.u32s((1usize << bucket_bits) + 1)?;
        let buckets = reader.take(area)?;
        if reader.at != bytes.len() {
            return Err(TableError::Trailing(bytes.len() - reader.at));
        }
        // Every bucket must lie in the area and be exactly its headers and rows, and every
        // entry must name a known language: then a look-up never goes out of bounds.
        let mut ngrams = 0;
        for (b, pair) in bucket_starts.windows(2).enumerate() {
            let bucket = buckets
                .get(pair[0] as usize..pair[1] as usize)
                .ok_or(TableError::Bucket(b))?;
            let Some((&k, rest)) = bucket.split_first() else {
                return Err(TableError::Bucket(b));
            };
            let k = usize::from(k);
            let headers = rest.get(..3 * k).ok_or(TableError::Bucket(b))?;
            let rows = &rest[3 * k..];
            let total: usize = headers.chunks_exact(3).map(|h| 2 * usize::from(h[2])).sum();
            if total != rows.len() || rows.chunks_exact(2).any(|e| usize::from(e[0]) >= count) {
                return Err(TableError::Bucket(b));
            }
            ngrams += k;
        }
        if bucket_starts.first() != Some(&0) || bucket_starts.last() != Some(&(area as u32)) {
            return Err(TableError::Bucket(0));
        }
        Ok(Table {
            languages,
            bucket_bits,
            bucket_starts,
            buckets,
            ngrams,
        })
    }

    /// The row of the n-gram with this hash: `(language index, score)` byte pairs (empty when
    /// every candidate of its script scores it alike), or `None` when the table lacks it.
    #[inline]
    pub fn row(&self, hash: u64) -> Option<&'static [u8]> {
        self.row_in(self.bucket_of(hash), hash)
    }

    /// The bytes of the bucket of `hash`. Split from [`Table::row_in`] so that a caller can
    /// find the buckets of many n-grams first: those loads do not depend on each other, so
    /// the processor overlaps their cache misses.
    #[inline]
    pub fn bucket_of(&self, hash: u64) -> &'static [u8] {
        let b = bucket(hash, self.bucket_bits);
        let buckets: &'static [u8] = self.buckets;
        &buckets[self.bucket_starts[b] as usize..self.bucket_starts[b + 1] as usize]
    }

    /// The row of the n-gram with this hash in its bucket (see [`Table::row`]).
    #[inline]
    pub fn row_in(&self, bucket: &'static [u8], hash: u64) -> Option<&'static [u8]> {
        let wanted = fingerprint(hash).to_le_bytes();
        let (&k, rest) = bucket.split_first()?;
        let (headers, rows) = rest.split_at(3 * usize::from(k));
        let mut start = 0;
        for header in headers.chunks_exact(3) {
            let len = 2 * usize::from(header[2]);
            if header[..2] == wanted {
                return Some(&rows[start..start + len]);
            }
            start += len;
        }
        None
    }

    /// The languages, in the order of their indices.
    pub fn languages(&self) -> &[ModelLanguage] {
        &self.languages
    }

    /// How many n-grams the table holds.
    pub fn ngrams(&self) -> usize {
        self.ngrams
    }
}
