//! Where the JSON values of a stream begin and end, without parsing them: lines read with a
//! cap on their length, and the elements of a top-level array split out of the stream.

use std::io::{self, BufRead};

/// Reads one line into `buf` (without its `\n` or `\r\n`). Returns the bytes consumed, and
/// whether the line exceeded `cap` (then `buf` is left empty: the line is skipped, not held).
pub fn read_capped_line(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    cap: usize,
) -> io::Result<Option<(u64, bool)>> {
    buf.clear();
    let (mut consumed, mut too_long) = (0u64, false);
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if available.is_empty() {
            return Ok((consumed > 0).then_some((consumed, too_long)));
        }
        let (chunk, newline) = match memchr::memchr(b'\n', available) {
            Some(end) => (&available[..end], true),
            None => (available, false),
        };
        if !too_long {
            if buf.len() + chunk.len() > cap {
                too_long = true;
                buf.clear();
                buf.shrink_to(cap.min(1 << 20));
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        let used = chunk.len() + usize::from(newline);
        consumed += used as u64;
        reader.consume(used);
        if newline {
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            return Ok(Some((consumed, too_long)));
        }
    }
}

/// What [`ArraySplitter::next_element`] found.
pub enum Element {
    /// The bytes of one top-level element.
    Value,
    /// An element larger than the cap, skipped.
    TooLarge(u64),
    /// The closing bracket: no more elements.
    End,
}

/// Splits a top-level JSON array into its elements without holding the whole array: each
/// element's bytes are collected by tracking nesting and strings, then parsed alone.
pub struct ArraySplitter {
    started: bool,
    closed: bool,
    /// The line (from 1) of the next byte, and the bytes before it on that line.
    line: u64,
    column: u64,
    /// Where the last element's first byte is, the same way.
    start: (u64, u64),
}

impl ArraySplitter {
    pub fn new() -> Self {
        ArraySplitter {
            started: false,
            closed: false,
            line: 1,
            column: 0,
            start: (1, 0),
        }
    }

    /// The line (from 1) of the first byte of the element last read, and the number of bytes
    /// before it on that line.
    pub fn element_start(&self) -> (u64, u64) {
        self.start
    }

    /// The next byte, counted into the position.
    fn next_byte(&mut self, reader: &mut dyn BufRead) -> io::Result<Option<u8>> {
        let byte = next_byte(reader)?;
        if byte == Some(b'\n') {
            self.line += 1;
            self.column = 0;
        } else if byte.is_some() {
            self.column += 1;
        }
        Ok(byte)
    }

    /// Reads the next element into `buf`.
    pub fn next_element(
        &mut self,
        reader: &mut dyn BufRead,
        buf: &mut Vec<u8>,
        cap: usize,
    ) -> io::Result<Element> {
        buf.clear();
        if self.closed {
            return self.end_of_array(reader);
        }
        if !self.started {
            match self.next_non_space(reader)? {
                Some(b'[') => self.started = true,
                Some(_) => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "not a JSON array",
                    ))
                }
                None => return Ok(Element::End),
            }
        }
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        let (mut size, mut too_large) = (0u64, false);
        loop {
            let Some(byte) = self.next_byte(reader)? else {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "JSON array not closed",
                ));
            };
            if !in_string && depth == 0 {
                match byte {
                    b',' if size > 0 => break,
                    b',' => continue,
                    b']' => {
                        self.closed = true;
                        if size == 0 {
                            return self.end_of_array(reader);
                        }
                        break;
                    }
                    b if b.is_ascii_whitespace() && size == 0 => continue,
                    _ => {}
                }
            }
            if in_string {
                if escaped {
                    escaped = false;
                } else if byte == b'\\' {
                    escaped = true;
                } else if byte == b'"' {
                    in_string = false;
                }
            } else {
                match byte {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
            if size == 0 {
                self.start = (self.line, self.column - 1);
            }
            size += 1;
            if !too_large {
                if buf.len() >= cap {
                    too_large = true;
                    buf.clear();
                } else {
                    buf.push(byte);
                }
            }
        }
        while buf.last().is_some_and(u8::is_ascii_whitespace) {
            buf.pop();
        }
        Ok(if too_large {
            Element::TooLarge(size)
        } else {
            Element::Value
        })
    }
}

impl ArraySplitter {
    /// After the closing bracket only whitespace may follow: anything else (a second array, a
    /// text pasted after it) would otherwise vanish without a reject.
    fn end_of_array(&mut self, reader: &mut dyn BufRead) -> io::Result<Element> {
        match self.next_non_space(reader)? {
            None => Ok(Element::End),
            Some(_) => Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "data after the end of the JSON array",
            )),
        }
    }

    fn next_non_space(&mut self, reader: &mut dyn BufRead) -> io::Result<Option<u8>> {
        while let Some(byte) = self.next_byte(reader)? {
            if !byte.is_ascii_whitespace() && byte != 0xEF && byte != 0xBB && byte != 0xBF {
                return Ok(Some(byte));
            }
        }
        Ok(None)
    }
}

fn next_byte(reader: &mut dyn BufRead) -> io::Result<Option<u8>> {
    loop {
        match reader.fill_buf() {
            Ok([]) => return Ok(None),
            Ok(available) => {
                let byte = available[0];
                reader.consume(1);
                return Ok(Some(byte));
            }
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_lines_skip_without_holding() {
        let input = b"short\r\nthis line is far too long\nlast";
        let mut reader = &input[..];
        let mut buf = Vec::new();
        assert_eq!(
            read_capped_line(&mut reader, &mut buf, 10).unwrap(),
            Some((7, false))
        );
        assert_eq!(buf, b"short");
        assert_eq!(
            read_capped_line(&mut reader, &mut buf, 10).unwrap(),
            Some((26, true))
        );
        assert!(buf.is_empty());
        assert_eq!(
            read_capped_line(&mut reader, &mut buf, 10).unwrap(),
            Some((4, false))
        );
        assert_eq!(buf, b"last");
        assert_eq!(read_capped_line(&mut reader, &mut buf, 10).unwrap(), None);
    }

    #[test]
    fn array_elements_stream_out() {
        let input = br#" [ {"text": "a, [b] \"c\""}, {"text": "d"} ,{"x": {"y": [1,2]}} ] "#;
        let mut reader = &input[..];
        let mut splitter = ArraySplitter::new();
        let mut buf = Vec::new();
        let mut elements = Vec::new();
        while let Element::Value = splitter.next_element(&mut reader, &mut buf, 1000).unwrap() {
            elements.push(String::from_utf8(buf.clone()).unwrap());
        }
        assert_eq!(
            elements,
            [
                r#"{"text": "a, [b] \"c\""}"#,
                r#"{"text": "d"}"#,
                r#"{"x": {"y": [1,2]}}"#
            ]
        );
        let mut reader = &b"[]"[..];
        assert!(matches!(
            ArraySplitter::new()
                .next_element(&mut reader, &mut buf, 10)
                .unwrap(),
            Element::End
        ));
    }

    /// Found by the `ingest` fuzz target (minimized): the text after `[]` was dropped without
    /// a word, and so is anything after the closing bracket of a non-empty array.
    #[test]
    fn data_after_the_array_is_an_error() {
        let mut buf = Vec::new();
        for input in [
            &b"[]Title: A story\n\nBody."[..],
            b"[{\"text\": \"a\"}] [{}]",
            b"[]\n\n x",
        ] {
            let mut reader = input;
            let mut splitter = ArraySplitter::new();
            let error = loop {
                match splitter.next_element(&mut reader, &mut buf, 100) {
                    Ok(Element::Value) => continue,
                    Ok(_) => panic!("{input:?}: ended without an error"),
                    Err(error) => break error,
                }
            };
            assert_eq!(error.kind(), io::ErrorKind::InvalidData, "{input:?}");
        }
        let mut reader = &b"[{\"text\": \"a\"}] \r\n"[..];
        let mut splitter = ArraySplitter::new();
        assert!(matches!(
            splitter.next_element(&mut reader, &mut buf, 100),
            Ok(Element::Value)
        ));
        assert!(matches!(
            splitter.next_element(&mut reader, &mut buf, 100),
            Ok(Element::End)
        ));
    }

    #[test]
    fn array_elements_know_where_they_start() {
        let input = b"[\n  {\"a\": 1},\n\n {\"b\":\n 2}, 3]";
        let mut reader = &input[..];
        let mut splitter = ArraySplitter::new();
        let mut buf = Vec::new();
        let mut starts = Vec::new();
        while let Element::Value = splitter.next_element(&mut reader, &mut buf, 1000).unwrap() {
            starts.push(splitter.element_start());
        }
        assert_eq!(starts, [(2, 2), (4, 1), (5, 5)]);
    }
}
