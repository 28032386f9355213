//! A hash table of document numbers without keys: each slot holds a document number and an
//! 8-bit tag of its key, and the rest of the key is read again from the document when the tag
//! agrees. Open addressing with linear probing; the table grows by half, not double, so that on
//! average more of its slots are in use.

/// Slots are grown past this share of them in use: linear probing still finds an empty slot
/// within a few cache lines (about 32 slots on average at 7/8), and the tag keeps the look-ups
/// from reading the documents they pass.
const MAX_LOAD_EIGHTHS: usize = 7;

/// Growth factor, as a fraction: by half, so the share in use stays between 7/12 and 7/8 (on
/// average 1.41 slots a document, against 1.60 when doubling). Growing re-reads each filed
/// document's key, so growing more often costs time: three moves a document in all, not two.
const GROWTH: (usize, usize) = (3, 2);

/// Slots read per step when a table grows.
const REHASH_BATCH: usize = 256;

/// Slots of a table's first allocation.
const FIRST_CAPACITY: usize = 16;

/// Bits of a narrow slot's document number: 4-byte slots hold up to 2^24 - 1 documents (the
/// number is stored plus one, zero is an empty slot); past that the table widens to 8-byte slots.
const NARROW_DOCUMENT_BITS: u32 = 24;
const WIDE_DOCUMENT_BITS: u32 = 56;

#[derive(Debug)]
enum Slots {
    Narrow(Vec<u32>),
    Wide(Vec<u64>),
}

impl Slots {
    fn len(&self) -> usize {
        match self {
            Slots::Narrow(slots) => slots.len(),
            Slots::Wide(slots) => slots.len(),
        }
    }

    /// The tag and document number in a slot, or `None` when it is empty.
    fn get(&self, at: usize) -> Option<(u8, u32)> {
        let (raw, bits) = match self {
            Slots::Narrow(slots) => (u64::from(slots[at]), NARROW_DOCUMENT_BITS),
            Slots::Wide(slots) => (slots[at], WIDE_DOCUMENT_BITS),
        };
        let number = raw & ((1 << bits) - 1);
        // Numbers are stored plus one; documents are numbered in 32 bits (see `Index::check`).
        (number != 0).then(|| ((raw >> bits) as u8, (number - 1) as u32))
    }

    fn set(&mut self, at: usize, tag: u8, document: u32) {
        let number = u64::from(document) + 1;
        match self {
            Slots::Narrow(slots) => {
                slots[at] = (u32::from(tag) << NARROW_DOCUMENT_BITS) | number as u32
            }
            Slots::Wide(slots) => slots[at] = (u64::from(tag) << WIDE_DOCUMENT_BITS) | number,
        }
    }

    fn empty_like(&self, capacity: usize) -> Slots {
        match self {
            Slots::Narrow(_) => Slots::Narrow(vec![0; capacity]),
            Slots::Wide(_) => Slots::Wide(vec![0; capacity]),
        }
    }

    fn bytes(&self) -> usize {
        match self {
            Slots::Narrow(slots) => slots.capacity() * 4,
            Slots::Wide(slots) => slots.capacity() * 8,
        }
    }
}

/// Document numbers filed under keys that the table does not store.
#[derive(Debug)]
pub(crate) struct Table {
    slots: Slots,
    used: usize,
}

/// Where a key's probe ended: at the document filed under it, or at the empty slot that would
/// take one.
pub(crate) enum Probe {
    Found(u32),
    Vacant(usize),
}

impl Table {
    pub(crate) fn new() -> Table {
        Table {
            slots: Slots::Narrow(Vec::new()),
            used: 0,
        }
    }

    /// Makes room for one more document numbered `document`, so that a [`Probe::Vacant`] slot
    /// found next stays valid. `home` gives a filed document's hash from its tag and number,
    /// read again from the documents.
    pub(crate) fn reserve(&mut self, document: u32, home: impl Fn(u8, u32) -> u64) {
        if let Slots::Narrow(narrow) = &self.slots {
            if u64::from(document) + 1 >= 1 << NARROW_DOCUMENT_BITS {
                // Same slots, same places: only the width changes.
                let wide = narrow
                    .iter()
                    .map(|&raw| {
                        let tag = u64::from(raw >> NARROW_DOCUMENT_BITS);
                        let number = u64::from(raw) & ((1 << NARROW_DOCUMENT_BITS) - 1);
                        (tag << WIDE_DOCUMENT_BITS) | number
                    })
                    .collect();
                self.slots = Slots::Wide(wide);
            }
        }
        let capacity = self.slots.len();
        if (self.used + 1) * 8 <= capacity * MAX_LOAD_EIGHTHS {
            return;
        }
        let grown = (capacity * GROWTH.0 / GROWTH.1).max(FIRST_CAPACITY);
        let empty = self.slots.empty_like(grown);
        let old = std::mem::replace(&mut self.slots, empty);
        // Reading a filed document's key is a cache miss: the keys of a batch are read first,
        // independently of each other, so that the misses overlap, then the batch is placed.
        let mut batch = Vec::with_capacity(REHASH_BATCH);
        let mut at = 0;
        while at < old.len() {
            let end = (at + REHASH_BATCH).min(old.len());
            batch.extend(
                (at..end)
                    .filter_map(|slot| old.get(slot))
                    .map(|(tag, filed)| (home(tag, filed), tag, filed)),
            );
            for (hash, tag, filed) in batch.drain(..) {
                let mut to = self.home(hash);
                while self.slots.get(to).is_some() {
                    to = next(to, grown);
                }
                self.slots.set(to, tag, filed);
            }
            at = end;
        }
    }

    /// The slot a probe starts at: the low 32 bits of the hash scaled to the capacity (Lemire's
    /// multiply-shift, no division), so that any capacity will do.
    fn home(&self, hash: u64) -> usize {
        ((u64::from(hash as u32) * self.slots.len() as u64) >> 32) as usize
    }

    /// Looks for a document filed under a key with this hash and tag, which `matches` (the rest
    /// of the key, read from the document, agrees). An empty table has no vacant slot: call
    /// [`Table::reserve`] before a probe whose vacant slot is filled.
    pub(crate) fn probe(&self, hash: u64, tag: u8, matches: impl Fn(u32) -> bool) -> Probe {
        let capacity = self.slots.len();
        if capacity == 0 {
            return Probe::Vacant(0);
        }
        let mut at = self.home(hash);
        while let Some((filed_tag, document)) = self.slots.get(at) {
            if filed_tag == tag && matches(document) {
                return Probe::Found(document);
            }
            at = next(at, capacity);
        }
        Probe::Vacant(at)
    }

    /// Files `document` in a slot that [`Table::probe`] found vacant, after [`Table::reserve`].
    pub(crate) fn fill(&mut self, vacant: usize, tag: u8, document: u32) {
        self.slots.set(vacant, tag, document);
        self.used += 1;
    }

    /// Heap bytes of the slots.
    pub(crate) fn bytes(&self) -> usize {
        self.slots.bytes()
    }
}

/// The slot after `at`, wrapping around.
fn next(at: usize, capacity: usize) -> usize {
    if at + 1 == capacity {
        0
    } else {
        at + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table whose documents' keys are `keys[document]`, the hash is the key, the tag its
    /// low byte: enough collisions of hash and tag to exercise the probing.
    fn file(table: &mut Table, keys: &[u64], document: u32) -> Probe {
        let home = |_: u8, filed: u32| keys[filed as usize];
        table.reserve(document, home);
        let key = keys[document as usize];
        let probe = table.probe(key, key as u8, |filed| keys[filed as usize] == key);
        if let Probe::Vacant(at) = probe {
            table.fill(at, key as u8, document);
        }
        probe
    }

    #[test]
    fn the_first_document_under_a_key_is_found_through_growth() {
        // Keys repeat every 100 documents, and share their tag (0) and many their home.
        let keys: Vec<u64> = (0..1000u64).map(|i| (i % 100) << 26).collect();
        let mut table = Table::new();
        for document in 0..1000u32 {
            match file(&mut table, &keys, document) {
                Probe::Found(earlier) => {
                    assert!(document >= 100);
                    assert_eq!(earlier, document % 100);
                }
                Probe::Vacant(_) => assert!(document < 100),
            }
        }
        assert_eq!(table.used, 100);
        assert!(table.bytes() >= 100 * 4);
    }

    #[test]
    fn narrow_slots_widen_in_place() {
        let mut table = Table::new();
        let keys = [7u64, 9];
        file(&mut table, &keys, 0);
        table.reserve(1 << NARROW_DOCUMENT_BITS, |_, filed| keys[filed as usize]);
        assert!(matches!(table.slots, Slots::Wide(_)));
        assert!(matches!(
            table.probe(7, 7, |filed| filed == 0),
            Probe::Found(0)
        ));
        let Probe::Vacant(at) = table.probe(9, 9, |_| false) else {
            panic!("9 is not filed");
        };
        table.fill(at, 9, (1 << NARROW_DOCUMENT_BITS) + 5);
        assert!(matches!(
            table.probe(9, 9, |filed| filed == (1 << NARROW_DOCUMENT_BITS) + 5),
            Probe::Found(_)
        ));
    }
}
