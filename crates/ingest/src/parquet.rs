//! Apache Parquet files: one document per row, its columns mapped as a JSON object's fields
//! are (`table.rs`), read row group by row group through the `parquet` crate's row API.
//!
//! A Parquet file is read from its footer, where the schema and the row groups' places are, so
//! only a file can be read: a stream that starts with the magic bytes is rejected by the
//! caller. Memory is bounded by one row group: the row reader decodes a page of each column
//! at a time, and never holds more than the row group it is in.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Seek};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use parquet::basic::{LogicalType, TimeUnit, TimestampType};
use parquet::file::reader::FileReader;
use parquet::file::serialized_reader::{ReadOptionsBuilder, SerializedFileReader};
use parquet::record::reader::RowIter;
use parquet::record::{Field, Row};

use crate::document::{Encoding, Format, Item, RejectReason, Rejected};
use crate::options::IngestOptions;
use crate::raw::{Items, RawItem};
use crate::sniff::PARQUET_MAGIC;
use crate::table::{item_from_row, Cell, RowOrigin};

/// Size counted for a value that is not text (a number, a boolean, a date), as its bytes in a
/// Parquet page are: what [`Document::bytes`](crate::Document::bytes) of a row adds up.
const SCALAR_BYTES: u64 = 8;

/// Whether the file starts with the Parquet magic bytes. The file is left at its start.
pub fn starts_with_magic(file: &mut File) -> std::io::Result<bool> {
    let mut magic = [0; PARQUET_MAGIC.len()];
    let found = match file.read_exact(&mut magic) {
        Ok(()) => magic == PARQUET_MAGIC,
        Err(err) if err.kind() == std::io::ErrorKind::UnexpectedEof => false,
        Err(err) => return Err(err),
    };
    file.rewind()?;
    Ok(found)
}

/// The rows of the Parquet file `file`, named `name`, as items; a file whose footer cannot be
/// read is one reject.
pub fn open(file: File, name: String, options: &Arc<IngestOptions>) -> Items {
    let single = |reason| -> Items {
        Box::new(std::iter::once(RawItem::from(Item::Rejected(Rejected {
            source: name.clone(),
            reason,
            bytes: 0,
        }))))
    };
    // A second handle on the same open file, to read on past a row group that does not
    // decode; opening the path again could find another file put there meanwhile.
    let again = file.try_clone().ok();
    let reader = match guarded(|| SerializedFileReader::new(file)) {
        Ok(reader) => reader,
        Err(err) => return single(RejectReason::BadParquet(err)),
    };
    let groups: Vec<u64> = reader
        .metadata()
        .row_groups()
        .iter()
        .map(|group| u64::try_from(group.num_rows()).unwrap_or(0))
        .collect();
    if groups.iter().sum::<u64>() == 0 {
        return single(RejectReason::Empty);
    }
    let nanosecond_timestamps = nanosecond_timestamps(&reader);
    Box::new(ParquetRows {
        name,
        options: Arc::clone(options),
        file: again,
        nanosecond_timestamps,
        groups,
        rows: Some(RowIter::from_file_into(Box::new(reader))),
        group: 0,
        row_in_group: 0,
        row: 0,
        done: false,
    })
}

/// The top-level columns of nanosecond timestamps (pandas' and so pyarrow's default): the row
/// API gives their values as plain integers, without their unit.
fn nanosecond_timestamps(reader: &SerializedFileReader<File>) -> Vec<String> {
    let schema = reader.metadata().file_metadata().schema_descr();
    schema
        .root_schema()
        .get_fields()
        .iter()
        .map(|field| field.get_basic_info())
        .filter(|info| {
            matches!(
                info.logical_type_ref(),
                Some(LogicalType::Timestamp(TimestampType {
                    unit: TimeUnit::NANOS,
                    ..
                }))
            )
        })
        .map(|info| info.name().to_string())
        .collect()
}

/// Runs a call into the `parquet` crate with its panics caught: its row reader has `expect`s
/// on invariants of the file's structure that a corrupt file can break, and a bad input must
/// not end the run.
fn guarded<T>(call: impl FnOnce() -> parquet::errors::Result<T>) -> Result<T, String> {
    match catch_unwind(AssertUnwindSafe(call)) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(err)) => Err(err.to_string()),
        Err(panic) => Err(panic_message(&panic)),
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown failure".to_string());
    format!("the Parquet reader failed: {message}")
}

struct ParquetRows {
    name: String,
    options: Arc<IngestOptions>,
    file: Option<File>,
    nanosecond_timestamps: Vec<String>,
    /// The number of rows of each row group, as the footer says.
    groups: Vec<u64>,
    rows: Option<RowIter<'static>>,
    /// The row group the next row is in, and the rows of it read so far.
    group: usize,
    row_in_group: u64,
    /// Rows numbered so far, from 1 across the file: the last row's number.
    row: u64,
    done: bool,
}

impl Iterator for ParquetRows {
    type Item = RawItem;

    fn next(&mut self) -> Option<RawItem> {
        if self.done {
            return None;
        }
        while self
            .groups
            .get(self.group)
            .is_some_and(|&rows| self.row_in_group >= rows)
        {
            self.group += 1;
            self.row_in_group = 0;
        }
        let rows = self.rows.as_mut()?;
        let next = catch_unwind(AssertUnwindSafe(|| rows.next()));
        let failure = match next {
            Ok(Some(Ok(row))) => {
                self.row += 1;
                self.row_in_group += 1;
                return Some(self.item(row));
            }
            Ok(None) => {
                self.done = true;
                return None;
            }
            Ok(Some(Err(err))) => err.to_string(),
            Err(panic) => panic_message(&panic),
        };
        Some(self.lose_row_group(failure))
    }
}

impl ParquetRows {
    /// A failure inside a row group loses what is left of it, said in one reject; reading
    /// goes on at the next row group, the file opened afresh past the one that failed.
    fn lose_row_group(&mut self, failure: String) -> RawItem {
        let first = self.row + 1;
        let left_in_group = self
            .groups
            .get(self.group)
            .map_or(0, |rows| rows.saturating_sub(self.row_in_group));
        self.group += 1;
        self.row_in_group = 0;
        self.rows = self.reopen();
        let lost = match self.rows {
            Some(_) => left_in_group,
            None => {
                // Nothing more can be read: the rest of the file is lost with this group.
                self.done = true;
                let after: u64 = self.groups.get(self.group..).map_or(0, |g| g.iter().sum());
                left_in_group + after
            }
        };
        self.row += lost;
        let message = match lost {
            0 | 1 => format!("{failure} (row {first} lost)"),
            _ => format!("{failure} (rows {first} to {} lost)", self.row),
        };
        RawItem::from(Item::Rejected(Rejected {
            source: format!("{}:{first}", self.name),
            reason: RejectReason::BadParquet(message),
            bytes: 0,
        }))
    }

    /// Rows from row group [`ParquetRows::group`] on, if there are any and they can be read.
    fn reopen(&self) -> Option<RowIter<'static>> {
        let from = self.group;
        if from >= self.groups.len() {
            return None;
        }
        let file = self.file.as_ref()?.try_clone().ok()?;
        let options = ReadOptionsBuilder::new()
            .with_predicate(Box::new(move |_, index| index >= from))
            .build();
        let reader = guarded(|| SerializedFileReader::new_with_options(file, options)).ok()?;
        Some(RowIter::from_file_into(Box::new(reader)))
    }

    fn item(&self, row: Row) -> RawItem {
        let mut bytes = 0;
        let cells: BTreeMap<String, Cell> = row
            .into_columns()
            .into_iter()
            .map(|(name, field)| {
                let cell = match field {
                    Field::Long(nanos) if self.nanosecond_timestamps.contains(&name) => {
                        timestamp(Some(chrono::DateTime::from_timestamp_nanos(nanos)), nanos)
                    }
                    field => cell(field),
                };
                bytes += match &cell {
                    Cell::Text(text) => text.len() as u64,
                    Cell::Number(_) | Cell::Scalar(_) => SCALAR_BYTES,
                    Cell::Null | Cell::Nested => 0,
                };
                (name, cell)
            })
            .collect();
        item_from_row(
            cells,
            RowOrigin {
                source: format!("{}:{}", self.name, self.row),
                format: Format::Parquet,
                compression: None,
                encoding: Encoding::Utf8,
                replaced_invalid: false,
                options: &self.options,
                bytes,
            },
        )
    }
}

/// A Parquet value as a row cell: numbers written as a JSON reader would show them, dates and
/// timestamps in ISO 8601 (UTC), binary values as text when they are UTF-8.
fn cell(field: Field) -> Cell {
    match field {
        Field::Null => Cell::Null,
        Field::Bool(value) => Cell::Scalar(value.to_string()),
        Field::Byte(value) => Cell::Number(value.to_string()),
        Field::Short(value) => Cell::Number(value.to_string()),
        Field::Int(value) => Cell::Number(value.to_string()),
        Field::Long(value) => Cell::Number(value.to_string()),
        Field::UByte(value) => Cell::Number(value.to_string()),
        Field::UShort(value) => Cell::Number(value.to_string()),
        Field::UInt(value) => Cell::Number(value.to_string()),
        Field::ULong(value) => Cell::Number(value.to_string()),
        Field::Float16(value) => float(f64::from(value.to_f32())),
        Field::Float(value) => float(f64::from(value)),
        Field::Double(value) => float(value),
        decimal @ Field::Decimal(_) => Cell::Number(decimal.to_string()),
        Field::Str(text) => Cell::Text(text),
        // Older writers store strings without the UTF-8 annotation; other bytes are binary.
        Field::Bytes(bytes) => match String::from_utf8(bytes.data().to_vec()) {
            Ok(text) => Cell::Text(text),
            Err(_) => Cell::Nested,
        },
        Field::Date(days) => date(days),
        Field::TimeMillis(millis) => time(i64::from(millis) * 1000),
        Field::TimeMicros(micros) => time(micros),
        Field::TimestampMillis(millis) => {
            timestamp(chrono::DateTime::from_timestamp_millis(millis), millis)
        }
        Field::TimestampMicros(micros) => {
            timestamp(chrono::DateTime::from_timestamp_micros(micros), micros)
        }
        Field::Group(_) | Field::ListInternal(_) | Field::MapInternal(_) => Cell::Nested,
    }
}

/// As serde_json writes a float, so that a value reads the same here as from JSON Lines.
fn float(value: f64) -> Cell {
    match serde_json::Number::from_f64(value) {
        Some(number) => Cell::Number(number.to_string()),
        None => Cell::Scalar(value.to_string()),
    }
}

/// Days since 1970-01-01; a day out of the calendar's range stays a number.
fn date(days: i32) -> Cell {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1);
    let date =
        epoch.and_then(|epoch| epoch.checked_add_signed(chrono::TimeDelta::try_days(days.into())?));
    match date {
        Some(date) => Cell::Scalar(date.format("%Y-%m-%d").to_string()),
        None => Cell::Number(days.to_string()),
    }
}

/// Microseconds since midnight.
fn time(micros: i64) -> Cell {
    let seconds = u32::try_from(micros.div_euclid(1_000_000)).ok();
    let nanos = u32::try_from(micros.rem_euclid(1_000_000) * 1000).ok();
    let time = seconds
        .zip(nanos)
        .and_then(|(s, n)| chrono::NaiveTime::from_num_seconds_from_midnight_opt(s, n));
    match time {
        Some(time) => Cell::Scalar(time.format("%H:%M:%S%.f").to_string()),
        None => Cell::Number(micros.to_string()),
    }
}

fn timestamp(time: Option<chrono::DateTime<chrono::Utc>>, raw: i64) -> Cell {
    match time {
        Some(time) => Cell::Scalar(time.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
        None => Cell::Number(raw.to_string()),
    }
}

#[cfg(test)]
mod tests_support {
    use super::*;
    use parquet::basic::Compression;
    use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;

    const SCHEMA: &str = "message doc {
        optional binary id (STRING);
        optional binary text (STRING);
        optional int64 views;
        optional double score;
        optional int32 day (DATE);
        optional group extra { optional int32 n; }
    }";

    /// One row: id, text, views, score, day, extra.n (`Some(None)` is a null inside a
    /// present group).
    pub type TestRow = (
        Option<&'static str>,
        Option<&'static str>,
        Option<i64>,
        Option<f64>,
        Option<i32>,
        Option<i32>,
    );

    /// Writes `groups` of rows to a Parquet file, one row group each, snappy-compressed with
    /// dictionary-encoded strings as pyarrow writes them.
    pub fn write(path: &std::path::Path, groups: &[Vec<TestRow>]) {
        let schema = Arc::new(parse_message_type(SCHEMA).unwrap());
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build();
        let file = File::create(path).unwrap();
        let mut writer = SerializedFileWriter::new(file, schema, Arc::new(props)).unwrap();
        for rows in groups {
            let mut group = writer.next_row_group().unwrap();
            let mut index = 0;
            while let Some(mut column) = group.next_column().unwrap() {
                let strings = |pick: fn(&TestRow) -> Option<&'static str>| {
                    let values: Vec<ByteArray> =
                        rows.iter().filter_map(pick).map(ByteArray::from).collect();
                    let defs: Vec<i16> =
                        rows.iter().map(|r| i16::from(pick(r).is_some())).collect();
                    (values, defs)
                };
                match index {
                    0 | 1 => {
                        let (values, defs) = strings(if index == 0 { |r| r.0 } else { |r| r.1 });
                        column
                            .typed::<ByteArrayType>()
                            .write_batch(&values, Some(&defs), None)
                            .unwrap();
                    }
                    2 => {
                        let values: Vec<i64> = rows.iter().filter_map(|r| r.2).collect();
                        let defs: Vec<i16> =
                            rows.iter().map(|r| i16::from(r.2.is_some())).collect();
                        column
                            .typed::<Int64Type>()
                            .write_batch(&values, Some(&defs), None)
                            .unwrap();
                    }
                    3 => {
                        let values: Vec<f64> = rows.iter().filter_map(|r| r.3).collect();
                        let defs: Vec<i16> =
                            rows.iter().map(|r| i16::from(r.3.is_some())).collect();
                        column
                            .typed::<DoubleType>()
                            .write_batch(&values, Some(&defs), None)
                            .unwrap();
                    }
                    4 => {
                        let values: Vec<i32> = rows.iter().filter_map(|r| r.4).collect();
                        let defs: Vec<i16> =
                            rows.iter().map(|r| i16::from(r.4.is_some())).collect();
                        column
                            .typed::<Int32Type>()
                            .write_batch(&values, Some(&defs), None)
                            .unwrap();
                    }
                    _ => {
                        // The group is always there; its child is null or not.
                        let values: Vec<i32> = rows.iter().filter_map(|r| r.5).collect();
                        let defs: Vec<i16> = rows
                            .iter()
                            .map(|r| if r.5.is_some() { 2 } else { 1 })
                            .collect();
                        column
                            .typed::<Int32Type>()
                            .write_batch(&values, Some(&defs), None)
                            .unwrap();
                    }
                }
                column.close().unwrap();
                index += 1;
            }
            group.close().unwrap();
        }
        writer.close().unwrap();
    }

    /// A file of two row groups of three rows, as bytes (also written at `path`).
    pub fn sample_file(path: &std::path::Path) -> Vec<u8> {
        let rows = |n: usize| -> Vec<TestRow> {
            (0..n)
                .map(|_| (None, Some("Some story text."), Some(1), None, None, None))
                .collect()
        };
        write(path, &[rows(3), rows(3)]);
        std::fs::read(path).unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::*;
    use super::*;
    use parquet::data_type::{ByteArray, ByteArrayType, Int64Type};
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;

    fn read(path: &std::path::Path, options: IngestOptions) -> Vec<Item> {
        let mut file = File::open(path).unwrap();
        assert!(starts_with_magic(&mut file).unwrap());
        open(file, "x.parquet".into(), &Arc::new(options))
            .map(RawItem::parse)
            .collect()
    }

    #[test]
    fn rows_of_every_row_group_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.parquet");
        write(
            &path,
            &[
                vec![
                    (
                        Some("a"),
                        Some("First story."),
                        Some(3),
                        Some(0.5),
                        Some(19_723),
                        Some(7),
                    ),
                    (Some("b"), None, Some(4), None, None, None),
                ],
                vec![],
                vec![(None, Some("Third story."), None, Some(2.0), None, None)],
            ],
        );
        let items = read(&path, IngestOptions::new());
        let [Item::Document(a), Item::Rejected(b), Item::Document(c)] = &items[..] else {
            panic!("{items:?}")
        };
        assert_eq!((a.id.as_str(), a.source.as_str()), ("a", "x.parquet:1"));
        assert_eq!(a.format, Format::Parquet);
        assert_eq!(a.text, "First story.");
        let metadata: Vec<(&str, &str)> = a
            .metadata
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        // The struct column is not a scalar: left out, as a JSON object is.
        assert_eq!(
            metadata,
            [("day", "2024-01-01"), ("score", "0.5"), ("views", "3")]
        );
        assert_eq!(b.source, "x.parquet:2");
        assert_eq!(b.reason, RejectReason::MissingTextField("text".into()));
        assert_eq!(
            (c.id.as_str(), c.metadata["score"].as_str()),
            ("x.parquet:3", "2.0")
        );
    }

    #[test]
    fn the_document_limit_applies_to_text_values() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.parquet");
        write(
            &path,
            &[vec![
                (
                    Some("a"),
                    Some("A text of thirty bytes or so."),
                    None,
                    None,
                    None,
                    None,
                ),
                (Some("b"), Some("Short."), None, None, None, None),
            ]],
        );
        let items = read(&path, IngestOptions::new().max_document_bytes(10));
        assert!(
            matches!(&items[..], [Item::Rejected(r), Item::Document(d)] if r.reason == RejectReason::TooLarge { limit: 10 } && d.id == "b"),
            "{items:?}"
        );
    }

    #[test]
    fn damage_is_rejected_and_reading_goes_on_where_it_can() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.parquet");
        let rows = |n: usize| -> Vec<TestRow> {
            (0..n)
                .map(|_| (None, Some("Some story text."), Some(1), None, None, None))
                .collect()
        };
        write(&path, &[rows(3), rows(3)]);
        let good = std::fs::read(&path).unwrap();
        assert_eq!(read(&path, IngestOptions::new()).len(), 6);

        // A cut file has no footer: one reject for the file.
        std::fs::write(&path, &good[..good.len() - 20]).unwrap();
        let items = read(&path, IngestOptions::new());
        assert!(
            matches!(&items[..], [Item::Rejected(r)] if r.reason.kind() == "bad_parquet" && r.source == "x.parquet"),
            "{items:?}"
        );

        // Pages overwritten in the first row group: its rows are lost in one reject, the
        // second row group is read.
        let mut damaged = good.clone();
        for byte in &mut damaged[4..40] {
            *byte = 0xEE;
        }
        std::fs::write(&path, &damaged).unwrap();
        let items = read(&path, IngestOptions::new());
        let Item::Rejected(first) = &items[0] else {
            panic!("{items:?}")
        };
        assert_eq!(first.source, "x.parquet:1");
        assert_eq!(first.reason.kind(), "bad_parquet");
        assert!(
            first.reason.to_string().contains("rows 1 to 3 lost"),
            "{}",
            first.reason
        );
        let sources: Vec<&str> = items[1..]
            .iter()
            .map(|item| match item {
                Item::Document(doc) => doc.source.as_str(),
                Item::Rejected(r) => panic!("{r:?}"),
            })
            .collect();
        assert_eq!(sources, ["x.parquet:4", "x.parquet:5", "x.parquet:6"]);
    }

    #[test]
    fn nanosecond_timestamps_are_dates_not_numbers() {
        let schema = "message doc {
            required binary text (STRING);
            required int64 at (TIMESTAMP(NANOS, true));
        }";
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.parquet");
        let schema = Arc::new(parse_message_type(schema).unwrap());
        let file = File::create(&path).unwrap();
        let mut writer = SerializedFileWriter::new(file, schema, Default::default()).unwrap();
        let mut group = writer.next_row_group().unwrap();
        let mut text = group.next_column().unwrap().unwrap();
        text.typed::<ByteArrayType>()
            .write_batch(&[ByteArray::from("A story.")], None, None)
            .unwrap();
        text.close().unwrap();
        let mut at = group.next_column().unwrap().unwrap();
        at.typed::<Int64Type>()
            .write_batch(&[1_704_067_200_000_000_001], None, None)
            .unwrap();
        at.close().unwrap();
        group.close().unwrap();
        writer.close().unwrap();
        let items = read(&path, IngestOptions::new());
        let [Item::Document(doc)] = &items[..] else {
            panic!("{items:?}")
        };
        assert_eq!(doc.metadata["at"], "2024-01-01T00:00:00.000000001Z");
    }

    #[test]
    fn values_read_as_json_shows_them() {
        assert_eq!(float(3.0), Cell::Number("3.0".into()));
        assert_eq!(float(1e300), Cell::Number("1e+300".into()));
        assert_eq!(float(f64::NAN), Cell::Scalar("NaN".into()));
        assert_eq!(date(i32::MAX), Cell::Number(i32::MAX.to_string()));
        assert_eq!(time(3_723_000_500), Cell::Scalar("01:02:03.000500".into()));
        assert_eq!(
            cell(Field::TimestampMillis(1_704_067_200_123)),
            Cell::Scalar("2024-01-01T00:00:00.123Z".into())
        );
        assert_eq!(
            cell(Field::TimestampMicros(i64::MAX)),
            Cell::Number(i64::MAX.to_string())
        );
    }
}

#[cfg(test)]
mod never_panics {
    use super::tests_support::*;
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Bytes of a valid file overwritten anywhere: every row is a document or in a reject,
        /// and no failure of the reader escapes.
        #[test]
        fn on_damaged_files(changes in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("x.parquet");
            let mut bytes = sample_file(&path);
            for (at, byte) in changes {
                let at = at.index(bytes.len());
                bytes[at] = byte;
            }
            std::fs::write(&path, &bytes).unwrap();
            let file = File::open(&path).unwrap();
            let items: Vec<Item> = open(file, "x.parquet".into(), &Arc::new(IngestOptions::new()))
                .map(RawItem::parse)
                .collect();
            prop_assert!(!items.is_empty());
        }
    }
}
