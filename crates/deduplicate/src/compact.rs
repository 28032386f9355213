//! What the index keeps of a signature, and the band keys it files documents under: both are
//! functions of the fingerprint alone, so a cluster job that verifies and groups documents
//! elsewhere reaches the same verdicts as the index.

use xxhash_rust::xxh3::xxh3_64;

/// A signature value cut to its low 8 bits (b-bit MinHash, Li and König 2010). Two different
/// values agree by chance once in 256, so a pair's estimated Jaccard similarity is at most
/// `(1 - J) / 256` above what the full values give: at the thresholds (J 0.5, containment 0.6)
/// that is 0.002, a fifth of one value of the 120. It halves the index's largest part against
/// 16 bits.
pub(crate) type CompactValue = u8;

/// The compact signature of a full one.
pub(crate) fn compact_signature(signature: &[u32]) -> Box<[CompactValue]> {
    signature
        .iter()
        .map(|&value| value as CompactValue)
        .collect()
}

/// Bits of a band key taken from the band's full 64-bit hash; the others come from the band's
/// compact values (see [`band_key`]).
const TAG_BITS: u32 = 8;

/// The key a document is filed under in one band: 24 bits of the band's compact values and 8
/// bits of the hash of its full values. Two documents whose band values are all equal have
/// equal keys; two that differ share a key by a 32-bit chance, as with any 32-bit key. The index
/// keeps only the 8 hash bits in its table slot and reads the other 24 again from the stored
/// compact signature, so a slot is a document number and 8 bits, not a key and a number.
pub(crate) fn band_key(compact_values: &[CompactValue], band_hash: u64) -> u32 {
    key_of(values_check(compact_values), band_tag(band_hash))
}

/// The band key with this check (see [`values_check`]) and tag.
pub(crate) fn key_of(check: u32, tag: u8) -> u32 {
    check << TAG_BITS | u32::from(tag)
}

/// The part of a band key in the table slot.
pub(crate) fn tag_of(key: u32) -> u8 {
    key as u8
}

/// The part of a band key read from the stored compact values.
pub(crate) fn check_of(key: u32) -> u32 {
    key >> TAG_BITS
}

fn band_tag(band_hash: u64) -> u8 {
    (band_hash >> (64 - TAG_BITS)) as u8
}

/// 24 bits of a band's compact values: the values themselves for bands of up to 3 rows (the
/// default), a hash of them for longer bands.
pub(crate) fn values_check(values: &[CompactValue]) -> u32 {
    const PACKED_ROWS: usize = 3;
    if values.len() <= PACKED_ROWS {
        values
            .iter()
            .rev()
            .fold(0, |packed, &value| packed << 8 | u32::from(value))
    } else {
        xxh3_64(values) as u32 & 0x00FF_FFFF
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_band_key_splits_into_its_tag_and_its_check() {
        let values = [0x12, 0x34, 0x56];
        let key = band_key(&values, 0xAB00_0000_0000_0001);
        assert_eq!(tag_of(key), 0xAB);
        assert_eq!(check_of(key), values_check(&values));
        assert_eq!(key_of(check_of(key), tag_of(key)), key);
        assert_eq!(values_check(&values), 0x56_3412);
        // Longer bands are hashed into the same 24 bits.
        assert!(values_check(&[1, 2, 3, 4]) <= 0x00FF_FFFF);
        assert_ne!(values_check(&[1, 2, 3, 4]), values_check(&[1, 2, 3, 5]));
    }
}
