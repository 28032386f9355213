//! Streaming exact and near-duplicate detection (MinHash LSH) for news articles.
