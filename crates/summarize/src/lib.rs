//! Unsupervised extractive summaries and keywords for news articles.
