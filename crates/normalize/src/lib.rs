//! Unicode normalization, block and sentence structure, and language identification for news text.
