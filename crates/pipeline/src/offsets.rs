//! Byte offsets (what the stage crates report) to Unicode character offsets (what records hold).

/// Converts byte offsets of one text into character offsets.
///
/// Lookups are cheapest in ascending order, which is how spans come out of every stage, but any
/// order is correct.
#[derive(Clone)]
pub struct CharOffsets<'a> {
    text: &'a str,
    /// In ASCII text (most English news) a byte offset is the character offset.
    ascii: bool,
    last_byte: usize,
    last_char: usize,
}

impl<'a> CharOffsets<'a> {
    /// Offsets into `text`, counted from its start.
    pub fn new(text: &'a str) -> Self {
        CharOffsets {
            text,
            ascii: text.is_ascii(),
            last_byte: 0,
            last_char: 0,
        }
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The number of characters in the whole text.
    pub fn len(&self) -> usize {
        if self.ascii {
            self.text.len()
        } else {
            self.text.chars().count()
        }
    }

    /// The character offset of byte offset `byte`, which must lie on a char boundary.
    pub fn char_at(&mut self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        if self.ascii {
            return byte;
        }
        if byte < self.last_byte {
            self.last_byte = 0;
            self.last_char = 0;
        }
        let chars = self.text[self.last_byte..byte].chars().count();
        self.last_byte = byte;
        self.last_char += chars;
        self.last_char
    }

    /// A byte range as a `[start, end)` pair of character offsets.
    pub fn span(&mut self, range: std::ops::Range<usize>) -> (usize, usize) {
        let start = self.char_at(range.start);
        (start, self.char_at(range.end))
    }
}

#[cfg(test)]
mod tests {
    use super::CharOffsets;

    #[test]
    fn counts_characters_not_bytes() {
        let text = "a\u{e9}b \u{2014} c";
        let mut offsets = CharOffsets::new(text);
        let c = text.find('c').unwrap();
        assert_eq!(offsets.span(c..c + 1), (6, 7));
        let b = text.find('b').unwrap();
        assert_eq!(offsets.span(b..b + 1), (2, 3));
        assert_eq!(offsets.len(), 7);
        let mut ascii = CharOffsets::new("plain text");
        assert_eq!((ascii.span(6..10), ascii.len()), ((6, 10), 10));
    }
}
