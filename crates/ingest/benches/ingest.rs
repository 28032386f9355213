//! Reading a JSON Lines dump from memory: decoding, parsing, field mapping; and reading a
//! `.warc.gz` of the same articles as made-up HTML pages, up to the page items (the extraction,
//! which `RawItem::parse` runs on the workers, left out); and the same articles as CSV and as a
//! Parquet file (snappy, row groups of 1,000 rows), throughput counted in the bytes of the JSON
//! Lines dump so that the three read the same.

#[path = "../../../benches/articles.rs"]
mod articles;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::io::Write;

use docpipe_ingest::{Ingest, IngestOptions};

fn bench(c: &mut Criterion) {
    let (sample, _, _) = articles::sample();
    let dump: String = sample
        .iter()
        .enumerate()
        .map(|(i, text)| {
            format!(
                "{}\n",
                serde_json::json!({"id": i, "text": text, "date": "2024-03-18"})
            )
        })
        .collect();
    let mut group = c.benchmark_group("ingest");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(dump.len() as u64));
    group.bench_function("jsonl/sample", |b| {
        b.iter(|| {
            Ingest::from_reader(
                "dump.jsonl",
                std::io::Cursor::new(dump.clone().into_bytes()),
                IngestOptions::new(),
            )
            .count()
        })
    });
    let csv = csv_dump(&sample);
    group.bench_function("csv/sample", |b| {
        b.iter(|| {
            Ingest::from_reader(
                "dump.csv",
                std::io::Cursor::new(csv.clone()),
                IngestOptions::new(),
            )
            .count()
        })
    });
    let dir = tempfile::tempdir().expect("a temporary folder");
    let parquet = dir.path().join("dump.parquet");
    write_parquet(&parquet, &sample);
    group.bench_function("parquet/sample", |b| {
        b.iter(|| {
            Ingest::new(std::slice::from_ref(&parquet), IngestOptions::new())
                .expect("the file is there")
                .count()
        })
    });
    let warc = warc_gz(&sample);
    group.throughput(Throughput::Bytes(warc.len() as u64));
    group.bench_function("warc.gz/sample/read", |b| {
        b.iter(|| {
            let mut ingest = Ingest::from_reader(
                "crawl.warc.gz",
                std::io::Cursor::new(warc.clone()),
                IngestOptions::new(),
            );
            let mut pages = 0;
            while ingest.next_raw().is_some() {
                pages += 1;
            }
            pages
        })
    });
    group.finish();
}

/// The articles as CSV, every text quoted.
fn csv_dump(texts: &[String]) -> Vec<u8> {
    let mut csv = String::from("id,text,date\n");
    for (i, text) in texts.iter().enumerate() {
        csv.push_str(&format!(
            "{i},\"{}\",2024-03-18\n",
            text.replace('"', "\"\"")
        ));
    }
    csv.into_bytes()
}

/// Rows in a Parquet row group, as writers commonly cut them for text (pyarrow's default is
/// far larger; smaller groups only add footer entries).
const PARQUET_GROUP_ROWS: usize = 1000;

/// The articles as a Parquet file: id, text, date.
fn write_parquet(path: &std::path::Path, texts: &[String]) {
    use parquet::basic::Compression;
    use parquet::data_type::{ByteArray, ByteArrayType, Int64Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use std::sync::Arc;

    let schema = parquet::schema::parser::parse_message_type(
        "message doc { required int64 id; required binary text (STRING); required binary date (STRING); }",
    )
    .expect("a valid schema");
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build();
    let file = std::fs::File::create(path).expect("a writable temporary file");
    let mut writer = SerializedFileWriter::new(file, Arc::new(schema), Arc::new(props))
        .expect("a Parquet writer");
    for (group, chunk) in texts.chunks(PARQUET_GROUP_ROWS).enumerate() {
        let mut row_group = writer.next_row_group().expect("a row group");
        let ids: Vec<i64> = (0..chunk.len())
            .map(|i| (group * PARQUET_GROUP_ROWS + i) as i64)
            .collect();
        let texts: Vec<ByteArray> = chunk.iter().map(|t| ByteArray::from(t.as_str())).collect();
        let dates = vec![ByteArray::from("2024-03-18"); chunk.len()];
        let mut column = row_group.next_column().expect("ok").expect("id");
        column
            .typed::<Int64Type>()
            .write_batch(&ids, None, None)
            .expect("ids");
        column.close().expect("ok");
        for values in [&texts, &dates] {
            let mut column = row_group.next_column().expect("ok").expect("a column");
            column
                .typed::<ByteArrayType>()
                .write_batch(values, None, None)
                .expect("strings");
            column.close().expect("ok");
        }
        row_group.close().expect("ok");
    }
    writer.close().expect("a whole file");
}

/// Each article as an HTML page in a response record, behind a request record, each record
/// its own gzip member, as crawlers write them.
fn warc_gz(texts: &[String]) -> Vec<u8> {
    let mut file = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        let paragraphs: String = text
            .split("\n\n")
            .map(|p| format!("<p>{p}</p>\n"))
            .collect();
        let page = format!(
            "<!DOCTYPE html><html><head><title>Story {i}</title></head><body><nav>Home</nav>\
             <article>{paragraphs}</article></body></html>"
        );
        let http = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{page}",
            page.len()
        );
        for (kind, block) in [
            ("request", "GET / HTTP/1.1\r\n\r\n".to_string()),
            ("response", http),
        ] {
            let record = format!(
                "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{kind}-{i}>\r\n\
                 WARC-Target-URI: https://example.com/{i}\r\nContent-Length: {}\r\n\r\n{block}\r\n\r\n",
                block.len()
            );
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            encoder
                .write_all(record.as_bytes())
                .expect("writing to a Vec");
            file.extend(encoder.finish().expect("writing to a Vec"));
        }
    }
    file
}

criterion_group!(benches, bench);
criterion_main!(benches);
