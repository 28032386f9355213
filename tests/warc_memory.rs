//! A large WARC is read in bounded memory: its records are streamed, never held whole. In a
//! test binary of its own, so that the peak of its child is not that of another test's.

mod common;

use std::fs;
use std::io::Write;

use common::warc::{gzip, record, response};
use common::{read_json, run_quiet};

/// The largest peak resident set of any child process waited for so far, in bytes (see
/// tests/robustness.rs: the maximum over every child, which only makes the figure larger).
fn children_peak_bytes() -> u64 {
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .expect("getrusage");
    u64::try_from(usage.max_rss()).expect("a positive peak") * 1024
}

/// Decompressed size of the generated WARC: several times the memory bound, so a reader that
/// held the file (or its decompressed records) whole would break it.
const LARGE_WARC_BYTES: usize = 384 << 20;

/// Peak memory allowed for the run, two thirds of the WARC's decompressed size: the binary's
/// fixed part (tests/robustness.rs allows 64 MiB), and the batches read ahead and in flight (8
/// of 8 MiB of HTML at most, each with its text and records), which do not grow with the
/// file. Measured with the dev profile on 2 threads: 153 MiB for 100 MB of records, 188 MiB for
/// 400 MB.
const MAX_PEAK_BYTES: u64 = 256 << 20;

#[test]
fn a_large_warc_is_streamed_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("large.warc.gz");
    let mut file = fs::File::create(&input).unwrap();
    let paragraph = format!("<p>{}</p>\n", common::PROSE);
    let body = format!(
        "<html><body>{}</body></html>",
        paragraph.repeat(64 * 1024 / paragraph.len())
    );
    let mut written = 0;
    let mut records = 0;
    while written < LARGE_WARC_BYTES {
        let request = record(
            "request",
            &format!("q{records}"),
            "",
            b"GET / HTTP/1.1\r\n\r\n",
        );
        let response = response(&format!("r{records}"), "text/html", body.as_bytes());
        written += request.len() + response.len();
        file.write_all(&gzip(&request)).unwrap();
        file.write_all(&gzip(&response)).unwrap();
        records += 1;
    }
    drop(file);
    let out = dir.path().join("out.jsonl");
    run_quiet(
        &input,
        &out,
        &["--stages", "normalize", "--no-sentences", "--threads", "2"],
        dir.path(),
    );
    let peak = children_peak_bytes();
    let stats = read_json(&out.with_extension("stats.json"));
    assert_eq!(stats["written"], records);
    assert_eq!(stats["skipped_records"]["request"], records);
    eprintln!(
        "{} MB of WARC records ({records} pages): peak resident {} MiB",
        written / 1_000_000,
        peak >> 20
    );
    assert!(peak < MAX_PEAK_BYTES, "peak {} MiB", peak >> 20);
}
