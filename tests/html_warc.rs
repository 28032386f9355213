//! End-to-end checks of HTML and WARC input on the real binary: damaged pages and records are
//! rejected or skipped with a reason and counted, the rest kept; a WARC gives the same records
//! as its pages read as files. tests/warc_memory.rs checks that a large WARC is streamed.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::warc::{gzip, record, response};
use common::{assert_counts_add_up, read_json, read_jsonl, run_quiet};
use serde_json::Value;

fn article(headline: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><title>{headline}</title></head><body>\
         <article><h1>{headline}</h1><p>{}</p></article></body></html>",
        common::PROSE
    )
}

/// Replaces the number after `Content-Length: ` in the WARC header by `length`.
fn with_content_length(record: &[u8], length: usize) -> Vec<u8> {
    let text = String::from_utf8_lossy(record).into_owned();
    // The WARC header's Content-Length is the last header line before the block.
    let head_end = text.find("\r\n\r\n").unwrap();
    let at = text[..head_end].rfind("Content-Length: ").unwrap() + 16;
    format!("{}{length}{}", &text[..at], &text[head_end..]).into_bytes()
}

/// The rejects file, as `(kind, source)` pairs.
fn rejects(out: &Path) -> Vec<(String, String)> {
    let path = out.with_extension("rejects.jsonl");
    read_jsonl(&path)
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().unwrap().to_string(),
                r["source"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn stats(out: &Path) -> Value {
    read_json(&out.with_extension("stats.json"))
}

fn ids(out: &Path) -> Vec<String> {
    read_jsonl(out)
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn bad_pages_are_rejected_with_a_reason_and_the_rest_kept() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    fs::create_dir(&pages).unwrap();
    let deep = format!(
        "<html><body>{}deep text{}",
        "<div>".repeat(100_000),
        "</div>".repeat(10)
    );
    let files: [(&str, Vec<u8>); 8] = [
        ("a-good.html", article("Good").into_bytes()),
        (
            "b-malformed.html",
            b"<html><body><p>Unclosed <b>bold <i>text</p></div>& more".to_vec(),
        ),
        ("c-truncated.html.gz", {
            let page = gzip(article("Cut").as_bytes());
            page[..page.len() - 10].to_vec()
        }),
        ("d-deep.html", deep.into_bytes()),
        (
            "e-large.html",
            format!(
                "<html><body><p>{}</p></body></html>",
                "big ".repeat(200_000)
            )
            .into_bytes(),
        ),
        (
            "f-empty.html",
            b"<!DOCTYPE html><html><head></head><body>  \n </body></html>".to_vec(),
        ),
        (
            "g-binary.html",
            b"<html>\x00\x01\x02\x89PNG\x00\x00</html>".to_vec(),
        ),
        ("h-zero.html", Vec::new()),
    ];
    for (name, bytes) in &files {
        fs::write(pages.join(name), bytes).unwrap();
    }
    let out = dir.path().join("out.jsonl");
    run_quiet(
        &pages,
        &out,
        &["--max-document-bytes", "600000"],
        dir.path(),
    );
    let written = ids(&out);
    assert!(written.contains(&"a-good".to_string()), "{written:?}");
    assert!(written.contains(&"b-malformed".to_string()), "{written:?}");
    assert!(
        written.contains(&"d-deep".to_string()),
        "{written:?} {:?}",
        rejects(&out)
    );
    let rejected: BTreeMap<String, String> = rejects(&out)
        .into_iter()
        .map(|(kind, source)| {
            let name = Path::new(&source)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (name, kind)
        })
        .collect();
    let expected = [
        ("c-truncated.html.gz", "corrupt_stream"),
        ("e-large.html", "too_large"),
        ("f-empty.html", "no_main_text"),
        ("g-binary.html", "binary"),
        ("h-zero.html", "empty"),
    ];
    for (name, kind) in expected {
        assert_eq!(
            rejected.get(name).map(String::as_str),
            Some(kind),
            "{name}: {rejected:?}"
        );
    }
    let stats = stats(&out);
    assert_counts_add_up(&stats);
    assert_eq!(stats["read"], files.len());
    assert_eq!(
        stats["written"].as_u64().unwrap() + stats["rejected"].as_u64().unwrap(),
        8
    );
    let good = &read_jsonl(&out)[0];
    assert_eq!(good["schema"], 2);
    assert!(good["text"].as_str().unwrap().contains("The council met"));
    for field in ["url", "canonical_url", "warc_record_id", "site"] {
        assert!(
            good.get(field).is_some_and(Value::is_null),
            "{field}: {good}"
        );
    }
    assert_eq!(good["authors"], serde_json::json!([]));
}

/// Needs the real extractor (crates/extract), which replaces the skeleton at merge: the
/// skeleton keeps the text of scripts, so a script-only page still has "text", and it reads no
/// metadata.
#[test]
fn script_only_pages_have_no_main_text_and_titles_come_from_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    fs::create_dir(&pages).unwrap();
    let script = pages.join("script.html");
    fs::write(
        &script,
        "<html><head><script>var x = 1; document.write('hi');</script></head><body>\
         <script>track();</script></body></html>",
    )
    .unwrap();
    fs::write(pages.join("story.html"), article("Good")).unwrap();
    let out = dir.path().join("out.jsonl");
    run_quiet(&pages, &out, &[], dir.path());
    assert_eq!(
        rejects(&out),
        [("no_main_text".to_string(), script.display().to_string())]
    );
    assert_eq!(read_jsonl(&out)[0]["title"], "Good");
}

#[test]
fn damaged_warc_records_lose_only_themselves_and_every_record_is_counted() {
    let dir = tempfile::tempdir().unwrap();
    let good = |id: &str| response(id, "text/html; charset=utf-8", article(id).as_bytes());
    let lying_long = {
        let record = good("long");
        let length = record.len() + 500;
        with_content_length(&record, length)
    };
    let lying_short = with_content_length(&good("short"), 30);
    let truncated = {
        let record = good("trunc");
        let text = String::from_utf8_lossy(&record).replacen(
            "WARC-Date:",
            "WARC-Truncated: length\r\nWARC-Date:",
            1,
        );
        text.into_bytes()
    };
    let binary = response(
        "bin",
        "text/html",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
    );
    let members: Vec<(Vec<u8>, &str)> = vec![
        (
            record("warcinfo", "info", "", b"software: test\r\n"),
            "skip",
        ),
        (
            record("request", "req", "", b"GET / HTTP/1.1\r\n\r\n"),
            "skip",
        ),
        (good("p1"), "p1"),
        (lying_long, "bad_record"),
        (good("p2"), "p2"),
        (lying_short, "bad_record"),
        (truncated, "truncated_record"),
        (binary, "binary"),
        (response("img", "image/png", b"\x89PNG"), "skip"),
        (good("p3"), "p3"),
    ];
    let mut file = Vec::new();
    let mut offsets = Vec::new();
    for (record, _) in &members {
        offsets.push(file.len());
        file.extend_from_slice(&gzip(record));
    }
    // A member cut short (its second half lost), then garbage, between p3 and p4.
    let cut_at = file.len();
    let cut = gzip(&good("lost"));
    file.extend_from_slice(&cut[..cut.len() / 2]);
    let p4_at = file.len();
    file.extend_from_slice(&gzip(&good("p4")));
    let garbage_at = file.len();
    file.extend_from_slice(b"\x1f\x8b not a member, just garbage between members");
    let p5_at = file.len();
    file.extend_from_slice(&gzip(&good("p5")));
    let input = dir.path().join("crawl.warc.gz");
    fs::write(&input, &file).unwrap();
    let out = dir.path().join("out.jsonl");
    run_quiet(&input, &out, &["--stats"], dir.path());

    assert_eq!(ids(&out), ["p1", "p2", "p3", "p4", "p5"]);
    let records = read_jsonl(&out);
    let at = |offset: usize| format!("{}@{offset}", input.display());
    assert_eq!(records[3]["source"], at(p4_at));
    assert_eq!(records[4]["source"], at(p5_at));
    assert_eq!(records[0]["warc_record_id"], "<urn:uuid:p1>");
    assert_eq!(records[0]["url"], "https://news.example.com/p1");
    let mut expected: Vec<(String, String)> = members
        .iter()
        .zip(&offsets)
        .filter(|((_, what), _)| !what.starts_with('p') && *what != "skip")
        .map(|((_, what), offset)| (what.to_string(), at(*offset)))
        .collect();
    expected.push(("corrupt_stream".into(), at(cut_at)));
    expected.push(("corrupt_stream".into(), at(garbage_at)));
    assert_eq!(rejects(&out), expected);
    let stats = stats(&out);
    assert_counts_add_up(&stats);
    assert_eq!(
        stats["skipped_records"],
        serde_json::json!({"not_html": 1, "request": 1, "warcinfo": 1})
    );
    // Every record built is a document, a reject or a skip; the cut member and the garbage
    // are one reject each.
    let built = members.len() as u64 + 4;
    let by_kind: u64 = stats["skipped_records"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(stats["skipped_records_total"], by_kind);
    assert_eq!(stats["read"].as_u64().unwrap() + by_kind, built);
}

#[test]
fn json_lines_can_hold_pages() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("pages.jsonl");
    let lines = [
        serde_json::json!({"id": "j1", "url": "https://example.org/j1", "html": article("Jay")}),
        serde_json::json!({"id": "j2", "html": "<html><body></body></html>"}),
        serde_json::json!({"id": "j3", "text": "no html field"}),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    fs::write(&input, text).unwrap();
    let out = dir.path().join("out.jsonl");
    run_quiet(&input, &out, &["--html-field", "html"], dir.path());
    let records = read_jsonl(&out);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["id"], "j1");
    assert_eq!(records[0]["url"], "https://example.org/j1");
    assert!(records[0]["text"]
        .as_str()
        .unwrap()
        .contains("The council met"));
    let kinds: Vec<String> = rejects(&out).into_iter().map(|(kind, _)| kind).collect();
    assert_eq!(kinds, ["no_main_text", "missing_text_field"]);
}

/// The WARC of the shared HTML dev set and the same pages as files give the same records but
/// for where they came from (id, source, url, canonical_url, warc_record_id) and for what only
/// the URL can tell, which the files do not have: a date read from the URL's path (and the
/// dates of the text, resolved against it), a site name read from the host. Other differences
/// fail the test, listed by field and page. Reads ../shared/eval/html (evaluation data, never copied into the
/// repository: the pages needed are copied into a temporary folder); skipped without it.
#[test]
fn a_warc_and_its_pages_as_files_give_the_same_records() {
    let Some(shared) = common::shared_dir() else {
        eprintln!("note: ../shared is absent; the WARC-versus-files comparison is skipped");
        return;
    };
    let html = shared.join("eval/html");
    let index = html.join("dev.warc.jsonl");
    if !index.is_file() {
        eprintln!("note: {} is absent; comparison skipped", index.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    fs::create_dir(&pages).unwrap();
    // WARC-Record-ID to page id, and the record's offset to page id.
    let mut page_of = BTreeMap::new();
    let mut page_at = BTreeMap::new();
    for entry in read_jsonl(&index) {
        let id = entry["id"].as_str().unwrap().to_string();
        let name = format!("{id}.html.gz");
        fs::copy(html.join("pages").join(&name), pages.join(&name)).unwrap();
        page_at.insert(entry["offset"].as_u64().unwrap(), id.clone());
        page_of.insert(entry["WARC-Record-ID"].as_str().unwrap().to_string(), id);
    }
    let from_warc = dir.path().join("warc.jsonl");
    let from_files = dir.path().join("files.jsonl");
    run_quiet(&html.join("dev.warc.gz"), &from_warc, &[], dir.path());
    run_quiet(&pages, &from_files, &[], dir.path());
    let warc_records = read_jsonl(&from_warc);
    let file_records = read_jsonl(&from_files);
    // A page the extractor finds no main text in is rejected either way, the same pages.
    let warc_rejected: Vec<String> = rejects(&from_warc)
        .into_iter()
        .map(|(_, source)| {
            let offset: u64 = source.rsplit('@').next().unwrap().parse().unwrap();
            page_at[&offset].clone()
        })
        .collect();
    let file_rejected: Vec<String> = rejects(&from_files)
        .into_iter()
        .map(|(_, source)| {
            let name = Path::new(&source).file_name().unwrap().to_str().unwrap();
            name.trim_end_matches(".html.gz").to_string()
        })
        .collect();
    assert_eq!(warc_rejected, file_rejected);
    assert_eq!(warc_records.len() + warc_rejected.len(), page_of.len());
    assert_eq!(file_records.len(), warc_records.len());
    let warc_stats = stats(&from_warc);
    assert_eq!(warc_stats["rejected"], warc_rejected.len());
    let skipped: u64 = warc_stats["skipped_records"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(warc_stats["skipped_records_total"], skipped);
    // The README of the set: 519 records, 253 of them article responses.
    assert_eq!(warc_stats["read"].as_u64().unwrap() + skipped, 519);

    // Record ids of the WARC as the page ids, for the dedup fields that name other records.
    let uuid_to_page: BTreeMap<String, String> = page_of
        .iter()
        .map(|(record_id, page)| {
            let uuid = record_id
                .trim_start_matches("<urn:uuid:")
                .trim_end_matches('>');
            (uuid.to_string(), page.clone())
        })
        .collect();
    let mut by_page: BTreeMap<String, Value> = BTreeMap::new();
    for mut record in warc_records {
        let record_id = record["warc_record_id"].as_str().unwrap().to_string();
        let page = page_of[&record_id].clone();
        let uuid = record_id
            .trim_start_matches("<urn:uuid:")
            .trim_end_matches('>');
        assert_eq!(record["id"], uuid);
        if let Some(dedup) = record.get_mut("dedup").and_then(Value::as_object_mut) {
            for key in ["duplicate_of", "cluster"] {
                if let Some(uuid) = dedup.get(key).and_then(Value::as_str) {
                    let mapped = uuid_to_page
                        .get(uuid)
                        .cloned()
                        .unwrap_or_else(|| uuid.to_string());
                    dedup.insert(key.to_string(), Value::String(mapped));
                }
            }
        }
        // A story is named after its first article, by id.
        if let Some(uuid) = record.get("story").and_then(Value::as_str) {
            let mapped = uuid_to_page
                .get(uuid)
                .cloned()
                .unwrap_or_else(|| uuid.to_string());
            record["story"] = Value::String(mapped);
        }
        by_page.insert(page, record);
    }
    let provenance = ["id", "source", "url", "canonical_url", "warc_record_id"];
    let mut differing: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let (mut url_dated, mut url_site) = (0, 0);
    for mut file_record in file_records {
        let page = file_record["id"].as_str().unwrap().to_string();
        let mut warc_record = by_page
            .remove(&page)
            .unwrap_or_else(|| panic!("{page} not in the WARC"));
        // A file's only URL is the one the page gives itself.
        assert_eq!(file_record["url"], file_record["canonical_url"]);
        assert!(file_record["warc_record_id"].is_null());
        for field in provenance {
            warc_record.as_object_mut().unwrap().remove(field);
            file_record.as_object_mut().unwrap().remove(field);
        }
        // A date read from the URL's path needs the URL, which only the WARC has; the dates
        // of the text are resolved against it.
        if warc_record["published"]["found_in"] == "url"
            && file_record["published"] != warc_record["published"]
        {
            url_dated += 1;
            for field in ["published", "dates"] {
                warc_record.as_object_mut().unwrap().remove(field);
                file_record.as_object_mut().unwrap().remove(field);
            }
        }
        // A site name the page does not give may be read from the URL's host.
        if file_record["site"].is_null() && !warc_record["site"].is_null() {
            url_site += 1;
            warc_record.as_object_mut().unwrap().remove("site");
            file_record.as_object_mut().unwrap().remove("site");
        }
        for (field, value) in file_record.as_object().unwrap() {
            if warc_record.get(field) != Some(value) {
                differing
                    .entry(field.clone())
                    .or_default()
                    .push(page.clone());
            }
        }
    }
    eprintln!(
        "{url_dated} pages dated from their URL and {url_site} named after their host, in the \
         WARC only"
    );
    assert!(
        differing.is_empty(),
        "fields that differ, by page: {differing:?}"
    );
}

/// A cluster job pipes a WARC from a record's offset through standard input: with
/// `--stdin-name` and `--stdin-first-offset`, its records come out as from the whole file.
#[test]
fn a_warc_piped_from_an_offset_keeps_the_offsets_of_the_whole_file() {
    let dir = tempfile::tempdir().unwrap();
    let records: Vec<Vec<u8>> = ["a", "b", "c"]
        .iter()
        .map(|id| response(id, "text/html", article(id).as_bytes()))
        .collect();
    let mut file = Vec::new();
    let mut offsets = Vec::new();
    for record in &records {
        offsets.push(file.len());
        file.extend_from_slice(&gzip(record));
    }
    let whole = dir.path().join("crawl.warc.gz");
    fs::write(&whole, &file).unwrap();
    let all = dir.path().join("all.jsonl");
    run_quiet(&whole, &all, &[], dir.path());
    let part_input = dir.path().join("part.bin");
    fs::write(&part_input, &file[offsets[1]..]).unwrap();
    let part = dir.path().join("part.jsonl");
    let offset = offsets[1].to_string();
    let output = common::docpipe()
        .args(["run", "-", "-o"])
        .arg(&part)
        .args([
            "--stdin-name",
            whole.to_str().unwrap(),
            "--stdin-first-offset",
            &offset,
            "-q",
        ])
        .stdin(fs::File::open(&part_input).unwrap())
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let sources = |path: &Path| -> Vec<Value> {
        read_jsonl(path)
            .iter()
            .map(|r| r["source"].clone())
            .collect()
    };
    assert_eq!(sources(&part), sources(&all)[1..]);
    assert_eq!(
        sources(&part)[0],
        format!("{}@{}", whole.display(), offsets[1])
    );
}
