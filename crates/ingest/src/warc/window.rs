//! A stream read through a buffer that keeps the bytes behind the read position, so that a
//! reader can go back to an offset it passed and scan forward from there.

use std::io::{self, BufRead, Read};

/// Bytes kept behind the read position, so that a scan after a damaged gzip member can start
/// again just past its start. Damage is met a few kilobytes after it happens in practice (the
/// decoder fails on the next member's header or on bytes that are no valid deflate); a member
/// of a page is 20-100 KB compressed.
pub const WINDOW: usize = 1 << 20;
/// Bytes read from the file at a time.
const CHUNK: usize = 1 << 16;

/// A stream's bytes with at least the last [`WINDOW`] bytes before the read position kept, so
/// that a reader can go back to an offset it passed.
pub struct Window<R = Box<dyn Read + Send>> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
    /// Offset of `buf[0]` in the stream.
    base: u64,
    /// The stream ended, or failed (then it reads as ended).
    eof: bool,
}

impl<R: Read> Window<R> {
    /// `base` is the offset of the stream's first byte (for standard input that starts further
    /// into a file).
    pub fn new(inner: R, base: u64) -> Window<R> {
        Window {
            inner,
            buf: Vec::new(),
            pos: 0,
            base,
            eof: false,
        }
    }

    pub fn into_inner(self) -> R {
        self.inner
    }

    /// Offset of the next byte.
    pub fn offset(&self) -> u64 {
        self.base + self.pos as u64
    }

    /// Goes back (or forward, within what was read) to `offset`, or as near to it as the
    /// bytes kept allow.
    pub fn seek_to(&mut self, offset: u64) {
        let at = offset.saturating_sub(self.base).min(self.buf.len() as u64);
        // `at` is within `buf`, so it fits.
        self.pos = usize::try_from(at).unwrap_or(self.buf.len());
    }

    fn refill(&mut self) -> io::Result<()> {
        // Dropping only once twice the window is held moves each byte at most once.
        if self.pos > 2 * WINDOW {
            let drop = self.pos - WINDOW;
            self.buf.drain(..drop);
            self.pos -= drop;
            self.base += drop as u64;
        }
        let len = self.buf.len();
        // A window over a small gzip member (a page is a few KB) starts with small reads: the
        // room read into is zeroed first, and zeroing 64 KiB a member took 40% of the time to
        // read a .warc.gz of news pages (ingest bench warc.gz/sample/read: 44.6 ms, now 26.0).
        let chunk = len.clamp(4096, CHUNK);
        self.buf.resize(len + chunk, 0);
        loop {
            match self.inner.read(&mut self.buf[len..]) {
                Ok(n) => {
                    self.buf.truncate(len + n);
                    self.eof = n == 0;
                    return Ok(());
                }
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => {
                    self.buf.truncate(len);
                    self.eof = true;
                    return Err(err);
                }
            }
        }
    }

    /// The bytes after the read position, at least `n` of them unless the stream ends first.
    pub fn fill_to(&mut self, n: usize) -> io::Result<&[u8]> {
        while self.buf.len() - self.pos < n && !self.eof {
            self.refill()?;
        }
        Ok(&self.buf[self.pos..])
    }

    /// Moves to the next occurrence of `pattern`, then `skip` bytes into it; false (at the end)
    /// when there is none.
    pub fn scan_for(&mut self, pattern: &[u8], skip: usize) -> io::Result<bool> {
        loop {
            let available = self.fill_to(pattern.len())?;
            if available.len() < pattern.len() {
                let all = available.len();
                self.consume(all);
                return Ok(false);
            }
            if let Some(at) = memchr::memmem::find(available, pattern) {
                self.consume(at + skip);
                return Ok(true);
            }
            // The last bytes may be the start of a match that the next read completes.
            let passed = available.len() + 1 - pattern.len();
            self.consume(passed);
        }
    }
}

impl<R: Read> Read for Window<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Window<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos == self.buf.len() && !self.eof {
            self.refill()?;
        }
        Ok(&self.buf[self.pos..])
    }

    fn consume(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.buf.len());
    }
}

#[cfg(test)]
mod tests {
    use super::super::RECORD_START;
    use super::*;

    #[test]
    fn scanning_finds_patterns_across_reads() {
        // One byte per read: every match straddles reads.
        struct Slow(io::Cursor<Vec<u8>>);
        impl Read for Slow {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = buf.len().min(1);
                self.0.read(&mut buf[..n])
            }
        }
        let mut bytes = vec![b'x'; 3 * WINDOW];
        bytes.extend_from_slice(b"\nWARC/1.1\r\n");
        let mut window = Window::new(Box::new(Slow(io::Cursor::new(bytes))), 10);
        assert!(window.scan_for(RECORD_START, 1).unwrap());
        assert_eq!(window.offset(), 10 + 3 * WINDOW as u64 + 1);
        assert!(window.fill_to(8).unwrap().starts_with(b"WARC/1.1"));
        // Going back is possible within the window, and no further.
        window.seek_to(10);
        assert!(window.offset() > 10 + WINDOW as u64);
        assert!(!window.scan_for(b"absent", 0).unwrap());
    }
}
