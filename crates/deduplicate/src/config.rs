/// Parameters of duplicate detection. The defaults are measured on the dedup dev set (see the
/// crate README for the figures and the candidate probability curve).
#[derive(Clone, Debug, PartialEq)]
pub struct DedupConfig {
    pub(crate) shingle_words: usize,
    pub(crate) bands: usize,
    pub(crate) rows: usize,
    pub(crate) jaccard: f64,
    pub(crate) containment: f64,
    pub(crate) min_shingles: usize,
}

/// Word 3-grams: long enough that two different articles on one story share few of them,
/// short enough that a typo or a changed word spoils only three.
pub const DEFAULT_SHINGLE_WORDS: usize = 3;
/// 40 bands of 3 rows (120 hashes): a pair with Jaccard 0.3 becomes a candidate with
/// probability 0.67, at 0.4 with 0.93, at 0.5 with 0.99; unrelated articles almost never.
pub const DEFAULT_BANDS: usize = 40;
/// Rows per band; see [`DEFAULT_BANDS`].
pub const DEFAULT_ROWS: usize = 3;
/// Candidates at or above this estimated Jaccard similarity are the same article.
pub const DEFAULT_JACCARD: f64 = 0.5;
/// ... or when this share of the shorter one's shingles is in the longer one (truncated and
/// extended copies have low Jaccard but high containment).
pub const DEFAULT_CONTAINMENT: f64 = 0.6;
/// Containment is trusted only for texts of at least this many shingles (about 60 words): a
/// short text is "contained" in many longer ones by chance, and shorter texts need a higher
/// Jaccard similarity.
pub const DEFAULT_MIN_SHINGLES: usize = 60;

impl Default for DedupConfig {
    fn default() -> Self {
        DedupConfig {
            shingle_words: DEFAULT_SHINGLE_WORDS,
            bands: DEFAULT_BANDS,
            rows: DEFAULT_ROWS,
            jaccard: DEFAULT_JACCARD,
            containment: DEFAULT_CONTAINMENT,
            min_shingles: DEFAULT_MIN_SHINGLES,
        }
    }
}

impl DedupConfig {
    /// Words per shingle (at least 1).
    pub fn shingle_words(mut self, words: usize) -> Self {
        self.shingle_words = words.max(1);
        self
    }

    /// LSH banding: `bands` bands of `rows` hashes each (signature length `bands * rows`).
    pub fn banding(mut self, bands: usize, rows: usize) -> Self {
        self.bands = bands.max(1);
        self.rows = rows.max(1);
        self
    }

    /// Verification thresholds: estimated Jaccard, and containment of the shorter text.
    pub fn thresholds(mut self, jaccard: f64, containment: f64) -> Self {
        self.jaccard = jaccard;
        self.containment = containment;
        self
    }

    /// Minimum shingles of the shorter text for the containment test.
    pub fn min_shingles(mut self, shingles: usize) -> Self {
        self.min_shingles = shingles;
        self
    }

    /// Rows per LSH band (for [`crate::Fingerprint::band_keys`]).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of MinHash values in a signature.
    pub fn signature_len(&self) -> usize {
        self.bands * self.rows
    }

    /// Probability that a pair with Jaccard similarity `s` becomes a candidate:
    /// `1 - (1 - s^rows)^bands`.
    pub fn candidate_probability(&self, s: f64) -> f64 {
        1.0 - (1.0 - s.powi(self.rows as i32)).powi(self.bands as i32)
    }
}
