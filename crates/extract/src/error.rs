/// Why a page gave no article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ExtractError {
    /// The bytes are not text (NUL bytes, an image or other binary body labelled HTML).
    #[error("binary data, not an HTML page")]
    NotText,
    /// The page holds no main text (empty, script-only, or all boilerplate).
    #[error("no main text found in the page")]
    NoContent,
}
