//! Document frequencies learned from the stream itself, in fixed memory: what makes a name
//! tell two stories apart is that few articles of this stream use it ("Aceh" against
//! "Indonesia"), which no general-purpose IDF table knows.

/// Counters per row of the sketch: 2^18 u32 counters per row, 2 MiB for the sketch. News
/// dumps use a few hundred thousand distinct names; with two rows a rare name's count is
/// rarely inflated by more than a few.
const WIDTH_BITS: u32 = 18;
const ROWS: usize = 2;

/// A count-min sketch of how many articles used each key.
#[derive(Clone, Debug)]
pub(crate) struct DocumentFrequencies {
    counts: Vec<u32>,
    documents: u32,
}

impl Default for DocumentFrequencies {
    fn default() -> Self {
        DocumentFrequencies {
            counts: vec![0; ROWS << WIDTH_BITS],
            documents: 0,
        }
    }
}

impl DocumentFrequencies {
    fn cells(key: u64) -> [usize; ROWS] {
        let width = 1usize << WIDTH_BITS;
        let mask = width as u64 - 1;
        [(key & mask) as usize, width + ((key >> 32) & mask) as usize]
    }

    /// Counts one article with these (distinct) keys.
    pub fn add_document(&mut self, keys: impl Iterator<Item = u64>) {
        self.documents = self.documents.saturating_add(1);
        for key in keys {
            for cell in Self::cells(key) {
                self.counts[cell] = self.counts[cell].saturating_add(1);
            }
        }
    }

    /// Smoothed inverse document frequency of a key in the stream so far.
    pub fn idf(&self, key: u64) -> f32 {
        let df = Self::cells(key)
            .iter()
            .map(|&cell| self.counts[cell])
            .min()
            .unwrap_or(0);
        ((1.0 + self.documents as f32) / (1.0 + df as f32)).ln() + 1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_keys_weigh_less() {
        let mut df = DocumentFrequencies::default();
        for i in 0..10u64 {
            df.add_document([7u64, 100 + i].into_iter());
        }
        assert!(df.idf(7) < df.idf(101));
        assert!(df.idf(101) < df.idf(999_999));
        assert!(
            (df.idf(7) - 1.0).abs() < 0.1,
            "a key in every document weighs about 1"
        );
    }
}
