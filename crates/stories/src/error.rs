//! The crate's error type.

/// What can go wrong when building a [`crate::StoryTracker`]. Articles themselves never fail:
/// anything odd about one (no date, no title, spans outside the text) is tolerated.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StoryError {
    /// An option has a value the tracker cannot work with.
    #[error("invalid stories option `{option}`: {reason}")]
    InvalidOption {
        /// The option's name.
        option: &'static str,
        /// Why its value is refused.
        reason: &'static str,
    },
}
