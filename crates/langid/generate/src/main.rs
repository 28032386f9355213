//! Builds `crates/langid/data/ngrams.bin` and its small first tier `hot.bin` from the n-gram models of lingua-rs (Apache-2.0).
//!
//! `cargo run --release --manifest-path crates/langid/generate/Cargo.toml -- crates/langid/data`
//!
//! Each lingua model maps an n-gram (1 to 5 lower-cased letters of one word) to the natural log
//! of its conditional probability given its first n-1 letters, as an f64's bits. For each
//! language and order this keeps the most frequent n-grams (by joint probability, the product
//! of the conditional ones along the prefix) whose conditional log-probability is above the
//! order's floor, and stores `(log p - floor) * QUANT` in a byte. A missing n-gram then counts
//! as the floor for every language alike, which is what lets the detector add only the
//! languages an n-gram has. The output depends only on the model crates' versions (pinned in
//! Cargo.lock) and the constants below: iteration is in sorted order throughout.

mod models;

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use docpipe_langid::hash::{bucket, fingerprint, ngram_hash};
use docpipe_langid::script::{Script, SCRIPTS};
use docpipe_langid::table::{MAGIC, MAX_ORDER, VERSION};
use fst::Streamer;

/// N-grams kept per language, for orders 1 to 5.
const KEEP: [usize; MAX_ORDER] = [usize::MAX, 3_000, 6_000, 6_000, 6_000];
/// The same for the small table the detector tries first (`hot.bin`): small enough to stay in
/// cache between documents, enough to decide a long text.
const KEEP_HOT: [usize; MAX_ORDER] = [usize::MAX, 300, 600, 600, 300];
/// Floor of the conditional log-probability, per order: an n-gram below it is worth no more
/// than a missing one.
const FLOOR: [f64; MAX_ORDER] = [-12.0, -10.0, -8.0, -7.0, -6.0];
/// Score steps per nat.
const QUANT: f64 = 16.0;
/// N-grams per bucket at most, on average: a look-up scans one bucket's fingerprints (about
/// eight, 16 bytes), and the bucket index costs under a byte per n-gram.
const BUCKET_LOAD: usize = 10;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let usage = "usage: docpipe-langid-generate DIR (writes DIR/ngrams.bin and DIR/hot.bin)";
    let dir = std::path::PathBuf::from(std::env::args().nth(1).ok_or(usage)?);
    build(&KEEP, &dir.join("ngrams.bin").to_string_lossy())?;
    build(&KEEP_HOT, &dir.join("hot.bin").to_string_lossy())
}

/// Writes the table that keeps `keep` n-grams per language and order to `out`.
fn build(keep: &[usize; MAX_ORDER], out: &str) -> Result<(), Box<dyn std::error::Error>> {
    let mut rows: BTreeMap<String, Vec<u16>> = BTreeMap::new();
    let mut header = Vec::new();
    for (index, (code, dir)) in models::MODELS.iter().enumerate() {
        let file = dir
            .get_file("ngrams.fst")
            .ok_or_else(|| format!("{code}: no ngrams.fst"))?;
        let map = fst::Map::new(file.contents().to_vec())?;
        let mut model: HashMap<String, f64> = HashMap::with_capacity(map.len());
        let mut stream = map.stream();
        while let Some((key, value)) = stream.next() {
            model.insert(String::from_utf8(key.to_vec())?, f64::from_bits(value));
        }
        let mut by_order: Vec<Vec<(f64, &str, f64)>> = vec![Vec::new(); MAX_ORDER];
        let mut mass = [0f64; SCRIPTS];
        for (key, &logp) in &model {
            let chars: Vec<char> = key.chars().collect();
            let order = chars.len();
            if order == 0 || order > MAX_ORDER || chars.iter().any(|c| c.is_whitespace()) {
                return Err(format!("{code}: unexpected n-gram {key:?}").into());
            }
            if order == 1 {
                if let Some(script) = Script::of(chars[0]) {
                    mass[script as usize] += logp.exp();
                }
            }
            // Joint log-probability: the conditional ones of every prefix, summed.
            let mut joint = 0.0;
            let mut complete = true;
            for end in 1..=order {
                let prefix: String = chars[..end].iter().collect();
                match model.get(&prefix) {
                    Some(p) => joint += p,
                    None => complete = false,
                }
            }
            if complete && logp > FLOOR[order - 1] {
                by_order[order - 1].push((joint, key.as_str(), logp));
            }
        }
        let script = (0..SCRIPTS)
            .max_by(|&a, &b| mass[a].total_cmp(&mass[b]))
            .and_then(|id| Script::from_id(id as u8))
            .ok_or("no script")?;
        let mut kept = [0usize; MAX_ORDER];
        for (order, grams) in by_order.iter_mut().enumerate() {
            grams.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
            grams.truncate(keep[order]);
            kept[order] = grams.len();
            for &(_, key, logp) in grams.iter() {
                let score = ((logp - FLOOR[order]) * QUANT).round().clamp(1.0, 255.0) as u16;
                rows.entry(key.to_string())
                    .or_default()
                    .push(((index as u16) << 8) | score);
            }
        }
        eprintln!(
            "{code}: {script:?}, {} n-grams in the model, kept {kept:?}",
            model.len()
        );
        header.extend_from_slice(code.as_bytes());
        header.push(script as u8);
    }

    // The detector stops looking up longer n-grams at the first miss, which is exact only if
    // every n-gram's suffix one letter shorter is in the table: drop those whose suffix is not.
    let mut dropped = 0usize;
    for order in 2..=MAX_ORDER {
        let orphans: Vec<String> = rows
            .keys()
            .filter(|key| key.chars().count() == order)
            .filter(|key| {
                let suffix: String = key.chars().skip(1).collect();
                !rows.contains_key(&suffix)
            })
            .cloned()
            .collect();
        dropped += orphans.len();
        for key in orphans {
            rows.remove(&key);
        }
    }
    eprintln!("dropped {dropped} n-grams whose suffix is not kept");

    // Only differences between the candidates of one script matter, so what every language of
    // a script group shares is taken out of a row: an n-gram all of them have (most letters
    // and many pairs of the Latin languages) loses its smallest score from each, and the
    // entries left at zero go. That changes no decision and shortens the rows the detector
    // adds up most often. Kana goes with Han: Han text weighs Chinese against Japanese.
    let group_of = |script: u8| {
        if script == Script::Kana as u8 {
            Script::Han as u8
        } else {
            script
        }
    };
    let groups: Vec<u8> = header.chunks_exact(4).map(|l| group_of(l[3])).collect();
    let mut shrunk = 0usize;
    for row in rows.values_mut() {
        for group in 0..SCRIPTS as u8 {
            let members = groups.iter().filter(|&&g| g == group).count();
            let in_row: Vec<u16> = row
                .iter()
                .copied()
                .filter(|&e| groups[usize::from(e >> 8)] == group)
                .collect();
            if members < 2 || in_row.len() < members {
                continue;
            }
            let least = in_row.iter().map(|&e| e & 0xFF).min().unwrap_or(0);
            let before = row.len();
            row.retain_mut(|e| {
                if groups[usize::from(*e >> 8)] == group {
                    *e -= least;
                }
                *e & 0xFF != 0
            });
            shrunk += before - row.len();
        }
    }
    // An n-gram every candidate had equally is now an empty row: it stays, since the detector
    // stops at the first n-gram it does not find.
    eprintln!("{shrunk} entries shared by a whole script group taken out");

    let mut bits = 1u32;
    while (1usize << bits) * BUCKET_LOAD < rows.len() {
        bits += 1;
    }
    // Bucket by bucket, fingerprint by fingerprint. Two n-grams of one bucket with the same
    // 16-bit fingerprint (a few dozen in the whole table) share one row that keeps the higher
    // score of each language.
    let mut buckets: BTreeMap<usize, BTreeMap<u16, BTreeMap<u8, u8>>> = BTreeMap::new();
    let mut merged = 0usize;
    for (key, row) in &rows {
        let chars: Vec<char> = key.chars().collect();
        let hash = ngram_hash(&chars);
        let slot = buckets
            .entry(bucket(hash, bits))
            .or_default()
            .entry(fingerprint(hash))
            .or_default();
        if !slot.is_empty() {
            merged += 1;
        }
        for &entry in row {
            let score = slot.entry((entry >> 8) as u8).or_insert(0);
            *score = (*score).max(entry as u8);
        }
    }
    let mut starts = Vec::with_capacity((1 << bits) + 1);
    let mut area: Vec<u8> = Vec::new();
    for b in 0..1usize << bits {
        starts.push(u32::try_from(area.len())?);
        let empty = BTreeMap::new();
        let grams = buckets.get(&b).unwrap_or(&empty);
        area.push(u8::try_from(grams.len())?);
        for (fp, row) in grams {
            area.extend_from_slice(&fp.to_le_bytes());
            area.push(u8::try_from(row.len())?);
        }
        for row in grams.values() {
            for (&lang, &score) in row {
                area.extend_from_slice(&[lang, score]);
            }
        }
    }
    starts.push(u32::try_from(area.len())?);

    let mut bytes = Vec::new();
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&VERSION.to_le_bytes());
    bytes.push(u8::try_from(models::MODELS.len())?);
    bytes.extend_from_slice(&header);
    bytes.extend_from_slice(&bits.to_le_bytes());
    bytes.extend_from_slice(&u32::try_from(area.len())?.to_le_bytes());
    for start in &starts {
        bytes.extend_from_slice(&start.to_le_bytes());
    }
    bytes.extend_from_slice(&area);
    std::fs::File::create(out)?.write_all(&bytes)?;
    eprintln!(
        "{} n-grams ({merged} sharing a row), 2^{bits} buckets: {} bytes written to {out}",
        rows.len(),
        bytes.len()
    );
    Ok(())
}
