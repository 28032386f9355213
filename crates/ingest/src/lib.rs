//! Reads news article dumps (text, Markdown, JSON Lines, JSON arrays, gzip, zstd) into documents.
