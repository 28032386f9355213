//! `docpipe dedup-verify`: scores candidate pairs of fingerprints exactly as `docpipe run` does
//! when a band key matches, for a cluster job that finds the candidates itself by grouping
//! documents on their band keys (the `--signatures` file).

use std::io::{self, BufRead, BufWriter, Write};

use anyhow::{bail, Context};
use clap::Args;
use docpipe_deduplicate::{verify, DedupConfig, Fingerprint};
use serde::{Deserialize, Serialize};

use docpipe_pipeline::round3;

const VERIFY_EXAMPLES: &str = "\
Input, one pair a line (fingerprints as hex, from `docpipe run --signatures`):
  {\"a\": \"<fingerprint of the later document>\", \"b\": \"<fingerprint of the earlier>\"}
Output, one line per pair, in order:
  {\"score\": 0.9137254901960784, \"similarity\": 0.914}   or   {\"score\": null, \"similarity\": null}";

/// `docpipe dedup-verify`: JSON Lines of fingerprint pairs in, their scores out.
#[derive(Args, Debug)]
#[command(after_help = VERIFY_EXAMPLES)]
pub struct VerifyArgs {}

#[derive(Deserialize)]
struct Pair {
    a: String,
    b: String,
}

#[derive(Serialize)]
struct Score {
    /// The full-precision score that `docpipe run` compares candidates by, or null when the
    /// pair is not the same article.
    score: Option<f64>,
    /// The score as the record's `dedup.similarity` shows it.
    similarity: Option<f64>,
}

/// Reads pairs from standard input and writes one score per pair to standard output.
pub fn run(_args: &VerifyArgs) -> anyhow::Result<()> {
    // The configuration `docpipe run` fingerprints and checks with.
    let config = DedupConfig::default();
    let stdin = io::stdin().lock();
    let mut out = BufWriter::new(io::stdout().lock());
    for (index, line) in stdin.lines().enumerate() {
        let number = index + 1;
        let line = line.context("cannot read standard input")?;
        let pair: Pair = serde_json::from_str(&line)
            .with_context(|| format!("line {number}: expected {{\"a\": HEX, \"b\": HEX}}"))?;
        let a = decode(&pair.a).with_context(|| format!("line {number}, fingerprint a"))?;
        let b = decode(&pair.b).with_context(|| format!("line {number}, fingerprint b"))?;
        let score = verify(&a, &b, &config);
        let mut json = serde_json::to_vec(&Score {
            score,
            similarity: score.map(round3),
        })?;
        json.push(b'\n');
        out.write_all(&json)
            .context("cannot write standard output")?;
    }
    out.flush().context("cannot write standard output")?;
    Ok(())
}

/// A fingerprint from the hex of `Fingerprint::to_bytes`.
fn decode(hex: &str) -> anyhow::Result<Fingerprint> {
    if !hex.len().is_multiple_of(2) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        bail!("not an even number of hex digits");
    }
    let bytes: Vec<u8> = hex
        .as_bytes()
        .chunks_exact(2)
        .map(|pair| {
            let digit = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
            digit(pair[0]) << 4 | digit(pair[1])
        })
        .collect();
    Ok(Fingerprint::from_bytes(&bytes)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::hex;

    #[test]
    fn fingerprints_survive_hex() {
        let config = DedupConfig::default();
        let fingerprint = Fingerprint::new("Rain flooded the northern valley on Sunday.", &config);
        let back = decode(&hex(&fingerprint.to_bytes())).unwrap();
        assert_eq!(back, fingerprint);
        assert!(decode("abc").is_err());
        assert!(decode("zz").is_err());
        assert!(decode("00").is_err(), "truncated");
    }
}
