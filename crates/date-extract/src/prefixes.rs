//! A cheap test of whether a word can start with one of a set of anchor words: a bit for every
//! first three bytes (ASCII case folded, and folded further into five bits each) that an anchor
//! word starts with. It may answer yes for a word no anchor starts (bytes that fold together,
//! such as `1` and `q`), never no for one that an anchor starts: the anchor search it guards
//! decides.

/// The first three bytes of the anchor words, five bits each.
pub struct Prefixes {
    bits: Box<[u64; 512]>,
}

/// Five bits of a byte: for ASCII letters, the same for upper and lower case.
fn fold(b: u8) -> usize {
    usize::from(b & 0x1f)
}

fn key(a: u8, b: u8, c: u8) -> usize {
    fold(a) << 10 | fold(b) << 5 | fold(c)
}

impl Prefixes {
    /// The prefixes of `words`.
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Self {
        let mut bits = Box::new([0u64; 512]);
        let mut set = |k: usize| bits[k >> 6] |= 1 << (k & 63);
        for word in words {
            match *word.as_bytes() {
                [] => {}
                // A word shorter than three bytes is followed by any byte.
                [a] => (0..32u8).for_each(|b| (0..32u8).for_each(|c| set(key(a, b, c)))),
                [a, b] => (0..32u8).for_each(|c| set(key(a, b, c))),
                [a, b, c, ..] => set(key(a, b, c)),
            }
        }
        Prefixes { bits }
    }

    /// Whether an anchor word may start at `at` in `bytes` (bytes past the end read as 0).
    #[inline]
    pub fn may_start(&self, bytes: &[u8], at: usize) -> bool {
        let byte = |i: usize| bytes.get(i).copied().unwrap_or(0);
        let k = key(byte(at), byte(at + 1), byte(at + 2));
        self.bits[k >> 6] & (1 << (k & 63)) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_anchor_passes_and_most_words_do_not() {
        let prefixes = Prefixes::new(["year", "may", "q1", "now"]);
        for text in ["year", "YEARS", "Mayor", "q1", "Q1 ", "now", "q", "nowhere"] {
            let starts = ["year", "may", "q1", "now"]
                .iter()
                .any(|w| text.len() >= w.len() && text[..w.len()].eq_ignore_ascii_case(w));
            if starts {
                assert!(prefixes.may_start(text.as_bytes(), 0), "{text}");
            }
        }
        assert!(!prefixes.may_start(b"the", 0));
        assert!(!prefixes.may_start(b"said", 0));
        assert!(!prefixes.may_start(b"", 0));
    }
}
