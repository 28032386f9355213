//! Decompression that keeps what came before damage and says where the damage is.
//!
//! A gzip file is a sequence of members and a zstd file a sequence of frames. Each is decoded
//! one at a time here (flate2's and zstd's single-member decoders on one shared buffered
//! reader, which they consume exactly), so that what follows a member can be looked at: another
//! member is decoded in turn, zero bytes up to the end are padding (`gzip -t` accepts them, and
//! tape or block devices add them), and anything else is an error that names its compressed
//! byte offset. Every error, this one or the decoders' own (a cut tail, a bad checksum, a
//! corrupted block), is returned once, after all the data decoded before it, and names the
//! offset in the decompressed data where the stream stopped.

use std::io::{self, BufRead, BufReader, Read};

use crate::document::Compression;

/// A reader that counts the bytes read from it.
struct Counting<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

type Source = BufReader<Counting<Box<dyn Read + Send>>>;

enum State {
    Gzip(Box<flate2::bufread::GzDecoder<Source>>),
    Zstd(Box<zstd::stream::read::Decoder<'static, Source>>),
    /// Between members (or frames): what comes next decides.
    Between(Source),
    /// The end, or an error already returned.
    Done,
}

/// The decompressed bytes of a gzip or zstd stream of any number of members.
pub struct Decompressed {
    compression: Compression,
    state: State,
    /// Decompressed bytes returned so far.
    produced: u64,
}

impl Decompressed {
    /// Decodes `reader`, whose first bytes were recognized as `compression`.
    pub fn new(compression: Compression, reader: Box<dyn Read + Send>) -> io::Result<Self> {
        let source = BufReader::with_capacity(
            1 << 15,
            Counting {
                inner: reader,
                count: 0,
            },
        );
        let state = member(compression, source)?;
        Ok(Decompressed {
            compression,
            state,
            produced: 0,
        })
    }

    /// The error `err`, or the decoder's own, with where in the decompressed data it happened.
    fn located(&self, err: io::Error) -> io::Error {
        io::Error::new(
            err.kind(),
            format!("{err} (at decompressed byte {})", self.produced),
        )
    }
}

/// A decoder for the member that starts at the reader's position.
fn member(compression: Compression, source: Source) -> io::Result<State> {
    Ok(match compression {
        Compression::Gzip => State::Gzip(Box::new(flate2::bufread::GzDecoder::new(source))),
        Compression::Zstd => State::Zstd(Box::new(
            zstd::stream::read::Decoder::with_buffer(source)?.single_frame(),
        )),
    })
}

/// The compressed offset of the next byte `source` gives.
fn position(source: &Source) -> u64 {
    source.get_ref().count - source.buffer().len() as u64
}

/// First bytes of a member or frame. Zstd skippable frames (magic `0x184D2A5?`, little-endian)
/// start with `0x50..=0x5F`; the decoder reads and skips them.
fn starts_member(compression: Compression, byte: u8) -> bool {
    match compression {
        Compression::Gzip => byte == 0x1F,
        Compression::Zstd => byte == 0x28 || (0x50..=0x5F).contains(&byte),
    }
}

/// Data after the last complete member: every byte before it was decoded and checked, so what
/// was read is whole (a caller may keep a one-document file).
#[derive(Debug)]
pub struct TrailingData(String);

impl std::fmt::Display for TrailingData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TrailingData {}

/// Whether `err` is [`TrailingData`].
pub fn is_trailing_data(err: &io::Error) -> bool {
    err.get_ref()
        .is_some_and(|inner| inner.is::<TrailingData>())
}

/// After a member, `produced` bytes into the decompressed data: `Ok(None)` at the end (zero
/// padding included), `Ok(Some(source))` when another member starts, a [`TrailingData`] error
/// for anything else.
fn after_member(
    compression: Compression,
    mut source: Source,
    produced: u64,
) -> io::Result<Option<Source>> {
    let start = position(&source);
    let mut first = true;
    loop {
        let available = match source.fill_buf() {
            Ok(available) => available,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        let Some(&byte) = available.first() else {
            return Ok(None);
        };
        if first && starts_member(compression, byte) {
            return Ok(Some(source));
        }
        first = false;
        // Zero padding, possibly across buffer refills, up to the end.
        if available.iter().any(|&b| b != 0) {
            let name = match compression {
                Compression::Gzip => "gzip",
                Compression::Zstd => "zstd",
            };
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                TrailingData(format!(
                    "data that is not {name} after the end of the stream, at compressed byte \
                     {start} (at decompressed byte {produced})"
                )),
            ));
        }
        let all = available.len();
        source.consume(all);
    }
}

impl Read for Decompressed {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            let read = match &mut self.state {
                State::Gzip(decoder) => decoder.read(buf),
                State::Zstd(decoder) => decoder.read(buf),
                State::Between(_) => {
                    let State::Between(source) = std::mem::replace(&mut self.state, State::Done)
                    else {
                        unreachable!()
                    };
                    match after_member(self.compression, source, self.produced) {
                        Ok(None) => return Ok(0),
                        Ok(Some(source)) => match member(self.compression, source) {
                            Ok(state) => self.state = state,
                            Err(err) => return Err(self.located(err)),
                        },
                        Err(err) if is_trailing_data(&err) => return Err(err),
                        Err(err) => return Err(self.located(err)),
                    }
                    continue;
                }
                State::Done => return Ok(0),
            };
            match read {
                Ok(0) => {
                    // The member ended (its checksum checked): see what follows.
                    self.state = match std::mem::replace(&mut self.state, State::Done) {
                        State::Gzip(decoder) => State::Between(decoder.into_inner()),
                        State::Zstd(decoder) => State::Between(decoder.finish()),
                        other => other,
                    };
                }
                Ok(n) => {
                    self.produced += n as u64;
                    return Ok(n);
                }
                Err(err) if err.kind() == io::ErrorKind::Interrupted => return Err(err),
                Err(err) => {
                    self.state = State::Done;
                    return Err(self.located(err));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    fn zstd(bytes: &[u8]) -> Vec<u8> {
        zstd::encode_all(bytes, 1).unwrap()
    }

    fn compress(compression: Compression, bytes: &[u8]) -> Vec<u8> {
        match compression {
            Compression::Gzip => gzip(bytes),
            Compression::Zstd => zstd(bytes),
        }
    }

    /// Everything decoded, and the error it ended with, if any.
    fn decode(compression: Compression, bytes: Vec<u8>) -> (Vec<u8>, Option<String>) {
        let mut reader = Decompressed::new(compression, Box::new(io::Cursor::new(bytes))).unwrap();
        let mut out = Vec::new();
        let mut chunk = [0u8; 1000];
        loop {
            match reader.read(&mut chunk) {
                Ok(0) => return (out, None),
                Ok(n) => out.extend_from_slice(&chunk[..n]),
                Err(err) => return (out, Some(err.to_string())),
            }
        }
    }

    const BOTH: [Compression; 2] = [Compression::Gzip, Compression::Zstd];

    #[test]
    fn members_and_zero_padding_are_one_stream() {
        for compression in BOTH {
            let mut bytes = compress(compression, b"one\n");
            bytes.extend_from_slice(&compress(compression, b"two\n"));
            // Padding between members is not an error either, for gzip (as gzip itself does
            // not allow it, neither does the test for zstd).
            bytes.extend_from_slice(&compress(compression, b""));
            bytes.extend_from_slice(&vec![0; 100_000]);
            assert_eq!(
                decode(compression, bytes),
                (b"one\ntwo\n".to_vec(), None),
                "{compression:?}"
            );
        }
    }

    #[test]
    fn trailing_garbage_is_an_error_at_its_offset_after_all_the_data() {
        for compression in BOTH {
            let mut bytes = compress(compression, b"kept\n");
            let end = bytes.len();
            bytes.extend_from_slice(&[0, 0, b'x']);
            let (out, err) = decode(compression, bytes);
            assert_eq!(out, b"kept\n");
            let err = err.unwrap();
            assert!(
                err.contains(&format!("at compressed byte {end}")),
                "{compression:?}: {err}"
            );
            assert!(err.contains("at decompressed byte 5"), "{err}");
        }
        let mut bytes = gzip(b"kept\n");
        bytes.push(b'x');
        let mut reader =
            Decompressed::new(Compression::Gzip, Box::new(io::Cursor::new(bytes))).unwrap();
        let err = reader.read_to_end(&mut Vec::new()).unwrap_err();
        assert!(is_trailing_data(&err));
        // A cut stream is not whole.
        let whole = gzip(b"kept\n");
        let mut reader = Decompressed::new(
            Compression::Gzip,
            Box::new(io::Cursor::new(whole[..whole.len() - 2].to_vec())),
        )
        .unwrap();
        assert!(!is_trailing_data(
            &reader.read_to_end(&mut Vec::new()).unwrap_err()
        ));
    }

    #[test]
    fn a_cut_tail_keeps_what_decoded() {
        let text: Vec<u8> = (0..2000u32)
            .flat_map(|i| format!("line {i}\n").into_bytes())
            .collect();
        for compression in BOTH {
            let whole = compress(compression, &text);
            let (out, err) = decode(compression, whole[..whole.len() - 4].to_vec());
            assert!(text.starts_with(&out), "{compression:?}");
            let err = err.unwrap();
            assert!(
                err.contains(&format!("at decompressed byte {}", out.len())),
                "{err}"
            );
        }
        // A bad checksum comes after all the data.
        let mut bad = gzip(&text);
        let crc = bad.len() - 8;
        bad[crc] ^= 1;
        let (out, err) = decode(Compression::Gzip, bad);
        assert_eq!(out, text);
        assert!(err.is_some());
    }
}
