//! End-to-end: CSV, TSV and Parquet inputs through the real binary. Every row ends up in the
//! output or in the rejects file with its line or row number, and the counts add up; a
//! Parquet file gives the records the same data gives as JSON Lines.

mod common;

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use common::{assert_counts_add_up, docpipe, read_json, read_jsonl, run_quiet, PROSE};
use serde_json::{json, Value};

/// Only the stages that keep every document and are quick: these tests are about reading.
const STAGES: &[&str] = &["--stages", "normalize,lang"];

struct Run {
    records: Vec<Value>,
    rejects: Vec<Value>,
}

/// Runs `docpipe run input` into `dir/NAME.jsonl` and checks the counts.
fn run(input: &Path, dir: &Path, name: &str, extra: &[&str]) -> Run {
    let out = dir.join(format!("{name}.jsonl"));
    let mut args = STAGES.to_vec();
    args.extend_from_slice(extra);
    run_quiet(input, &out, &args, dir);
    let records = read_jsonl(&out);
    let rejects = read_jsonl(&dir.join(format!("{name}.rejects.jsonl")));
    let stats = read_json(&dir.join(format!("{name}.stats.json")));
    assert_counts_add_up(&stats);
    assert_eq!(stats["written"].as_u64(), Some(records.len() as u64));
    assert_eq!(stats["rejected"].as_u64(), Some(rejects.len() as u64));
    Run { records, rejects }
}

fn field<'a>(values: &'a [Value], key: &str) -> Vec<&'a str> {
    values.iter().map(|v| v[key].as_str().unwrap()).collect()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// A story per row, each different so that none is a duplicate of another.
fn story(i: usize) -> String {
    format!("Story {i}. {PROSE}")
}

#[test]
fn csv_with_quoted_newlines_a_bom_and_a_bad_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = "\u{feff}id,title,text,section\n".to_string();
    csv.push_str(&format!(
        "a1,Budget,\"{}\nA second paragraph.\",news\n",
        story(1)
    ));
    csv.push_str(&format!("a2,\"Rates, again\",\"{}\",\n", story(2)));
    // Line 5: one field too many.
    csv.push_str(&format!("a3,Extra,{},news,oops\n", story(3)));
    csv.push_str(&format!(",Untitled,\"{}\",sport\n", story(4)));
    let mut bytes = csv.into_bytes();
    // Line 7: a byte that is not UTF-8 among valid UTF-8 text: replaced, not rejected.
    bytes.extend_from_slice(format!("a5,Caf\u{e9},\"{} \u{e9}t\u{e9} ", story(5)).as_bytes());
    bytes.push(0xFF);
    bytes.extend_from_slice(b"\",news\n");
    let input = dir.path().join("dump.csv");
    std::fs::write(&input, &bytes).unwrap();

    let Run { records, rejects } = run(&input, dir.path(), "csv", &[]);
    let no_id = format!("{}:6", input.display());
    assert_eq!(field(&records, "id"), ["a1", "a2", &no_id, "a5"]);
    let sources: Vec<String> = field(&records, "source")
        .iter()
        .map(|s| {
            Path::new(s)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(
        sources,
        ["dump.csv:2", "dump.csv:4", "dump.csv:6", "dump.csv:7"]
    );
    assert!(records[0]["text"]
        .as_str()
        .unwrap()
        .ends_with("A second paragraph."));
    assert_eq!(records[1]["title"], "Rates, again");
    assert_eq!(records[0]["metadata"], json!({"section": "news"}));
    assert_eq!(
        records[1]["metadata"],
        json!({}),
        "an empty cell is no value"
    );
    assert_eq!(records[3]["replaced_invalid"], true);

    let [reject] = &rejects[..] else {
        panic!("{rejects:?}")
    };
    assert_eq!(reject["kind"], "bad_row");
    assert!(
        reject["source"].as_str().unwrap().ends_with("dump.csv:5"),
        "{reject}"
    );
    assert!(reject["reason"]
        .as_str()
        .unwrap()
        .contains("5 fields where the header has 4"));
}

#[test]
fn tsv_and_gzipped_csv() {
    let dir = tempfile::tempdir().unwrap();
    let tsv = dir.path().join("dump.tsv");
    let rows: String = (1..=3).map(|i| format!("t{i}\t{}\n", story(i))).collect();
    std::fs::write(&tsv, format!("url\tbody\n{rows}")).unwrap();
    let Run { records, rejects } = run(
        &tsv,
        dir.path(),
        "tsv",
        &["--id-field", "url", "--text-field", "body"],
    );
    assert!(rejects.is_empty(), "{rejects:?}");
    assert_eq!(field(&records, "id"), ["t1", "t2", "t3"]);
    assert_eq!(records[2]["text"], story(3));

    let gz = dir.path().join("dump.csv.gz");
    let rows: String = (1..=3)
        .map(|i| format!("g{i},\"{}\"\n", story(i)))
        .collect();
    std::fs::write(&gz, gzip(format!("id,text\n{rows}").as_bytes())).unwrap();
    let Run { records, rejects } = run(&gz, dir.path(), "gz", &[]);
    assert!(rejects.is_empty(), "{rejects:?}");
    assert_eq!(field(&records, "id"), ["g1", "g2", "g3"]);
    assert!(field(&records, "source")[1].ends_with("dump.csv.gz:3"));
}

/// The test rows: id, title, text, views, score.
type Row = (
    Option<&'static str>,
    Option<&'static str>,
    Option<String>,
    Option<i64>,
    Option<f64>,
);

fn rows() -> Vec<Row> {
    (1..=7)
        .map(|i| {
            let id = [
                Some("p1"),
                None,
                Some("p3"),
                Some("p4"),
                Some("p5"),
                None,
                Some("p7"),
            ][i - 1];
            let title = (i % 2 == 1).then_some("A headline");
            // Row 5 has no text: rejected alone.
            let text = (i != 5).then(|| story(i));
            let views = (i != 3).then_some(i as i64 * 100);
            let score = (i % 3 != 0).then_some(i as f64 / 2.0);
            (id, title, text, views, score)
        })
        .collect()
}

/// The rows as JSON Lines: nulls where Parquet has them, except that a row without text has no
/// text field (a null text in JSON is a text that is not a string; in Parquet, no text).
fn as_json_lines(rows: &[Row]) -> String {
    rows.iter()
        .map(|(id, title, text, views, score)| {
            let mut object = json!({"id": id, "title": title, "views": views, "score": score});
            if let Some(text) = text {
                object["text"] = json!(text);
            }
            format!("{object}\n")
        })
        .collect()
}

/// The rows as a Parquet file in row groups of `group` rows, snappy-compressed, strings
/// dictionary-encoded (the writer's default), as pyarrow writes them.
fn write_parquet(path: &Path, rows: &[Row], group: usize) {
    use parquet::basic::Compression;
    use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;

    let schema = parse_message_type(
        "message doc {
            optional binary id (STRING);
            optional binary title (STRING);
            optional binary text (STRING);
            optional int64 views;
            optional double score;
        }",
    )
    .unwrap();
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build();
    let file = std::fs::File::create(path).unwrap();
    let mut writer = SerializedFileWriter::new(file, Arc::new(schema), Arc::new(props)).unwrap();
    for chunk in rows.chunks(group) {
        let mut row_group = writer.next_row_group().unwrap();
        let mut index = 0;
        while let Some(mut column) = row_group.next_column().unwrap() {
            let defs = |present: &dyn Fn(&Row) -> bool| -> Vec<i16> {
                chunk.iter().map(|row| i16::from(present(row))).collect()
            };
            match index {
                0..=2 => {
                    let pick = |row: &Row| -> Option<String> {
                        match index {
                            0 => row.0.map(str::to_string),
                            1 => row.1.map(str::to_string),
                            _ => row.2.clone(),
                        }
                    };
                    let values: Vec<ByteArray> = chunk
                        .iter()
                        .filter_map(pick)
                        .map(|s| ByteArray::from(s.as_str()))
                        .collect();
                    let defs = defs(&|row| pick(row).is_some());
                    column
                        .typed::<ByteArrayType>()
                        .write_batch(&values, Some(&defs), None)
                        .unwrap();
                }
                3 => {
                    let values: Vec<i64> = chunk.iter().filter_map(|row| row.3).collect();
                    let defs = defs(&|row| row.3.is_some());
                    column
                        .typed::<Int64Type>()
                        .write_batch(&values, Some(&defs), None)
                        .unwrap();
                }
                _ => {
                    let values: Vec<f64> = chunk.iter().filter_map(|row| row.4).collect();
                    let defs = defs(&|row| row.4.is_some());
                    column
                        .typed::<DoubleType>()
                        .write_batch(&values, Some(&defs), None)
                        .unwrap();
                }
            }
            column.close().unwrap();
            index += 1;
        }
        row_group.close().unwrap();
    }
    writer.close().unwrap();
}

/// What a record says that does not depend on the file's name.
fn content(record: &Value) -> Value {
    json!([record["text"], record["title"], record["metadata"]])
}

#[test]
fn parquet_rows_give_the_records_of_the_same_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let rows = rows();
    let parquet = dir.path().join("dump.parquet");
    write_parquet(&parquet, &rows, 3);
    let jsonl = dir.path().join("dump.jsonl");
    std::fs::write(&jsonl, as_json_lines(&rows)).unwrap();

    let from_parquet = run(&parquet, dir.path(), "from_parquet", &[]);
    let from_jsonl = run(&jsonl, dir.path(), "from_jsonl", &[]);
    assert_eq!(from_parquet.records.len(), 6);
    assert_eq!(from_parquet.records.len(), from_jsonl.records.len());
    for (p, j) in from_parquet.records.iter().zip(&from_jsonl.records) {
        assert_eq!(content(p), content(j));
        // Without an id field both ids are `path:N`, with the same N.
        let (pid, jid) = (p["id"].as_str().unwrap(), j["id"].as_str().unwrap());
        match jid.strip_prefix(jsonl.to_str().unwrap()) {
            Some(line) => assert_eq!(pid, format!("{}{line}", parquet.display())),
            None => assert_eq!(pid, jid),
        }
    }
    assert_eq!(
        from_parquet.records[1]["metadata"],
        json!({"views": "200", "score": "1.0"})
    );
    // Row 5, without text, is rejected alone, with its row number, as its JSON line is.
    let [p, j] =
        [&from_parquet.rejects[..], &from_jsonl.rejects[..]].map(|rejects| match rejects {
            [reject] => reject.clone(),
            _ => panic!("{rejects:?}"),
        });
    assert_eq!(p["kind"], j["kind"]);
    assert_eq!(p["kind"], "missing_text_field");
    assert!(
        p["source"].as_str().unwrap().ends_with("dump.parquet:5"),
        "{p}"
    );
}

#[test]
fn parquet_on_standard_input_is_rejected_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let parquet = dir.path().join("dump.parquet");
    write_parquet(&parquet, &rows(), 4);
    let out = dir.path().join("stdin.jsonl");
    let output = docpipe()
        .args([
            "run",
            "-",
            "--stdin-name",
            "dump.parquet",
            "-o",
            out.to_str().unwrap(),
            "-q",
        ])
        .args(STAGES)
        .stdin(std::fs::File::open(&parquet).unwrap())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rejects = read_jsonl(&dir.path().join("stdin.rejects.jsonl"));
    let [reject] = &rejects[..] else {
        panic!("{rejects:?}")
    };
    assert_eq!(reject["kind"], "not_seekable");
    assert_eq!(reject["source"], "dump.parquet");
    assert_counts_add_up(&read_json(&dir.path().join("stdin.stats.json")));
}
