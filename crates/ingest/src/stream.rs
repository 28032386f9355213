//! What every document of one input stream shares: its name, its compression and the options
//! it is read with.

use std::io;
use std::sync::Arc;

use crate::document::{Compression, RejectReason};
use crate::options::IngestOptions;

/// What every document of one stream shares.
#[derive(Debug)]
pub struct Stream {
    /// The path, or `-` for standard input.
    pub name: String,
    pub compression: Option<Compression>,
    pub options: Arc<IngestOptions>,
}

impl Stream {
    /// A read error's reject: damage when the stream is compressed (the decoder failed), else
    /// an I/O error.
    pub fn stream_error(&self, err: &io::Error) -> RejectReason {
        match self.compression {
            Some(_) => RejectReason::CorruptStream(err.to_string()),
            None => RejectReason::Io(err.to_string()),
        }
    }
}
