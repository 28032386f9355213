//! The hash of a character n-gram, shared by the detector and the table generator, so that both
//! sides agree on where an n-gram lives in the table.

/// FNV-1a's 64-bit offset basis: any fixed odd start works, this one is well known.
const SEED: u64 = 0xcbf2_9ce4_8422_2325;
/// FNV's 64-bit prime.
const PRIME: u64 = 0x0000_0100_0000_01b3;

/// The 64-bit hash of the n-gram `chars` (already lower-cased).
///
/// FNV-1a over whole code points, then a splitmix64 finalizer so that the high bits (the slot)
/// and the low bits (the fingerprint) are both well mixed.
pub fn ngram_hash(chars: &[char]) -> u64 {
    let mut hash = SEED ^ chars.len() as u64;
    for &c in chars {
        hash = (hash ^ u64::from(c)).wrapping_mul(PRIME);
    }
    finalize(hash)
}

/// splitmix64's finalizer (Steele, Lea and Flood 2014).
fn finalize(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The fingerprint that tells the n-grams of one bucket apart: the low 16 bits.
pub fn fingerprint(hash: u64) -> u16 {
    hash as u16
}

/// The bucket of `hash` in a table of `1 << bits` buckets: the top bits.
pub fn bucket(hash: u64, bits: u32) -> usize {
    (hash >> (64 - bits)) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_length_matter() {
        let ab = ngram_hash(&['a', 'b']);
        assert_ne!(ab, ngram_hash(&['b', 'a']));
        assert_ne!(ngram_hash(&['a']), ngram_hash(&['a', 'a']));
        assert_eq!(ab, ngram_hash(&['a', 'b']));
        assert_eq!(fingerprint(0x1234_5678), 0x5678);
        assert_eq!(bucket(u64::MAX, 10), 1023);
    }
}
