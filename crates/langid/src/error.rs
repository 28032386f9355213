//! Why a compiled table could not be read.

/// A table that does not follow the layout in [`crate::table`]. The shipped table is checked by
/// the tests, so this only happens with a table built by hand.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum TableError {
    /// The bytes end before the layout does.
    #[error("language table is truncated")]
    Truncated,
    /// The first bytes are not `DPLANGID`.
    #[error("not a language table (bad magic)")]
    Magic,
    /// A layout this code does not read.
    #[error("language table has format version {0}, this build reads version 1")]
    Version(u32),
    /// No languages, or more than fit a row entry.
    #[error("language table has {0} languages (1 to 64 allowed)")]
    Languages(usize),
    /// A language code that is not text.
    #[error("language table has a code that is not UTF-8")]
    Code,
    /// A script id this code does not know.
    #[error("language table has unknown script id {0}")]
    Script(u8),
    /// A bucket count out of range.
    #[error("language table has {0} bucket bits (1 to 28 allowed)")]
    BucketBits(u32),
    /// A bucket outside the area, whose rows do not add up, or that names an unknown language.
    #[error("language table has a bad bucket {0}")]
    Bucket(usize),
    /// The two tiers of the model list different languages.
    #[error("the two language tables list different languages")]
    Tiers,
    /// Bytes after the last entry.
    #[error("language table has {0} bytes after its end")]
    Trailing(usize),
}
