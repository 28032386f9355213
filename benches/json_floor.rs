//! The serde floor for throughput figures: parse every JSON line of a (gzip) JSON Lines file and
//! serialize it again, nothing else. `docpipe run` is reported as a multiple of this.
//!
//!     cargo bench --bench json_floor -- FILE.jsonl[.gz]

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::time::Instant;

fn main() -> std::io::Result<()> {
    // `cargo bench` passes `--bench` to every bench binary; the input is the first other argument.
    let Some(path) = std::env::args().skip(1).find(|arg| !arg.starts_with("--")) else {
        eprintln!("usage: cargo bench --bench json_floor -- FILE.jsonl[.gz]");
        return Ok(());
    };
    let started = Instant::now();
    let file = File::open(&path)?;
    let reader: Box<dyn Read> = if path.ends_with(".gz") {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut sink = std::io::sink();
    let (mut lines, mut bytes) = (0u64, 0u64);
    for line in BufReader::with_capacity(1 << 20, reader).lines() {
        let line = line?;
        bytes += line.len() as u64 + 1;
        let value: serde_json::Value = match serde_json::from_str(&line) {
            Ok(value) => value,
            Err(_) => continue,
        };
        serde_json::to_writer(&mut sink, &value)?;
        sink.write_all(b"\n")?;
        lines += 1;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "json floor: {lines} lines, {:.1} MB in {seconds:.3} s = {:.1} MB/s, {:.0} docs/s",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / seconds,
        lines as f64 / seconds
    );
    Ok(())
}
