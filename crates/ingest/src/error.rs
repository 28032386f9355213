use std::path::PathBuf;

/// Why a run cannot start: a top-level input does not exist or cannot be listed. Problems with
/// anything found inside the inputs are [`crate::Rejected`] items instead.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IngestError {
    /// A path given as input does not exist.
    #[error("{}: no such file or directory", path.display())]
    NotFound {
        /// The input path.
        path: PathBuf,
    },
    /// A path given as input exists but cannot be read.
    #[error("{}: {source}", path.display())]
    Unreadable {
        /// The input path.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}
