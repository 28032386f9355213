//! A temporal expression tagger (TIMEX3) for English news.
