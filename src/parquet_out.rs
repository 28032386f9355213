//! Parquet output (`-o NAME.parquet`, `--format parquet`).
//!
//! A record is only final in the writer (its dedup verdict is put in last), and a Parquet file
//! has no footer until it is closed, so it cannot be cut back to a checkpoint for `--resume`.
//! The run therefore writes its records as JSON Lines to a spool, `.NAME.parquet.records.partial`,
//! with the same `.partial`, checkpoint and resume machinery as a JSON Lines output; once every
//! record is in it, [`convert`] streams the spool into `.NAME.parquet.partial`, a bounded batch
//! of lines at a time, and [`finish`] renames that into place and removes the spool. The
//! Parquet file thus holds exactly the JSON Lines output of the same run, in the same order,
//! and is as deterministic as it is: the same spool bytes give the same Parquet bytes.
//!
//! The JSON is decoded by arrow-json against the declared [`record_schema`] (strict: a field the
//! schema does not name is an error, not a silently dropped column), and parquet's
//! `ArrowWriter` writes the nested columns.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::Context;
use arrow_json::ReaderBuilder;
use arrow_schema::{DataType, Field, Fields, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;

use crate::journal::Journal;
use crate::outputs::Outputs;
use crate::sink::{partial_path, AtomicFile};
use docpipe_pipeline::SCHEMA_VERSION;

/// Key of the Parquet file's key-value metadata that names the record schema version; its
/// presence is also how a later run's folder walk recognizes the file as a docpipe output
/// (`docpipe_ingest` looks for this key in the footer).
pub const SCHEMA_KEY: &str = "docpipe.record_schema";

/// Lines decoded into one arrow batch at most. Arrow's own default (1,024) is for narrow rows;
/// a record carries its whole text, so batches are kept small and also cut at
/// [`DECODE_BATCH_BYTES`].
const DECODE_BATCH_ROWS: usize = 1024;

/// A batch is also cut once its JSON reaches this many bytes, so that a run of huge documents
/// (up to `--max-document-bytes` each) is decoded a few at a time: the tape and the arrays of a
/// batch take about twice its JSON.
const DECODE_BATCH_BYTES: usize = 8 << 20;

/// A row group is closed once its encoded, buffered size reaches this: the writer holds at most
/// one row group in memory. 64 MiB row groups are in the range Parquet readers are tuned for
/// (the format's documentation suggests 512 MiB-1 GiB for HDFS blocks; arrow-rs, Spark and
/// DuckDB read 64-128 MiB groups well) and keep the writer's memory small next to the run's.
const ROW_GROUP_BYTES: usize = 64 << 20;

/// Rows per row group at most, whatever their size (parquet's default, 1 Mi rows, would be
/// reached first only by records of under 64 bytes, which docpipe never writes).
const ROW_GROUP_ROWS: usize = 1 << 20;

/// The arrow schema of a record, field for field as the README's "Record schema" and
/// `src/record.rs` give it, in the same order. Adding a record field is adding one line here.
pub fn record_schema() -> Schema {
    let string = |name: &str, nullable: bool| Field::new(name, DataType::Utf8, nullable);
    let offset = |name: &str| Field::new(name, DataType::UInt64, false);
    let list_of = |name: &str, item: DataType, nullable: bool| {
        Field::new(
            name,
            DataType::List(Arc::new(Field::new("item", item, false))),
            nullable,
        )
    };
    let structure = |fields: Vec<Field>| DataType::Struct(Fields::from(fields));
    Schema::new(vec![
        Field::new("schema", DataType::UInt32, false),
        string("id", false),
        string("source", false),
        string("url", true),
        string("canonical_url", true),
        string("warc_record_id", true),
        string("title", true),
        string("subtitle", true),
        list_of("authors", DataType::Utf8, false),
        string("site", true),
        string("text", false),
        string("lang", true),
        Field::new("lang_confidence", DataType::Float64, true),
        Field::new("lang_reliable", DataType::Boolean, true),
        string("encoding", false),
        Field::new("replaced_invalid", DataType::Boolean, false),
        Field::new("chars", DataType::UInt64, false),
        Field::new("words", DataType::UInt64, false),
        list_of(
            "blocks",
            structure(vec![string("kind", false), offset("start"), offset("end")]),
            true,
        ),
        // `[start, end]` pairs in JSON, so lists of two here: arrow-json reads a struct from
        // an object only (its list-as-struct mode would apply to every struct of the record).
        list_of(
            "sentences",
            DataType::List(Arc::new(Field::new("item", DataType::UInt64, false))),
            true,
        ),
        Field::new(
            "metadata",
            DataType::Map(
                Arc::new(Field::new(
                    "entries",
                    structure(vec![string("key", false), string("value", false)]),
                    false,
                )),
                false,
            ),
            false,
        ),
        Field::new(
            "published",
            structure(vec![
                string("date", false),
                string("source", false),
                string("found_in", true),
            ]),
            true,
        ),
        list_of(
            "dates",
            structure(vec![
                offset("start"),
                offset("end"),
                string("text", false),
                string("type", false),
                string("value", false),
            ]),
            true,
        ),
        Field::new(
            "dedup",
            structure(vec![
                string("status", false),
                string("duplicate_of", true),
                string("cluster", false),
                Field::new("similarity", DataType::Float64, true),
            ]),
            true,
        ),
        list_of(
            "summary",
            structure(vec![offset("start"), offset("end"), string("text", false)]),
            true,
        ),
        list_of("keywords", DataType::Utf8, true),
        string("story", true),
    ])
}

/// The writer settings: zstd at its default level (a third smaller than snappy on news text,
/// and as fast to read), and the schema version in the key-value metadata. Nothing in them
/// depends on the time or the machine, so equal records give equal bytes.
fn writer_properties() -> WriterProperties {
    WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::default()))
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
        .set_key_value_metadata(Some(vec![KeyValue::new(
            SCHEMA_KEY.to_string(),
            SCHEMA_VERSION.to_string(),
        )]))
        .build()
}

/// What [`convert`] wrote.
#[derive(Debug, PartialEq, Eq)]
pub struct Converted {
    pub rows: u64,
    pub row_groups: usize,
}

/// Why a conversion did not finish.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    /// A stop request (Ctrl-C) came during the conversion.
    #[error("interrupted")]
    Interrupted,
    #[error("cannot read the spooled records: {0}")]
    Read(#[source] io::Error),
    /// A record line that does not fit [`record_schema`]: a field the schema lacks, or a value
    /// of another type. A bug of docpipe's, never of the input.
    #[error("a record at or after line {first_line} of the spool does not fit the Parquet schema: {source}")]
    Schema {
        first_line: u64,
        #[source]
        source: arrow_schema::ArrowError,
    },
    #[error("cannot write Parquet: {0}")]
    Write(#[from] parquet::errors::ParquetError),
}

/// Where [`convert`] cuts decode batches and row groups.
#[derive(Clone, Copy, Debug)]
struct Limits {
    batch_rows: usize,
    batch_bytes: usize,
    row_group_bytes: usize,
}

const LIMITS: Limits = Limits {
    batch_rows: DECODE_BATCH_ROWS,
    batch_bytes: DECODE_BATCH_BYTES,
    row_group_bytes: ROW_GROUP_BYTES,
};

/// Streams JSON Lines records from `spool` into Parquet on `out`, a bounded batch at a time;
/// checks `stop` between batches.
pub fn convert<W: Write + Send>(
    spool: impl BufRead,
    out: W,
    stop: &AtomicBool,
) -> Result<(W, Converted), ConvertError> {
    convert_with(spool, out, stop, LIMITS)
}

fn convert_with<W: Write + Send>(
    spool: impl BufRead,
    out: W,
    stop: &AtomicBool,
    limits: Limits,
) -> Result<(W, Converted), ConvertError> {
    let schema: SchemaRef = Arc::new(record_schema());
    let new_decoder = || {
        ReaderBuilder::new(Arc::clone(&schema))
            .with_batch_size(limits.batch_rows)
            .with_strict_mode(true)
            .build_decoder()
    };
    let mut decoder = new_decoder().map_err(|source| ConvertError::Schema {
        first_line: 0,
        source,
    })?;
    let mut writer = ArrowWriter::try_new(out, Arc::clone(&schema), Some(writer_properties()))?;
    let mut spool = spool;
    let mut line = Vec::new();
    let (mut rows, mut batch_rows, mut batch_bytes) = (0u64, 0usize, 0usize);
    loop {
        line.clear();
        let read = spool
            .read_until(b'\n', &mut line)
            .map_err(ConvertError::Read)?;
        if read == 0 {
            break;
        }
        rows += 1;
        // One line is one record; the decoder takes it whole (it never stops inside a line
        // when fewer than a batch of rows are buffered).
        let mut at = 0;
        while at < line.len() {
            let used = decoder
                .decode(&line[at..])
                .map_err(|source| ConvertError::Schema {
                    first_line: rows,
                    source,
                })?;
            if used == 0 {
                return Err(ConvertError::Schema {
                    first_line: rows,
                    source: arrow_schema::ArrowError::JsonError(
                        "the decoder took none of the line".into(),
                    ),
                });
            }
            at += used;
        }
        batch_rows += 1;
        batch_bytes += line.len();
        if batch_rows >= limits.batch_rows || batch_bytes >= limits.batch_bytes {
            write_batch(
                &mut decoder,
                &mut writer,
                rows + 1 - batch_rows as u64,
                limits,
            )?;
            (batch_rows, batch_bytes) = (0, 0);
            if stop.load(Ordering::SeqCst) {
                return Err(ConvertError::Interrupted);
            }
        }
    }
    write_batch(
        &mut decoder,
        &mut writer,
        rows + 1 - batch_rows as u64,
        limits,
    )?;
    writer.flush()?;
    let converted = Converted {
        rows,
        row_groups: writer.flushed_row_groups().len(),
    };
    // Writes the footer.
    Ok((writer.into_inner()?, converted))
}

/// Writes the lines decoded since the last batch, the first of which is line `first_line` of
/// the spool, and closes the row group once it is large enough.
fn write_batch<W: Write + Send>(
    decoder: &mut arrow_json::reader::Decoder,
    writer: &mut ArrowWriter<W>,
    first_line: u64,
    limits: Limits,
) -> Result<(), ConvertError> {
    let batch = decoder
        .flush()
        .map_err(|source| ConvertError::Schema { first_line, source })?;
    if let Some(batch) = batch {
        writer.write(&batch)?;
        if writer.in_progress_size() >= limits.row_group_bytes {
            writer.flush()?;
        }
    }
    Ok(())
}

/// An [`AtomicFile`] as the `Write` the Parquet writer takes.
struct ParquetFile(AtomicFile);

impl Write for ParquetFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write_all(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        // The file's own buffer goes to the OS when it is finished; the Parquet writer
        // flushes after every row group, which need not be a system call each.
        Ok(())
    }
}

/// Ends a run that writes Parquet: converts the spooled records into `parquet`'s `.partial`
/// file, removes the journal, renames the Parquet file and the side files into place and
/// removes the spool. A failed or interrupted conversion leaves every output under its
/// `.partial` name and the journal as they were, so `--resume` can go on; it returns whether it
/// was interrupted.
pub fn finish(
    mut outputs: Outputs,
    spool: &Path,
    parquet: &Path,
    journal: Option<&Journal>,
    stop: &AtomicBool,
) -> anyhow::Result<bool> {
    outputs.flush()?;
    let spool_partial = partial_path(spool);
    let converted = AtomicFile::create(parquet).and_then(|file| {
        let records = File::open(&spool_partial)
            .with_context(|| format!("cannot read {}", spool_partial.display()))?;
        let (file, _) = convert(
            BufReader::with_capacity(1 << 16, records),
            ParquetFile(file),
            stop,
        )
        .with_context(|| format!("cannot write {}", parquet.display()))?;
        Ok(file.0)
    });
    let file = match converted {
        Ok(file) => file,
        Err(err) => {
            let interrupted = err
                .downcast_ref::<ConvertError>()
                .is_some_and(|err| matches!(err, ConvertError::Interrupted));
            let kept = outputs.abandon()?;
            if interrupted {
                if let Some(kept) = kept {
                    eprintln!(
                        "docpipe: interrupted while writing {}; the records are in {} \
                         (run again with --resume to go on)",
                        parquet.display(),
                        kept.display()
                    );
                }
                return Ok(true);
            }
            return Err(err.context(format!(
                "the records are kept as JSON Lines in {}",
                spool_partial.display()
            )));
        }
    };
    // As for JSON Lines: the journal goes first, so a kill while files are renamed leaves no
    // journal pointing at .partial files that are gone.
    if let Some(journal) = journal {
        journal.remove()?;
    }
    file.finish()?;
    outputs.finish_without_records()?;
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    fn record(id: usize, text: &str) -> String {
        format!(
            "{{\"schema\":2,\"id\":\"d{id}\",\"source\":\"a.jsonl:{id}\",\"url\":null,\
             \"canonical_url\":null,\"warc_record_id\":null,\"title\":\"T\",\"subtitle\":null,\
             \"authors\":[\"A\"],\"site\":null,\"text\":\"{text}\",\"lang\":\"en\",\
             \"lang_confidence\":0.9,\"lang_reliable\":true,\"encoding\":\"utf-8\",\
             \"replaced_invalid\":false,\"chars\":5,\"words\":1,\
             \"blocks\":[{{\"kind\":\"paragraph\",\"start\":0,\"end\":5}}],\
             \"sentences\":[[0,5]],\"metadata\":{{\"k\":\"v\"}},\
             \"published\":{{\"date\":\"2024-01-02\",\"source\":\"metadata\",\"found_in\":null}},\
             \"dates\":[],\"dedup\":{{\"status\":\"unique\",\"duplicate_of\":null,\
             \"cluster\":\"d{id}\",\"similarity\":null}},\"summary\":null,\"keywords\":[\"k\"]}}\n"
        )
    }

    fn converted(spool: &str) -> Result<(Vec<u8>, Converted), ConvertError> {
        convert(spool.as_bytes(), Vec::new(), &AtomicBool::new(false))
    }

    fn rows_read_back(bytes: Vec<u8>) -> usize {
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(&bytes).unwrap();
        let reader = ParquetRecordBatchReaderBuilder::try_new(file)
            .unwrap()
            .build()
            .unwrap();
        reader.map(|batch| batch.unwrap().num_rows()).sum()
    }

    #[test]
    fn records_convert_row_for_row_and_reproducibly() {
        let spool: String = (0..2500).map(|i| record(i, "Hello")).collect();
        let (bytes, converted_rows) = converted(&spool).unwrap();
        assert_eq!(converted_rows.rows, 2500);
        assert_eq!(converted(&spool).unwrap().0, bytes);
        assert_eq!(rows_read_back(bytes), 2500);
    }

    #[test]
    fn a_field_the_schema_lacks_is_an_error_naming_the_record() {
        let mut spool = record(0, "Hello");
        spool.push_str(&record(1, "Hi").replace("\"keywords\"", "\"mood\":\"s\",\"keywords\""));
        let err = converted(&spool).unwrap_err();
        assert!(
            matches!(err, ConvertError::Schema { first_line: 1, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("mood"), "{err}");
    }

    #[test]
    fn huge_records_close_row_groups_by_size() {
        // Text that zstd cannot shrink much (xorshift letters), so the encoded row group grows
        // with the records.
        let mut state = 0x2545_f491_u32;
        let mut letters = |n: usize| -> String {
            (0..n)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    char::from(b'a' + (state % 26) as u8)
                })
                .collect()
        };
        let spool: String = (0..60).map(|i| record(i, &letters(100_000))).collect();
        let limits = Limits {
            batch_rows: 8,
            batch_bytes: 256 << 10,
            row_group_bytes: 1 << 20,
        };
        let (bytes, converted_rows) = convert_with(
            spool.as_bytes(),
            Vec::new(),
            &AtomicBool::new(false),
            limits,
        )
        .unwrap();
        assert_eq!(converted_rows.rows, 60);
        // 6 MB of text in row groups of 1 MiB and a bit: at least four of them.
        assert!(converted_rows.row_groups >= 4, "{converted_rows:?}");
        assert_eq!(rows_read_back(bytes), 60);
    }

    #[test]
    fn a_stop_request_ends_the_conversion() {
        let spool: String = (0..2 * DECODE_BATCH_ROWS).map(|i| record(i, "x")).collect();
        let err = convert(spool.as_bytes(), Vec::new(), &AtomicBool::new(true)).unwrap_err();
        assert!(matches!(err, ConvertError::Interrupted));
    }
}
